import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Session } from 'express-session';

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
  const err = new Error('The form has expired or did not come from this site. Reload the page and try again.') as Error & { status: number; expose: boolean };
  err.status = 403;
  err.expose = true;
  next(err);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A `returnTo` value is used only when it is a path on this site: it starts with one `/` (not `//` or `/\`,
 * which browsers read as another host), has no control characters, and resolves to the same origin.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  const base = 'http://app.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  return url.pathname + url.search + url.hash;
}
