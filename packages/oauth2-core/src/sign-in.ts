import { CHANNELS, publish, unwatchDeadline, watchDeadline, type SignInEnd, type SignInStart, type WatchedDeadline } from '@maniapass/http';
import { ProviderError } from './errors';

/** The actions passport gives the object a request runs on. */
export interface PassportActions {
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  redirect(url: string, status?: number): void;
  error(err: unknown): void;
}

/** What the callback is waiting for, named in the error when the deadline passes. */
export type Stage = 'the state store' | 'the token endpoint' | 'the profile' | 'the verify function';

/**
 * One leg of one sign-in, as passport hears of it: the first of its outcomes is handed to passport, the rest are
 * ignored (a `done` after the deadline, a second `done`). An exception thrown while passport handles the outcome
 * (an app's custom callback, `success()` itself) is handed to `error()`, as passport-oauth2's `try` around its
 * verify call does, so that no request waits for an answer that cannot come. The callback leg also has a
 * deadline (`loginTimeout`). Each leg is published on the `maniapass:signin:*` channels.
 */
export class SignIn implements WatchedDeadline {
  /** What the callback waits for now. */
  stage: Stage = 'the state store';
  private settled = false;
  private insideVerify = false;
  private readonly started = performance.now();
  /** The deadline (`performance.now()`), once set. */
  at = Infinity;
  private timeout = 0;

  constructor(
    private readonly passport: PassportActions,
    private readonly provider: string,
    private readonly leg: SignInStart['leg'],
  ) {
    publish<SignInStart>(CHANNELS.signInStart, () => ({ provider, leg }));
  }

  /** Whether an outcome was handed to passport already. */
  get ended(): boolean {
    return this.settled;
  }

  /**
   * Ends the sign-in with a `ProviderError` (`ETIMEDOUT`) if it has not ended `ms` milliseconds from now. Watched
   * by the HTTP layer's one deadline timer, which never keeps the process alive: the request does.
   */
  deadline(ms: number): void {
    this.timeout = ms;
    this.at = this.started + ms;
    watchDeadline(this);
  }

  /** The deadline passed (called by the deadline timer). */
  expire(): void {
    const hint = this.stage === 'the verify function' ? ', which must call done or return a Promise' : '';
    const message = `${this.provider}: the sign-in did not finish within its loginTimeout of ${this.timeout} ms (waiting for ${this.stage}${hint})`;
    this.error(new ProviderError(message, undefined, { provider: this.provider, code: 'ETIMEDOUT' }));
  }

  redirect(url: string): void {
    if (this.end('redirect')) this.guard(() => this.passport.redirect(url));
  }

  success(user: unknown, info: unknown): void {
    if (this.end('success')) this.guard(() => this.passport.success(user, info));
  }

  fail(challenge: unknown, status?: number): void {
    if (this.end('fail')) this.guard(() => (status === undefined ? this.passport.fail(challenge) : this.passport.fail(challenge, status)));
  }

  error(err: unknown): void {
    if (this.end('error', err)) this.passport.error(err);
  }

  /**
   * An exception the verify function threw. Before an outcome it is the outcome; after one (a verify that calls
   * `done` and then throws) it still reaches `error()`, as passport-oauth2 hands every such exception to it.
   */
  thrown(err: unknown): void {
    if (this.settled) this.passport.error(err);
    else this.error(err);
  }

  /**
   * Runs the verify function's call. An exception thrown while passport handles an outcome the function gave
   * during the call (`done` called at once) goes back up through the function, as with passport-oauth2, and
   * reaches `error()` through `thrown()`; one thrown later goes to `error()` directly.
   */
  verifyCall(call: () => void): void {
    this.insideVerify = true;
    try {
      call();
    } finally {
      this.insideVerify = false;
    }
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (err) {
      if (this.insideVerify) throw err;
      this.passport.error(err);
    }
  }

  private end(outcome: SignInEnd['outcome'], err?: unknown): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.at !== Infinity) unwatchDeadline(this);
    publish<SignInEnd>(CHANNELS.signInEnd, () => ({
      provider: this.provider,
      leg: this.leg,
      outcome,
      durationMs: performance.now() - this.started,
      ...(outcome === 'error' ? { errorKind: errorKind(err) } : {}),
    }));
    return true;
  }
}

/** The error's system-style `code` (`ETIMEDOUT`...), else its class name: never a provider's own text. */
function errorKind(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]{2,20}$/.test(code)) return code;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name ? name : typeof err;
}
