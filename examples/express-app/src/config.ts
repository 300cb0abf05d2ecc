import { randomBytes } from 'node:crypto';
import { PROVIDERS, type ProviderName } from './providers';

/** A provider's real credentials, read from the environment. */
export interface ProviderCredentials {
  clientID: string;
  clientSecret: string;
  /** Absolute callback URL registered with the provider. */
  callbackURL: string;
  /** Toornament only: the application's API key. */
  apiKey?: string;
}

/** A Nadeo service (or dedicated server) account, read from the environment. */
export interface NadeoCredentials {
  login: string;
  password: string;
  userAgent: string;
}

/**
 * What keeps hostile visitors from exhausting the app or a provider: session lifetimes, per-address request
 * limits, and the token helpers' cache and concurrency. Each one has an environment variable (see the README).
 */
export interface AppLimits {
  /** Lifetime of a signed-in session (SESSION_MINUTES). */
  sessionMinutes: number;
  /** Lifetime of the session a visitor gets before signing in, e.g. at a sign-in start (PRE_LOGIN_SESSION_MINUTES). */
  preLoginSessionMinutes: number;
  /** Window of the per-address request limits (RATE_LIMIT_WINDOW_SECONDS). */
  rateLimitWindowSeconds: number;
  /** Requests to `/auth/*` per client address per window; 0 turns the limit off (AUTH_RATE_LIMIT). */
  authRateLimit: number;
  /** Requests to `/demo` per client address per window; 0 turns the limit off (DEMO_RATE_LIMIT). */
  demoRateLimit: number;
  /** How long a token-helper result is shown again before the provider is asked anew (DEMO_CACHE_SECONDS). */
  demoCacheSeconds: number;
  /** Token-helper lookups running at once; past it, `/demo` answers 503 (DEMO_CONCURRENCY). */
  demoConcurrency: number;
}

export const DEFAULT_LIMITS: Readonly<AppLimits> = {
  sessionMinutes: 8 * 60,
  preLoginSessionMinutes: 10,
  rateLimitWindowSeconds: 60,
  authRateLimit: 20,
  demoRateLimit: 20,
  demoCacheSeconds: 60,
  demoConcurrency: 2,
};

/** Environment variable, smallest and largest value of each limit. */
const LIMIT_VARIABLES: ReadonlyArray<[keyof AppLimits, string, number, number]> = [
  ['sessionMinutes', 'SESSION_MINUTES', 1, 30 * 24 * 60],
  ['preLoginSessionMinutes', 'PRE_LOGIN_SESSION_MINUTES', 1, 24 * 60],
  ['rateLimitWindowSeconds', 'RATE_LIMIT_WINDOW_SECONDS', 1, 24 * 3600],
  ['authRateLimit', 'AUTH_RATE_LIMIT', 0, 1_000_000],
  ['demoRateLimit', 'DEMO_RATE_LIMIT', 0, 1_000_000],
  ['demoCacheSeconds', 'DEMO_CACHE_SECONDS', 1, 24 * 3600],
  ['demoConcurrency', 'DEMO_CONCURRENCY', 1, 1000],
];

export interface AppConfig {
  port: number;
  /** Interface the app listens on. */
  host: string;
  /** Where users reach the app: the printed URL and the base of default callback URLs. */
  baseURL: string;
  sessionSecret: string;
  /** True when SESSION_SECRET was missing and a random one was made for this process. */
  sessionSecretGenerated: boolean;
  /** Sessions, rate limits and the Nadeo limits in Redis when set; in memory otherwise. */
  redisURL?: string;
  /** Deadline of every Redis call (session reads and writes, rate limits, readiness), ms (REDIS_TIMEOUT_MS). */
  redisTimeoutMs: number;
  /** Express `trust proxy`: `false` unless TRUST_PROXY is set, else a hop count or an address list (never `true`). */
  trustProxy: false | number | string;
  /** One deadline per sign-in, and the longest a shutdown waits for requests in flight, ms (LOGIN_TIMEOUT_SECONDS). */
  loginTimeoutMs: number;
  /**
   * Where emulators already run (EMULATORS_URL: host and first port, see `src/emulators.ts`): every process of the
   * app uses them instead of starting its own, so that a sign-in started on one process can end on another.
   */
  emulatorsURL?: string;
  /** Real credentials per provider; a provider without them runs on its emulator. */
  credentials: Partial<Record<ProviderName, ProviderCredentials>>;
  nadeo?: NadeoCredentials;
  limits: AppLimits;
  /** The Openplanet plugin's auth secret (the plugin API); without it, the Openplanet emulator. */
  openplanet?: { secret: string; userAgent?: string };
  /** Things the operator should know at start (printed by main). */
  warnings: string[];
}

/** The environment is wrong in a way the app cannot guess around. The message says which variable and why. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value ? value : undefined;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (0-65535), got "${value}"`);
  return port;
}

function parseLimits(env: Env): AppLimits {
  const limits: AppLimits = { ...DEFAULT_LIMITS };
  for (const [field, key, min, max] of LIMIT_VARIABLES) {
    const value = read(env, key);
    if (value === undefined) continue;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got "${value}"`);
    limits[field] = n;
  }
  if (limits.preLoginSessionMinutes > limits.sessionMinutes) throw new ConfigError('PRE_LOGIN_SESSION_MINUTES must not be more than SESSION_MINUTES');
  return limits;
}

function parseURL(key: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${key} must be an absolute URL, got "${value}"`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${key} must be a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
  return value;
}

/**
 * `true` is refused: Express would then take the left-most `X-Forwarded-For` address, which any client writes
 * itself, and the per-address rate limits would count whatever address a client makes up. A hop count trusts
 * exactly the proxies in front of the app; an address list trusts only those peers.
 */
function parseTrustProxy(value: string | undefined): false | number | string {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (/^(true|yes|on|all|\*)$/i.test(value)) {
    throw new ConfigError(
      `TRUST_PROXY=${value} would trust any X-Forwarded-For a client sends (and let it pick its address for the rate limits): set the number of proxies in front of the app (1 behind one proxy), or their addresses (loopback, 10.0.0.5, 10.0.0.0/8)`,
    );
  }
  if (/^\d+$/.test(value)) {
    if (Number(value) > 10) throw new ConfigError(`TRUST_PROXY must be a hop count from 1 to 10 or an address list, got "${value}"`);
    return Number(value);
  }
  // Names (`loopback`, `uniquelocal`), addresses and subnets, comma separated, as Express takes them.
  if (!/^[\w.:/\s,-]+$/.test(value))
    throw new ConfigError(
      `TRUST_PROXY must be a hop count or a comma-separated list of addresses, subnets or names (loopback, linklocal, uniquelocal), got "${value}"`,
    );
  return value;
}

/** A whole number variable within bounds, or its default. */
function parseWhole(env: Env, key: string, fallback: number, min: number, max: number): number {
  const value = read(env, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/**
 * Reads the app's settings from the environment. Throws a `ConfigError` naming the variable for anything
 * invalid; never puts a secret in a message.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const warnings: string[] = [];
  const port = parsePort(read(env, 'PORT'));
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const baseURL = parseURL('BASE_URL', read(env, 'BASE_URL') ?? `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');

  let sessionSecret = read(env, 'SESSION_SECRET');
  const sessionSecretGenerated = sessionSecret === undefined;
  if (sessionSecret === undefined) {
    sessionSecret = randomBytes(32).toString('base64url');
    warnings.push('SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.');
  } else if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters (for example: openssl rand -base64 32)');
  }

  const redisURLValue = read(env, 'REDIS_URL');
  const redisURL = redisURLValue === undefined ? undefined : parseURL('REDIS_URL', redisURLValue, ['redis:', 'rediss:']);
  if (redisURL === undefined) warnings.push('REDIS_URL is not set: sessions are kept in memory, which suits one process only.');

  const credentials: Partial<Record<ProviderName, ProviderCredentials>> = {};
  for (const provider of PROVIDERS) {
    const names = provider.env;
    const clientID = read(env, names.clientID);
    const clientSecret = read(env, names.clientSecret);
    const callbackURL = read(env, names.callbackURL);
    const apiKey = names.apiKey ? read(env, names.apiKey) : undefined;
    if (clientID === undefined && clientSecret === undefined) {
      if (callbackURL !== undefined || apiKey !== undefined) {
        throw new ConfigError(
          `${provider.label}: ${callbackURL !== undefined ? names.callbackURL : names.apiKey} is set, but ${names.clientID} and ${names.clientSecret} are not`,
        );
      }
      continue;
    }
    if (clientID === undefined || clientSecret === undefined) {
      throw new ConfigError(`${provider.label}: set both ${names.clientID} and ${names.clientSecret}, or neither (to use its emulator)`);
    }
    if (names.apiKey && apiKey === undefined) throw new ConfigError(`${provider.label}: ${names.apiKey} is required with real credentials`);
    credentials[provider.name] = {
      clientID,
      clientSecret,
      callbackURL: callbackURL === undefined ? `${baseURL}/auth/${provider.name}/callback` : parseURL(names.callbackURL, callbackURL, ['http:', 'https:']),
      ...(apiKey === undefined ? {} : { apiKey }),
    };
  }

  const nadeoLogin = read(env, 'NADEO_LOGIN');
  const nadeoPassword = read(env, 'NADEO_PASSWORD');
  let nadeo: NadeoCredentials | undefined;
  if (nadeoLogin !== undefined || nadeoPassword !== undefined) {
    if (nadeoLogin === undefined || nadeoPassword === undefined)
      throw new ConfigError('Nadeo: set both NADEO_LOGIN and NADEO_PASSWORD, or neither (to use its emulator)');
    const userAgent = read(env, 'NADEO_USER_AGENT');
    if (userAgent === undefined)
      throw new ConfigError('Nadeo: NADEO_USER_AGENT is required with a real account (Nadeo asks for a descriptive User-Agent with a contact)');
    nadeo = { login: nadeoLogin, password: nadeoPassword, userAgent };
  }

  const openplanetSecret = read(env, 'OPENPLANET_SECRET');
  const openplanetUserAgent = read(env, 'OPENPLANET_USER_AGENT');
  if (openplanetUserAgent !== undefined && openplanetSecret === undefined)
    throw new ConfigError('Openplanet: OPENPLANET_USER_AGENT is set, but OPENPLANET_SECRET is not');
  const openplanet =
    openplanetSecret === undefined ? undefined : { secret: openplanetSecret, ...(openplanetUserAgent === undefined ? {} : { userAgent: openplanetUserAgent }) };

  const emulatorsValue = read(env, 'EMULATORS_URL');
  const emulatorsURL = emulatorsValue === undefined ? undefined : parseURL('EMULATORS_URL', emulatorsValue, ['http:']).replace(/\/+$/, '');
  if (emulatorsURL !== undefined && new URL(emulatorsURL).port === '')
    throw new ConfigError('EMULATORS_URL must name the first port of the emulators, e.g. http://127.0.0.1:4100');

  return {
    port,
    host,
    baseURL,
    sessionSecret,
    sessionSecretGenerated,
    ...(redisURL === undefined ? {} : { redisURL }),
    redisTimeoutMs: parseWhole(env, 'REDIS_TIMEOUT_MS', 1000, 50, 60_000),
    trustProxy: parseTrustProxy(read(env, 'TRUST_PROXY')),
    loginTimeoutMs: parseWhole(env, 'LOGIN_TIMEOUT_SECONDS', 30, 1, 600) * 1000,
    ...(emulatorsURL === undefined ? {} : { emulatorsURL }),
    credentials,
    ...(nadeo === undefined ? {} : { nadeo }),
    limits: parseLimits(env),
    ...(openplanet === undefined ? {} : { openplanet }),
    warnings,
  };
}
