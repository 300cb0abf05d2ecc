import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../src/config';
import { safeReturnTo } from '../src/security';
import { needsBinary } from '../../../test-support/services';

const SECRET = 'a-session-secret-of-at-least-32-characters';

describe('loadConfig', () => {
  it('runs every provider on its emulator with an empty environment, with warnings for the secret and the store', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.baseURL).toBe('http://localhost:3000');
    expect(config.credentials).toEqual({});
    expect(config.nadeo).toBeUndefined();
    expect(config.sessionSecretGenerated).toBe(true);
    expect(config.sessionSecret).toMatch(/^[\w-]{43}$/);
    expect(loadConfig({}).sessionSecret).not.toBe(config.sessionSecret);
    expect(config.warnings).toEqual([
      'SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.',
      'REDIS_URL is not set: sessions are kept in memory, which suits one process only.',
    ]);
    expect(config.trustProxy).toBe(false);
    expect(config.limits).toEqual({
      sessionMinutes: 480,
      preLoginSessionMinutes: 10,
      rateLimitWindowSeconds: 60,
      authRateLimit: 20,
      demoRateLimit: 20,
      demoCacheSeconds: 60,
      demoConcurrency: 2,
    });
  });

  it('reads the limits', () => {
    const config = loadConfig({
      SESSION_MINUTES: '60',
      PRE_LOGIN_SESSION_MINUTES: '5',
      RATE_LIMIT_WINDOW_SECONDS: '300',
      AUTH_RATE_LIMIT: '0',
      DEMO_RATE_LIMIT: '7',
      DEMO_CACHE_SECONDS: '10',
      DEMO_CONCURRENCY: '4',
    });
    expect(config.limits).toEqual({
      sessionMinutes: 60,
      preLoginSessionMinutes: 5,
      rateLimitWindowSeconds: 300,
      authRateLimit: 0,
      demoRateLimit: 7,
      demoCacheSeconds: 10,
      demoConcurrency: 4,
    });
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
  });

  it('reads real credentials, with a default callback URL from BASE_URL', () => {
    const config = loadConfig({
      SESSION_SECRET: SECRET,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '8080',
      BASE_URL: 'https://app.example/',
      TRUST_PROXY: '1',
      TRACKMANIA_CLIENT_ID: 'id',
      TRACKMANIA_CLIENT_SECRET: 'secret',
      TOORNAMENT_CLIENT_ID: 'tid',
      TOORNAMENT_CLIENT_SECRET: 'tsecret',
      TOORNAMENT_API_KEY: 'key',
      TOORNAMENT_CALLBACK_URL: 'https://app.example/custom/callback',
    });
    expect(config.warnings).toEqual([]);
    expect(config.port).toBe(8080);
    expect(config.trustProxy).toBe(1);
    expect(config.redisURL).toBe('redis://127.0.0.1:6379');
    expect(config.credentials).toEqual({
      trackmania: { clientID: 'id', clientSecret: 'secret', callbackURL: 'https://app.example/auth/trackmania/callback' },
      toornament: { clientID: 'tid', clientSecret: 'tsecret', apiKey: 'key', callbackURL: 'https://app.example/custom/callback' },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number (0-65535), got "eighty"'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET must be at least 32 characters (for example: openssl rand -base64 32)'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL must be a redis: or rediss: URL, got "http:"'],
    [{ TRACKMANIA_CLIENT_ID: 'id' }, 'Trackmania: set both TRACKMANIA_CLIENT_ID and TRACKMANIA_CLIENT_SECRET, or neither (to use its emulator)'],
    [
      { MANIAPLANET_CALLBACK_URL: 'http://x/cb' },
      'ManiaPlanet: MANIAPLANET_CALLBACK_URL is set, but MANIAPLANET_CLIENT_ID and MANIAPLANET_CLIENT_SECRET are not',
    ],
    [{ TOORNAMENT_CLIENT_ID: 'id', TOORNAMENT_CLIENT_SECRET: 'very-secret-value' }, 'Toornament: TOORNAMENT_API_KEY is required with real credentials'],
    [
      { TRACKMAGE_CLIENT_ID: 'id', TRACKMAGE_CLIENT_SECRET: 's', TRACKMAGE_CALLBACK_URL: 'not a url' },
      'TRACKMAGE_CALLBACK_URL must be an absolute URL, got "not a url"',
    ],
    [{ AUTH_RATE_LIMIT: '-1' }, 'AUTH_RATE_LIMIT must be a whole number from 0 to 1000000, got "-1"'],
    [{ DEMO_CONCURRENCY: '0' }, 'DEMO_CONCURRENCY must be a whole number from 1 to 1000, got "0"'],
    [{ SESSION_MINUTES: '1.5' }, 'SESSION_MINUTES must be a whole number from 1 to 43200, got "1.5"'],
    [{ SESSION_MINUTES: '5', PRE_LOGIN_SESSION_MINUTES: '10' }, 'PRE_LOGIN_SESSION_MINUTES must not be more than SESSION_MINUTES'],
    [
      { NADEO_LOGIN: 'login', NADEO_PASSWORD: 'pw' },
      'Nadeo: NADEO_USER_AGENT is required with a real account (Nadeo asks for a descriptive User-Agent with a contact)',
    ],
  ])('refuses %j clearly', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('reads the operations settings: Redis deadline, sign-in deadline, emulators of another process', () => {
    const defaults = loadConfig({});
    expect([defaults.redisTimeoutMs, defaults.loginTimeoutMs, defaults.emulatorsURL]).toEqual([1000, 30_000, undefined]);
    const set = loadConfig({ REDIS_TIMEOUT_MS: '250', LOGIN_TIMEOUT_SECONDS: '5', EMULATORS_URL: 'http://127.0.0.1:4100/' });
    expect([set.redisTimeoutMs, set.loginTimeoutMs, set.emulatorsURL]).toEqual([250, 5000, 'http://127.0.0.1:4100']);
    expect(() => loadConfig({ REDIS_TIMEOUT_MS: '0' })).toThrow('REDIS_TIMEOUT_MS must be a whole number from 50 to 60000, got "0"');
    expect(() => loadConfig({ LOGIN_TIMEOUT_SECONDS: '1e3' })).toThrow('LOGIN_TIMEOUT_SECONDS must be a whole number from 1 to 600, got "1e3"');
    expect(() => loadConfig({ EMULATORS_URL: 'http://127.0.0.1' })).toThrow(
      'EMULATORS_URL must name the first port of the emulators, e.g. http://127.0.0.1:4100',
    );
    expect(() => loadConfig({ EMULATORS_URL: 'redis://127.0.0.1:4100' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow('TRUST_PROXY must be a hop count from 1 to 10 or an address list, got "11"');
    expect(() => loadConfig({ TRUST_PROXY: '<script>' })).toThrow(ConfigError);
  });

  it('never puts a secret in its messages', () => {
    try {
      loadConfig({ TOORNAMENT_CLIENT_ID: 'id', TOORNAMENT_CLIENT_SECRET: 'very-secret-value' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).not.toContain('very-secret-value');
    }
  });
});

describe('safeReturnTo', () => {
  it.each(['/', '/profile', '/demo?accountIds=a,b', '/a/b#c'])('keeps the same-site path %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'http:/evil',
    'evil.example',
    'javascript:alert(1)',
    '/\tx',
    '',
    undefined,
    ['/a'],
    '/'.padEnd(3000, 'a'),
  ])('refuses %j', (value) => {
    expect(safeReturnTo(value)).toBeUndefined();
  });
});

describe('suites that need a binary (chromium, redis-server)', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    jest.restoreAllMocks();
  });

  it('are skipped with a message saying how to install it, outside CI', () => {
    delete process.env.CI;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    expect(needsBinary(undefined, 'chromium', 'apt-get install -y chromium')).toBe(false);
    expect(warn).toHaveBeenCalledWith('chromium not found: these tests are skipped. Install it with: apt-get install -y chromium');
  });

  it('run (and fail) under CI=true', () => {
    process.env.CI = 'true';
    expect(needsBinary(undefined, 'chromium', 'apt-get install -y chromium')).toBe(true);
  });

  it('run when the binary is there', () => {
    expect(needsBinary('/usr/bin/chromium', 'chromium', 'apt-get install -y chromium')).toBe(true);
  });
});
