import {
  DEFAULT_CLIENT,
  DEFAULT_DEDICATED_ACCOUNT,
  DEFAULT_SERVICE_ACCOUNT,
  startNadeoEmulator,
  startTrackmaniaEmulator,
  type NadeoEmulator,
  type TrackmaniaEmulator,
} from '@maniapass/emulators';
import {
  AudienceError,
  DedicatedServerToken,
  JSONWebToken,
  OAuthToken,
  ParameterError,
  ProviderError,
  ServiceToken,
  Token,
  TokenError,
  UsageError,
  WebServicesToken,
  verifyAudience,
} from 'nadeo-auth';
import { inspect } from 'node:util';

let nadeo: NadeoEmulator;
let trackmania: TrackmaniaEmulator;

beforeAll(async () => {
  trackmania = await startTrackmaniaEmulator();
  nadeo = await startNadeoEmulator({ oauthURL: trackmania.url });
});
afterAll(async () => {
  await nadeo.close();
  await trackmania.close();
});
afterEach(() => {
  nadeo.clearFaults();
  nadeo.clearRequests();
  trackmania.clearFaults();
});

const UA = 'nadeo-auth-tests / tests@example.com';
const service = () => ({ ...nadeo.clientOptions(), login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password, userAgent: UA });
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const now = () => Math.floor(Date.now() / 1000);

describe('audiences', () => {
  it.each([
    ['NadeoServices', 'NadeoServices'],
    ['core', 'NadeoServices'],
    ['PROD', 'NadeoServices'],
    ['nadeoliveservices', 'NadeoLiveServices'],
    ['live', 'NadeoLiveServices'],
    ['Meet', 'NadeoLiveServices'],
    ['club', 'NadeoLiveServices'],
    ['OAuth2', 'OAuth2'],
    ['oauth', 'OAuth2'],
  ])('%s is %s', (name, audience) => {
    expect(verifyAudience(name)).toBe(audience);
    expect(Token.verifyAudience(name)).toBe(audience);
  });

  it('refuses anything else with an AudienceError that lists the valid names', () => {
    expect(() => Token.verifyAudience('nadeo')).toThrow(AudienceError);
    expect(() => Token.verifyAudience('nadeo')).toThrow(
      /'NadeoServices' \/ 'core' \/ 'prod', 'NadeoLiveServices' \/ 'live' \/ 'meet' \/ 'club', 'OAuth2' \/ 'oauth'/,
    );
    const err = (() => {
      try {
        verifyAudience('x');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(TypeError);
    expect(err?.name).toBe('AudienceError');
  });
});

describe('JSONWebToken', () => {
  it('keeps the token and decodes its payload', () => {
    const token = jwt({ sub: 'abc', exp: 123 });
    const parsed = new JSONWebToken(token);
    expect(parsed.token).toBe(token);
    expect(String(parsed)).toBe(token);
    expect(parsed.decoded).toEqual({ sub: 'abc', exp: 123 });
    expect(JSONWebToken.decode(token)).toEqual({ sub: 'abc', exp: 123 });
  });

  it('decodes to {} in the constructor but throws in decode() for a non-JWT, without echoing it', () => {
    expect(new JSONWebToken('not-a-token-secret').decoded).toEqual({});
    expect(() => JSONWebToken.decode('not-a-token-secret')).toThrow(TypeError);
    expect(() => JSONWebToken.decode('not-a-token-secret')).not.toThrow(/secret/);
  });

  it('never shows the token in logs or JSON', () => {
    const token = jwt({ sub: 'abc' });
    expect(inspect(new JSONWebToken(token))).not.toContain(token);
    expect(JSON.stringify(new JSONWebToken(token))).not.toContain(token);
  });
});

describe('Token', () => {
  it('takes the expiration given, else the exp claim, else an hour from now', () => {
    expect(new Token({ audience: 'core', accessToken: jwt({ exp: 100 }), expiration: 50 }).expiration).toBe(50);
    expect(new Token({ audience: 'core', accessToken: jwt({ exp: 100 }) }).expiration).toBe(100);
    const fallback = new Token({ audience: 'core', accessToken: 'opaque' }).expiration;
    expect(fallback).toBeGreaterThanOrEqual(now() + 3599);
    expect(fallback).toBeLessThanOrEqual(now() + 3601);
  });

  it('is expired from its expiration on', () => {
    expect(new Token({ audience: 'live', accessToken: jwt({ exp: now() - 1 }) }).expired).toBe(true);
    expect(new Token({ audience: 'live', accessToken: jwt({ exp: now() }) }).expired).toBe(true);
    expect(new Token({ audience: 'live', accessToken: jwt({ exp: now() + 60 }) }).expired).toBe(false);
  });

  it('has the audience in canonical form and the matching Authorization header', () => {
    const token = new Token({ audience: 'meet', accessToken: 'abc.def.ghi' });
    expect(token.audience).toBe('NadeoLiveServices');
    expect(token.authorization).toBe('nadeo_v1 t=abc.def.ghi');
    expect(new Token({ audience: 'oauth', accessToken: 'abc.def.ghi' }).authorization).toBe('Bearer abc.def.ghi');
    expect(() => new Token({ audience: 'nope', accessToken: 'x' })).toThrow(AudienceError);
  });

  it('keeps an optional refresh token', () => {
    expect(new Token({ audience: 'core', accessToken: 'x' }).refreshToken).toBeUndefined();
    const refresh = jwt({ rtk: true });
    const token = new Token({ audience: 'core', accessToken: 'x', refreshToken: refresh });
    expect(token.refreshToken?.token).toBe(refresh);
    expect(token.refreshToken?.decoded.rtk).toBe(true);
  });

  it('cannot refresh: a UsageError', async () => {
    await expect(new Token({ audience: 'core', accessToken: 'x' }).refresh()).rejects.toThrow(UsageError);
    await expect(new Token({ audience: 'core', accessToken: 'x' }).refresh()).rejects.toThrow(/not of a specified type/);
  });
});

describe('WebServicesToken, DedicatedServerToken, ServiceToken', () => {
  it('get() posts Basic credentials, the audience and the User-Agent to /v2/authentication/token/basic', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'live' });
    const request = nadeo.lastRequest('token-basic')!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`${DEFAULT_SERVICE_ACCOUNT.login}:${DEFAULT_SERVICE_ACCOUNT.password}`).toString('base64')}`,
    );
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe(UA);
    expect(request.json).toEqual({ audience: 'NadeoLiveServices' });
    expect(token).toBeInstanceOf(ServiceToken);
    expect(token.audience).toBe('NadeoLiveServices');
    expect(token.accountId).toBe(DEFAULT_SERVICE_ACCOUNT.accountId);
    expect(token.expiration).toBe(token.accessToken.decoded.exp);
    expect(token.expired).toBe(false);
    expect(token.refreshToken.decoded.rtk).toBe(true);
    expect(token.authorization).toBe(`nadeo_v1 t=${token.accessToken.token}`);
  });

  it('each class returns its own kind of token', async () => {
    const dedicated = await DedicatedServerToken.get({
      ...service(),
      login: DEFAULT_DEDICATED_ACCOUNT.login,
      password: DEFAULT_DEDICATED_ACCOUNT.password,
      audience: 'NadeoServices',
    });
    expect(dedicated).toBeInstanceOf(DedicatedServerToken);
    expect(dedicated.accessToken.decoded.usg).toBe('Server');
    const plain = await WebServicesToken.get({ ...service(), audience: 'prod' });
    expect(plain).toBeInstanceOf(WebServicesToken);
    expect(plain).not.toBeInstanceOf(ServiceToken);
    expect(nadeo.tokenRequests().basic).toBe(2);
  });

  it('refresh() posts the refresh token and replaces both tokens and the expiration', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'core' });
    const oldRefresh = token.refreshToken.token;
    token.expiration = 0;
    expect(token.expired).toBe(true);
    await token.refresh();
    const request = nadeo.lastRequest('token-refresh')!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(`nadeo_v1 t=${oldRefresh}`);
    expect(request.body).toBe('');
    expect(token.refreshToken.token).not.toBe(oldRefresh);
    expect(token.expiration).toBe(token.accessToken.decoded.exp);
    expect(token.expired).toBe(false);
    expect(token.audience).toBe('NadeoServices');
  });

  it('a missing User-Agent is a ParameterError before any request', async () => {
    await expect(ServiceToken.get({ ...service(), audience: 'core', userAgent: '' })).rejects.toThrow(ParameterError);
    await expect(ServiceToken.get({ ...service(), audience: 'core', userAgent: undefined as unknown as string })).rejects.toThrow(/userAgent is required/);
    await expect(ServiceToken.get({ ...service(), audience: 'core', login: '' })).rejects.toThrow(ParameterError);
    expect(nadeo.tokenRequests().basic).toBe(0);
  });

  it('an invalid or OAuth2 audience is an AudienceError before any request', async () => {
    await expect(ServiceToken.get({ ...service(), audience: 'trackmania' })).rejects.toThrow(AudienceError);
    await expect(ServiceToken.get({ ...service(), audience: 'oauth' })).rejects.toThrow(AudienceError);
    expect(nadeo.tokenRequests().basic).toBe(0);
  });

  it('wrong credentials: a TokenError with status 401 that says what to check and never shows the password', async () => {
    // Random-looking: masking also hides any 8-character run of a secret, so a password that contains the word
    // "password" would mask that word in the message too.
    const password = 'wrong-Hq4sT8wLm';
    const err = (await ServiceToken.get({ ...service(), audience: 'core', password }).catch((e: unknown) => e)) as TokenError;
    expect(err).toBeInstanceOf(TokenError);
    expect(err.upstreamStatus).toBe(401);
    expect(err.message).toMatch(/HTTP 401.*Invalid credentials.*check the login and password/);
    expect(err.message).toContain('/v2/authentication/token/basic');
    const shown = `${err.message} ${inspect(err)} ${JSON.stringify(err)}`;
    expect(shown).not.toContain(password);
    expect(shown).not.toContain(Buffer.from(`${DEFAULT_SERVICE_ACCOUNT.login}:${password}`).toString('base64'));
  });

  it('a refused refresh is a TokenError; a hung endpoint times out with the limit in the message', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'core' });
    nadeo.fault('token-refresh', { type: 'status', status: 401 }, { times: 1 });
    const refused = (await token.refresh().catch((e: unknown) => e)) as TokenError;
    expect(refused).toBeInstanceOf(TokenError);
    expect(refused.upstreamStatus).toBe(401);
    expect(refused.message).not.toContain(token.refreshToken.token);
    nadeo.fault('token-basic', { type: 'hang' });
    const started = Date.now();
    const hung = (await ServiceToken.get({ ...service(), audience: 'core', timeout: 200 }).catch((e: unknown) => e)) as ProviderError;
    expect(hung).toBeInstanceOf(ProviderError);
    expect(hung.code).toBe('ETIMEDOUT');
    expect(hung.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a 2xx without tokens is a ProviderError', async () => {
    nadeo.fault('token-basic', { type: 'malformed' }, { times: 1 });
    const err = (await ServiceToken.get({ ...service(), audience: 'core' }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.code).toBe('EBADRESPONSE');
  });

  it('checkAudience() accepts any alias of its audience and refuses others', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'live' });
    expect(() => token.checkAudience('club')).not.toThrow();
    expect(() => token.checkAudience('NadeoLiveServices')).not.toThrow();
    expect(() => token.checkAudience('core')).toThrow(AudienceError);
    expect(() => token.checkAudience('core')).toThrow(/NadeoLiveServices, not NadeoServices/);
    expect(() => token.checkAudience('x')).toThrow(AudienceError);
  });

  it('checkType() checks the class it is called on', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'core' });
    expect(() => ServiceToken.checkType(token)).not.toThrow();
    expect(() => WebServicesToken.checkType(token)).not.toThrow();
    expect(() => DedicatedServerToken.checkType(token)).toThrow(UsageError);
    expect(() => OAuthToken.checkType(token)).toThrow(/expected a token of type OAuthToken, got ServiceToken/);
    expect(() => ServiceToken.checkType('x', 'need a service token')).toThrow('need a service token');
  });

  it('can be built from stored tokens, with the package User-Agent for refresh', async () => {
    const issued = nadeo.issueTokens({ audience: 'NadeoLiveServices' });
    const token = new ServiceToken({ ...nadeo.clientOptions(), audience: 'live', ...issued });
    expect(token.accountId).toBe(DEFAULT_SERVICE_ACCOUNT.accountId);
    await token.refresh();
    expect(nadeo.lastRequest('token-refresh')!.headers['user-agent']).toMatch(/^nadeo-auth\/\d+\.\d+\.\d+ \(Node\.js v/);
    expect(() => new ServiceToken({ audience: 'oauth', ...issued })).toThrow(AudienceError);
  });

  it('logs without tokens', async () => {
    const token = await ServiceToken.get({ ...service(), audience: 'core' });
    const shown = inspect(token);
    expect(shown).toContain('ServiceToken');
    expect(shown).toContain('NadeoServices');
    expect(shown).not.toContain(token.accessToken.token);
    expect(shown).not.toContain(token.refreshToken.token);
  });
});

describe('OAuthToken', () => {
  it('get() uses client credentials at {oauthURL}/api/access_token; the token works as a Bearer token', async () => {
    const token = await OAuthToken.get({ identifier: DEFAULT_CLIENT.clientId, secret: DEFAULT_CLIENT.clientSecret, oauthURL: trackmania.url });
    const request = trackmania.lastRequest('token')!;
    expect(request.form).toEqual({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret });
    expect(token.audience).toBe('OAuth2');
    expect(token.identifier).toBe(DEFAULT_CLIENT.clientId);
    expect(token.secret).toBe(DEFAULT_CLIENT.clientSecret);
    expect(Math.abs(token.expiration - (now() + 3600))).toBeLessThanOrEqual(2);
    expect(token.refreshToken).toBeUndefined();
    const res = await fetch(`${trackmania.url}/api/display-names?accountId[]=5b4d42f4-c2de-407d-b367-cbff3fe817bc`, {
      headers: { Authorization: token.authorization },
    });
    expect(await res.json()).toEqual({ '5b4d42f4-c2de-407d-b367-cbff3fe817bc': 'tooInfinite' });
    expect(JSON.stringify(token)).not.toContain(DEFAULT_CLIENT.clientSecret);
    expect(inspect(token)).not.toContain(DEFAULT_CLIENT.clientSecret);
  });

  it('refresh() requests a new token', async () => {
    const token = await OAuthToken.get({ identifier: DEFAULT_CLIENT.clientId, secret: DEFAULT_CLIENT.clientSecret, oauthURL: trackmania.url });
    const first = token.accessToken.token;
    const count = trackmania.requestsTo('token').length;
    await token.refresh();
    expect(trackmania.requestsTo('token').length).toBe(count + 1);
    expect(trackmania.lastRequest('token')!.form!.grant_type).toBe('client_credentials');
    expect(token.accessToken.token).not.toBe(first);
  });

  it('a wrong secret is a TokenError without the secret', async () => {
    const err = (await OAuthToken.get({ identifier: DEFAULT_CLIENT.clientId, secret: 'bad-secret-value', oauthURL: trackmania.url }).catch(
      (e: unknown) => e,
    )) as TokenError;
    expect(err).toBeInstanceOf(TokenError);
    expect(err.upstreamStatus).toBe(401);
    expect(err.message).not.toContain('bad-secret-value');
    await expect(OAuthToken.get({ identifier: '', secret: 'x' })).rejects.toThrow(ParameterError);
  });
});
