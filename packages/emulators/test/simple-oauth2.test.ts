// simple-oauth2 5.1.0 drives every OAuth emulator: RFC 6749 statuses, error codes and headers, except where the
// provider documents otherwise (each such test names the quirk and its source). simple-oauth2 takes `"scope": null`
// as it comes, so TrackMage's and Toornament's flows complete without a workaround.
import { AuthorizationCode, ClientCredentials, type ModuleOptions } from 'simple-oauth2';
import type { IncomingHttpHeaders } from 'node:http';
import { PROVIDERS, REDIRECT, decodeJwt, type AnyEmulator, type ProviderCase } from './support/providers';

// simple-oauth2 takes printable ASCII only; its 'strict' Basic encoding is RFC 6749 §2.3.1's form-urlencoding.
const CLIENT = { clientId: 'simple-oauth2 app', clientSecret: 's3cr:t 100%+sure', redirectUris: [REDIRECT] };

type Auth = 'header' | 'body';

/** What simple-oauth2 (through @hapi/wreck) rejects with on an error answer. */
interface WreckError extends Error {
  output: { statusCode: number };
  data: { payload: Record<string, unknown>; res: { headers: IncomingHttpHeaders } };
}

describe.each(PROVIDERS)('simple-oauth2 5.1.0 and the $name emulator', (p: ProviderCase) => {
  let emulator: AnyEmulator;
  beforeEach(async () => {
    emulator = await p.start({ clients: [CLIENT], autoApprove: true });
  });
  afterEach(() => emulator.close());

  function options(auth: Auth, secret: string, target: AnyEmulator): ModuleOptions {
    return { client: { id: CLIENT.clientId, secret }, auth: { tokenHost: target.url, tokenPath: p.tokenPath }, options: { authorizationMethod: auth } };
  }
  const codeClient = (auth: Auth, secret = CLIENT.clientSecret, target = emulator) => {
    const base = options(auth, secret, target);
    return new AuthorizationCode({ ...base, auth: { ...base.auth, authorizePath: p.authorizePath } });
  };
  const appClient = (auth: Auth, secret = CLIENT.clientSecret) => new ClientCredentials(options(auth, secret, emulator));

  async function code(client: AuthorizationCode, scope: string | null = p.userScope ?? null): Promise<string> {
    const res = await fetch(client.authorizeURL({ redirect_uri: REDIRECT, state: 'st', ...(scope ? { scope } : {}) }), { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st');
    return location.searchParams.get('code')!;
  }

  async function rejection(promise: Promise<unknown>): Promise<WreckError> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: WreckError) => err,
    );
  }

  /** RFC 6749 §5.2's error answer, in the provider's body shape. */
  function expectError(err: WreckError, status: number, error: string): void {
    expect(err.output.statusCode).toBe(status);
    expect(err.data.payload.error).toBe(error);
    // ManiaPlanet (OBSTACLE) and Toornament (community clients) answer league's { error, message, hint }.
    expect(err.data.payload[p.quirks.errorText]).toEqual(expect.any(String));
    const headers = err.data.res.headers;
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(headers['cache-control']).toBe('no-store');
    expect(headers.pragma).toBe('no-cache');
  }

  describe('authorization code', () => {
    it.each(['header', 'body'] as const)('signs in with the client secret in the %s', async (auth) => {
      const client = codeClient(auth);
      const token = await client.getToken({ code: await code(client), redirect_uri: REDIRECT });
      expect(token.token).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: p.tokenType,
        expires_at: expect.any(Date),
      });
      if (p.quirks.nullScope === 'user-tokens') expect(token.token.scope).toBeNull(); // TMG-DOC
      const request = emulator.lastRequest('token')!;
      expect(request.headers.authorization === undefined).toBe(auth === 'body');
      expect(request.form?.client_secret).toBe(auth === 'body' ? CLIENT.clientSecret : undefined);
    });

    if (p.quirks.nullScope === 'when-none-asked') {
      it('without a scope Toornament answers "scope": null (TRN-PAGES)', async () => {
        const client = codeClient('body');
        const token = await client.getToken({ code: await code(client, null), redirect_uri: REDIRECT });
        expect(token.token.scope).toBeNull();
      });
    }

    it('a reused code is invalid_grant (400)', async () => {
      const client = codeClient('header');
      const once = await code(client);
      await client.getToken({ code: once, redirect_uri: REDIRECT });
      expectError(await rejection(client.getToken({ code: once, redirect_uri: REDIRECT })), 400, 'invalid_grant');
    });

    it('another redirect_uri is invalid_grant (400)', async () => {
      const client = codeClient('body');
      expectError(await rejection(client.getToken({ code: await code(client), redirect_uri: 'http://127.0.0.1:9/elsewhere' })), 400, 'invalid_grant');
    });

    it('an unknown scope comes back to the redirect URI as invalid_scope', async () => {
      const client = codeClient('body');
      const res = await fetch(client.authorizeURL({ redirect_uri: REDIRECT, state: 'st', scope: 'no-such-scope' }), { redirect: 'manual' });
      expect(Object.fromEntries(new URL(res.headers.get('location')!).searchParams)).toMatchObject({ error: 'invalid_scope', state: 'st' });
    });
  });

  describe('wrong client secret', () => {
    it(
      p.quirks.invalidClientStatus === 401
        ? 'in the header: 401 with WWW-Authenticate (RFC 6749 §5.2)'
        : 'in the header: TrackMage answers 400 invalid_client without a challenge (TMG-SDK)',
      async () => {
        const err = await rejection(appClient('header', 'wrong').getToken({}));
        expectError(err, p.quirks.invalidClientStatus, 'invalid_client');
        expect(err.data.res.headers['www-authenticate']).toBe(p.quirks.invalidClientStatus === 401 ? 'Basic realm="OAuth"' : undefined);
      },
    );

    it(`in the body: ${p.quirks.invalidClientStatus} invalid_client, no challenge`, async () => {
      const err = await rejection(appClient('body', 'wrong').getToken({}));
      expectError(err, p.quirks.invalidClientStatus, 'invalid_client');
      expect(err.data.res.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('refresh', () => {
    it('rotates: the new refresh token works, the old one is invalid_grant (400)', async () => {
      const client = codeClient('header');
      const first = await client.getToken({ code: await code(client), redirect_uri: REDIRECT });
      const second = await first.refresh();
      expect(second.token.refresh_token).toEqual(expect.any(String));
      expect(second.token.refresh_token).not.toBe(first.token.refresh_token);
      expectError(await rejection(first.refresh()), 400, 'invalid_grant');
      expect((await second.refresh()).token.access_token).toEqual(expect.any(String));
    });

    it('an unknown refresh token is invalid_grant (400)', async () => {
      const client = codeClient('body');
      expectError(await rejection(client.createToken({ access_token: 'x', refresh_token: 'no-such-refresh-token' }).refresh()), 400, 'invalid_grant');
    });

    it('an expired refresh token is invalid_grant (400)', async () => {
      const expiring = await p.start({ clients: [CLIENT], autoApprove: true, refreshTokenLifetime: 0 });
      try {
        const client = codeClient('body', CLIENT.clientSecret, expiring);
        const token = await client.getToken({ code: await code(client), redirect_uri: REDIRECT });
        expectError(await rejection(token.refresh()), 400, 'invalid_grant');
      } finally {
        await expiring.close();
      }
    });
  });

  describe('client credentials', () => {
    it.each(['header', 'body'] as const)('gives an application token with the secret in the %s', async (auth) => {
      const token = await appClient(auth).getToken({ scope: p.clientScope });
      expect(token.token).toMatchObject({ access_token: expect.any(String), token_type: p.tokenType, expires_at: expect.any(Date) });
      expect(token.token).not.toHaveProperty('refresh_token');
    });

    if (p.quirks.clientCredentialsScope === 'ignored') {
      it('an unknown scope is ignored, as Trackmania documents (TMDOC): the token carries no scope', async () => {
        const token = await appClient('body').getToken({ scope: 'no-such-scope' });
        expect(decodeJwt(token.token.access_token as string).scopes).toEqual([]);
      });
    } else {
      it('an unknown scope is invalid_scope (400)', async () => {
        expectError(await rejection(appClient('body').getToken({ scope: 'no-such-scope' })), 400, 'invalid_scope');
      });
    }
  });
});
