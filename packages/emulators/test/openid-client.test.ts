// openid-client 6.9.0, a strict RFC 6749 client, drives every OAuth emulator: what a user of that library meets is
// RFC 6749, except where the provider documents otherwise (each such test names the quirk and its source).
import { openid, type OpenidClient } from './support/openid-client';
import { PROVIDERS, REDIRECT, decodeJwt, type AnyEmulator, type ProviderCase } from './support/providers';

// A secret that RFC 6749 §2.3.1's form-urlencoding changes: through Basic it arrives encoded.
const CLIENT = { clientId: 'openid-client app', clientSecret: 's3cr:t 100%+sûre', redirectUris: [REDIRECT] };

interface Seen {
  status: number;
  headers: Headers;
  body: string;
}

type Auth = 'basic' | 'post';

describe.each(PROVIDERS)('openid-client 6.9.0 and the $name emulator', (p: ProviderCase) => {
  let emulator: AnyEmulator;
  let seen: Seen[];
  beforeEach(async () => {
    emulator = await p.start({ clients: [CLIENT], autoApprove: true });
    seen = [];
  });
  afterEach(() => emulator.close());
  const lastSeen = () => seen[seen.length - 1]!;

  /**
   * A configuration with the client secret through HTTP Basic or the body. `dropNullScope` is the workaround a user
   * of openid-client needs for a provider that answers `"scope": null`.
   */
  function configure(auth: Auth, options: { secret?: string; dropNullScope?: boolean; target?: AnyEmulator } = {}): OpenidClient.Configuration {
    const target = options.target ?? emulator;
    const secret = options.secret ?? CLIENT.clientSecret;
    const config = new openid.Configuration(
      { issuer: target.url, authorization_endpoint: `${target.url}${p.authorizePath}`, token_endpoint: `${target.url}${p.tokenPath}` },
      CLIENT.clientId,
      undefined,
      auth === 'basic' ? openid.ClientSecretBasic(secret) : openid.ClientSecretPost(secret),
    );
    openid.allowInsecureRequests(config); // the emulators listen on http://127.0.0.1
    config[openid.customFetch] = async (url, init) => {
      const res = await fetch(url, init as RequestInit);
      const body = await res.text();
      seen.push({ status: res.status, headers: res.headers, body });
      let answer = body;
      if (options.dropNullScope && res.headers.get('content-type')?.startsWith('application/json')) {
        const json = JSON.parse(body) as Record<string, unknown>;
        if (json.scope === null) delete json.scope;
        answer = JSON.stringify(json);
      }
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new Response(answer, { status: res.status, headers });
    };
    return config;
  }

  /** The authorize leg (auto-approve): the callback URL the emulator redirects to, and the state sent. */
  async function authorizeLeg(config: OpenidClient.Configuration, scope: string | null = p.userScope ?? null): Promise<{ callback: URL; state: string }> {
    const state = openid.randomState();
    const url = openid.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, state, ...(scope ? { scope } : {}) });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return { callback: new URL(res.headers.get('location')!), state };
  }

  /** A whole code flow; for TrackMage through the `scope: null` workaround. */
  async function signIn(auth: Auth = 'post', options: { target?: AnyEmulator } = {}) {
    const config = configure(auth, { dropNullScope: p.quirks.nullScope === 'user-tokens', ...options });
    const { callback, state } = await authorizeLeg(config);
    return { config, tokens: await openid.authorizationCodeGrant(config, callback, { expectedState: state }) };
  }

  function expectRfcTokenAnswer(answer: Seen): void {
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('pragma')).toBe('no-cache');
    expect((JSON.parse(answer.body) as { token_type: string }).token_type).toBe(p.tokenType);
  }

  /** RFC 6749 §5.2's error answer, in the provider's body shape. */
  function expectErrorAnswer(answer: Seen, status: number, error: string): void {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('pragma')).toBe('no-cache');
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body.error).toBe(error);
    // ManiaPlanet (OBSTACLE) and Toornament (community clients) answer league's { error, message, hint }.
    expect(body[p.quirks.errorText]).toEqual(expect.any(String));
  }

  /** openid-client's refusal of a token answer whose `scope` is `null`. */
  function expectNullScopeRefusal(err: Error & Record<string, unknown>): void {
    expect(err).toBeInstanceOf(openid.ClientError);
    expect(err).toMatchObject({ message: 'invalid response encountered', cause: { message: expect.stringMatching(/"scope" property must be a string/) } });
    expect(JSON.parse(lastSeen().body)).toMatchObject({ access_token: expect.any(String), scope: null });
  }

  async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: Error & Record<string, unknown>) => err,
    );
  }

  describe('authorization code', () => {
    it.each(['basic', 'post'] as const)('signs in with the client secret through %s', async (auth) => {
      const { tokens } = await signIn(auth);
      expect(tokens).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
        expires_in: expect.any(Number),
      });
      expectRfcTokenAnswer(lastSeen());
      const request = emulator.lastRequest('token')!;
      if (auth === 'basic') {
        expect(request.headers.authorization).toMatch(/^Basic /);
        expect(request.form).not.toHaveProperty('client_secret');
      } else {
        expect(request.headers.authorization).toBeUndefined();
        expect(request.form).toMatchObject({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
      }
      if (p.name === 'trackmage') {
        expect(decodeJwt(tokens.access_token)).toMatchObject({ username: (emulator.users[0] as unknown as { email: string }).email });
      } else {
        expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: emulator.users[0]!.id, aud: CLIENT.clientId, scopes: [p.userScope] });
      }
    });

    if (p.quirks.nullScope !== 'never') {
      it(`${p.name}'s "scope": null is refused by openid-client (${p.name === 'trackmage' ? 'TMG-DOC: every user token' : 'TRN-PAGES: when no scope is asked'})`, async () => {
        const config = configure('post');
        const { callback, state } = await authorizeLeg(config, null);
        expectNullScopeRefusal(await rejection(openid.authorizationCodeGrant(config, callback, { expectedState: state })));
      });
    }

    it('a reused code is invalid_grant (400)', async () => {
      const config = configure('post', { dropNullScope: true });
      const { callback, state } = await authorizeLeg(config);
      await openid.authorizationCodeGrant(config, callback, { expectedState: state });
      const err = await rejection(openid.authorizationCodeGrant(config, callback, { expectedState: state }));
      expect(err).toBeInstanceOf(openid.ResponseBodyError);
      expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
      expectErrorAnswer(lastSeen(), 400, 'invalid_grant');
    });

    it('another redirect_uri than the authorize request named is invalid_grant (400)', async () => {
      const config = configure('post');
      const { callback, state } = await authorizeLeg(config);
      const elsewhere = new URL(`http://127.0.0.1:9/elsewhere${callback.search}`);
      const err = await rejection(openid.authorizationCodeGrant(config, elsewhere, { expectedState: state }));
      expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
      expect(emulator.lastRequest('token')!.form?.redirect_uri).toBe('http://127.0.0.1:9/elsewhere');
      expectErrorAnswer(lastSeen(), 400, 'invalid_grant');
    });

    it('an unknown scope comes back to the callback as invalid_scope', async () => {
      const config = configure('post');
      const { callback, state } = await authorizeLeg(config, 'no-such-scope');
      const err = await rejection(openid.authorizationCodeGrant(config, callback, { expectedState: state }));
      expect(err).toBeInstanceOf(openid.AuthorizationResponseError);
      expect(err).toMatchObject({ error: 'invalid_scope' });
      expect(emulator.requestsTo('token')).toHaveLength(0);
    });
  });

  describe('wrong client secret', () => {
    if (p.quirks.invalidClientStatus === 401) {
      it('through Basic: 401 with the Basic challenge (RFC 6749 §5.2), which openid-client parses', async () => {
        const err = await rejection(openid.clientCredentialsGrant(configure('basic', { secret: 'wrong' })));
        expect(err).toBeInstanceOf(openid.WWWAuthenticateChallengeError);
        expect(err).toMatchObject({ status: 401, cause: [{ scheme: 'basic', parameters: { realm: 'OAuth' } }] });
        expectErrorAnswer(lastSeen(), 401, 'invalid_client');
      });
    } else {
      it('through Basic: TrackMage answers 400 invalid_client without a challenge (TMG-SDK)', async () => {
        const err = await rejection(openid.clientCredentialsGrant(configure('basic', { secret: 'wrong' })));
        expect(err).toBeInstanceOf(openid.ResponseBodyError);
        expect(err).toMatchObject({ status: 400, error: 'invalid_client' });
        expect(lastSeen().headers.get('www-authenticate')).toBeNull();
        expectErrorAnswer(lastSeen(), 400, 'invalid_client');
      });
    }

    it(`through the body: ${p.quirks.invalidClientStatus} invalid_client, no challenge`, async () => {
      const err = await rejection(openid.clientCredentialsGrant(configure('post', { secret: 'wrong' })));
      expect(err).toBeInstanceOf(openid.ResponseBodyError);
      expect(err).toMatchObject({ status: p.quirks.invalidClientStatus, error: 'invalid_client' });
      // league's bodies have no error_description (ManiaPlanet, Toornament): openid-client then has none either.
      expect(err.error_description).toEqual(p.quirks.errorText === 'error_description' ? expect.any(String) : undefined);
      expect(lastSeen().headers.get('www-authenticate')).toBeNull();
      expectErrorAnswer(lastSeen(), p.quirks.invalidClientStatus, 'invalid_client');
    });
  });

  describe('refresh', () => {
    it('rotates: the new refresh token works, the old one is invalid_grant (400)', async () => {
      const { config, tokens } = await signIn('basic');
      const refreshed = await openid.refreshTokenGrant(config, tokens.refresh_token!);
      expectRfcTokenAnswer(lastSeen());
      expect(refreshed.refresh_token).toEqual(expect.any(String));
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      const err = await rejection(openid.refreshTokenGrant(config, tokens.refresh_token!));
      expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
      expectErrorAnswer(lastSeen(), 400, 'invalid_grant');
      expect(await openid.refreshTokenGrant(config, refreshed.refresh_token!)).toMatchObject({ access_token: expect.any(String) });
    });

    it('an unknown refresh token is invalid_grant (400)', async () => {
      const err = await rejection(openid.refreshTokenGrant(configure('post'), 'no-such-refresh-token'));
      expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
      expectErrorAnswer(lastSeen(), 400, 'invalid_grant');
    });

    it('an expired refresh token is invalid_grant (400)', async () => {
      const expiring = await p.start({ clients: [CLIENT], autoApprove: true, refreshTokenLifetime: 0 });
      try {
        const { config, tokens } = await signIn('post', { target: expiring });
        const err = await rejection(openid.refreshTokenGrant(config, tokens.refresh_token!));
        expect(err).toMatchObject({ error: 'invalid_grant', status: 400 });
        expectErrorAnswer(lastSeen(), 400, 'invalid_grant');
      } finally {
        await expiring.close();
      }
    });
  });

  describe('client credentials', () => {
    it.each(['basic', 'post'] as const)('gives an application token with the secret through %s', async (auth) => {
      const tokens = await openid.clientCredentialsGrant(configure(auth), { scope: p.clientScope });
      expect(tokens).toMatchObject({ access_token: expect.any(String), token_type: 'bearer', expires_in: expect.any(Number) });
      expect(tokens).not.toHaveProperty('refresh_token');
      expectRfcTokenAnswer(lastSeen());
    });

    if (p.quirks.clientCredentialsScope === 'ignored') {
      it('an unknown scope is ignored, as Trackmania documents (TMDOC): the token carries no scope', async () => {
        const tokens = await openid.clientCredentialsGrant(configure('post'), { scope: 'no-such-scope' });
        expect(tokens.scope).toBeUndefined();
        expect(decodeJwt(tokens.access_token).scopes).toEqual([]);
      });
    } else {
      it('an unknown scope is invalid_scope (400)', async () => {
        const err = await rejection(openid.clientCredentialsGrant(configure('post'), { scope: 'no-such-scope' }));
        expect(err).toMatchObject({ error: 'invalid_scope', status: 400 });
        expectErrorAnswer(lastSeen(), 400, 'invalid_scope');
      });
    }

    if (p.quirks.nullScope === 'when-none-asked') {
      it('without a scope Toornament answers "scope": null (TRN-PAGES), which openid-client refuses', async () => {
        expectNullScopeRefusal(await rejection(openid.clientCredentialsGrant(configure('post'))));
        expect(await openid.clientCredentialsGrant(configure('post', { dropNullScope: true }))).toMatchObject({ access_token: expect.any(String) });
      });
    }
  });
});
