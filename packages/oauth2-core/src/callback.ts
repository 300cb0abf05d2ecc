import type { Request } from 'express';
import { PROVIDER_FAILURE_STATUS, redactError, type TokenResponse } from '@maniapass/http';
import { callbackURLFor } from './callback-url';
import type { CallbackParams, FlowStrategy, ScopeEntry, SignInSettings } from './flow';
import { exchangeCode } from './grants';
import { AuthorizationError } from './passport-oauth2';
import { openConnections } from './preconnect';
import { perRequestScope } from './authorize';
import { authorizationErrorShown, scopeList } from '@maniapass/providers';
import type { SignIn } from './sign-in';
import type { VerifyDone } from './verify';
import { callVerify } from './verify-call';

const MALFORMED = { message: 'Malformed authorization response' };

/** The token endpoint's answer as the verify function gets it. */
interface Tokens {
  accessToken: string | undefined;
  refreshToken: string | undefined;
  params: TokenResponse | undefined;
}

/**
 * The callback leg, as passport-oauth2 1.8's `authenticate()` handles a request with a code or an error: the
 * state store's `verify` (3 or 4 arguments), `tokenParams()`, the code exchange, the profile, then one call of
 * the verify function, whose `done` (or returned Promise) ends the sign-in. The sign-in's deadline runs from the
 * start of this leg (see `SignIn`).
 */
export async function callbackLeg(
  strategy: FlowStrategy,
  settings: SignInSettings,
  signIn: SignIn,
  req: Request,
  options: Record<string, unknown>,
  sent: CallbackParams,
): Promise<void> {
  // Anything here came from the browser: only plain strings are accepted.
  const { code, state, error } = sent;
  const scope = callbackScope(settings, req, options);
  if ((state !== undefined && typeof state !== 'string') || (error ? typeof error !== 'string' : typeof code !== 'string')) return signIn.fail(MALFORMED, 400);
  if (settings.preconnect && !error) openConnections(strategy.client, settings, strategy.concurrentProfileCalls(scope), true);
  const callbackURL = callbackURLFor((options.callbackURL as string | undefined) || settings.callbackURL, req, settings.proxy);
  const meta = { authorizationURL: settings.authorizationURL, tokenURL: settings.tokenURL, clientID: settings.clientID, callbackURL };
  const [ok, stateInfo] = await verifyState(strategy, req, state as string | undefined, meta);
  if (error) return authorizationError(settings, signIn, Boolean(ok) && settings.checksState, error as string, sent);
  if (!ok) return signIn.fail(stateInfo, 403);

  signIn.stage = 'the token endpoint';
  const params = strategy.tokenParams(options) as Record<string, unknown>;
  params.grant_type = 'authorization_code';
  if (callbackURL) params.redirect_uri = callbackURL;
  // PKCE: the store answers with the code verifier.
  if (typeof ok === 'string') params.code_verifier = ok;
  const tokens = await tokensFor(strategy, settings, code as string, params);
  const accessToken = tokens.accessToken;
  if (!accessToken) return signIn.error(new Error('Failed to obtain access token'));

  signIn.stage = 'the profile';
  const profile = await profileOf(strategy, settings, tokens, scope);

  signIn.stage = 'the verify function';
  const verified: VerifyDone = (err, user, info) => {
    if (err) return signIn.error(err);
    if (!user) return signIn.fail(info);
    const details = (info || {}) as Record<string, unknown>;
    if (stateInfo) details.state = stateInfo;
    signIn.success(user, details);
  };
  signIn.verifyCall(() =>
    callVerify(settings.verify, strategy, settings.passReqToCallback, {
      req,
      accessToken,
      refreshToken: tokens.refreshToken,
      params: tokens.params,
      profile,
      done: verified,
      thrown: (err) => signIn.thrown(err),
    }),
  );
}

/**
 * The scope this login asked for: the callback's own per-request scope, else the one its authorize leg kept in the
 * session (used up here), else the strategy's.
 */
function callbackScope(settings: SignInSettings, req: Request, options: Record<string, unknown>): readonly string[] {
  const session = (req as unknown as { session?: Record<string, unknown> }).session;
  const entry = session?.[settings.sessionKey] as ScopeEntry | undefined;
  const kept = entry?.scope;
  if (entry && 'scope' in entry) {
    delete entry.scope;
    if (Object.keys(entry).length === 0) delete session![settings.sessionKey];
  }
  return perRequestScope(settings, options.scope) ?? (typeof kept === 'string' ? scopeList(kept) : settings.scope);
}

/** The state store's `verify`, called as passport-oauth2 calls it (with `meta` when it takes four arguments). */
function verifyState(strategy: FlowStrategy, req: Request, state: string | undefined, meta: object): Promise<[unknown, unknown]> {
  const store = strategy._stateStore;
  return new Promise((resolve, reject) => {
    const verified = (err: unknown, ok?: unknown, info?: unknown) => (err ? reject(err) : resolve([ok, info]));
    if (store.verify.length === 4) store.verify(req, state, meta, verified);
    else store.verify(req, state, verified);
  });
}

/**
 * The code exchange on the HTTP layer; or, where an application replaced `_oauth2.getOAuthAccessToken` (a test's
 * stub, a common pattern in strategy test suites), that function, called as passport-oauth2 calls it, its error
 * read by `_createOAuthError` (and so by `parseErrorResponse`) as passport-oauth2 reads it.
 */
function tokensFor(strategy: FlowStrategy, settings: SignInSettings, code: string, params: Record<string, unknown>): Promise<Tokens> {
  const oauth2 = strategy._oauth2;
  if (oauth2.getOAuthAccessToken === settings.nodeTokenCall) {
    return exchangeCode(strategy, code, params).then((response) => ({
      accessToken: response.access_token,
      refreshToken: response.refresh_token,
      params: response,
    }));
  }
  return new Promise((resolve, reject) =>
    oauth2.getOAuthAccessToken(code, params, (err, accessToken, refreshToken, response) =>
      err ? reject(strategy._createOAuthError('Failed to obtain access token', err)) : resolve({ accessToken, refreshToken, params: response }),
    ),
  );
}

/**
 * passport-oauth2's `_loadUserProfile`: nothing when `skipUserProfile` says so; a subclass's `userProfile`
 * override where it has one; else the provider's `loadProfile`, told the token response and this login's scope.
 */
function profileOf(strategy: FlowStrategy, settings: SignInSettings, tokens: Tokens, scope: readonly string[]): Promise<unknown> {
  const accessToken = tokens.accessToken!;
  const load = (skip: boolean): Promise<unknown> | undefined => {
    if (skip) return undefined;
    if (strategy.userProfile !== settings.defaultUserProfile) {
      return new Promise((resolve, reject) => strategy.userProfile(accessToken, (err, profile) => (err ? reject(err) : resolve(profile))));
    }
    return strategy.loadProfile(accessToken, { tokenResponse: tokens.params ?? { access_token: accessToken }, scope });
  };
  // Not an async function, and no await of a plain `skipUserProfile` value: every sign-in's path.
  const skip = skipsProfile(settings.skipUserProfile, accessToken);
  return typeof skip === 'boolean' ? Promise.resolve(load(skip)) : skip.then(load);
}

/** The `skipUserProfile` option as passport-oauth2 reads it: a value, `() => skip`, or `(accessToken, done)`. */
function skipsProfile(skip: unknown, accessToken: string): boolean | Promise<boolean> {
  if (typeof skip !== 'function') return Boolean(skip);
  if (skip.length > 1) {
    return new Promise((resolve, reject) =>
      (skip as (token: string, done: (err: unknown, skip?: boolean) => void) => void)(accessToken, (err, s) => (err ? reject(err) : resolve(Boolean(s)))),
    );
  }
  return Boolean((skip as () => unknown)());
}

/**
 * An error response on the callback (RFC 6749 §4.1.2.1). Its `state` was checked (and used up) as a code's is.
 * A visitor never gets the provider's text: `access_denied` fails with a fixed message (what `failureMessage`
 * shows); other errors keep the text, cut then masked, on the server-side `AuthorizationError`, and only when the
 * state is this login's, so that nobody can put their text on the error with a crafted link.
 */
function authorizationError(settings: SignInSettings, signIn: SignIn, trusted: boolean, error: string, sent: CallbackParams): void {
  if (error === 'access_denied') return signIn.fail({ message: `Access denied at ${settings.provider}` });
  const { code, text, uri } = authorizationErrorShown(error, sent.errorDescription, sent.errorURI, trusted);
  // One status for every provider failure, where passport-oauth2 derives 502/503 from the code.
  const failure = new AuthorizationError(text ?? `${settings.provider} authorization failed: ${code}`, code, uri, PROVIDER_FAILURE_STATUS);
  signIn.error(redactError(failure, settings.secrets));
}
