// Typed bindings to passport-oauth2's runtime. passport-oauth2 ships no types of its own, and depending on
// @types/passport-oauth2 would install fifteen type packages with every strategy; these declare the part of it
// the collection uses, so that the published declarations stand on their own.

/**
 * A passport-oauth2 state store (`store` option), as passport-oauth2 calls it: `store(req, [verifier,] [state,]
 * [meta,] cb)` by its declared length (2 to 5), `verify(req, providedState, [meta,] cb)` (3 or 4); `state` is
 * `undefined` when the callback has none.
 */
export interface StateStore {
  store(req: unknown, ...args: unknown[]): void;
  verify(req: unknown, state: string | undefined, ...args: unknown[]): void;
}

/** The options passport-oauth2's constructor reads. */
export interface OAuth2StrategyOptions {
  authorizationURL: string;
  tokenURL: string;
  clientID: string;
  clientSecret: string;
  callbackURL?: string;
  customHeaders?: Record<string, string>;
  scope?: string | string[];
  scopeSeparator?: string;
  sessionKey?: string;
  store?: StateStore | boolean;
  state?: boolean;
  skipUserProfile?: unknown;
  pkce?: boolean | string;
  proxy?: boolean;
  passReqToCallback?: boolean;
}

/** A passport-oauth2 strategy instance: its hooks, and the actions passport gives each request. */
export interface OAuth2StrategyInstance {
  name: string;
  authenticate(req: unknown, options?: unknown): void;
  userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void;
  authorizationParams(options: unknown): object;
  tokenParams(options: unknown): object;
  parseErrorResponse(body: unknown, status: number): Error | null;
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  redirect(url: string, status?: number): void;
  pass(): void;
  error(err: unknown): void;
}

interface PassportOAuth2 {
  new (options: OAuth2StrategyOptions, verify: (...args: never[]) => void): OAuth2StrategyInstance;
  TokenError: new (message?: string, code?: string, uri?: string, status?: number) => Error & { code: string; uri?: string; status: number };
  AuthorizationError: new (message?: string, code?: string, uri?: string, status?: number) => Error & { code: string; uri?: string; status: number };
  InternalOAuthError: new (message?: string, err?: unknown) => Error & { oauthError?: unknown };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const passportOAuth2 = require('passport-oauth2') as PassportOAuth2;

export const OAuth2Strategy: PassportOAuth2 = passportOAuth2;
/** passport-oauth2's `TokenError`: the token endpoint answered an error. */
export const PassportTokenError: PassportOAuth2['TokenError'] = passportOAuth2.TokenError;
/** passport-oauth2's `AuthorizationError`: the provider redirected back with `?error=`. */
export const AuthorizationError: PassportOAuth2['AuthorizationError'] = passportOAuth2.AuthorizationError;
/** passport-oauth2's `InternalOAuthError`: a request to the provider failed. */
export const InternalOAuthError: PassportOAuth2['InternalOAuthError'] = passportOAuth2.InternalOAuthError;
