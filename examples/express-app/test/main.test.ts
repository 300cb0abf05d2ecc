import request from 'supertest';
import { startServer } from '../src/main';

describe('startServer (what npm start runs)', () => {
  it('starts every emulator, warns about the missing secret and store, prints its URL, serves, and closes', async () => {
    const lines: string[] = [];
    const log = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const running = await startServer({ PORT: '0', HOST: '127.0.0.1' }, log);
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(lines).toEqual([
        'warning: SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.',
        'warning: REDIS_URL is not set: sessions are kept in memory, which suits one process only.',
        expect.stringMatching(/^ {2}Trackmania {3}emulated at http:\/\/127\.0\.0\.1:\d+$/),
        expect.stringMatching(/^ {2}ManiaPlanet {2}emulated at /),
        expect.stringMatching(/^ {2}TrackMage {4}emulated at /),
        expect.stringMatching(/^ {2}Toornament {3}emulated at /),
        expect.stringMatching(/^ {2}Nadeo {8}emulated at .+ \(Core\), .+ \(Meet\)$/),
        expect.stringMatching(/^ {2}Openplanet {3}emulated at /),
        `  ${'Sessions'.padEnd(12)} memory`,
        `maniapass example app listening on ${running.url}  (Ctrl-C to stop)`,
      ]);
      const home = await request(running.url).get('/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('Sign in with Trackmania');
    } finally {
      await running.close();
    }
    // Closed: the port no longer answers.
    await expect(fetch(running.url)).rejects.toThrow();
  });

  it('refuses a bad environment with the variable named', async () => {
    await expect(startServer({ PORT: 'x' }, { log: () => {}, warn: () => {}, error: () => {} })).rejects.toThrow(
      'PORT must be a port number (0-65535), got "x"',
    );
  });
});
