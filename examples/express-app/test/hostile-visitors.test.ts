// What the app guarantees against hostile visitors and hostile provider answers, through the path a browser
// takes: supertest against the real app (`createApp` as `npm start` builds it), on the emulators.
import fc from 'fast-check';
import request from 'supertest';
import { MemoryStore, type SessionData } from 'express-session';
import { signIn } from '../../../test-support/harness';
import { safeReturnTo } from '../src/security';
import { previewJson, toSessionUser } from '../src/user';
import { allSessions, approve, emulatorOf, sessionCookie, startExampleApp, type ExampleApp } from './helpers';

jest.setTimeout(60_000);

const STACK = /\n\s+at .+:\d+:\d+|node:internal/;
const MINUTE = 60_000;

/** Milliseconds from now until a Set-Cookie's `Expires`. */
function expiresIn(cookie: string | undefined): number {
  const expires = /; Expires=([^;]+)/.exec(cookie ?? '')?.[1];
  if (!expires) throw new Error(`no Expires in ${cookie}`);
  return Date.parse(expires) - Date.now();
}

/** The session id in a Set-Cookie of express-session (`s:<id>.<signature>`). */
function sessionIdOf(cookie: string | undefined): string {
  return decodeURIComponent(/maniapass\.sid=s%3A([^.]+)\./.exec(cookie ?? '')![1]!);
}

let app: ExampleApp;
beforeAll(async () => {
  app = await startExampleApp({ timeout: 2000 });
});
afterAll(() => app.close());
afterEach(() => {
  for (const p of app.providers) emulatorOf(app, p.entry.name).clearFaults();
  jest.restoreAllMocks();
});

describe('returnTo: the visitor comes back to this site, whatever the value', () => {
  // Dot segments that resolve to a scheme-relative `//evil.com`, which a browser follows to the other host.
  it.each([
    '/.//evil.com',
    '/..//evil.com',
    '/a/..//evil.com',
    '/%2e//evil.com',
    '/x/../..//evil.com',
    '/%2E%2e//evil.com',
    '/.\\/evil.com',
    '/./\\evil.com',
    '/a/%2e%2e/\\/evil.com',
  ])('returnTo=%s redirects to /evil.com on this site', async (returnTo) => {
    const { callback } = await signIn(app, 'trackmania', { startPath: `/auth/trackmania?returnTo=${encodeURIComponent(returnTo)}` });
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe('/evil.com');
    expect(new URL(callback!.headers.location as string, app.url).origin).toBe(app.url);
  });

  /**
   * Hostile paths: segments (dots and their encodings, control and full-width characters, anything) joined by
   * separators (slashes, backslashes, their encodings), then a host-like tail.
   */
  const segment = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom('.', '..', '%2e', '%2E', '%2e%2e', '.%2E', '%2e.', '%252e', '．', '。', '\uff0e\uff0e') },
    { weight: 2, arbitrary: fc.constantFrom('', 'a', 'profile', '@', ':', '?', '#', '&', 'http:', 'javascript:', '%', '%zz') },
    { weight: 2, arbitrary: fc.constantFrom('\t', '\n', '\r', '\u0000', '\u001f', '\u007f', ' ', '%09', '%0a', '%00', '%20', '\u3000') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 4 }) },
  );
  const separator = fc.constantFrom('/', '//', '///', '\\', '/\\', '\\/', '%2f', '%2F', '%5c', '%5C', '\t/', '/\n', '／', '＼', '\u2215', '\u2044');
  const hostileReturnTo = fc
    .tuple(
      fc.constantFrom('/', '/', '/', '', '\\', '//'),
      fc.array(fc.tuple(segment, separator), { maxLength: 6 }),
      fc.constantFrom('evil.com', 'evil.com/x?y#z', '@evil.com', '127.0.0.1', 'app.invalid', ''),
    )
    .map(([first, pairs, tail]) => `${first}${pairs.map(([seg, sep]) => seg + sep).join('')}${tail}`);

  it('safeReturnTo gives a path that resolves to the given origin, or nothing; and keeps what it gives', () => {
    const origin = 'http://127.0.0.1:3000';
    fc.assert(
      fc.property(hostileReturnTo, (value) => {
        const path = safeReturnTo(value);
        if (path === undefined) return;
        expect(path).toMatch(/^\/(?![/\\])/);
        expect(path).not.toMatch(/[\u0000-\u0020\u007f]/);
        expect(new URL(path, origin).origin).toBe(origin);
        expect(safeReturnTo(path)).toBe(path);
      }),
      { numRuns: 2000 },
    );
  });

  it('after any sign-in with any returnTo, the Location resolves to the app itself', async () => {
    const emulator = emulatorOf(app, 'trackmania');
    emulator.autoApprove = true;
    try {
      await fc.assert(
        fc.asyncProperty(hostileReturnTo, async (returnTo) => {
          const agent = request.agent(app.url);
          const start = await agent.get(`/auth/trackmania?returnTo=${encodeURIComponent(returnTo)}`);
          expect(start.status).toBe(302);
          const callback = await agent.get(await approve(start.headers.location as string));
          expect(callback.status).toBe(302);
          const location = callback.headers.location as string;
          expect(location).toMatch(/^\/(?![/\\])/);
          expect(new URL(location, app.url).origin).toBe(app.url);
        }),
        { numRuns: 200 },
      );
    } finally {
      emulator.autoApprove = false;
    }
  });
});

describe('a hostile profile body', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const profileAnswer = (extra: string) => ({
    type: 'status' as const,
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: `{"accountId":"5b4d42f4-c2de-407d-b367-cbff3fe817bc","displayName":"tooInfinite",${extra}}`,
  });

  it('nested 20 000 levels deep: the sign-in completes, the session keeps a bounded preview, nothing is logged', async () => {
    emulatorOf(app, 'trackmania').fault('user', profileAnswer(`"nested":${deep(20_000)}`), { times: 1 });
    const logged = app.logged.length;
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe('/profile');
    const profile = await app.agent.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('<dt>displayName</dt><dd>tooInfinite</dd>');
    const raw = /<pre id="raw">([^<]*)<\/pre>/.exec(profile.text)![1]!;
    expect(raw).toContain('&#34;nested&#34;: [\n    [\n');
    expect(raw).toContain('&#34;…&#34;');
    expect(app.logged.slice(logged)).toEqual([]);
    const stored = (await allSessions(app.store)).map((s) => JSON.stringify(s));
    expect(Math.max(...stored.map((s) => s.length))).toBeLessThan(16_000);
  });

  it('whatever the profile holds, the session user stays bounded and the sign-in ends on a page', async () => {
    const emulator = emulatorOf(app, 'trackmania');
    emulator.autoApprove = true;
    const json = fc.oneof(
      fc.integer({ min: 1, max: 30_000 }).map((n) => deep(n)),
      fc.integer({ min: 1, max: 5000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
      fc.integer({ min: 1, max: 20_000 }).map((n) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`),
      fc.integer({ min: 1, max: 200_000 }).map((n) => JSON.stringify('x'.repeat(n))),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    );
    const fields = fc.record(
      {
        displayName: json,
        nested: json,
        emails: fc
          .integer({ min: 0, max: 5000 })
          .map((n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ value: `${i}@example.com`.padEnd(400, 'x') })))),
      },
      { requiredKeys: [] },
    );
    try {
      await fc.assert(
        fc.asyncProperty(fields, async (extra) => {
          const members = Object.entries(extra).map(([k, v]) => `"${k}":${v}`);
          const body = `{"accountId":"5b4d42f4-c2de-407d-b367-cbff3fe817bc"${members.map((m) => `,${m}`).join('')}}`;
          emulator.fault('user', { type: 'status', status: 200, headers: { 'Content-Type': 'application/json' }, body }, { times: 1 });
          const agent = request.agent(app.url);
          const start = await agent.get('/auth/trackmania');
          const callback = await agent.get(await approve(start.headers.location as string));
          expect([302, 502]).toContain(callback.status);
          expect(callback.text ?? '').not.toMatch(STACK);
          if (callback.status === 302) {
            const profile = await agent.get('/profile');
            expect(profile.status).toBe(200);
            const sid = sessionIdOf(sessionCookie(callback));
            const stored = await new Promise<SessionData | null | undefined>((resolve) => app.store.get(sid, (_err, s) => resolve(s)));
            expect(JSON.stringify(stored).length).toBeLessThan(24_000);
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      emulator.autoApprove = false;
    }
  });

  it('a profile that echoes a token shows none of it, in any encoding', () => {
    const token = fc.string({ minLength: 12, maxLength: 60, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~') });
    const echo = fc.constantFrom(
      (t: string) => t,
      (t: string) => Buffer.from(t).toString('base64'),
      (t: string) => encodeURIComponent(`token=${t}`),
      (t: string) => `Bearer ${t}`,
    );
    fc.assert(
      fc.property(token, token, echo, fc.constantFrom('debug', 'nested'), (accessToken, refreshToken, encode, key) => {
        const echoed = { access: encode(accessToken), refresh: encode(refreshToken) };
        const json = { accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite', [key]: key === 'nested' ? { deeper: [echoed] } : echoed };
        const profile = {
          provider: 'trackmania',
          id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
          displayName: 'tooInfinite',
          _raw: JSON.stringify(json),
          _json: json,
        };
        const user = toSessionUser({ access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer' }, profile as never, []);
        for (const secret of [accessToken, refreshToken]) {
          expect(user.rawPreview).not.toContain(secret.slice(0, 8));
          expect(user.rawPreview).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
        }
        expect(user.rawPreview).toContain('tooInfinite');
      }),
      { numRuns: 200 },
    );
  });

  it('previewJson writes JSON.stringify(value, null, 2) for small values, and valid, bounded JSON for any', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        // Small values (fast-check's default sizes: a few members, short strings) come out as JSON.stringify's.
        const text = JSON.stringify(value, null, 2);
        if (text.length < 4000) expect(previewJson(value)).toBe(text);
        expect(() => JSON.parse(previewJson(value))).not.toThrow();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 20_000 }), (depth, width) => {
        let value: unknown = Array.from({ length: width }, () => 'y'.repeat(300));
        for (let i = 0; i < depth; i++) value = { a: value, b: [value] };
        const text = previewJson(value);
        expect(() => JSON.parse(text)).not.toThrow();
        expect(text.length).toBeLessThan(30_000);
      }),
      { numRuns: 100 },
    );
  });
});

describe('error pages do not depend on the session being saved', () => {
  class FaultyStore extends MemoryStore {
    failSets = false;
    poisoned = false;
    override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
      if (this.failSets) return void setImmediate(() => callback?.(new Error('store unavailable')));
      super.set(sid, session, callback);
    }
    override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
      if (!this.poisoned) return super.get(sid, callback);
      // A session another process stored that cannot be serialized again (a 20 000-level member).
      let nested: unknown = [];
      for (let i = 0; i < 20_000; i++) nested = [nested];
      setImmediate(() => callback(null, { cookie: { originalMaxAge: MINUTE, expires: new Date(Date.now() + MINUTE) }, nested } as unknown as SessionData));
    }
  }
  let faulty: ExampleApp;
  let store: FaultyStore;
  beforeAll(async () => {
    store = new FaultyStore();
    faulty = await startExampleApp({ store });
  });
  afterAll(() => faulty.close());

  it('a store that fails at the sign-in: the error page is sent, and the failure logged in one line', async () => {
    const start = await faulty.agent.get('/auth/trackmania');
    expect(start.status).toBe(302);
    const callbackPath = await approve(start.headers.location as string);
    store.failSets = true;
    try {
      const callback = await faulty.agent.get(callbackPath).timeout(10_000);
      expect(callback.status).toBe(500);
      expect(callback.text).toContain('Something went wrong');
      expect(callback.text).not.toMatch(STACK);
      expect(faulty.logged.at(-1)).toBe('ERROR app GET /auth/trackmania/callback: Error: store unavailable');
    } finally {
      store.failSets = false;
    }
  });

  it('a stored session that cannot be serialized: every page still answers', async () => {
    await faulty.agent.get('/auth/trackmania');
    store.poisoned = true;
    try {
      for (const path of ['/', '/profile', '/auth/failure', '/demo']) {
        const res = await faulty.agent.get(path).timeout(10_000);
        expect(res.status).toBe(500);
        expect(res.text).toContain('Something went wrong');
        expect(res.text).not.toMatch(STACK);
      }
      expect(faulty.logged.at(-1)).toBe('ERROR app GET /demo: RangeError: Maximum call stack size exceeded');
    } finally {
      store.poisoned = false;
    }
  });
});

describe('sessions before the sign-in', () => {
  it('a sign-in start gets a 10-minute session; the sign-in gives the full 8 hours', async () => {
    const agent = request.agent(app.url);
    const start = await agent.get('/auth/trackmania');
    expect(start.status).toBe(302);
    expect(expiresIn(sessionCookie(start))).toBeGreaterThan(9 * MINUTE);
    expect(expiresIn(sessionCookie(start))).toBeLessThanOrEqual(10 * MINUTE);
    const stored = await new Promise<SessionData | null | undefined>((resolve) => app.store.get(sessionIdOf(sessionCookie(start)), (_err, s) => resolve(s)));
    expect(new Date(stored!.cookie.expires!).getTime() - Date.now()).toBeLessThanOrEqual(10 * MINUTE);

    const callback = await agent.get(await approve(start.headers.location as string));
    expect(callback.headers.location).toBe('/profile');
    expect(expiresIn(sessionCookie(callback))).toBeGreaterThan(8 * 60 * MINUTE - MINUTE);
  });

  it('a forged callback, which stores its failure message, gets a 10-minute session too', async () => {
    const res = await request(app.url).get('/auth/trackmania/callback?code=forged&state=forged');
    expect(res.status).toBe(302);
    expect(expiresIn(sessionCookie(res))).toBeLessThanOrEqual(10 * MINUTE);
  });

  it('expired pre-login sessions leave the memory store', async () => {
    const own = await startExampleApp();
    try {
      for (let i = 0; i < 20; i++) await request(own.url).get('/auth/trackmania').expect(302);
      expect(await allSessions(own.store)).toHaveLength(20);
      const now = Date.now();
      jest.spyOn(Date, 'now').mockImplementation(() => now + 11 * MINUTE);
      await request(own.url).get('/auth/trackmania').expect(302);
      jest.restoreAllMocks();
      // The sweep reads every session; give its callback a turn.
      await new Promise((resolve) => setImmediate(resolve));
      const left = await new Promise<number>((resolve) => (own.store as MemoryStore).length((_err, n) => resolve(n ?? -1)));
      expect(left).toBe(1);
    } finally {
      await own.close();
    }
  });
});

describe('rate limits', () => {
  let limited: ExampleApp;
  beforeAll(async () => {
    limited = await startExampleApp({ limits: { authRateLimit: 5, demoRateLimit: 3 } });
  });
  afterAll(() => limited.close());

  it('/auth/* answers 429 past AUTH_RATE_LIMIT requests per address, without a session; other pages still answer', async () => {
    // The first one carries a forwarded address without `trust proxy`: express-rate-limit reports it once.
    for (let i = 0; i < 5; i++) expect((await request(limited.url).get('/auth/trackmania').set('X-Forwarded-For', '203.0.113.7')).status).toBe(302);
    const sessions = (await allSessions(limited.store)).length;
    const refused = await request(limited.url).get('/auth/maniaplanet');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('Too many requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers.ratelimit).toMatch(/; r=0;/);
    expect(sessionCookie(refused)).toBeUndefined();
    expect((await request(limited.url).get('/auth/trackmania/callback?code=x&state=y')).status).toBe(429);
    expect(await allSessions(limited.store)).toHaveLength(sessions);
    expect((await request(limited.url).get('/')).status).toBe(200);
    // One line, no stack: the limiter's report goes to the app's log like any other.
    expect(limited.logged).toHaveLength(1);
    expect(limited.logged[0]).toMatch(
      /^ERROR app rate limit: ValidationError: The 'X-Forwarded-For' header is set but the Express 'trust proxy' setting is false/,
    );
    expect(limited.logged[0]).not.toMatch(STACK);
  });

  it('/demo answers 429 past DEMO_RATE_LIMIT requests per address', async () => {
    for (let i = 0; i < 3; i++) expect((await request(limited.url).get('/demo')).status).toBe(200);
    const refused = await request(limited.url).get('/demo');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Too many requests');
  });
});

describe('/demo: anonymous load cannot multiply provider calls', () => {
  let demo: ExampleApp;
  const calls = () => ({
    lookups: emulatorOf(demo, 'trackmania').requestsTo('display-names').length,
    grants: emulatorOf(demo, 'trackmania')
      .requestsTo('token')
      .filter((r) => r.form?.grant_type === 'client_credentials').length,
  });
  beforeEach(async () => {
    demo = await startExampleApp({ limits: { demoConcurrency: 2 } });
  });
  afterEach(() => demo.close());

  it('40 concurrent anonymous visitors: one lookup, one token, every page served', async () => {
    emulatorOf(demo, 'trackmania').fault('display-names', { type: 'delay', ms: 300 }, { times: 1 });
    const pages = await Promise.all(Array.from({ length: 40 }, () => request(demo.url).get('/demo')));
    expect(pages.map((p) => p.status)).toEqual(Array(40).fill(200));
    for (const page of pages) expect(page.text).toContain('&#34;Wirtual&#34;');
    expect(calls()).toEqual({ lookups: 1, grants: 1 });
  });

  it('anonymous visitors with any query see the cached samples: a fixed number of provider calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('accountIds', 'accountIds[]', 'x', 'returnTo'), fc.string({ maxLength: 200 }), { maxKeys: 3 }),
        async (query) => {
          const res = await request(demo.url).get('/demo').query(query);
          expect(res.status).toBe(200);
        },
      ),
      { numRuns: 100 },
    );
    expect(calls()).toEqual({ lookups: 1, grants: 1 });
  });

  it('signed-in lookups past DEMO_CONCURRENCY get a 503 at once; the cached samples still answer', async () => {
    const agent = request.agent(demo.url);
    await signIn({ ...demo, agent }, 'maniaplanet');
    expect((await agent.get('/demo')).status).toBe(200); // the samples and the Nadeo call, cached
    emulatorOf(demo, 'trackmania').fault('display-names', { type: 'delay', ms: 2000 });
    const before = calls().lookups;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`);
    const pending = ids.map((id) => agent.get(`/demo?accountIds=${id}`).then((r) => r));
    const anonymous = await request(demo.url).get('/demo');
    const pages = await Promise.all(pending);
    expect(anonymous.status).toBe(200);
    expect(pages.map((p) => p.status).sort()).toEqual([200, 200, 503, 503, 503, 503]);
    for (const busy of pages.filter((p) => p.status === 503)) {
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.text).toContain('The token helpers are busy');
      expect(busy.text).not.toMatch(STACK);
    }
    expect(calls().lookups - before).toBe(2);
  });
});

describe('malformed percent-encodings in the path', () => {
  it.each(['/auth/%E0%A4%A', '/auth/%E0%A4%A/callback', '/auth/%', '/auth/trackmania%ZZ/callback', '/%C0%AF', '/profile/%FF', '/demo%'])(
    '%s answers a plain 400 page, with no session and no log line',
    async (path) => {
      const logged = app.logged.length;
      const res = await request(app.url).get(path);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<h1>Bad request</h1>');
      expect(res.text).not.toMatch(STACK);
      expect(sessionCookie(res)).toBeUndefined();
      expect(app.logged.slice(logged)).toEqual([]);
    },
  );
});
