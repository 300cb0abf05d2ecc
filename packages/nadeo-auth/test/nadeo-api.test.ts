// The README's "nadeo-api → nadeo-auth" table, row by row, against the emulators: each key below is the left
// column of a row, and the README must have exactly these rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CLIENT,
  DEFAULT_DEDICATED_ACCOUNT,
  DEFAULT_SERVICE_ACCOUNT,
  startNadeoEmulator,
  startTrackmaniaEmulator,
  type NadeoEmulator,
  type TrackmaniaEmulator,
} from '@maniapass/emulators';
import * as nadeoAuth from 'nadeo-auth';
import {
  AUDIENCE_CORE,
  AUDIENCE_LIVE,
  AUDIENCE_OAUTH,
  AudienceError,
  DedicatedServerToken,
  JSONWebToken,
  NadeoClient,
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
  nadeo.cupOfTheDay = { id: 1234 };
});

const UA = 'nadeo-auth-tests / tests@example.com';
const MAP = 'olsKnq_qAghcVAnEkoeUnVHFZei';
const now = () => Math.floor(Date.now() / 1000);
const account = () => ({ ...nadeo.clientOptions(), login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password, userAgent: UA });
const oauthApp = () => ({ identifier: DEFAULT_CLIENT.clientId, secret: DEFAULT_CLIENT.clientSecret, oauthURL: trackmania.url });
const http = () => nadeo.clientOptions();

/** Calls the emulator with a token's own header: Core's zones or Live's map info, by audience. */
async function call(token: Token): Promise<number> {
  const { coreURL, liveURL } = nadeo.clientOptions();
  const url = token.audience === AUDIENCE_CORE ? `${coreURL}/zones/` : `${liveURL}/api/token/map/${MAP}`;
  return (await fetch(url, { headers: { Authorization: token.authorization } })).status;
}

/** The error a call fails with. */
async function failure(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

const rows: Record<string, () => Promise<void>> = {
  '`auth.AUDIENCE_CORE`, `AUDIENCE_LIVE`, `AUDIENCE_OAUTH`': async () => {
    expect([AUDIENCE_CORE, AUDIENCE_LIVE, AUDIENCE_OAUTH]).toEqual(['NadeoServices', 'NadeoLiveServices', 'OAuth2']);
    expect((await ServiceToken.get({ ...account(), audience: AUDIENCE_CORE })).accessToken.decoded.aud).toBe(AUDIENCE_CORE);
    expect((await ServiceToken.get({ ...account(), audience: AUDIENCE_LIVE })).accessToken.decoded.aud).toBe(AUDIENCE_LIVE);
    expect((await OAuthToken.get(oauthApp())).audience).toBe(AUDIENCE_OAUTH);
  },

  '`Token(audience, access_token, expiration=0)`': async () => {
    const { accessToken } = nadeo.issueTokens({ audience: 'NadeoServices' });
    const token = new Token({ ...http(), audience: 'NadeoServices', accessToken, expiration: 0 });
    expect(token.expiration).toBe(token.accessToken.decoded.exp);
    expect(await call(token)).toBe(200);
  },

  '`Token.audience`': async () => {
    const { accessToken } = nadeo.issueTokens({ audience: 'NadeoLiveServices' });
    const token = new Token({ audience: 'meet', accessToken });
    expect(token.audience).toBe('NadeoLiveServices');
    expect(await call(token)).toBe(200);
  },

  '`Token.access_token: JSONWebToken`': async () => {
    const { accessToken } = nadeo.issueTokens({ audience: 'NadeoServices' });
    const token = new Token({ audience: 'core', accessToken });
    expect(token.accessToken).toBeInstanceOf(JSONWebToken);
    expect(token.accessToken.token).toBe(accessToken);
    expect(token.authorization).toBe(`nadeo_v1 t=${accessToken}`);
    expect(await call(token)).toBe(200);
  },

  "`JSONWebToken('nadeo_v1 t=' + token)`, the form nadeo-api keeps web-services tokens in": async () => {
    const issued = nadeo.issueTokens({ audience: 'NadeoLiveServices' });
    const held = { accessToken: `nadeo_v1 t=${issued.accessToken}`, refreshToken: `nadeo_v1 t=${issued.refreshToken}` };
    for (const Kind of [Token, WebServicesToken, DedicatedServerToken, ServiceToken]) {
      const token = new Kind({ ...http(), audience: 'live', ...held });
      expect(token.accessToken.token).toBe(issued.accessToken);
      expect(token.refreshToken?.token).toBe(issued.refreshToken);
      expect(token.authorization).toBe(`nadeo_v1 t=${issued.accessToken}`);
      expect(token.expiration).toBe(token.accessToken.decoded.exp);
      expect(await call(token)).toBe(200);
    }
    const service = new ServiceToken({ ...http(), audience: 'live', ...held });
    expect(service.accountId).toBe(DEFAULT_SERVICE_ACCOUNT.accountId);
    await service.refresh();
    expect(nadeo.lastRequest('token-refresh')!.headers.authorization).toBe(`nadeo_v1 t=${issued.refreshToken}`);
    expect(await call(service)).toBe(200);
    // Any spacing or case of the scheme, and a Bearer header value for the OAuth2 audience.
    expect(new Token({ audience: 'core', accessToken: `  NADEO_V1   t=${issued.accessToken}` }).accessToken.token).toBe(issued.accessToken);
    const oauth = await OAuthToken.get(oauthApp());
    const rebuilt = new OAuthToken({ ...oauthApp(), accessToken: `Bearer ${oauth.accessToken.token}` });
    expect(rebuilt.authorization).toBe(`Bearer ${oauth.accessToken.token}`);
  },

  '`Token.expiration`': async () => {
    const { accessToken } = nadeo.issueTokens({ audience: 'NadeoServices', accessLifetime: 1234 });
    expect(new Token({ audience: 'core', accessToken }).expiration).toBe(now() + 1234);
    expect(new Token({ audience: 'core', accessToken, expiration: 99 }).expiration).toBe(99);
  },

  '`Token.expired`': async () => {
    const fresh = new Token({ audience: 'core', accessToken: nadeo.issueTokens({ audience: 'NadeoServices' }).accessToken });
    expect(fresh.expired).toBe(false);
    expect(await call(fresh)).toBe(200);
    const old = new Token({ audience: 'core', accessToken: nadeo.issueTokens({ audience: 'NadeoServices', accessLifetime: -5 }).accessToken });
    expect(old.expired).toBe(true);
    expect(await call(old)).toBe(401);
  },

  '`Token.refresh()` → `UsageError`': async () => {
    const issued = nadeo.issueTokens({ audience: 'NadeoServices' });
    const err = await failure(() => new Token({ ...http(), audience: 'core', ...issued }).refresh());
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/not of a specified type/);
    expect(nadeo.tokenRequests().refresh).toBe(0);
  },

  '`Token.verify_audience(audience)`': async () => {
    expect(Token.verifyAudience('club')).toBe('NadeoLiveServices');
    expect(verifyAudience('PROD')).toBe('NadeoServices');
    expect(() => Token.verifyAudience('nadeo')).toThrow(AudienceError);
    expect((await ServiceToken.get({ ...account(), audience: 'club' })).accessToken.decoded.aud).toBe('NadeoLiveServices');
  },

  '`WebServicesToken(audience, access_token, refresh_token, expiration=0)`': async () => {
    const issued = nadeo.issueTokens({ audience: 'NadeoServices' });
    const token = new WebServicesToken({ ...http(), audience: 'NadeoServices', ...issued, expiration: 0 });
    expect(token.expiration).toBe(token.accessToken.decoded.exp);
    expect(await call(token)).toBe(200);
    await token.refresh();
    expect(await call(token)).toBe(200);
  },

  '`WebServicesToken.refresh_token: JSONWebToken`': async () => {
    const token = await WebServicesToken.get({ ...account(), audience: 'core' });
    expect(token.refreshToken).toBeInstanceOf(JSONWebToken);
    expect(token.refreshToken.decoded).toMatchObject({ rtk: true, refresh_aud: 'NadeoServices' });
  },

  '`WebServicesToken.get(audience, login, password, agent)`': async () => {
    const token = await WebServicesToken.get({ ...account(), audience: 'live' });
    expect(token).toBeInstanceOf(WebServicesToken);
    expect(nadeo.lastRequest('token-basic')!.headers['user-agent']).toBe(UA);
    expect(await call(token)).toBe(200);
  },

  '`WebServicesToken.refresh()`': async () => {
    const token = await WebServicesToken.get({ ...account(), audience: 'core' });
    const before = token.refreshToken.token;
    await token.refresh();
    expect(nadeo.lastRequest('token-refresh')!.headers.authorization).toBe(`nadeo_v1 t=${before}`);
    expect(token.refreshToken.token).not.toBe(before);
    expect(await call(token)).toBe(200);
  },

  '`WebServicesToken.check_audience(audience)`': async () => {
    const token = await WebServicesToken.get({ ...account(), audience: 'live' });
    expect(() => token.checkAudience('meet')).not.toThrow();
    expect(() => token.checkAudience('core')).toThrow(AudienceError);
  },

  "`WebServicesToken.check_type(token, msg='')`": async () => {
    const service = await ServiceToken.get({ ...account(), audience: 'core' });
    expect(() => WebServicesToken.checkType(service)).not.toThrow();
    const oauth = await OAuthToken.get(oauthApp());
    expect(() => WebServicesToken.checkType(oauth)).toThrow(UsageError);
    expect(() => WebServicesToken.checkType(oauth, 'a web-services token, please')).toThrow('a web-services token, please');
  },

  '`DedicatedServerToken(…)`, `DedicatedServerToken.get(audience, login, password, agent)`': async () => {
    const token = await DedicatedServerToken.get({
      ...account(),
      login: DEFAULT_DEDICATED_ACCOUNT.login,
      password: DEFAULT_DEDICATED_ACCOUNT.password,
      audience: 'core',
    });
    expect(token).toBeInstanceOf(DedicatedServerToken);
    expect(token.accessToken.decoded.usg).toBe('Server');
    const rebuilt = new DedicatedServerToken({ ...http(), audience: 'core', accessToken: token.accessToken.token, refreshToken: token.refreshToken.token });
    expect(await call(rebuilt)).toBe(200);
  },

  '`ServiceToken(…)`, `ServiceToken.get(audience, login, password, agent)`': async () => {
    const token = await ServiceToken.get({ ...account(), audience: 'live' });
    expect(token).toBeInstanceOf(ServiceToken);
    expect(token.accessToken.decoded.usg).toBe('Client');
    const rebuilt = new ServiceToken({ ...http(), audience: 'live', accessToken: token.accessToken.token, refreshToken: token.refreshToken.token });
    expect(await call(rebuilt)).toBe(200);
  },

  '`ServiceToken.account_id`': async () => {
    expect((await ServiceToken.get({ ...account(), audience: 'core' })).accountId).toBe(DEFAULT_SERVICE_ACCOUNT.accountId);
  },

  "`ServiceToken.check_type(token, msg='')`": async () => {
    const dedicated = await DedicatedServerToken.get({
      ...account(),
      login: DEFAULT_DEDICATED_ACCOUNT.login,
      password: DEFAULT_DEDICATED_ACCOUNT.password,
      audience: 'core',
    });
    expect(() => ServiceToken.checkType(dedicated)).toThrow(/expected a token of type ServiceToken, got DedicatedServerToken/);
    const service = await ServiceToken.get({ ...account(), audience: 'core' });
    expect(() => ServiceToken.checkType(service)).not.toThrow();
  },

  '`OAuthToken(identifier, secret, access_token, expiration=0)`': async () => {
    const accessToken = trackmania.issueAccessToken({ clientId: DEFAULT_CLIENT.clientId });
    const token = new OAuthToken({ ...oauthApp(), accessToken, expiration: 0 });
    expect(token.expiration).toBe(token.accessToken.decoded.exp);
    const res = await fetch(`${trackmania.url}/api/display-names?accountId[]=5b4d42f4-c2de-407d-b367-cbff3fe817bc`, {
      headers: { Authorization: token.authorization },
    });
    expect(await res.json()).toEqual({ '5b4d42f4-c2de-407d-b367-cbff3fe817bc': 'tooInfinite' });
  },

  '`OAuthToken.get(identifier, secret)`': async () => {
    const token = await OAuthToken.get(oauthApp());
    expect(trackmania.lastRequest('token')!.form).toMatchObject({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId });
    expect(token.accessToken.decoded.exp).toBeGreaterThan(now());
  },

  '`OAuthToken.identifier`, `OAuthToken.secret`': async () => {
    const token = await OAuthToken.get(oauthApp());
    expect([token.identifier, token.secret]).toEqual([DEFAULT_CLIENT.clientId, DEFAULT_CLIENT.clientSecret]);
    expect(Object.keys(token)).not.toContain('secret');
  },

  '`OAuthToken.refresh()` (a new token)': async () => {
    const token = await OAuthToken.get(oauthApp());
    const first = token.accessToken.token;
    await token.refresh();
    expect(token.accessToken.token).not.toBe(first);
    expect(trackmania.lastRequest('token')!.form!.grant_type).toBe('client_credentials');
  },

  "`OAuthToken.check_type(token, msg='')`": async () => {
    const oauth = await OAuthToken.get(oauthApp());
    const service = await ServiceToken.get({ ...account(), audience: 'core' });
    expect(() => OAuthToken.checkType(oauth)).not.toThrow();
    expect(() => OAuthToken.checkType(service)).toThrow(UsageError);
  },

  '`JSONWebToken(token)`, `.token`, `.decoded`': async () => {
    const { accessToken } = nadeo.issueTokens({ audience: 'NadeoLiveServices' });
    const jwt = new JSONWebToken(accessToken);
    expect(jwt.token).toBe(accessToken);
    expect(jwt.decoded).toMatchObject({ aud: 'NadeoLiveServices', sub: DEFAULT_SERVICE_ACCOUNT.accountId, rtk: false, iss: 'NadeoServices' });
  },

  '`JSONWebToken.decode(token)`': async () => {
    const { refreshToken } = nadeo.issueTokens({ audience: 'NadeoServices' });
    expect(JSONWebToken.decode(refreshToken)).toMatchObject({ rtk: true });
    expect(() => JSONWebToken.decode('not a token')).toThrow(TypeError);
  },

  '`error.AudienceError`, `ParameterError`, `UsageError` (`ValueError`)': async () => {
    const audience = await failure(() => ServiceToken.get({ ...account(), audience: 'nadeo' }));
    const parameter = await failure(() => ServiceToken.get({ ...account(), audience: 'core', userAgent: '' }));
    const usage = await failure(() => new Token({ audience: 'core', accessToken: 'x' }).refresh());
    expect([audience, parameter, usage].map((e) => [e instanceof TypeError, e.name])).toEqual([
      [true, 'AudienceError'],
      [true, 'ParameterError'],
      [true, 'UsageError'],
    ]);
    expect([audience, parameter, usage].map((e) => e.constructor)).toEqual([AudienceError, ParameterError, UsageError]);
    expect(nadeo.tokenRequests().basic).toBe(0);
  },

  '`ConnectionError` on HTTP errors': async () => {
    const wrong = await failure(() => ServiceToken.get({ ...account(), audience: 'core', password: 'wrong-password' }));
    expect(wrong).toBeInstanceOf(TokenError);
    expect(wrong).toMatchObject({ upstreamStatus: 401 });
    nadeo.fault('map', { type: 'status', status: 500 }, { times: 1 });
    const api = new NadeoClient({
      ...http(),
      account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
      userAgent: UA,
      minInterval: 0,
    });
    const failed = await failure(() => api.get(`${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`));
    expect(failed).toBeInstanceOf(ProviderError);
    expect(failed).toMatchObject({ upstreamStatus: 500, code: 'EHTTPSTATUS' });
  },

  '`_request` (wait, refresh if expired, retry once on 401)': async () => {
    const api = new NadeoClient({
      ...http(),
      account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
      userAgent: UA,
      minInterval: 0,
    });
    const url = `${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`;
    expect(await api.get(url)).toMatchObject({ uid: MAP });
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 1 });
    expect(await api.get(url)).toMatchObject({ uid: MAP });
    expect(nadeo.tokenRequests()).toEqual({ basic: 1, refresh: 1 });
    expect(nadeo.requestsTo('map')).toHaveLength(3);
    nadeo.fault('map', { type: 'status', status: 401 }, { times: 2 });
    expect(await failure(() => api.get(url))).toMatchObject({ upstreamStatus: 401 });
  },

  '`config.wait_between_requests_ms` (1000)': async () => {
    const api = new NadeoClient({ ...http(), account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password }, userAgent: UA });
    const url = `${nadeo.clientOptions().liveURL}/api/token/map/${MAP}`;
    await api.token('live');
    // Counted from before the first request: its slot is at or after this, the second one 500 ms later at least.
    const started = Date.now();
    await api.get(url);
    await api.get(url);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  },

  '204 → `[]`': async () => {
    nadeo.cupOfTheDay = null;
    const api = new NadeoClient({
      ...http(),
      account: { login: DEFAULT_SERVICE_ACCOUNT.login, password: DEFAULT_SERVICE_ACCOUNT.password },
      userAgent: UA,
      minInterval: 0,
    });
    expect(await api.get(`${nadeo.clientOptions().meetURL}/api/cup-of-the-day/current`)).toBeNull();
  },

  'Ubisoft-account flow (0.8)': async () => {
    expect(Object.keys(nadeoAuth).filter((name) => /ubi/i.test(name))).toEqual([]);
    const res = await fetch(`${nadeo.clientOptions().coreURL}/v2/authentication/token/ubiservices`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await call(await ServiceToken.get({ ...account(), audience: 'core' }))).toBe(200);
  },
};

describe('nadeo-api → nadeo-auth, as the README table says', () => {
  it('covers every row of the table, and only those', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## nadeo-api → nadeo-auth'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
    const left = table
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .slice(1)
      .map((line) => line.slice(2, line.indexOf(' | ')));
    expect(left).toEqual(Object.keys(rows));
  });

  it.each(Object.entries(rows))('%s', async (_row, check) => {
    await check();
  });
});
