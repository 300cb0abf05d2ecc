// Typed binding to passport-strategy, the base class of every Passport strategy. It ships no types, and
// @types/passport-strategy would bring @types/passport and @types/express with every install; this declares
// the part the strategy uses, so that the published declarations stand on their own.

/** A passport-strategy instance, with the actions passport gives it for each request. */
export interface PassportStrategyInstance {
  name?: string;
  authenticate(req: unknown, options?: unknown): void;
  success(user: object, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  redirect(url: string, status?: number): void;
  pass(): void;
  error(err: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- passport-strategy ships no types; typed here
export const PassportStrategy = require('passport-strategy') as new () => PassportStrategyInstance;
