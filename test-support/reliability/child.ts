// Starts a TypeScript module in a child `node` process (with --expose-gc) and waits for its `READY <url>` line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface HeapReport {
  /** Bytes, after garbage collection. */
  heapUsed: number;
  /** Bytes used per V8 heap space (`old_space`, `code_space`...). */
  spaces: Record<string, number>;
  gc: boolean;
  unhandled: number;
  /** Sessions in the app's store. */
  sessions?: number;
}

export interface ChildApp {
  url: string;
  process: ChildProcess;
  /** Collects garbage in the child and answers its heap in bytes. */
  heap(): Promise<HeapReport>;
  stop(): Promise<void>;
}

export async function startChildApp(
  module: string,
  env: Record<string, string>,
  options: { nodeFlags?: string[]; timeoutMs?: number } = {},
): Promise<ChildApp> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn(process.execPath, ['--expose-gc', ...(options.nodeFlags ?? []), '-r', join(__dirname, '..', 'register-sources.cjs'), module], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.DEBUG_CHILD) process.stdout.write(chunk.toString());
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    process: child,
    heap: async () => (await (await fetch(`${url}/__heap`)).json()) as HeapReport,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
