// Rows: the hooks a passport-oauth2 subclass overrides, skipUserProfile, state and its stores, PKCE, and the
// callback URL (relative, behind a proxy, per request).
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { REFRESH, Recorder, USER, shapeOf, type Subject } from './subjects';
import type { Row } from './table';

type Done = (err: unknown, user?: object | false, info?: object) => void;
type Callback = (err: unknown, ...results: unknown[]) => void;

const STATE = { state: true };
const recordingVerify = (rec: Recorder) =>
  function (_at: string, _rt: string, _profile: unknown, done: Done) {
    rec.record(arguments);
    done(null, USER);
  };

/** The fields of the last token request the emulator received, each with every value it was sent with. */
function lastTokenForm(s: Subject): Record<string, string[]> {
  const body = new URLSearchParams(s.emulator.lastRequest('token')!.body);
  const fields: Record<string, string[]> = {};
  for (const key of new Set(body.keys())) fields[key] = body.getAll(key);
  return fields;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A session-backed state store as a user writes one, with `store`/`verify` of the given lengths. */
function customStore(key: string, rec: Recorder, form: 'plain' | 'meta' | 'app-state') {
  const save = (req: Request, appState: unknown, cb: Callback) => {
    const handle = `handle-${Math.random().toString(36).slice(2, 12)}`;
    (req.session as unknown as Record<string, unknown>)[key] = { handle, appState };
    cb(null, handle);
  };
  const check = (req: Request, provided: string | undefined, cb: Callback) => {
    const saved = (req.session as unknown as Record<string, { handle: string; appState?: unknown } | undefined>)[key];
    delete (req.session as unknown as Record<string, unknown>)[key];
    if (!saved || saved.handle !== provided) return cb(null, false, { message: 'custom store: state mismatch' });
    return saved.appState === undefined ? cb(null, true) : cb(null, true, saved.appState);
  };
  if (form === 'plain') {
    return {
      store(req: Request, cb: Callback) {
        rec.record(['store', ...[req, cb].map((a) => typeof a)]);
        save(req, undefined, cb);
      },
      verify(req: Request, provided: string | undefined, cb: Callback) {
        rec.record(['verify', typeof provided]);
        check(req, provided, cb);
      },
    };
  }
  if (form === 'meta') {
    return {
      store(req: Request, meta: object, cb: Callback) {
        rec.record(['store', meta]);
        save(req, undefined, cb);
      },
      verify(req: Request, provided: string | undefined, meta: object, cb: Callback) {
        rec.record(['verify', meta]);
        check(req, provided, cb);
      },
    };
  }
  return {
    store(req: Request, appState: unknown, meta: object, cb: Callback) {
      rec.record(['store', appState, meta]);
      save(req, appState, cb);
    },
    verify(req: Request, provided: string | undefined, meta: object, cb: Callback) {
      rec.record(['verify', meta]);
      check(req, provided, cb);
    },
  };
}

export const hookRows: Row[] = [
  {
    name: 'an authorizationParams() override adds its parameters to the authorize redirect, from the authenticate() options',
    async run(s) {
      const session = await s.start({
        options: STATE,
        overrides: { authorizationParams: ((options: { loginHint?: string }) => ({ prompt: 'consent', login_hint: options.loginHint })) as never },
        app: { authOptions: { loginHint: 'player@example.com' } },
      });
      const { authorizeURL } = await session.begin();
      expect(authorizeURL!.searchParams.get('prompt')).toBe('consent');
      expect(authorizeURL!.searchParams.get('login_hint')).toBe('player@example.com');
      expect(authorizeURL!.searchParams.get('response_type')).toBe('code');
    },
  },
  {
    name: 'a tokenParams() override without super: its fields reach the token request, numbers and booleans as text, arrays repeated',
    async run(s) {
      const session = await s.start({
        options: STATE,
        overrides: {
          tokenParams: (() => ({ audience: 'game-api', max_age: 300, offline: true, resource: ['https://a.example', 'https://b.example'] })) as never,
        },
      });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(lastTokenForm(s)).toMatchObject({
        grant_type: ['authorization_code'],
        audience: ['game-api'],
        max_age: ['300'],
        offline: ['true'],
        resource: ['https://a.example', 'https://b.example'],
        client_id: [s.emulator.strategyOptions().clientID],
      });
    },
  },
  {
    name: 'a tokenParams() override without super keeps the per-request scope for the profile (passport-oauth2 sends it to the authorize endpoint)',
    only: (p) => p.perRequestScope !== undefined,
    async run(s) {
      const scope = s.provider.perRequestScope!;
      const seen = new Recorder();
      const session = await s.start({
        options: STATE,
        overrides: {
          tokenParams: (() => ({ audience: 'game-api' })) as never,
          // Where the collection's strategies read the login's scope.
          loadProfile: function (this: object, accessToken: string, context: { scope: readonly string[] }) {
            seen.record([context.scope]);
            const parent = s.provider.Strategy.prototype as unknown as { loadProfile(at: string, ctx: unknown): Promise<unknown> };
            return parent.loadProfile.call(this, accessToken, context);
          } as never,
        },
        app: { authOptions: { scope } },
      });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('scope')).toBe(scope.join(' '));
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
      if (s.isPlain) return;
      expect(seen.last).toEqual([scope]);
      // ManiaPlanet: the e-mail is fetched only when the login asked for it.
      if (s.provider.name === 'maniaplanet') expect(s.emulator.requestsTo('email').length).toBeGreaterThan(0);
    },
  },
  {
    name: 'a userProfile() override gives verify its profile',
    async run(s) {
      const rec = new Recorder();
      const session = await s.start({
        options: STATE,
        overrides: { userProfile: ((accessToken: string, done: Callback) => done(null, { provider: 'custom', tokenLength: accessToken.length })) as never },
        verify: recordingVerify(rec),
      });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(rec.last[2]).toEqual({ provider: 'custom', tokenLength: (rec.last[0] as string).length });
    },
  },
  {
    name: 'skipUserProfile: true: verify gets no profile and no profile request is made',
    async run(s) {
      const rec = new Recorder();
      const before = s.emulator.requestsTo(s.provider.profileEndpoint).length;
      const session = await s.start({ options: { ...STATE, skipUserProfile: true }, verify: recordingVerify(rec) });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, rec.last)).toEqual(['string', REFRESH, 'undefined', 'done']);
      expect(s.emulator.requestsTo(s.provider.profileEndpoint).length).toBe(before);
    },
  },
  {
    name: 'skipUserProfile: () => true skips; (accessToken, done) decides per login',
    async run(s) {
      const sync = new Recorder();
      const first = await s.start({ options: { ...STATE, skipUserProfile: () => true }, verify: recordingVerify(sync) });
      expect(await first.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, sync.last)[2]).toBe('undefined');

      const decided = new Recorder();
      const verify = new Recorder();
      let skip = true;
      const second = await s.start({
        options: {
          ...STATE,
          skipUserProfile: (accessToken: string, done: (err: unknown, skip?: boolean) => void) => {
            decided.record([typeof accessToken]);
            setImmediate(() => done(null, skip));
          },
        },
        verify: recordingVerify(verify),
      });
      expect(await second.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, verify.last)[2]).toBe('undefined');
      skip = false;
      expect(await second.signIn()).toEqual({ kind: 'success', user: USER });
      expect(shapeOf(s, verify.last)[2]).toBe('profile');
      expect(decided.calls).toEqual([['string'], ['string']]);
    },
  },
];

export const stateRows: Row[] = [
  {
    name: 'store: true round-trips application state: authenticate({ state: { returnTo } }) → req.authInfo.state',
    async run(s) {
      const session = await s.start({
        options: { store: true },
        app: { authOptions: { state: { returnTo: '/dashboard' } }, afterCallback: (req: Request, res: Response) => void res.json({ authInfo: req.authInfo }) },
      });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('state')).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(await session.finish(begun.callbackPath!)).toMatchObject({
        kind: 'response',
        status: 200,
        body: { authInfo: { state: { returnTo: '/dashboard' } } },
      });
    },
  },
  {
    name: 'a custom state store with store(req, cb) and verify(req, state, cb)',
    async run(s) {
      const rec = new Recorder();
      const session = await s.start({ options: { store: customStore('custom-state', rec, 'plain') } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('state')).toMatch(/^handle-/);
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
      expect(rec.calls).toEqual([
        ['store', 'object', 'function'],
        ['verify', 'string'],
      ]);
      // A replayed callback finds no state: the store's own failure.
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'failure', messages: ['custom store: state mismatch'] });
    },
  },
  {
    name: "a custom state store with store(req, meta, cb) and verify(req, state, meta, cb) gets passport-oauth2's meta",
    async run(s) {
      const rec = new Recorder();
      const session = await s.start({ options: { store: customStore('custom-state', rec, 'meta') } });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      const meta = {
        authorizationURL: s.endpoints.authorizationURL,
        tokenURL: s.endpoints.tokenURL,
        clientID: s.emulator.strategyOptions().clientID,
        callbackURL: `${session.app.url}/auth/${s.provider.name}/callback`,
      };
      expect(rec.calls).toEqual([
        ['store', meta],
        ['verify', meta],
      ]);
    },
  },
  {
    name: 'a custom state store with store(req, state, meta, cb) carries application state to req.authInfo.state',
    async run(s) {
      const rec = new Recorder();
      const session = await s.start({
        options: { store: customStore('custom-state', rec, 'app-state') },
        app: { authOptions: { state: { returnTo: '/cart' } }, afterCallback: (req: Request, res: Response) => void res.json({ authInfo: req.authInfo }) },
      });
      expect(await session.signIn()).toMatchObject({ kind: 'response', status: 200, body: { authInfo: { state: { returnTo: '/cart' } } } });
      expect(rec.calls[0]).toEqual(['store', { returnTo: '/cart' }, expect.objectContaining({ clientID: s.emulator.strategyOptions().clientID })]);
    },
  },
  {
    name: "an error response carries state too: a store's verify(req, state, meta, cb) sees it",
    async run(s) {
      const rec = new Recorder();
      const session = await s.start({ options: { store: customStore('custom-state', rec, 'meta') } });
      s.emulator.fault('authorize', { type: 'deny' }, { times: 1 });
      const outcome = await session.signIn();
      expect(outcome).toMatchObject({ kind: 'failure' });
      // passport-oauth2 fails an error response before reading state; the collection checks it first.
      expect(rec.calls.map((c) => c[0])).toEqual(s.isPlain ? ['store'] : ['store', 'verify']);
    },
  },
  {
    name: 'PKCE S256: the code_challenge is the S256 of the code_verifier sent with the code',
    async run(s) {
      for (const pkce of ['S256', true] as const) {
        const session = await s.start({ options: { state: true, pkce } });
        const begun = await session.begin();
        const challenge = begun.authorizeURL!.searchParams.get('code_challenge');
        expect(begun.authorizeURL!.searchParams.get('code_challenge_method')).toBe('S256');
        expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
        const [verifier] = lastTokenForm(s).code_verifier!;
        expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(base64url(createHash('sha256').update(verifier!).digest())).toBe(challenge);
      }
    },
  },
  {
    name: 'PKCE plain: the code_challenge is the code_verifier sent with the code',
    async run(s) {
      const session = await s.start({ options: { state: true, pkce: 'plain' } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('code_challenge_method')).toBe('plain');
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
      const challenge = begun.authorizeURL!.searchParams.get('code_challenge');
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(lastTokenForm(s).code_verifier).toEqual([challenge]);
    },
  },
  {
    name: 'an authorizationURL with a query of its own: the redirect keeps it first and adds the parameters after it, written as passport-oauth2 writes them',
    async run(s) {
      const base = s.endpoints.authorizationURL;
      const session = await s.start({ options: { ...STATE, authorizationURL: `${base}?prompt=consent&display=page%20one` } });
      const begun = await session.begin();
      const callbackURL = `${session.app.url}/auth/${s.provider.name}/callback`;
      expect(begun.location!.startsWith(`${base}?prompt=consent&display=page%20one&response_type=code&redirect_uri=${encodeURIComponent(callbackURL)}&`)).toBe(
        true,
      );
      expect(begun.location!.endsWith(`&client_id=${encodeURIComponent(s.emulator.strategyOptions().clientID)}`)).toBe(true);
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
    },
  },
  {
    name: 'PKCE with store: true keeps application state',
    async run(s) {
      const session = await s.start({
        options: { pkce: 'S256', store: true },
        app: { authOptions: { state: { returnTo: '/x' } }, afterCallback: (req: Request, res: Response) => void res.json({ authInfo: req.authInfo }) },
      });
      expect(await session.signIn()).toMatchObject({ kind: 'response', body: { authInfo: { state: { returnTo: '/x' } } } });
      expect(lastTokenForm(s).code_verifier).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)]);
    },
  },
  {
    name: 'differs: state is on by default (passport-oauth2: off unless state: true)',
    async run(s) {
      const session = await s.start({});
      const begun = await session.begin();
      if (s.isPlain) expect(begun.authorizeURL!.searchParams.has('state')).toBe(false);
      else expect(begun.authorizeURL!.searchParams.get('state')).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
    },
  },
  {
    name: "a mismatched state is refused with passport-oauth2's message and no token request",
    async run(s) {
      const session = await s.start({ options: STATE });
      const begun = await session.begin();
      const tampered = new URL(begun.callbackPath!, 'http://x');
      tampered.searchParams.set('state', 'forged-state-value-000000');
      const before = s.emulator.requestsTo('token').length;
      expect(await session.finish(tampered.pathname + tampered.search)).toEqual({ kind: 'failure', messages: ['Invalid authorization request state.'] });
      expect(s.emulator.requestsTo('token').length).toBe(before);
    },
  },
  {
    name: 'state: false with a string state: authenticate({ state: "..." }) sends it and the callback succeeds',
    async run(s) {
      const session = await s.start({ options: { state: false }, app: { authOptions: { state: 'returnTo=/x' } } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('state')).toBe('returnTo=/x');
      expect(new URL(begun.callbackPath!, 'http://x').searchParams.get('state')).toBe('returnTo=/x');
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
    },
  },
  {
    name: 'differs: a string state while state is on fails before the redirect, saying what to do (passport-oauth2 sends it, then refuses every callback)',
    async run(s) {
      const session = await s.start({ options: STATE, app: { authOptions: { state: 'returnTo=/x' } } });
      const before = s.emulator.requestsTo('authorize').length;
      const begun = await session.begin();
      if (s.isPlain) {
        expect(begun.authorizeURL!.searchParams.get('state')).toBe('returnTo=/x');
        expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'failure', messages: ['Unable to verify authorization request state.'] });
        return;
      }
      expect(begun.status).toBe(500);
      expect(begun.authorizeURL).toBeUndefined();
      expect(begun.body).toMatchObject({ error: { name: 'TypeError', message: expect.stringMatching(/string state.*store: true.*state: false/s) } });
      expect(s.emulator.requestsTo('authorize').length).toBe(before);
    },
  },
];

export const urlRows: Row[] = [
  {
    name: 'a relative callbackURL resolves against the request, on both legs',
    async run(s) {
      const relative = `/auth/${s.provider.name}/callback`;
      const session = await s.start({ options: { ...STATE, callbackURL: relative } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('redirect_uri')).toBe(`${session.app.url}${relative}`);
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
      expect(lastTokenForm(s).redirect_uri).toEqual([`${session.app.url}${relative}`]);
    },
  },
  {
    name: 'proxy: true resolves a relative callbackURL with X-Forwarded-Proto and -Host; without it they are ignored',
    async run(s) {
      const relative = `/auth/${s.provider.name}/callback`;
      const headers = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'app.example' };
      const trusted = await s.start({ options: { ...STATE, callbackURL: relative, proxy: true } });
      const begun = await trusted.begin({ headers });
      expect(begun.authorizeURL!.searchParams.get('redirect_uri')).toBe(`https://app.example${relative}`);
      expect(await trusted.finish(begun.callbackPath!, headers)).toEqual({ kind: 'success', user: USER });
      expect(lastTokenForm(s).redirect_uri).toEqual([`https://app.example${relative}`]);

      const untrusted = await s.start({ options: { ...STATE, callbackURL: relative } });
      const plainBegun = await untrusted.begin({ headers });
      expect(plainBegun.authorizeURL!.searchParams.get('redirect_uri')).toBe(`${untrusted.app.url}${relative}`);
    },
  },
  {
    name: 'a per-request callbackURL given to authenticate() on both legs is used for the redirect and the code exchange',
    async run(s) {
      const perRequest = `/auth/${s.provider.name}/callback?via=per-request`;
      const session = await s.start({ options: STATE, app: { authOptions: { callbackURL: perRequest }, callbackOptions: { callbackURL: perRequest } } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('redirect_uri')).toBe(`${session.app.url}${perRequest}`);
      expect(await session.finish(begun.callbackPath!)).toEqual({ kind: 'success', user: USER });
      expect(lastTokenForm(s).redirect_uri).toEqual([`${session.app.url}${perRequest}`]);
    },
  },
  {
    name: 'a per-request scope reaches the authorize redirect, space separated',
    only: (p) => p.perRequestScope !== undefined,
    async run(s) {
      const session = await s.start({ options: STATE, app: { authOptions: { scope: s.provider.perRequestScope } } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('scope')).toBe(s.provider.perRequestScope!.join(' '));
    },
  },
];
