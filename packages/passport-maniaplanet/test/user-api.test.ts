import { maniaplanetSpec, startManiaplanetEmulator, type ManiaplanetEmulator } from '@maniapass/emulators';
import {
  InternalOAuthError,
  ProviderError,
  Strategy,
  type ManiaplanetDedicatedAccount,
  type ManiaplanetMap,
  type ManiaplanetScope,
  type ManiaplanetTitle,
} from 'passport-maniaplanet';

const player = maniaplanetSpec.sampleUsers[0]!; // someplayer: a dedicated account, a title and a map

let emulator: ManiaplanetEmulator;
beforeAll(async () => {
  emulator = await startManiaplanetEmulator();
});
afterAll(() => emulator.close());
afterEach(() => emulator.clearFaults());

const strategy = (options: { timeout?: number; userProfileURL?: string } = {}) =>
  new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb', ...options }, async () => false);
const userToken = (scope: ManiaplanetScope[], userId = player.id) => emulator.issueAccessToken({ userId, scope });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as ProviderError,
  );

type Call = (s: InstanceType<typeof Strategy>, accessToken: string) => Promise<unknown>;
// method, emulator endpoint, path, scope, call
const calls: Array<[string, string, string, ManiaplanetScope, Call]> = [
  ['dedicatedAccounts', 'dedicated', '/webservices/me/dedicated', 'dedicated', (s, t) => s.dedicatedAccounts(t)],
  ['titles', 'titles', '/webservices/me/titles/created', 'titles', (s, t) => s.titles(t)],
  ['maps', 'maps', '/webservices/me/maps', 'maps', (s, t) => s.maps(t)],
];

describe('the user endpoints the scopes unlock', () => {
  it('dedicatedAccounts() lists the dedicated server accounts with their last use', async () => {
    const accounts: ManiaplanetDedicatedAccount[] = await strategy().dedicatedAccounts(userToken(['basic', 'dedicated']));
    expect(accounts).toEqual(player.dedicated);
    expect(accounts[0]).toMatchObject({
      login: 'someplayer_server',
      last_used_date: { timezone: { name: 'Europe/Paris' }, offset: 3600, timestamp: 1700000000 },
    });
  });

  it('titles() lists the title packs the user created', async () => {
    const titles: ManiaplanetTitle[] = await strategy().titles(userToken(['titles']));
    expect(titles).toEqual(player.titles);
    expect(titles[0]).toMatchObject({ uid: 'SunriseRace@someplayer', title_maker_uid: 'TMStadium@nadeo', public: true, cost: 0 });
  });

  it('maps() lists the maps the user uploaded', async () => {
    const maps: ManiaplanetMap[] = await strategy().maps(userToken(['maps']));
    expect(maps).toEqual(player.maps);
    expect(Object.keys(maps[0]!).sort()).toEqual(['author_login', 'download_url', 'name', 'private', 'thumbnail_url', 'uid']);
    expect(await strategy().maps(userToken(['maps'], 'speedrunner'))).toEqual([]);
  });

  it.each(calls)('%s() asks %s with the Bearer token and Accept: application/json, under the profile URL', async (_method, endpoint, path, scope, call) => {
    const accessToken = userToken([scope]);
    await call(strategy(), accessToken);
    const request = emulator.lastRequest(endpoint)!;
    expect(request).toMatchObject({ method: 'GET', path });
    expect(request.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request.headers.accept).toBe('application/json');
    // userProfileURL moves them along with the profile, as it does the e-mail.
    await call(strategy({ userProfileURL: `${emulator.url}/webservices/me/` }), accessToken);
    expect(emulator.lastRequest(endpoint)!.path).toBe(path);
  });

  it.each(calls)(
    '%s() without its scope: the provider refuses with 403, a ProviderError with its message and status',
    async (_method, endpoint, path, scope, call) => {
      const err = await failure(call(strategy(), userToken(['basic', 'email'])));
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toBeInstanceOf(InternalOAuthError);
      expect(err).toMatchObject({ provider: 'maniaplanet', upstreamStatus: 403, code: 'EHTTPSTATUS', url: `${emulator.url}${path}` });
      expect(err.message).toContain(`Missing scope ${scope}`);
      expect(emulator.lastRequest(endpoint)!.headers.authorization).toMatch(/^Bearer /);
    },
  );

  it.each(calls)('%s() with a client-credentials token: 401, the routes are about a player', async (_method, _endpoint, _path, scope, call) => {
    const s = strategy();
    const { accessToken } = await s.clientCredentials({ scope: [scope] });
    expect(await failure(call(s, accessToken))).toMatchObject({ name: 'ProviderError', upstreamStatus: 401 });
  });

  it.each(calls)('%s() refuses a missing token with a TypeError before any request', async (method, endpoint, _path, _scope, call) => {
    const before = emulator.requestsTo(endpoint).length;
    for (const value of ['', undefined, 42]) {
      await expect(call(strategy(), value as never)).rejects.toThrow(
        new TypeError(`maniaplanet: ${method}() takes the user's access token (a non-empty string)`),
      );
    }
    expect(emulator.requestsTo(endpoint)).toHaveLength(before);
  });
});

describe('provider failures', () => {
  it.each(calls)('%s(): a non-2xx answer is a ProviderError with the upstream status', async (_method, endpoint, path, scope, call) => {
    emulator.fault(endpoint, { type: 'status', status: 502 }, { times: 1 });
    const err = await failure(call(strategy(), userToken([scope])));
    expect(err).toMatchObject({ name: 'ProviderError', upstreamStatus: 502, code: 'EHTTPSTATUS', url: `${emulator.url}${path}` });
  });

  it.each(calls)('%s(): a body that is not a JSON list of the documented entries is EBADRESPONSE', async (_method, endpoint, path, scope, call) => {
    for (const body of ['<html>oops</html>', '{"login": "x"}', '[{"name": "no key"}]', '<?xml version="1.0"?><response></response>']) {
      emulator.fault(endpoint, { type: 'status', status: 200, body }, { times: 1 });
      const err = await failure(call(strategy(), userToken([scope])));
      expect(err).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE', upstreamStatus: 200, url: `${emulator.url}${path}` });
    }
  });

  it.each(calls)('%s(): no answer within the timeout is ETIMEDOUT with the limit in the message', async (_method, endpoint, _path, scope, call) => {
    emulator.fault(endpoint, { type: 'hang' }, { times: 1 });
    const err = await failure(call(strategy({ timeout: 150 }), userToken([scope])));
    expect(err).toMatchObject({ name: 'ProviderError', code: 'ETIMEDOUT' });
    expect(err.message).toContain('150 ms');
  });

  it.each(calls)('%s(): an error body that echoes the token is shown masked', async (_method, endpoint, _path, scope, call) => {
    const accessToken = userToken([scope]);
    emulator.fault(
      endpoint,
      { type: 'status', status: 400, body: JSON.stringify({ error: 'invalid_request', message: 'Bad token', hint: accessToken }) },
      { times: 1 },
    );
    const err = await failure(call(strategy(), accessToken));
    expect(err.message).toContain('[redacted]');
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(accessToken);
  });
});
