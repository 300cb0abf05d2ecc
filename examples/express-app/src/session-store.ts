import type { Request, Response } from 'express';
import { Store, type SessionData } from 'express-session';
import { CHANNELS } from '@maniapass/oauth2-core';
import { publish, type StoreFailure } from '@maniapass/http';

export const REDIS_PREFIX = 'maniapass:sess:';

/** A session read or write that failed or did not answer within its deadline. Its message is one line, without a value. */
export class SessionStoreError extends Error {
  override name = 'SessionStoreError';
  /** `ETIMEDOUT` (no answer within the deadline) or `ESTORE` (the store failed). */
  readonly code: 'ETIMEDOUT' | 'ESTORE';
  /** Which store: `redis`, or `session store` for another one. The log line names it. */
  readonly component: string;

  constructor(component: string, message: string, code: 'ETIMEDOUT' | 'ESTORE', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.component = component;
  }
}

type Callback<T> = (err: unknown, value?: T) => void;
type SessionDataCallback = (err: unknown, session?: SessionData | null) => void;

/**
 * Any express-session store with a deadline on every call: a store that hangs (a frozen Redis: node-redis's own
 * timeouts stop applying once a command is written) fails the call after `timeoutMs` with a `SessionStoreError`
 * (`ETIMEDOUT`); a store that fails, with a `SessionStoreError` (`ESTORE`) whose message is one line. A late answer is
 * dropped. Each failure is published on `maniapass:store:error` (it fails closed: the request gets an error page).
 */
export class BoundedSessionStore extends Store {
  constructor(
    private readonly inner: Store,
    private readonly timeoutMs: number,
    private readonly component = 'session store',
  ) {
    super();
  }

  override get(sid: string, callback: SessionDataCallback): void {
    this.bounded<SessionData | null>('get', (done) => this.inner.get(sid, done), callback);
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    this.bounded<void>('set', (done) => this.inner.set(sid, session, done), callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.bounded<void>('destroy', (done) => this.inner.destroy(sid, done), callback);
  }

  override touch(sid: string, session: SessionData, callback?: () => void): void {
    const inner = this.inner;
    if (!inner.touch) return callback?.();
    // express-session passes a touch failure on as an error: it gets the same deadline and the same error.
    this.bounded<void>('touch', (done) => inner.touch!(sid, session, done as () => void), callback as ((err?: unknown) => void) | undefined);
  }

  private bounded<T>(operation: string, call: (done: Callback<T>) => void, callback: Callback<T> | undefined): void {
    let settled = false;
    const finish = (err: unknown, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        const failure = this.failure(operation, err);
        publish<StoreFailure>(CHANNELS.storeError, () => ({ component: 'example-app:sessions', operation, code: failure.code, failed: 'closed' }));
        return callback?.(failure);
      }
      callback?.(null, value);
    };
    const timer = setTimeout(
      () => finish(new SessionStoreError(this.component, `session ${operation} did not answer within ${this.timeoutMs} ms`, 'ETIMEDOUT')),
      this.timeoutMs,
    );
    timer.unref();
    try {
      call(finish);
    } catch (err) {
      finish(err);
    }
  }

  private failure(operation: string, err: unknown): SessionStoreError {
    if (err instanceof SessionStoreError) return err;
    // node-redis's errors may be empty ("The client is closed" is not): say what failed whatever they carry.
    const e = err instanceof Error ? err : new Error(String(err));
    const reason = e.message.split('\n')[0]!.trim() || e.name || 'unknown error';
    return new SessionStoreError(this.component, `session ${operation} failed: ${reason.slice(0, 200)}`, 'ESTORE', { cause: err });
  }
}

/**
 * Holds a redirect (passport's authorize redirect) until the session is saved: on success the redirect goes out as
 * it was; when the store fails, `refuse(err)` answers instead (the caller's 503 page) and no session is written
 * again. Other responses go out untouched.
 */
export function holdRedirectUntilSaved(req: Request, res: Response, refuse: (err: unknown) => void): void {
  const end = res.end;
  res.end = function heldEnd(this: Response, ...args: unknown[]) {
    res.end = end;
    const location = res.getHeader('Location');
    if (res.statusCode < 300 || res.statusCode > 399 || location === undefined || !req.session) return (end as (...a: unknown[]) => Response).apply(this, args);
    req.session.save((err?: unknown) => {
      if (!err) return void (end as (...a: unknown[]) => Response).apply(this, args);
      res.removeHeader('Location');
      res.removeHeader('Content-Length');
      res.statusCode = 200;
      req.session = null as unknown as typeof req.session;
      refuse(err);
    });
    return res;
  } as typeof res.end;
}
