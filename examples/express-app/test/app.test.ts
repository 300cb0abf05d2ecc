import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signIn } from '../../../test-support/harness';
import { PROVIDER_FAILURE_MESSAGES } from '../src/errors';
import { PROVIDERS } from '../src/providers';
import type { SessionUser } from '../src/user';
import { allSessions, csrfFrom, emulatorOf as emulatorIn, startExampleApp, type ExampleApp } from './helpers';

let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp({ timeout: 400 });
});
afterAll(() => app.close());
afterEach(async () => {
  for (const p of app.providers) emulatorOf(p.entry.name).clearFaults();
  // Each test starts signed out.
  const home = await app.agent.get('/profile');
  if (home.status === 200)
    await app.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
});

const emulatorOf = (name: string) => emulatorIn(app, name);

const STACK_LINE = /\n\s+at .+\(.+:\d+:\d+\)|at Object\.|node:internal/;

describe('the providers of the collection', () => {
  it('has one registry entry per strategy package in packages/', () => {
    const packages = readdirSync(join(__dirname, '../../../packages'))
      .filter((dir) => dir.startsWith('passport-') && existsSync(join(__dirname, '../../../packages', dir, 'src/index.ts')))
      // Not a sign-in page provider: a plugin's server half, with its own API (test/openplanet.test.ts).
      .filter((dir) => dir !== 'passport-openplanet')
      .map((dir) => dir.slice('passport-'.length))
      .sort();
    expect(packages.length).toBeGreaterThan(0);
    expect(PROVIDERS.map((p) => p.name).sort()).toEqual(packages);
  });

  it('shows a sign-in button per provider on the home page, each marked emulated', async () => {
    const res = await app.agent.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const p of PROVIDERS) {
      expect(res.text).toContain(`<a class="button" id="signin-${p.name}" href="/auth/${p.name}">Sign in with ${p.label}</a>`);
      const item = new RegExp(`<li id="provider-${p.name}">.*?</li>`).exec(res.text)?.[0];
      expect(item).toContain('<span class="badge">emulated</span>');
      expect(item).toContain(p.env.clientID);
    }
    // Anonymous visitors get no session cookie.
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe.each(PROVIDERS.map((p) => [p.name, p] as const))('signing in with %s through its emulator', (name, entry) => {
  it('shows the normalized profile, the raw profile, the scopes and the expiry, never a token', async () => {
    const { start, callback } = await signIn(app, name);
    expect(start.status).toBe(302);
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe('/profile');

    const profile = await app.agent.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain(`<dt>provider</dt><dd>${name}</dd>`);
    expect(profile.text).toMatch(/<dt>id<\/dt><dd><code>[^<]+<\/code><\/dd>/);
    expect(profile.text).toContain('<h2>Raw profile</h2>');
    expect(profile.text).toMatch(/<span id="expires">\d{4}-\d\d-\d\dT[\d:]+Z \(in \d+ minutes\)<\/span>/);
    for (const scope of entry.scope) expect(profile.text).toContain(`<code>${scope}</code>`);
    expect(profile.text).toContain('held on the server');

    // The tokens are in the session store, and nowhere on the page.
    const users = (await allSessions(app.store)).map((s) => (s.passport as { user?: SessionUser } | undefined)?.user).filter((u) => u?.provider === name);
    const tokens = users.at(-1)!.tokens;
    expect(tokens.accessToken.length).toBeGreaterThan(20);
    expect(tokens.refreshToken!.length).toBeGreaterThan(20);
    expect(profile.text).not.toContain(tokens.accessToken);
    expect(profile.text).not.toContain(tokens.refreshToken);
  });

  it('shows the failure page with the message when the user denies access', async () => {
    const { callback } = await signIn(app, name, { decision: 'deny' });
    expect(callback!.headers.location).toBe(`/auth/failure?provider=${name}`);
    const page = await app.agent.get(callback!.headers.location as string);
    expect(page.status).toBe(401);
    expect(page.text).toContain(`<p class="muted">${entry.label}</p>`);
    expect(page.text).toMatch(/<p class="message" id="failure-message">[^<]*denied[^<]*<\/p>/i);
    expect(page.text).not.toMatch(STACK_LINE);
  });
});

describe('provider-specific profile fields', () => {
  it('greets a ManiaPlanet user by the plain nickname and shows the e-mail granted by the email scope', async () => {
    await signIn(app, 'maniaplanet');
    const profile = await app.agent.get('/profile');
    expect(profile.text).toContain('<h1>SomePlayer</h1>');
    // The nickname in its colours, not its raw codes.
    expect(profile.text).toContain(
      '<dt>displayName</dt><dd><span class="formatted"><span style="color:#ff0000">Some</span><span style="color:#ffffff">Player</span></span></dd>',
    );
    expect(profile.text).toContain('<dt>displayNamePlain</dt><dd>SomePlayer</dd>');
    expect(profile.text).toMatch(/<dt>emails<\/dt><dd>someplayer@example\.com/);
    const home = await app.agent.get('/');
    expect(home.text).toContain('Signed in with <strong>ManiaPlanet</strong> as <strong id="signed-in-as">SomePlayer</strong>');
  });
});

describe('failures', () => {
  it("shows a fixed message when the user denies access, never the provider's text, without a stack trace", async () => {
    const { callback } = await signIn(app, 'trackmania', { decision: 'deny' });
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe('/auth/failure?provider=trackmania');
    const page = await app.agent.get('/auth/failure?provider=trackmania');
    expect(page.status).toBe(401);
    expect(page.text).toContain('<p class="message" id="failure-message">Access denied at trackmania</p>');
    expect(page.text).not.toContain('The resource owner denied the request.');
    expect(page.text).toContain('Trackmania');
    expect(page.text).not.toMatch(STACK_LINE);
    // The message is shown once.
    const again = await app.agent.get('/auth/failure');
    expect(again.text).not.toContain('denied');
  });

  it('shows a timeout of the profile call as such; the details go to the log', async () => {
    emulatorOf('trackmania').fault('user', { type: 'hang' });
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBe(504);
    expect(callback!.text).toContain('<h1>The provider did not answer in time</h1>');
    expect(callback!.text).toContain(`id="failure-message">${PROVIDER_FAILURE_MESSAGES.timeout}</p>`);
    expect(callback!.text).not.toContain('timed out after');
    expect(callback!.text).not.toMatch(STACK_LINE);
    expect(app.logged.at(-1)).toMatch(/^ERROR provider GET \/auth\/trackmania\/callback: ProviderError: trackmania: GET .* timed out after 400 ms$/);
  });

  it("shows a fixed message when the code exchange fails: the token endpoint's own text goes to the log only", async () => {
    emulatorOf('trackmania').fault('token', { type: 'status', status: 503 }, { times: 1 });
    const { callback } = await signIn(app, 'trackmania');
    expect(callback!.status).toBe(502);
    expect(callback!.text).toContain(`id="failure-message">${PROVIDER_FAILURE_MESSAGES.provider}</p>`);
    expect(callback!.text).not.toContain('Emulated HTTP 503');
    expect(app.logged.at(-1)).toMatch(/^ERROR provider GET \/auth\/trackmania\/callback: TokenError: trackmania: Emulated HTTP 503$/);
    expect(callback!.text).not.toMatch(STACK_LINE);
    expect(callback!.text).not.toContain('emulator-client-secret');
  });

  it('refuses a callback without the state of a sign-in started here', async () => {
    const res = await app.agent.get('/auth/trackmania/callback?code=forged&state=forged');
    expect(res.status).toBe(302);
    const page = await app.agent.get(res.headers.location as string);
    expect(page.text).toContain('Unable to verify authorization request state.');
  });

  it('answers an unknown path with a 404 page', async () => {
    const res = await app.agent.get('/auth/nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Not found');
  });
});

describe('refresh and logout', () => {
  it('refreshes the tokens through strategy.refresh() with a CSRF-protected POST', async () => {
    await signIn(app, 'trackmania');
    const before = emulatorOf('trackmania').requestsTo('token').length;
    const profile = await app.agent.get('/profile');
    const refused = await app.agent.post('/refresh').type('form').send({});
    expect(refused.status).toBe(403);
    expect(emulatorOf('trackmania').requestsTo('token')).toHaveLength(before);

    const res = await app.agent
      .post('/refresh')
      .type('form')
      .send({ _csrf: csrfFrom(profile.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/profile');
    const grants = emulatorOf('trackmania').requestsTo('token').slice(before);
    expect(grants.map((g) => g.form?.grant_type)).toEqual(['refresh_token']);
    const after = await app.agent.get('/profile');
    expect(after.text).toContain('<p class="notice" id="notice">Tokens refreshed.</p>');
    expect(after.text).toMatch(/<span id="refreshed-at">/);

    // Rotation: the second refresh uses the new refresh token, and succeeds.
    const second = await app.agent
      .post('/refresh')
      .type('form')
      .send({ _csrf: csrfFrom(after.text) });
    expect(second.headers.location).toBe('/profile');
    const [first, next] = emulatorOf('trackmania')
      .requestsTo('token')
      .slice(before)
      .map((g) => g.form?.refresh_token);
    expect(next).toBeDefined();
    expect(next).not.toBe(first);
  });

  it('refuses a logout POST without the CSRF token and keeps the user signed in', async () => {
    await signIn(app, 'trackmania');
    const forged = await app.agent.post('/logout').type('form').send({ _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('did not come from this site');
    expect(forged.text).not.toMatch(STACK_LINE);
    const none = await app.agent.post('/logout');
    expect(none.status).toBe(403);
    expect((await app.agent.get('/profile')).status).toBe(200);
  });

  it('logs out with the token, changing the session', async () => {
    await signIn(app, 'trackmania');
    const profile = await app.agent.get('/profile');
    const res = await app.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(profile.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const after = await app.agent.get('/profile');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/');
    expect(await app.agent.get('/').then((r) => r.text)).toContain('Not signed in');
  });

  it('does not accept logout as a GET', async () => {
    const res = await app.agent.get('/logout');
    expect(res.status).toBe(404);
  });
});

describe('returnTo', () => {
  it.each([
    ['//evil.example', '/profile'],
    ['//evil.example/path', '/profile'],
    ['https://evil.example/', '/profile'],
    ['/\\evil.example', '/profile'],
    ['javascript:alert(1)', '/profile'],
    ['/demo?accountIds=x', '/demo?accountIds=x'],
  ])('after a sign-in with returnTo=%s, goes to %s', async (returnTo, expected) => {
    const { callback } = await signIn(app, 'trackmania', { startPath: `/auth/trackmania?returnTo=${encodeURIComponent(returnTo)}` });
    expect(callback!.status).toBe(302);
    expect(callback!.headers.location).toBe(expected);
  });
});

describe('headers and cookies', () => {
  it('sends a helmet set of security headers', async () => {
    const res = await app.agent.get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, without Secure over plain http', async () => {
    const start = await app.agent.get('/auth/trackmania');
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('changes the session id at login', async () => {
    const start = await app.agent.get('/auth/trackmania');
    const before = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!.split(';')[0];
    const { callback } = await signIn(app, 'trackmania');
    const after = (callback!.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!.split(';')[0];
    expect(after).not.toBe(before);
  });
});

describe('behind an HTTPS proxy (trust proxy)', () => {
  let proxied: ExampleApp;
  beforeAll(async () => {
    proxied = await startExampleApp({ trustProxy: 1 });
  });
  afterAll(() => proxied.close());

  it('marks the session cookie Secure and builds an https callback URL', async () => {
    const start = await proxied.agent.get('/auth/trackmania').set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'app.example');
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maniapass.sid='))!;
    expect(cookie).toMatch(/; Secure/);
    const redirect = new URL(start.headers.location as string);
    expect(redirect.searchParams.get('redirect_uri')).toBe('https://app.example/auth/trackmania/callback');
  });
});

describe('token helpers', () => {
  it('names Trackmania accounts with one cached client-credentials token', async () => {
    const tokenRequests = () =>
      emulatorOf('trackmania')
        .requestsTo('token')
        .filter((r) => r.form?.grant_type === 'client_credentials').length;
    const before = tokenRequests();
    // Other accounts than the samples are for signed-in users.
    await signIn(app, 'maniaplanet');
    const first = await app.agent.get('/demo');
    expect(first.status).toBe(200);
    expect(first.text).toContain('&#34;5b4d42f4-c2de-407d-b367-cbff3fe817bc&#34;: &#34;tooInfinite&#34;');
    expect(first.text).toContain('&#34;Wirtual&#34;');
    const second = await app.agent.get('/demo?accountIds=d2372a08-a8a1-46cb-97fb-23a161d85ad0');
    expect(second.text).toContain('&#34;Wirtual&#34;');
    expect(second.text).not.toContain('tooInfinite&#34;');
    expect(tokenRequests() - before).toBe(1);
  });

  it('calls the Nadeo Meet emulator through nadeo-auth with a NadeoLiveServices token', async () => {
    const res = await app.agent.get('/demo');
    expect(res.text).toContain('Nadeo Meet: current Cup of the Day');
    expect(res.text).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/cup-of-the-day\/current/);
    expect(res.text).toMatch(/&#34;name&#34;: &#34;COTD \d{4}-\d{2}-\d{2} #1&#34;/);
    expect(res.text).not.toContain('class="card error"');
  });
});
