import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Session } from 'express-session';
import { appError } from './errors';

/** What the app keeps in a session besides passport's login. */
export interface AppSessionData {
  /** Per-session token that every POST form carries (`_csrf`). */
  csrfToken?: string;
  /** Where to go after the sign-in in progress (a checked same-site path). */
  returnTo?: string;
  /** passport's `failureMessage` list. */
  messages?: string[];
  /** One-shot notice for the next page. */
  notice?: string;
}

export function appSession(req: Request): Session & AppSessionData {
  return req.session as Session & AppSessionData;
}

/** The session's CSRF token, made on first use. A new session (login, logout) gets a new one. */
export function csrfToken(req: Request): string {
  if (!req.session) return '';
  const session = appSession(req);
  session.csrfToken ??= randomBytes(32).toString('base64url');
  return session.csrfToken;
}

/** Refuses (403) a POST whose `_csrf` field does not match the session's token. */
export function requireCsrfToken(req: Request, res: Response, next: NextFunction): void {
  const expected = appSession(req).csrfToken;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const given = body._csrf;
  if (typeof expected === 'string' && typeof given === 'string' && safeEqual(given, expected)) return next();
  next(appError(403, 'Request refused', 'The form has expired or did not come from this site. Reload the page and try again.'));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Longest `returnTo` kept, given or resolved (percent-encoding can make the resolved path longer). */
const MAX_RETURN_TO = 2048;
const RETURN_TO_BASE = 'http://app.invalid';

/**
 * The path to send a visitor back to after the sign-in, or undefined when `value` is not a path on this site.
 * What is checked is what is returned: the value is resolved first (WHATWG URL, as a browser would), must stay on
 * this origin, and the path that comes out starts with exactly one `/`. Dot segments resolve to a scheme-relative
 * `//host` (`/.//evil.com`, `/%2e//evil.com`, `/a/..//evil.com`), which a browser would follow to another site:
 * the leading slashes are collapsed, so such a value stays on this site.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO) return undefined;
  // Only a path: not a URL, not `//host` or `/\host`, no control characters (browsers drop some of them).
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, RETURN_TO_BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== RETURN_TO_BASE) return undefined;
  // The serialized path has no backslash, no control or space character (all percent-encoded).
  const path = `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}${url.hash}`;
  return path.length > MAX_RETURN_TO ? undefined : path;
}
