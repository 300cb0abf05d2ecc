import { createHash, randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { format, parse, type UrlWithParsedQuery } from 'node:url';
import type { Request } from 'express';
import { callbackURLFor } from './callback-url';
import type { FlowStrategy, ScopeEntry, SignInSettings } from './flow';
import { openConnections } from './preconnect';
import { checkScopes, scopeList } from '@maniapass/providers';
import type { SignIn } from './sign-in';

/**
 * The authorize leg, as passport-oauth2 1.8's `authenticate()` makes it when the request brings no code: the
 * scope (a per-request one checked, and kept in the session for the callback), `authorizationParams()`,
 * `response_type`, `redirect_uri`, PKCE's challenge, the state store's `store` (by its declared length, 2 to 5),
 * then one redirect.
 */
export async function authorizeLeg(
  strategy: FlowStrategy,
  settings: SignInSettings,
  signIn: SignIn,
  req: Request,
  options: Record<string, unknown>,
): Promise<void> {
  const { provider, sessionKey } = settings;
  if (typeof options.state === 'string' && options.state !== '' && settings.checksState) {
    // passport-oauth2 would send the string instead of the state it checks, and every callback would fail.
    throw new TypeError(
      `${provider}: authenticate() got a string state, but this strategy checks state itself (state is on by default), ` +
        'so the callback would be refused. Give application state as an object with the store: true option ' +
        "(authenticate({ state: { returnTo: '/x' } }), read back as req.authInfo.state), " +
        'or set state: false on the strategy and check your string yourself.',
    );
  }
  const requested = perRequestScope(settings, options.scope);
  const scope = requested ?? settings.scope;
  keepScope((req as unknown as { session?: Record<string, unknown> }).session, sessionKey, requested);
  if (settings.preconnect) openConnections(strategy.client, settings, strategy.concurrentProfileCalls(scope), false);

  const callbackURL = callbackURLFor((options.callbackURL as string | undefined) || settings.callbackURL, req, settings.proxy);
  const params = strategy.authorizationParams(options) as Record<string, unknown>;
  params.response_type = 'code';
  if (callbackURL) params.redirect_uri = callbackURL;
  // The parsed list, so that `'a,b'` reaches the provider space-separated as the specification wants.
  if (requested || scope.length) params.scope = scope.join(' ');
  let verifier: string | undefined;
  if (settings.pkceMethod) {
    verifier = randomBytes(32).toString('base64url');
    params.code_challenge = settings.pkceMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
    params.code_challenge_method = settings.pkceMethod;
  }
  const state = options.state;
  if (state && typeof state === 'string') {
    params.state = state;
  } else {
    const handle = await storeState(strategy, req, verifier, state, {
      authorizationURL: settings.authorizationURL,
      tokenURL: settings.tokenURL,
      clientID: settings.clientID,
      callbackURL,
    });
    if (handle) params.state = handle;
  }
  signIn.redirect(authorizeLocation(settings.authorizationURL, settings.clientID, params));
}

/**
 * A per-request scope, checked; `undefined` for none. passport-oauth2's rule, `options.scope || this._scope`, reads
 * `''` and `null` as none; so is a list with no scope in it (`[]`), for which passport-oauth2 would ask for an
 * empty scope, and the profile call would then fail for want of the scope it needs.
 */
export function perRequestScope(settings: SignInSettings, scope: unknown): string[] | undefined {
  if (!scope) return undefined;
  const list = scopeList(scope as string | string[]);
  checkScopes(settings.provider, list, settings.scopes);
  return list.length ? list : undefined;
}

/**
 * Keeps this leg's per-request scope in the session for its callback, or drops the one an abandoned leg left:
 * the callback reads the scope of the latest authorize redirect, never an older one.
 */
function keepScope(session: Record<string, unknown> | undefined, key: string, requested: readonly string[] | undefined): void {
  if (!session) return;
  const entry = session[key] as ScopeEntry | undefined;
  if (requested) {
    session[key] = Object.assign({}, entry, { scope: requested.join(' ') });
  } else if (entry && 'scope' in entry) {
    delete entry.scope;
    if (Object.keys(entry).length === 0) delete session[key];
  }
}

/** The state store's `store`, called as passport-oauth2 calls it (by its declared length). */
function storeState(strategy: FlowStrategy, req: Request, verifier: string | undefined, state: unknown, meta: object): Promise<unknown> {
  const store = strategy._stateStore;
  return new Promise((resolve, reject) => {
    const stored = (err: unknown, handle?: unknown) => (err ? reject(err) : resolve(handle));
    const arity = store.store.length;
    if (arity === 5) store.store(req, verifier, state, meta, stored);
    else if (arity === 4) store.store(req, state, meta, stored);
    else if (arity === 3) store.store(req, meta, stored);
    else store.store(req, stored);
  });
}

/** An authorization endpoint as passport-oauth2 builds redirects to it, parsed once. */
interface AuthorizeEndpoint {
  /** The query the endpoint URL carries itself, as `url.parse(url, true)` reads it. */
  query: Record<string, unknown>;
  /** What `url.format` writes before the query: protocol, host, path. */
  prefix: string;
  /** What it writes after the query: the fragment, if the URL has one. */
  hash: string;
}

// Endpoint URLs seen so far: a strategy redirects to the same one or two again and again. Bounded all the same.
const endpoints = new Map<string, AuthorizeEndpoint>();
const MAX_ENDPOINTS = 64;

function endpointOf(authorizeUrl: string): AuthorizeEndpoint {
  let endpoint = endpoints.get(authorizeUrl);
  if (endpoint) return endpoint;
  const parsed = parse(authorizeUrl, true);
  const bare = Object.assign(Object.create(Object.getPrototypeOf(parsed) as object) as UrlWithParsedQuery, parsed, { search: null, query: null, hash: null });
  endpoint = { query: parsed.query, prefix: format(bare), hash: parsed.hash ?? '' };
  if (endpoints.size >= MAX_ENDPOINTS) endpoints.clear();
  endpoints.set(authorizeUrl, endpoint);
  return endpoint;
}

/**
 * The authorize redirect's location, byte for byte what passport-oauth2 1.8 writes: `url.parse(authorizeUrl, true)`,
 * `params` merged into its query, `client_id` set, `url.format()`. The endpoint is parsed once instead of on
 * every redirect (legacy `url.parse` and `url.format` cost more than the rest of the redirect's own work).
 */
export function authorizeLocation(authorizeUrl: string, clientId: string, params: Record<string, unknown>): string {
  const endpoint = endpointOf(authorizeUrl);
  // The same keys in the same order as passport-oauth2's merge into the parsed query (utils-merge: for...in).
  const query: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key in endpoint.query) query[key] = endpoint.query[key];
  for (const key in params) query[key] = params[key];
  query.client_id = clientId;
  // url.format writes `?` and the query when it is not empty; querystring escapes every `#` in it.
  const search = stringify(query as Parameters<typeof stringify>[0]);
  return `${endpoint.prefix}${search ? `?${search}` : ''}${endpoint.hash}`;
}
