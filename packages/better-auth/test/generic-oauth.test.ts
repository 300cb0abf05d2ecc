// Each configuration driven as better-auth's generic OAuth plugin drives one (the authorization URL from its fields,
// then `getToken` and `getUserInfo`) against each provider's emulator, through the consent page: sign-in, denial,
// a token endpoint error, a profile call that never answers, and a token endpoint that echoes the request.
import { betterAuthConfig, type BetterAuthProviderOptions, type GenericOAuthConfig } from '@maniapass/better-auth';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { TEST_PROVIDERS, consent, type TestProvider } from '../../../test-support/providers';
import { ECHO_ENCODINGS, leaks, shown } from '../../../test-support/secrets';

const REDIRECT = 'http://127.0.0.1:9/api/auth/oauth2/callback';

/** The authorization URL better-auth builds from a configuration. */
function authorizationURL(config: GenericOAuthConfig, state: string): string {
  const url = new URL(config.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', `${REDIRECT}/${config.providerId}`);
  if (config.scopes.length) url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

describe.each(TEST_PROVIDERS.map((p): [string, TestProvider] => [p.id, p]))('@maniapass/better-auth, %s', (_id, provider) => {
  let emulator: OAuthEmulator<EmulatedUser>;
  const configFor = (extra: Partial<BetterAuthProviderOptions> = {}) => {
    const { clientID, clientSecret, ...rest } = emulator.strategyOptions();
    return betterAuthConfig(provider.definition, { clientId: clientID, clientSecret, ...rest, ...extra } as BetterAuthProviderOptions);
  };
  /** Consent, then the code from the redirect back. */
  async function code(config: GenericOAuthConfig, decision: 'approve' | 'deny' = 'approve') {
    return new URL(await consent(authorizationURL(config, 'some-state-of-the-sign-in'), decision)).searchParams;
  }

  beforeAll(async () => {
    emulator = await provider.startEmulator();
  });
  afterAll(() => emulator.close());
  afterEach(() => emulator.clearFaults());

  it('is a generic OAuth configuration with PKCE off and the credentials in the body', () => {
    const config = configFor();
    expect(config).toMatchObject({ providerId: provider.id, pkce: false, authentication: 'post', scopes: [...provider.definition.defaultScope] });
  });

  it('signs in: getToken with the documented request, getUserInfo mapped to better-auth’s user', async () => {
    const config = configFor();
    const query = await code(config);
    expect(query.get('state')).toBe('some-state-of-the-sign-in');
    const tokens = await config.getToken({ code: query.get('code')!, redirectURI: `${REDIRECT}/${provider.id}` });
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.accessTokenExpiresAt).toBeInstanceOf(Date);
    expect(emulator.lastRequest('token')!.form).toMatchObject({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      client_secret: config.clientSecret,
    });
    const user = await config.getUserInfo(tokens);
    expect(user).toMatchObject({ id: provider.expectedProfile.id, name: provider.expectedProfile.displayName, email: expect.stringContaining('@') });
    expect(emulator.lastRequest(provider.profileEndpoint)!.headers['user-agent']).toMatch(/^@maniapass\/better-auth\//);
  });

  it('finds the token answer by access token when better-auth passes tokens without raw', async () => {
    const config = configFor();
    const tokens = await config.getToken({ code: (await code(config)).get('code')!, redirectURI: `${REDIRECT}/${provider.id}` });
    expect(await config.getUserInfo({ ...tokens, raw: undefined })).toMatchObject({ id: provider.expectedProfile.id });
  });

  it('a denial comes back as error=access_denied, with no code', async () => {
    const query = await code(configFor(), 'deny');
    expect(query.get('error')).toBe('access_denied');
    expect(query.has('code')).toBe(false);
  });

  it('a token endpoint error rejects getToken with a TokenError keeping the provider status', async () => {
    const config = configFor();
    const query = await code(config);
    emulator.fault('token', { type: 'status', status: 503 });
    await expect(config.getToken({ code: query.get('code')!, redirectURI: `${REDIRECT}/${provider.id}` })).rejects.toMatchObject({
      name: 'TokenError',
      upstreamStatus: 503,
    });
  });

  it('a profile call that never answers rejects getUserInfo within the timeout', async () => {
    const config = configFor();
    const tokens = await config.getToken({ code: (await code(config)).get('code')!, redirectURI: `${REDIRECT}/${provider.id}` });
    emulator.fault(provider.profileEndpoint, { type: 'hang' });
    // A short timeout for the profile call only: the code exchange above is not raced against it on a busy machine.
    await expect(configFor({ timeout: 300 }).getUserInfo(tokens)).rejects.toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT' });
  });

  it.each(Object.keys(ECHO_ENCODINGS))('a token endpoint that echoes the request (%s) leaves no secret in the error', async (encoding) => {
    const config = configFor();
    const query = await code(config);
    emulator.fault('token', { type: 'echo', status: 400, encode: ECHO_ENCODINGS[encoding] });
    const err = await config.getToken({ code: query.get('code')!, redirectURI: `${REDIRECT}/${provider.id}` }).catch((e: unknown) => e);
    const options = emulator.strategyOptions();
    expect(leaks(shown(err), [options.clientSecret, query.get('code')!, ...(options.apiKey ? [options.apiKey] : [])], [options.clientID])).toEqual([]);
  });
});
