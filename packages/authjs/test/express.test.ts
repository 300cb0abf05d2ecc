// @maniapass/authjs in a real Express app on @auth/express (its own process: Auth.js is ESM only), driven over HTTP
// with a cookie jar through each emulator's consent page: sign-in, denial, a provider error, a timeout; what
// Auth.js logs and what the browser gets never carry a secret, in any encoding a provider may echo it in.
import { join } from 'node:path';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { startAppProcess, type AppProcess } from '../../../test-support/frameworks/support';
import { pathOf } from '../../../test-support/harness';
import { TEST_PROVIDERS, consent } from '../../../test-support/providers';
import { ECHO_ENCODINGS, leaks } from '../../../test-support/secrets';

jest.setTimeout(60_000);
const main = join(__dirname, 'app', 'express-app.mjs');

let emulators: Array<OAuthEmulator<EmulatedUser>>;
let app: AppProcess<object>;
let slowApp: AppProcess<object>;

/** Auth.js's options of each provider, from its emulator (`clientID` → Auth.js's `clientId`). */
function providerOptions(extra: Record<string, unknown> = {}) {
  return Object.fromEntries(
    TEST_PROVIDERS.map((p, i) => {
      const { clientID, clientSecret, ...rest } = emulators[i]!.strategyOptions();
      return [p.id, { clientId: clientID, clientSecret, ...rest, ...extra }];
    }),
  );
}

beforeAll(async () => {
  emulators = await Promise.all(TEST_PROVIDERS.map((p) => p.startEmulator()));
  [app, slowApp] = await Promise.all([
    startAppProcess<object>([main], { providers: providerOptions() }),
    startAppProcess<object>([main], { providers: providerOptions({ timeout: 300 }) }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([app?.close(), slowApp?.close(), ...(emulators ?? []).map((e) => e.close())]);
});
afterEach(() => emulators.forEach((e) => e.clearFaults()));

/** POST /auth/signin/<id> with the CSRF token, as Auth.js's sign-in page does: the redirect to the provider. */
async function startSignIn(target: AppProcess<object>, id: string) {
  const visitor = target.visitor();
  const { csrfToken } = (await visitor.agent.get('/auth/csrf')).body as { csrfToken: string };
  const start = await visitor.agent
    .post(`/auth/signin/${id}`)
    .type('form')
    .send({ csrfToken, callbackUrl: `${target.url}/me` });
  return { visitor, start };
}

/** A whole sign-in through the consent page: the callback's response and the visitor whose cookies hold the session. */
async function signIn(target: AppProcess<object>, id: string, decision: 'approve' | 'deny' = 'approve') {
  const { visitor, start } = await startSignIn(target, id);
  expect(start.status).toBe(302);
  const back = await consent(start.headers.location as string, decision);
  const callback = await visitor.agent.get(pathOf(back));
  return { visitor, start, callback };
}

describe.each(TEST_PROVIDERS.map((p, i) => [p.id, i] as const))('@maniapass/authjs, %s, in Express through @auth/express', (id, index) => {
  const provider = TEST_PROVIDERS[index]!;
  const emulator = () => emulators[index]!;

  it('signs in through the consent page: state checked, secret in the body, the session holds the mapped user', async () => {
    const { visitor, start, callback } = await signIn(app, id);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.searchParams.get('state')).toEqual(expect.any(String));
    expect(authorize.searchParams.has('code_challenge')).toBe(false);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`${app.url}/me`);
    const token = emulator().lastRequest('token')!;
    expect(token.form).toMatchObject({
      grant_type: 'authorization_code',
      client_id: emulator().clients[0]!.clientId,
      client_secret: emulator().clients[0]!.clientSecret,
    });
    expect(token.headers.authorization).toBeUndefined();
    // Toornament's API key goes with the token request too (the definition's headers).
    const apiKey = emulator().strategyOptions().apiKey;
    if (apiKey) expect(token.headers['x-api-key']).toBe(apiKey);
    expect(emulator().lastRequest(provider.profileEndpoint)!.headers['user-agent']).toMatch(/^@maniapass\/authjs\//);
    const me = await visitor.agent.get('/me');
    expect(me.body.session.user).toMatchObject({ name: provider.expectedProfile.displayName });
  });

  it('a denial on the consent page ends on the error page, with no session', async () => {
    const { visitor, callback } = await signIn(app, id, 'deny');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toMatch(/\/auth\/(error|signin)\?error=/);
    expect((await visitor.agent.get('/me')).body.session).toBeNull();
  });

  it('a provider error at the token endpoint fails the sign-in cleanly, with no session', async () => {
    emulator().fault('token', { type: 'status', status: 503 });
    const { visitor, callback } = await signIn(app, id);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toMatch(/error=/);
    expect((await visitor.agent.get('/me')).body.session).toBeNull();
  });

  it('a profile call that never answers fails within the timeout, with no session', async () => {
    emulator().fault(provider.profileEndpoint, { type: 'hang' });
    const started = Date.now();
    const { visitor, callback } = await signIn(slowApp, id);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toMatch(/error=/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await visitor.agent.get('/me')).body.session).toBeNull();
  });

  it('a token endpoint that echoes the request, in every encoding, leaves no secret in the logs or the browser', async () => {
    const options = emulator().strategyOptions();
    const secrets = [options.clientSecret, ...(options.apiKey ? [options.apiKey] : [])];
    for (const encode of Object.values(ECHO_ENCODINGS)) {
      emulator().fault('token', { type: 'echo', status: 400, encode }, { times: 1 });
      const { callback } = await signIn(app, id);
      expect(callback.headers.location).toMatch(/error=/);
      expect(leaks(`${callback.headers.location} ${callback.text}`, secrets, [options.clientID])).toEqual([]);
    }
    const { logged } = (await app.visitor().agent.get('/logged')).body as { logged: string[] };
    expect(logged.length).toBeGreaterThan(0);
    expect(leaks(logged.join('\n'), secrets, [options.clientID])).toEqual([]);
  });
});
