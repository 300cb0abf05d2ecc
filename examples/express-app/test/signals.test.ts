// `npm start` as a user runs it, in its own process: the app serves, and Ctrl-C (SIGINT) or SIGTERM stops it
// cleanly, emulators included, with exit code 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const register = join(__dirname, '../../../test-support/register-sources.cjs');
const main = join(__dirname, '../src/main.ts');

function startApp(): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn(process.execPath, ['-r', register, main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SESSION_SECRET: 'signals-test-session-secret-0123456789abcdef' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output, url };
}

describe('stopping the app', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s closes the server and the emulators and exits with 0',
    async (signal) => {
      const app = startApp();
      const url = await app.url;
      expect((await fetch(url)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
      app.child.kill(signal);
      expect(await exited).toBe(0);
      expect(app.output()).toContain(`${signal}: stopping`);
      expect(app.output()).toContain('stopped');
      await expect(fetch(url)).rejects.toThrow();
    },
    40_000,
  );
});
