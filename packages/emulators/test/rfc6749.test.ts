// Where each OAuth emulator meets RFC 6749 and where it keeps its provider's documented departures: one block per
// point a standard client relies on.
import fc from 'fast-check';
import { PROVIDERS, REDIRECT, authorize, basic, codeFor, decodeJwt, errorText, postToken, type AnyEmulator, type ProviderCase } from './support/providers';

const APP = { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT] };
const bodyCredentials = { client_id: APP.clientId, client_secret: APP.clientSecret };

describe.each(PROVIDERS)('$name emulator and RFC 6749', (p: ProviderCase) => {
  let emulator: AnyEmulator;
  beforeEach(async () => {
    emulator = await p.start({ clients: [APP], autoApprove: true });
  });
  afterEach(() => emulator.close());

  const exchange = async (extra: Record<string, string> = {}) =>
    postToken(emulator, p, { grant_type: 'authorization_code', code: await codeFor(emulator, p), redirect_uri: REDIRECT, ...bodyCredentials, ...extra });

  describe('§5.2: a 401 invalid_client after HTTP Basic carries WWW-Authenticate', () => {
    it(
      p.quirks.invalidClientStatus === 401
        ? 'Basic with a wrong secret or an unknown client: 401 and the Basic challenge'
        : 'TrackMage answers 400 invalid_client without a challenge (TMG-SDK)',
      async () => {
        for (const authorization of [basic(APP.clientId, 'wrong'), basic('nobody', APP.clientSecret), 'Basic not-base64-and-no-colon']) {
          const res = await postToken(emulator, p, { grant_type: 'client_credentials' }, { headers: { Authorization: authorization } });
          expect(res.status).toBe(p.quirks.invalidClientStatus);
          expect(res.body.error).toBe('invalid_client');
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(res.headers.get('www-authenticate')).toBe(p.quirks.invalidClientStatus === 401 ? 'Basic realm="OAuth"' : null);
        }
      },
    );

    it('a wrong secret in the body is invalid_client without a challenge (none was used)', async () => {
      const res = await postToken(emulator, p, { grant_type: 'client_credentials', client_id: APP.clientId, client_secret: 'wrong' });
      expect(res.status).toBe(p.quirks.invalidClientStatus);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toBeNull();
    });
  });

  describe('§2.3.1: client credentials of any characters, form-urlencoded in Basic, split at the first colon', () => {
    const odd = ['se:cr:et', '100%sure', 'a b+c', 'clé ✓ 🏁', '%41&=?#/'];

    it('work through Basic and through the body', async () => {
      for (const secret of odd) {
        emulator.clients.splice(0, emulator.clients.length, { clientId: `id:${secret}`, clientSecret: secret });
        const viaBasic = await postToken(emulator, p, { grant_type: 'client_credentials' }, { headers: { Authorization: basic(`id:${secret}`, secret) } });
        expect([secret, viaBasic.status]).toEqual([secret, 200]);
        const viaBody = await postToken(emulator, p, { grant_type: 'client_credentials', client_id: `id:${secret}`, client_secret: secret });
        expect([secret, viaBody.status]).toEqual([secret, 200]);
      }
    });

    it('never crash on unencoded Basic credentials: a stray % stays, + is a space', async () => {
      emulator.clients.splice(0, emulator.clients.length, { clientId: 'app', clientSecret: '100%sure' }, { clientId: 'plus', clientSecret: 'a+b' });
      const raw = (id: string, secret: string) => ({ Authorization: basic(id, secret, (s) => s) });
      const stray = await postToken(emulator, p, { grant_type: 'client_credentials' }, { headers: raw('app', '100%sure') });
      expect(stray.status).toBe(200);
      const plus = await postToken(emulator, p, { grant_type: 'client_credentials' }, { headers: raw('plus', 'a+b') });
      expect(plus.status).toBe(p.quirks.invalidClientStatus);
      expect(plus.body.error).toBe('invalid_client');
      expect(plus.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('any id and secret (property)', async () => {
      // Any code point, with the characters that encoding changes drawn often.
      const char = fc.oneof(fc.constantFrom(' ', '+', '%', ':', '&', '=', '#', '/', '\\'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
      const text = fc.string({ unit: char, minLength: 1, maxLength: 24 });
      await fc.assert(
        fc.asyncProperty(text, text, async (id, secret) => {
          emulator.clients.splice(0, emulator.clients.length, { clientId: id, clientSecret: secret });
          const viaBasic = await postToken(emulator, p, { grant_type: 'client_credentials' }, { headers: { Authorization: basic(id, secret) } });
          const viaBody = await postToken(emulator, p, { grant_type: 'client_credentials', client_id: id, client_secret: secret });
          return viaBasic.status === 200 && viaBody.status === 200;
        }),
        { numRuns: 40 },
      );
    });
  });

  describe('client credentials and scope', () => {
    if (p.quirks.clientCredentialsScope === 'ignored') {
      it('Trackmania ignores the scope (TMDOC): any is taken, none is granted', async () => {
        const res = await postToken(emulator, p, { grant_type: 'client_credentials', scope: `${p.clientScope} no-such-scope`, ...bodyCredentials });
        expect(res.status).toBe(200);
        expect(res.body).not.toHaveProperty('scope');
        expect(decodeJwt(res.body.access_token as string).scopes).toEqual([]);
      });
    } else {
      it('an unknown scope is invalid_scope (400)', async () => {
        const res = await postToken(emulator, p, { grant_type: 'client_credentials', scope: `${p.clientScope} no-such-scope`, ...bodyCredentials });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_scope');
      });

      it('a documented scope is what the answer and the token say', async () => {
        const res = await postToken(emulator, p, { grant_type: 'client_credentials', scope: p.clientScope, ...bodyCredentials });
        expect(res.status).toBe(200);
        const claims = decodeJwt(res.body.access_token as string);
        if (p.name === 'trackmage') {
          // TrackMage's tokens name no scope; its answer says "user" (TMG-DOC), also when none is asked.
          expect(res.body.scope).toBe('user');
          expect(claims).not.toHaveProperty('scopes');
          expect((await postToken(emulator, p, { grant_type: 'client_credentials', ...bodyCredentials })).body.scope).toBe('user');
        } else {
          expect(claims.scopes).toEqual([p.clientScope]);
          if (p.name === 'toornament') expect(res.body.scope).toBe(p.clientScope);
        }
      });
    }
  });

  describe('§6: a refresh may narrow the scope, never widen it', () => {
    it('a wider scope is invalid_scope and leaves the refresh token usable', async () => {
      const first = await exchange();
      const refresh = (scope?: string) =>
        postToken(emulator, p, {
          grant_type: 'refresh_token',
          refresh_token: first.body.refresh_token as string,
          ...bodyCredentials,
          ...(scope === undefined ? {} : { scope }),
        });
      const wider = await refresh(p.userScope ? `${p.userScope} no-such-scope` : 'user');
      expect(wider.status).toBe(400);
      expect(wider.body.error).toBe('invalid_scope');
      const same = await refresh(p.userScope);
      expect(same.status).toBe(200);
    });
  });

  describe('§2.3.1: credentials in the request URI are refused', () => {
    it('a POST with client_id and client_secret in its query is invalid_request, even with the body right', async () => {
      const query = new URLSearchParams(bodyCredentials).toString();
      for (const body of [{ grant_type: 'client_credentials' }, { grant_type: 'client_credentials', ...bodyCredentials }]) {
        const res = await postToken(emulator, p, body, { query });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
      }
    });

    if (p.name === 'trackmage') {
      it("TrackMage's documented GET with the credentials in the query still works (TMG-DOC, TMG-SDK)", async () => {
        const res = await fetch(`${emulator.url}${p.tokenPath}?${new URLSearchParams({ grant_type: 'client_credentials', ...bodyCredentials })}`, {
          headers: { Accept: 'application/json' },
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ access_token: expect.any(String), scope: 'user' });
      });
    }
  });

  describe('§4.1.2.1: the authorize endpoint needs response_type=code', () => {
    it('without response_type: a redirect with invalid_request and the state; another value: unsupported_response_type', async () => {
      const base = { client_id: APP.clientId, redirect_uri: REDIRECT, state: 'xyz' };
      const missing = await authorize(emulator, p, base);
      expect(missing.status).toBe(302);
      expect(Object.fromEntries(missing.location!.searchParams)).toEqual({ error: 'invalid_request', error_description: expect.any(String), state: 'xyz' });
      const token = await authorize(emulator, p, { ...base, response_type: 'token' });
      expect(Object.fromEntries(token.location!.searchParams)).toEqual({
        error: 'unsupported_response_type',
        error_description: expect.any(String),
        state: 'xyz',
      });
      expect(emulator.requestsTo('token')).toHaveLength(0);
    });

    it('with an unknown client or redirect_uri: no redirect at all', async () => {
      for (const query of [
        { client_id: 'nobody', redirect_uri: REDIRECT },
        { client_id: APP.clientId, redirect_uri: 'https://evil.example/cb' },
      ]) {
        const res = await authorize(emulator, p, query);
        expect(res.status).toBe(400);
        expect(res.location).toBeUndefined();
      }
    });
  });

  describe('§5.2: a missing parameter is invalid_request', () => {
    it('no grant_type, no code, no refresh_token, no redirect_uri when the authorize request had one', async () => {
      const cases: Array<Record<string, string>> = [{}, { grant_type: 'authorization_code', redirect_uri: REDIRECT }, { grant_type: 'refresh_token' }];
      for (const form of cases) {
        const res = await postToken(emulator, p, { ...form, ...bodyCredentials });
        expect([form, res.status, res.body.error]).toEqual([form, 400, 'invalid_request']);
      }
      const noRedirect = await postToken(emulator, p, { grant_type: 'authorization_code', code: await codeFor(emulator, p), ...bodyCredentials });
      expect([noRedirect.status, noRedirect.body.error]).toEqual([400, 'invalid_request']);
    });

    it('a wrong redirect_uri, a reused or unknown code are invalid_grant', async () => {
      const wrong = await exchange({ redirect_uri: 'http://127.0.0.1:9/other' });
      expect([wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant']);
      const code = await codeFor(emulator, p);
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...bodyCredentials };
      expect((await postToken(emulator, p, form)).status).toBe(200);
      const reused = await postToken(emulator, p, form);
      expect([reused.status, reused.body.error]).toEqual([400, 'invalid_grant']);
      expect(errorText(p, reused.body)).toEqual(expect.any(String));
    });
  });

  describe('the access token carries the claims the provider documents', () => {
    it(`exactly ${p.claimNames.join(', ')}, for a user and for the client`, async () => {
      const user = decodeJwt((await exchange()).body.access_token as string);
      expect(Object.keys(user).sort()).toEqual(p.claimNames);
      const app = decodeJwt((await postToken(emulator, p, { grant_type: 'client_credentials', ...bodyCredentials })).body.access_token as string);
      expect(Object.keys(app).sort()).toEqual(p.claimNames);
      const first = emulator.users[0] as EmulatedUserWithEmail;
      if (p.name === 'trackmage') {
        // The guide's sample token: the e-mail as username; a client-credentials token is its owner's.
        expect(user).toEqual({ iat: expect.any(Number), exp: (user.iat as number) + 3600, roles: [], username: first.email });
        expect(app.username).toBe(first.email);
      } else {
        expect(user).toMatchObject({ sub: first.id, aud: APP.clientId, nbf: user.iat, scopes: p.userScope ? [p.userScope] : [] });
        expect(app).toMatchObject({ sub: APP.clientId, aud: APP.clientId });
      }
    });
  });

  describe('§5.1: token answers are not cached; token_type as documented', () => {
    it('Cache-Control: no-store and Pragma: no-cache on answers and errors', async () => {
      const answers = [
        await exchange(),
        await postToken(emulator, p, { grant_type: 'client_credentials', ...bodyCredentials }),
        await postToken(emulator, p, { grant_type: 'refresh_token', refresh_token: 'unknown', ...bodyCredentials }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 400]);
      for (const answer of answers) {
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('pragma')).toBe('no-cache');
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      }
      expect(answers[0]!.body.token_type).toBe(p.tokenType);
      expect(answers[1]!.body.token_type).toBe(p.tokenType);
    });
  });
});

interface EmulatedUserWithEmail {
  id: string;
  email?: string;
}

describe('the token without `Bearer `', () => {
  it('Trackmania: its API endpoints take the bare token nadeo-api sends (FACTS §7)', async () => {
    const trackmania = PROVIDERS.find((p) => p.name === 'trackmania')!;
    const emulator = await trackmania.start();
    try {
      const user = emulator.users[0]!;
      const userToken = emulator.issueAccessToken({ userId: user.id });
      const me = await fetch(`${emulator.url}/api/user`, { headers: { Authorization: userToken } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ accountId: user.id });
      const names = await fetch(`${emulator.url}/api/display-names?accountId[]=${user.id}`, { headers: { Authorization: emulator.issueAccessToken({}) } });
      expect(names.status).toBe(200);
      for (const authorization of [`Basic ${userToken}`, `nadeo_v1 t=${userToken}`, 'not-a-token']) {
        expect((await fetch(`${emulator.url}/api/user`, { headers: { Authorization: authorization } })).status).toBe(401);
      }
    } finally {
      await emulator.close();
    }
  });

  it('ManiaPlanet documents `Authorization: Bearer` (MPDOC) and refuses the bare token', async () => {
    const emulator = await PROVIDERS.find((p) => p.name === 'maniaplanet')!.start();
    try {
      const token = emulator.issueAccessToken({ userId: emulator.users[0]!.id, scope: ['basic'] });
      const headers = { Accept: 'application/json' };
      expect((await fetch(`${emulator.url}/webservices/me`, { headers: { ...headers, Authorization: token } })).status).toBe(401);
      expect((await fetch(`${emulator.url}/webservices/me`, { headers: { ...headers, Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

describe('emulator robustness', () => {
  it('a path segment that does not percent-decode is an answer, not a crash', async () => {
    const emulator = await PROVIDERS.find((p) => p.name === 'trackmage')!.start();
    try {
      const res = await fetch(`${emulator.url}/users/%E0%A4%A`, {
        headers: { Accept: 'application/json', Authorization: `Bearer ${emulator.issueAccessToken({ userId: emulator.users[0]!.id })}` },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/json/);
    } finally {
      await emulator.close();
    }
  });
});
