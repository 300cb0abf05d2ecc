import { randomBytes } from 'node:crypto';
import { nowSeconds } from './jwt';
import { EmulatorServer, type RecordedRequest, type Reply, type StartOptions } from './server';

/** A player as Openplanet's Auth API names them: the Trackmania account id and the display name. */
export interface OpenplanetUser {
  /** The Trackmania account id. */
  accountId: string;
  /** The display name. */
  displayName: string;
}

/** A plugin registered on openplanet.dev with authentication enabled: its `siteid` and its auth secret. */
export interface OpenplanetPlugin {
  /** The plugin's `siteid` on openplanet.dev. */
  siteId: number;
  /** The plugin's auth secret. */
  secret: string;
}

/** Options of `OpenplanetEmulator`. */
export interface OpenplanetEmulatorOptions {
  /** Default: `[DEFAULT_OPENPLANET_PLUGIN]`; the first goes into `strategyOptions()`. */
  plugins?: OpenplanetPlugin[];
  /** Default: two sample players; `issuePluginToken()` without a user signs in as the first. */
  users?: OpenplanetUser[];
  /** Seconds a plugin token stays valid. Default 300 (about five minutes, as Openplanet says of its tokens). */
  tokenLifetime?: number;
  /**
   * Refuse a token the second time it is validated. Default `false`: whether Openplanet accepts a token more
   * than once within its lifetime is not documented; this lets a test prove a server validates each token once.
   */
  singleUse?: boolean;
}

/** The plugin the emulator knows by default: site id 123 and a fixed secret. */
export const DEFAULT_OPENPLANET_PLUGIN: Readonly<OpenplanetPlugin> = { siteId: 123, secret: 'emulator-plugin-secret' };

/** The path of the validate endpoint on `api.openplanet.dev` (the preferred host). */
export const OPENPLANET_VALIDATE_PATH = '/auth/validate';
/** The path on `openplanet.dev`, the older host, which still answers. */
export const OPENPLANET_LEGACY_VALIDATE_PATH = '/api/auth/validate';

const SAMPLE_USERS: OpenplanetUser[] = [
  { accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' },
  { accountId: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0', displayName: 'Wirtual' },
];

interface IssuedToken {
  user: OpenplanetUser;
  siteId: number;
  issuedAt: number;
  expiresAt: number;
  validations: number;
}

// Openplanet's refusals are `{ "error": "..." }` (its example server reads only that field); the texts are the
// emulator's own, the real ones are not documented.
const refuse = (error: string): Reply => ({ status: 200, body: { error } });

/**
 * Openplanet's plugin Auth API: `POST /auth/validate` (and the older `/api/auth/validate`) with a form body
 * `token=<plugin token>&secret=<plugin secret>` (urlencoded or multipart), answering `{ account_id, display_name, token_time }` or
 * `{ error }`. `issuePluginToken()` stands for `Auth::GetToken()` in a plugin.
 */
export class OpenplanetEmulator extends EmulatorServer {
  /** The plugins whose secrets are accepted. */
  readonly plugins: OpenplanetPlugin[];
  /** The players plugin tokens are issued for. */
  readonly users: OpenplanetUser[];
  /** Seconds a plugin token stays valid. Default 300. */
  tokenLifetime: number;
  /** Whether a token is refused the second time it is validated. Default `false`. */
  singleUse: boolean;
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(options: OpenplanetEmulatorOptions = {}) {
    super([]);
    this.plugins = (options.plugins ?? [DEFAULT_OPENPLANET_PLUGIN]).map((p) => ({ ...p }));
    this.users = (options.users ?? SAMPLE_USERS).map((u) => ({ ...u }));
    this.tokenLifetime = options.tokenLifetime ?? 300;
    this.singleUse = options.singleUse ?? false;
    // 5xx faults answer what a proxy in front of the site would (HTML); 4xx faults Openplanet's `{ error }`.
    const faultBody = (status: number) =>
      status >= 500 ? `<html><body><h1>${status}</h1>Emulated server error</body></html>` : { error: `Emulated HTTP ${status}` };
    for (const path of [OPENPLANET_VALIDATE_PATH, OPENPLANET_LEGACY_VALIDATE_PATH]) {
      this.addRoute({ endpoint: 'validate', method: 'POST', path, handler: ({ request }) => this.validate(request), faultBody });
    }
    // Not Openplanet's: what a plugin would get from Auth::GetToken(), for trying a server by hand (curl).
    this.addRoute({ endpoint: 'plugin-token', method: 'POST', path: '/emulator/plugin-token', handler: ({ request }) => this.pluginTokenRoute(request) });
    // Load tests validate thousands of tokens; the requests must stay countable.
    this.maxRecorded = 100_000;
  }

  /** Options for passport-openplanet against this emulator, with its first plugin's secret. */
  strategyOptions(): {
    /** The first plugin's secret. */
    secret: string;
    /** This emulator's validate URL. */
    validateURL: string;
  } {
    const plugin = this.plugins[0] ?? DEFAULT_OPENPLANET_PLUGIN;
    return { secret: plugin.secret, validateURL: `${this.url}${OPENPLANET_VALIDATE_PATH}` };
  }

  /**
   * A token as `Auth::GetToken()` gives a plugin: for a player (default the first user; any account works, not
   * only `users`), for a plugin (default the first), issued now or at `issuedAt` (epoch seconds, for tokens that
   * are already old), valid `lifetime` seconds (default `tokenLifetime`).
   */
  issuePluginToken(user?: OpenplanetUser | string, options: { siteId?: number; issuedAt?: number; lifetime?: number } = {}): string {
    const player = typeof user === 'string' ? this.users.find((u) => u.accountId === user) : (user ?? this.users[0]);
    if (!player) throw new Error(`unknown Openplanet emulator user ${String(user)}`);
    const siteId = options.siteId ?? this.plugins[0]?.siteId ?? DEFAULT_OPENPLANET_PLUGIN.siteId;
    const issuedAt = options.issuedAt ?? nowSeconds();
    const token = randomBytes(32).toString('base64url');
    if (this.tokens.size >= 10_000) this.forgetExpired();
    this.tokens.set(token, { user: { ...player }, siteId, issuedAt, expiresAt: issuedAt + (options.lifetime ?? this.tokenLifetime), validations: 0 });
    return token;
  }

  /** How many times a token was validated successfully. */
  validations(token: string): number {
    return this.tokens.get(token)?.validations ?? 0;
  }

  /** Forgets a token at once, as if it had expired. */
  revokePluginToken(token: string): void {
    this.tokens.delete(token);
  }

  private forgetExpired(): void {
    const now = nowSeconds();
    for (const [token, issued] of this.tokens) if (now >= issued.expiresAt) this.tokens.delete(token);
  }

  private validate(request: RecordedRequest): Reply {
    // PHP reads form bodies (urlencoded or multipart) into $_POST: a JSON body looks like one without fields.
    const form = request.form ?? multipartFields(request) ?? {};
    const secret = form.secret ?? '';
    const token = form.token ?? '';
    if (!secret) return refuse('Missing secret');
    const plugin = this.plugins.find((p) => p.secret === secret);
    if (!plugin) return refuse('Invalid secret');
    if (!token) return refuse('Missing token');
    const issued = this.tokens.get(token);
    if (!issued || issued.siteId !== plugin.siteId) return refuse('Invalid token');
    if (nowSeconds() >= issued.expiresAt) {
      this.tokens.delete(token);
      return refuse('Token expired');
    }
    if (this.singleUse && issued.validations > 0) return refuse('Token already used');
    issued.validations += 1;
    return { body: { account_id: issued.user.accountId, display_name: issued.user.displayName, token_time: issued.issuedAt } };
  }

  private pluginTokenRoute(request: RecordedRequest): Reply {
    const fields = request.form ?? (request.json as Record<string, unknown> | undefined) ?? {};
    const accountId = typeof fields.accountId === 'string' && fields.accountId ? fields.accountId : undefined;
    const user = accountId ? this.users.find((u) => u.accountId === accountId) : this.users[0];
    if (!user) return { status: 404, body: { error: 'Unknown user' } };
    return { body: { token: this.issuePluginToken(user), account_id: user.accountId, display_name: user.displayName } };
  }
}

/**
 * The text fields of a `multipart/form-data` body (what `FormData` sends), or `undefined` for another body. One pass
 * over the body; files and malformed parts are left out.
 */
function multipartFields(request: Pick<RecordedRequest, 'headers' | 'body'>): Record<string, string> | undefined {
  const type = request.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  if (!boundary) return undefined;
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string> = {};
  for (const part of request.body.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const disposition = /^content-disposition:\s*form-data;\s*name="([^"]*)"(;\s*filename=)?/im.exec(part.slice(0, split));
    if (!disposition || disposition[2] || !disposition[1]) continue;
    fields[disposition[1]] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}

/** Starts an Openplanet Auth API emulator on a free loopback port. */
export function startOpenplanetEmulator(options: OpenplanetEmulatorOptions & StartOptions = {}): Promise<OpenplanetEmulator> {
  return new OpenplanetEmulator(options).start(options);
}
