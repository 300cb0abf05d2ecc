import { startTrackmageEmulator, type TrackmageEmulator } from '@maniapass/emulators';
import { ProviderError, Strategy } from 'passport-trackmage';

let emulator: TrackmageEmulator;
beforeAll(async () => {
  emulator = await startTrackmageEmulator();
});
afterAll(() => emulator.close());
afterEach(() => emulator.clearFaults());

/** The profile load of a login whose token response is `tokenResponse`, outside Express. */
function loadProfile(tokenResponse: Record<string, unknown>): Promise<unknown> {
  const strategy = new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1:1/cb' }, async () => false);
  const loader = strategy as unknown as { loadProfile(token: string, context: { tokenResponse: unknown; scope: string[] }): Promise<unknown> };
  return loader.loadProfile(tokenResponse.access_token as string, { tokenResponse, scope: [] });
}

describe('trackmage: API error bodies in ProviderError messages', () => {
  const user = () => emulator.users[0]!;
  const token = () => emulator.issueAccessToken({ userId: user().id });

  it.each([
    ['hydra description', 403, { '@type': 'hydra:Error', 'hydra:title': 'An error occurred', 'hydra:description': 'Access Denied.' }, 'Access Denied.'],
    ['hydra title only', 500, { '@type': 'hydra:Error', 'hydra:title': 'Internal Server Error' }, 'Internal Server Error'],
    [
      'RFC 7807 with violations',
      422,
      {
        type: 'https://tools.ietf.org/html/rfc2616#section-10',
        title: 'An error occurred',
        detail: 'email: This value is not valid.',
        violations: [{ propertyPath: 'timezone', message: 'Unknown zone.' }],
      },
      'email: This value is not valid. — timezone: Unknown zone.',
    ],
    ['{code, message}', 401, { code: 401, message: 'Expired JWT Token' }, 'Expired JWT Token'],
  ])('%s', async (_name, status, body, text) => {
    emulator.fault('user', { type: 'status', status, body: JSON.stringify(body) }, { times: 1 });
    const error = (await loadProfile({ access_token: token(), user_id: user().id }).catch((e: unknown) => e)) as ProviderError & {
      oauthError: { data: string };
    };
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'trackmage', status: 500, upstreamStatus: status, code: 'EHTTPSTATUS', url: `${emulator.url}/users/${user().id}` });
    expect(error.message).toBe(`trackmage: GET ${emulator.url}/users/${user().id} answered HTTP ${status}: ${text}`);
    expect(JSON.parse(error.oauthError.data)).toEqual(body);
  });

  it('a profile load without a user_id in the token response is EBADRESPONSE', async () => {
    const error = await loadProfile({ access_token: token() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', code: 'EBADRESPONSE', url: `${emulator.url}/oauth/v2/token` });
  });
});
