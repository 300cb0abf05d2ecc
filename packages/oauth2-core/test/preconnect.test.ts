// The `preconnect` option as an app meets it: the authorize redirect opens the connection to the token host, the
// callback's token and profile calls go out on it, and a connection the provider closed meanwhile costs nothing
// but a new one.
import { startTrackmaniaEmulator, type TrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmania';
import { signIn, startTestApp, type TestApp } from '../../../test-support/harness';
import { eventually, startTcpProxy, type TcpProxy } from '../../http/test/tcp-proxy';

let emulator: TrackmaniaEmulator;
let proxy: TcpProxy;
let app: TestApp | undefined;

// A fresh emulator and proxy per test: connections are pooled per host.
beforeEach(async () => {
  emulator = await startTrackmaniaEmulator({ autoApprove: true });
  proxy = await startTcpProxy(Number(new URL(emulator.url).port));
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await proxy.close();
  await emulator.close();
});

/** The app's calls to the provider go through the proxy; the browser's visit to the consent page does not. */
async function start(options: { preconnect?: boolean; fetch?: typeof fetch } = {}) {
  const users: unknown[] = [];
  const endpoints = emulator.strategyOptions();
  app = await startTestApp({
    strategy: (url) =>
      new Strategy(
        {
          ...endpoints,
          tokenURL: endpoints.tokenURL!.replace(emulator.url, proxy.url),
          userProfileURL: endpoints.userProfileURL!.replace(emulator.url, proxy.url),
          callbackURL: `${url}/auth/trackmania/callback`,
          ...(options.preconnect === undefined ? {} : { preconnect: options.preconnect }),
          ...(options.fetch ? { fetch: options.fetch as never } : {}),
        },
        async (_a, _r, profile) => {
          users.push(profile);
          return { id: profile.id };
        },
      ),
  });
  return { app, users };
}

const tokenRequests = () => emulator.requestsTo('token').length;

describe('preconnect', () => {
  it('is on by default: the authorize redirect opens one connection, sends nothing, and the callback uses it', async () => {
    const { app } = await start();
    const started = await app.agent.get('/auth/trackmania');
    expect(started.status).toBe(302);
    await proxy.opening(1);
    expect(proxy.used).toBe(0);
    const result = await signIn(app, 'trackmania');
    expect(result.callback!.headers.location).toBe('/me');
    // The second redirect found the first connection still waiting; the token and profile calls used it.
    expect(proxy.opened).toBe(1);
    expect(proxy.used).toBe(1);
    expect(tokenRequests()).toBe(1);
  });

  it('opens nothing with preconnect: false', async () => {
    const { app } = await start({ preconnect: false });
    await app.agent.get('/auth/trackmania');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.opened).toBe(0);
    const result = await signIn(app, 'trackmania');
    expect(result.callback!.headers.location).toBe('/me');
    expect(proxy.opened).toBe(1);
  });

  it('opens nothing with an injected fetch', async () => {
    const { app } = await start({ fetch: (input, init) => fetch(input, init) });
    await app.agent.get('/auth/trackmania');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.opened).toBe(0);
    const result = await signIn(app, 'trackmania');
    expect(result.callback!.headers.location).toBe('/me');
  });

  it('refuses a preconnect option that is not a boolean', () => {
    expect(() => new Strategy({ ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1/cb', preconnect: 'yes' as never }, async () => false)).toThrow(
      'trackmania strategy: preconnect must be true or false, got yes',
    );
  });

  it('a sign-in whose preconnected connection the provider closed still succeeds, on a new connection', async () => {
    const { app, users } = await start();
    const started = await app.agent.get('/auth/trackmania');
    await proxy.opening(1);
    proxy.dropAll();
    await eventually(() => proxy.open === 0);
    const consent = await fetch(started.headers.location as string, { redirect: 'manual' });
    const callback = await app.agent.get(new URL(consent.headers.get('location')!).pathname + new URL(consent.headers.get('location')!).search);
    expect(callback.headers.location).toBe('/me');
    expect(users).toHaveLength(1);
    expect(tokenRequests()).toBe(1);
  });

  it('a sign-in whose token request meets the provider closing the preconnected connection still succeeds', async () => {
    const { app, users } = await start();
    const started = await app.agent.get('/auth/trackmania');
    await proxy.opening(1);
    proxy.closeOnNextBytes(1);
    const consent = await fetch(started.headers.location as string, { redirect: 'manual' });
    const location = new URL(consent.headers.get('location')!);
    const callback = await app.agent.get(location.pathname + location.search);
    expect(callback.headers.location).toBe('/me');
    expect(users).toHaveLength(1);
    // The token request that met the close never reached the provider; the code was exchanged once.
    expect(tokenRequests()).toBe(1);
    expect(proxy.opened).toBe(2);
  });
});
