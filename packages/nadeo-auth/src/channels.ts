/**
 * What nadeo-auth publishes on `node:diagnostics_channel` (besides the HTTP layer's `maniapass:http:request:*` for
 * every request it sends, and `maniapass:store:error` when a shared store fails). No message carries a token, a
 * login or a password.
 *
 * ```ts
 * // subscribe from node:diagnostics_channel; NADEO_CHANNELS and NadeoTokenRequest from this package
 * subscribe(NADEO_CHANNELS.tokenRequest, (message) => tokenRequests.inc({ outcome: (message as NadeoTokenRequest).outcome }));
 * ```
 */
export const NADEO_CHANNELS = {
  /** A token request was answered or failed: `NadeoTokenRequest`. */
  tokenRequest: 'nadeo-auth:token:end',
  /** A 429 started a hold-off: `NadeoHoldOff`. */
  holdOff: 'nadeo-auth:holdoff:start',
} as const;

/** A token request to Nadeo (or api.trackmania.com), once it ended. */
export interface NadeoTokenRequest {
  /** The audience the token is for: `NadeoServices`, `NadeoLiveServices` or `OAuth2`. */
  audience: string;
  /** How it was asked for: the account's login and password, a refresh token, or client credentials. */
  grant: 'login' | 'refresh' | 'client_credentials';
  /** `success`; `rate_limited` (a 429); `error` (any other failure). */
  outcome: 'success' | 'rate_limited' | 'error';
  /** The endpoint's HTTP status, when it answered. */
  status?: number;
  /** Milliseconds the request took. */
  durationMs: number;
}

/** A hold-off after a 429: nothing of `scope` is asked until it has passed, by this process or any sharing its store. */
export interface NadeoHoldOff {
  /** `api` (every API request of the account), `token-core` (Core's login and refresh) or `token-oauth` (api.trackmania.com's token endpoint). */
  scope: 'api' | 'token-core' | 'token-oauth';
  /** The hold-off applied, in seconds: `Retry-After` within the floor and the ceiling. */
  seconds: number;
  /** `Retry-After` as the endpoint sent it, in seconds; `undefined` when absent or unreadable. */
  retryAfter?: number;
  /** The 429s of this scope in a row, this one included (the floor doubles with each). */
  streak: number;
}
