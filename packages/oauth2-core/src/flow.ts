import type { Request } from 'express';
import type { ProviderClient, TokenResponse } from '@maniapass/http';
import type { GrantHooks } from './grants';
import type { StateStore } from './passport-oauth2';
import type { LoginContext } from './strategy';

/** What the two legs of a sign-in read of their strategy: its settings, fixed at construction. */
export interface SignInSettings {
  /** The provider's name, for messages and diagnostics. */
  provider: string;
  /** The provider's documented scopes (`null`: it has none). */
  scopes: readonly string[] | null;
  /** The scopes asked for when `authenticate()` is given none. */
  scope: readonly string[];
  callbackURL: string;
  authorizationURL: string;
  tokenURL: string;
  userProfileURL: string;
  clientID: string;
  /** The values no error may show (the client secret, secret provider options): masked in every encoding. */
  secrets: readonly string[];
  sessionKey: string;
  checksState: boolean;
  /** PKCE's method, as passport-oauth2 reads the option (`true` is S256). */
  pkceMethod: 'S256' | 'plain' | undefined;
  /** `proxy: true`: trust `X-Forwarded-*` from every peer. */
  proxy: boolean;
  preconnect: boolean;
  profileOnTokenHost: boolean;
  loginTimeout: number;
  skipUserProfile: unknown;
  verify: (...args: never[]) => unknown;
  passReqToCallback: boolean;
  /** node-oauth's own `getOAuthAccessToken`, to tell a replaced one (a test's stub) from it. */
  nodeTokenCall: unknown;
  /** The strategy class's own `userProfile`, to tell a subclass's override from it. */
  defaultUserProfile: unknown;
}

/** node-oauth's object, as passport-oauth2 keeps it (`_oauth2`). */
export interface NodeOAuth2 {
  getOAuthAccessToken(
    code: string,
    params: Record<string, unknown>,
    callback: (err: unknown, accessToken?: string, refreshToken?: string, params?: TokenResponse) => void,
  ): void;
}

/** The strategy as the legs call it: passport-oauth2's hooks (a subclass may override each) and the provider's. */
export interface FlowStrategy extends GrantHooks {
  readonly client: ProviderClient;
  _oauth2: NodeOAuth2;
  _stateStore: StateStore;
  authorizationParams(options: unknown): object;
  tokenParams(options: unknown): object;
  userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void;
  _createOAuthError(message: string, err: unknown): Error;
  loadProfile(accessToken: string, context: LoginContext): Promise<unknown>;
  concurrentProfileCalls(scope: readonly string[]): number;
}

/** The callback's parameters as the browser sent them (query first, then a POSTed body): anything at all. */
export interface CallbackParams {
  code: unknown;
  state: unknown;
  error: unknown;
  errorDescription: unknown;
  errorURI: unknown;
}

/** Reads the callback's parameters once (Express 5's `req.query` parses the query string on every read). */
export function callbackParams(req: Request): CallbackParams {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    code: query.code || body.code,
    state: query.state || body.state,
    error: query.error || body.error,
    errorDescription: query.error_description ?? body.error_description,
    errorURI: query.error_uri ?? body.error_uri,
  };
}

/** The per-request scope a session keeps between the two legs, beside the state store's entry. */
export type ScopeEntry = { scope?: string } & Record<string, unknown>;
