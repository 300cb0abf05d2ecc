// Typed bindings to passport-oauth2's runtime. passport-oauth2 ships no types of its own, and depending on
// @types/passport-oauth2 would install fifteen type packages with every strategy; these declare the part of it
// the collection uses, so that the published declarations stand on their own.

/**
 * A passport-oauth2 state store (`store` option), as passport-oauth2 calls it: `store(req, [verifier,] [state,]
 * [meta,] cb)` by its declared length (2 to 5), `verify(req, providedState, [meta,] cb)` (3 or 4); `state` is
 * `undefined` when the callback has none.
 */
export interface StateStore {
  /** Keeps the state (and PKCE verifier) of the sign-in that starts, and calls back with the `state` to send. */
  store(req: unknown, ...args: unknown[]): void;
  /** Checks the `state` the callback brought back, and calls back with whether it is the one kept. */
  verify(req: unknown, state: string | undefined, ...args: unknown[]): void;
}

/** The options passport-oauth2's constructor reads. */
export interface OAuth2StrategyOptions {
  /** The provider's authorization endpoint. */
  authorizationURL: string;
  /** The provider's token endpoint. */
  tokenURL: string;
  /** The application's client id. */
  clientID: string;
  /** The application's client secret. */
  clientSecret: string;
  /** The `redirect_uri`: absolute, or relative to the request's own URL. */
  callbackURL?: string;
  /** Headers node-oauth adds to each of its requests (the token request among them). */
  customHeaders?: Record<string, string>;
  /** The scopes asked for when `authenticate()` is given none. */
  scope?: string | string[];
  /** What joins the scopes in the authorize URL. Default `' '`. */
  scopeSeparator?: string;
  /** The session key of the state store. Default `oauth2:<hostname of authorizationURL>`. */
  sessionKey?: string;
  /** A state store, or `true` for the session store with application state. */
  store?: StateStore | boolean;
  /** Whether `state` is sent and checked (CSRF protection) through the session store. */
  state?: boolean;
  /** Whether the profile is not loaded: a boolean, or a function of the access token. */
  skipUserProfile?: unknown;
  /** PKCE: `true` or `'S256'`, or `'plain'`. Needs `state` or a `store`. */
  pkce?: boolean | string;
  /** Trust `X-Forwarded-Proto` and `X-Forwarded-Host` when resolving a relative `callbackURL`. */
  proxy?: boolean;
  /** Whether the verify function gets the request first: `(req, accessToken, refreshToken, profile, done)`. */
  passReqToCallback?: boolean;
}

/** A passport-oauth2 strategy instance: its hooks, and the actions passport gives each request. */
export interface OAuth2StrategyInstance {
  /** The strategy's name for `passport.authenticate()`. */
  name: string;
  /** Runs one step of the sign-in for this request: the redirect to the provider, or the callback. */
  authenticate(req: unknown, options?: unknown): void;
  /** Loads the profile with the access token. Override to read another endpoint. */
  userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void;
  /** Extra parameters of the authorize URL, from `authenticate()`'s options. Default none. */
  authorizationParams(options: unknown): object;
  /** Extra parameters of the code exchange, from `authenticate()`'s options. Default none. */
  tokenParams(options: unknown): object;
  /** The error for a token endpoint's error answer (`body` as received), or `null` for the generic one. */
  parseErrorResponse(body: unknown, status: number): Error | null;
  /** Passport's action: the sign-in succeeded for `user`. */
  success(user: unknown, info?: unknown): void;
  /** Passport's action: the sign-in failed (`failureRedirect`, `failureMessage`). */
  fail(challenge?: unknown, status?: number): void;
  /** Passport's action: send the browser to `url`. */
  redirect(url: string, status?: number): void;
  /** Passport's action: let the request through untouched. */
  pass(): void;
  /** Passport's action: an error, for the app's error handler. */
  error(err: unknown): void;
}

/**
 * passport-oauth2's `TokenError` and `AuthorizationError`: an error with the provider's `error` (`code`; default
 * `invalid_request` and `server_error`), `error_uri` and a status (default 500; `AuthorizationError` derives it
 * from the code).
 */
export interface OAuthErrorClass {
  /** Makes the error. */
  new (
    message?: string,
    code?: string,
    uri?: string,
    status?: number,
  ): Error & {
    /** The OAuth error code. */
    code: string;
    /** A page about the error. */
    uri?: string;
    /** The HTTP status an error handler answers with. */
    status: number;
  };
}

/** passport-oauth2's module, typed: its `Strategy` class (the module itself) and its error classes. */
export interface PassportOAuth2 {
  /** Makes a passport-oauth2 strategy. */
  new (options: OAuth2StrategyOptions, verify: (...args: never[]) => void): OAuth2StrategyInstance;
  /** passport-oauth2's `TokenError`: the token endpoint answered an error. */
  TokenError: OAuthErrorClass;
  /** passport-oauth2's `AuthorizationError`: the provider redirected back with `?error=`. */
  AuthorizationError: OAuthErrorClass;
  /** passport-oauth2's `InternalOAuthError`: a request to the provider failed. */
  InternalOAuthError: {
    /** An error wrapping the failure (`err`) of the request. */
    new (
      message?: string,
      err?: unknown,
    ): Error & {
      /** The failure, as node-oauth gave it. */
      oauthError?: unknown;
    };
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- passport-oauth2 ships no types; typed here
const passportOAuth2 = require('passport-oauth2') as PassportOAuth2;

/** passport-oauth2's `Strategy` class, typed: the base of `ProviderStrategy`. */
export const OAuth2Strategy: PassportOAuth2 = passportOAuth2;
/** passport-oauth2's `TokenError`: the token endpoint answered an error. */
export const PassportTokenError: PassportOAuth2['TokenError'] = passportOAuth2.TokenError;
/** passport-oauth2's `AuthorizationError`: the provider redirected back with `?error=`. */
export const AuthorizationError: PassportOAuth2['AuthorizationError'] = passportOAuth2.AuthorizationError;
/** passport-oauth2's `InternalOAuthError`: a request to the provider failed. */
export const InternalOAuthError: PassportOAuth2['InternalOAuthError'] = passportOAuth2.InternalOAuthError;
