import type { ApiRequest, FormFields, ProviderClient, TokenResponse } from '@maniapass/http';
import { checkScopes, scopeList } from '@maniapass/providers';

// A grant's form fields are the HTTP layer's form body (an array is sent as a repeated field).
export type { FormFields };

/** What the grants need of a strategy: its client and the two hooks a subclass may override. */
export interface GrantHooks {
  readonly client: ProviderClient;
  /** The HTTP request of a grant (see `ProviderStrategy.tokenRequest`). */
  tokenRequest(grant: FormFields): ApiRequest;
  /** The error of a failed grant (see `ProviderStrategy.parseErrorResponse`). */
  parseErrorResponse(body: string, status: number): Error | null;
}

/**
 * Posts a grant (`authorization_code`, `refresh_token`, `client_credentials`): every grant goes through here, so
 * that `parseErrorResponse` (and a subclass's override) sees every failure, with the body masked; what it
 * returns is masked again. `grantSecrets` are the grant's own values no error may show (the code, the verifier,
 * the refresh token).
 */
export function requestToken(hooks: GrantHooks, grant: FormFields, grantSecrets: ReadonlyArray<string | undefined>): Promise<TokenResponse> {
  try {
    return hooks.client.token(hooks.tokenRequest(grant), grantSecrets, (body, status) => hooks.parseErrorResponse(body, status));
  } catch (err) {
    // A tokenRequest() override that throws fails the grant like any other failure.
    return Promise.reject(err);
  }
}

/**
 * The code exchange: `tokenParams()`'s fields as node-oauth's `querystring.stringify` sends them (so that a
 * passport-oauth2 subclass sends the same body here), then the code.
 */
export function exchangeCode(hooks: GrantHooks, code: string, params: Record<string, unknown>): Promise<TokenResponse> {
  const grant: FormFields = {};
  for (const [key, value] of Object.entries(params)) {
    const field = tokenParamField(value);
    if (field !== undefined) grant[key] = field;
  }
  grant.code = code;
  const verifier = typeof params.code_verifier === 'string' ? params.code_verifier : undefined;
  return requestToken(hooks, grant, [code, verifier]);
}

/** The `refresh_token` grant's fields, with a checked scope. */
export function refreshGrant(
  provider: string,
  scopes: readonly string[] | null,
  refreshToken: unknown,
  scope: string | readonly string[] | undefined,
): FormFields {
  if (typeof refreshToken !== 'string' || refreshToken === '') throw new TypeError(`${provider}: refresh() needs a refresh token`);
  return withScope({ grant_type: 'refresh_token', refresh_token: refreshToken }, provider, scopes, scope);
}

/** The `client_credentials` grant's fields, with a checked scope. */
export function clientCredentialsGrant(provider: string, scopes: readonly string[] | null, scope: string | readonly string[] | undefined): FormFields {
  return withScope({ grant_type: 'client_credentials' }, provider, scopes, scope);
}

function withScope(grant: FormFields, provider: string, scopes: readonly string[] | null, scope: string | readonly string[] | undefined): FormFields {
  if (scope === undefined) return grant;
  const list = scopeList(scope);
  checkScopes(provider, list, scopes);
  if (list.length) grant.scope = list.join(' ');
  return grant;
}

/**
 * A `tokenParams()` value as node-oauth's `querystring.stringify` sends it: numbers and booleans as text, arrays
 * as repeated fields (an empty one not at all), anything else as an empty value.
 */
function tokenParamField(value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) return value.length ? value.map(primitiveText) : undefined;
  return primitiveText(value);
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}
