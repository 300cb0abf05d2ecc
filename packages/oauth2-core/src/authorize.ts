import { stringify } from 'node:querystring';
import { format, parse, type UrlWithParsedQuery } from 'node:url';

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
