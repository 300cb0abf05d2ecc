import { AuthorizationError, InternalOAuthError, ProviderError, TokenError } from '@maniapass/oauth2-core';
import { StoreError } from '@maniapass/http';
import { SessionStoreError } from './session-store';

/** An error the app raises itself, with the status and the text a visitor may see. */
export type AppError = Error & { status: number; expose: true; title: string };

export function appError(status: number, title: string, message: string): AppError {
  return Object.assign(new Error(message), { status, expose: true as const, title });
}

type HttpError = Error & { status?: number; statusCode?: number; expose?: boolean; code?: string; title?: unknown; upstreamStatus?: unknown };

export interface Failure {
  status: number;
  title: string;
  message: string;
  /** Whether the server log gets a line: what the operator should look at (not a visitor's mistake). */
  logged: boolean;
}

/** Longest message a failure page shows; longer ones are cut. */
const MAX_MESSAGE = 500;

/** A message as a page shows it: cut to a length a page can hold. */
export function shownMessage(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

/**
 * True for a failure of the provider (a token or API call, or the provider's `?error=` on the callback): the
 * visitor did nothing wrong, so the page says 502 whatever status the provider answered (which the collection's
 * errors carry as `upstreamStatus`).
 */
export function isProviderFailure(err: unknown): boolean {
  return (
    err instanceof TokenError ||
    err instanceof ProviderError ||
    err instanceof InternalOAuthError ||
    err instanceof AuthorizationError ||
    (err instanceof Error && (err as HttpError).upstreamStatus !== undefined)
  );
}

/**
 * What a visitor is told of a provider's failure: fixed sentences, never the provider's text (which stays on the
 * error, masked, for the server log). A provider may put anything in its answers, the app's own secrets among
 * them, in pieces no masking can tell from ordinary text.
 */
export const PROVIDER_FAILURE_MESSAGES = {
  timeout: 'The provider did not answer in time. Try again in a moment.',
  authorization: 'The provider could not complete the sign-in. Try again, or sign in with another provider.',
  provider: 'The provider answered with an error. It was logged on the server; try again in a moment.',
} as const;

/** The page a failed request shows: a fixed message for a provider's failure, the app's own for its own errors, never a stack trace. */
export function describeFailure(err: unknown): Failure {
  const e = (err instanceof Error ? err : new Error(String(err))) as HttpError;
  if (e instanceof SessionStoreError || e instanceof StoreError) {
    // The store is down or slow, not the visitor: try again shortly (the page gets `Retry-After`).
    return {
      status: 503,
      title: 'Try again in a moment',
      message: 'The app could not read or save your session just now. Try again in a few seconds.',
      logged: true,
    };
  }
  if (isProviderFailure(e)) {
    if (e.code === 'ETIMEDOUT') return { status: 504, title: 'The provider did not answer in time', message: PROVIDER_FAILURE_MESSAGES.timeout, logged: true };
    // `?error=` on the callback is in the visitor's own address bar: not worth a log line.
    if (e instanceof AuthorizationError) return { status: 502, title: 'Sign-in failed', message: PROVIDER_FAILURE_MESSAGES.authorization, logged: false };
    if (e instanceof TokenError) return { status: 502, title: 'Sign-in failed', message: PROVIDER_FAILURE_MESSAGES.provider, logged: true };
    return { status: 502, title: 'The provider answered with an error', message: PROVIDER_FAILURE_MESSAGES.provider, logged: true };
  }
  const status = e.status ?? e.statusCode ?? 500;
  if (e.expose && Number.isInteger(status) && status >= 400 && status < 600) {
    const title = typeof e.title === 'string' ? e.title : status >= 500 ? 'Something went wrong' : 'Request refused';
    return { status, title, message: shownMessage(e.message), logged: status >= 500 };
  }
  return { status: 500, title: 'Something went wrong', message: 'The error was logged on the server. Try again, or sign in again.', logged: true };
}

/** Which part failed, for the log line: the store (`redis`...), a `provider`, or the `app` itself. */
export function componentOf(err: unknown): string {
  if (err instanceof SessionStoreError) return err.component;
  // The app's only shared store is Redis (the rate limits, the token helpers' caches).
  if (err instanceof StoreError) return 'redis';
  return isProviderFailure(err) ? 'provider' : 'app';
}

/**
 * The server log line of a failure: one line, bounded, no stack: `ERROR <component> <where>: <Name>: <message>`.
 * An error without a message (some of node-redis's) says its code or that it had none, never an empty tail.
 */
export function logLine(where: string, err: unknown, level: 'ERROR' | 'WARN' = 'ERROR'): string {
  const e = (err instanceof Error ? err : new Error(String(err))) as HttpError;
  const message = e.message || e.code || '(no message)';
  return `${level} ${componentOf(err)} ${where.slice(0, 200)}: ${e.name || 'Error'}: ${message}`.replace(/[\r\n]+/g, ' ').slice(0, 1000);
}
