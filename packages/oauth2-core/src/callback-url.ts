import type { IncomingHttpHeaders } from 'node:http';
import { resolve as resolveURL } from 'node:url';

// An absolute URL, as passport-oauth2 tells one (`url.parse(callbackURL).protocol`): a scheme before a colon.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The parts of a request (Node's, Express's, Fastify's raw one) the callback URL is built from. */
interface IncomingRequest {
  app?: { get?(setting: string): unknown };
  headers: IncomingHttpHeaders;
  socket?: { encrypted?: boolean; remoteAddress?: string };
  connection?: { encrypted?: boolean; remoteAddress?: string };
  url?: string;
}

/** Express's compiled `trust proxy` setting: whether to trust the proxy at `address`, `hop` hops away. */
type TrustFunction = (address: string | undefined, hop: number) => boolean;

/**
 * The callback URL of a request: `callbackURL` itself when it is absolute, else resolved against the request's own
 * URL (with node:url's `resolve`, as passport-oauth2 does, so that the `redirect_uri` is byte for byte its own).
 */
export function callbackURLFor(callbackURL: string | undefined, req: unknown, proxy: boolean): string | undefined {
  if (!callbackURL || HAS_SCHEME.test(callbackURL)) return callbackURL;
  return resolveURL(originalURL(req as IncomingRequest, proxy), callbackURL);
}

/**
 * The request's own URL. `X-Forwarded-Proto` and `X-Forwarded-Host` are read only from a peer Express trusts (its
 * compiled `trust proxy fn`, asked for the address the request came from, as `req.protocol` and `req.hostname`
 * do), or from every peer with the strategy's `proxy: true` (passport-oauth2's option). Of a list, the first value
 * is taken, as Express does. A request without Express (Fastify's raw one) trusts them only with `proxy: true`.
 */
function originalURL(req: IncomingRequest, proxy: boolean): string {
  const socket = req.socket ?? req.connection;
  const trust = proxy || trustsPeer(req, socket?.remoteAddress);
  const proto = trust ? firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const tls = Boolean(socket?.encrypted) || proto === 'https';
  const host = (trust && firstValue(req.headers['x-forwarded-host'])) || req.headers.host;
  return `${tls ? 'https' : 'http'}://${String(host)}${req.url ?? ''}`;
}

function trustsPeer(req: IncomingRequest, address: string | undefined): boolean {
  const trust = req.app?.get?.('trust proxy fn');
  return typeof trust === 'function' && Boolean((trust as TrustFunction)(address, 0));
}

/** The first value of a header that may carry a comma-separated list (or be repeated). */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim() || undefined;
}
