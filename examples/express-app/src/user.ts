import { toTokenSet, type ProviderProfile, type TokenResponse, type TokenSet } from '@maniapass/oauth2-core';

/**
 * The signed-in user as the session keeps it. The tokens stay on the server (in the session store) because
 * refresh needs them; pages show only whether they exist and when they expire.
 */
export interface SessionUser {
  provider: string;
  /** The normalized passport profile, without `_raw`/`_json`. */
  profile: Omit<ProviderProfile, '_raw' | '_json'>;
  /** The provider's profile body as parsed (`profile._json`). */
  raw: unknown;
  /** Scopes the token response says were granted, else the ones asked for. */
  scopes: string[];
  /** False when the provider did not report the granted scopes and `scopes` is what was asked for. */
  scopesReported: boolean;
  tokens: {
    accessToken: string;
    refreshToken?: string;
    tokenType: string;
    /** Epoch seconds. */
    expiresAt?: number;
  };
  signedInAt: number;
  refreshedAt?: number;
}

/** The scope field of a token response: space- or comma-separated string, or array (providers differ). */
function parseGrantedScope(scope: unknown): string[] | undefined {
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string');
  if (typeof scope === 'string') return scope.split(/[\s,]+/).filter(Boolean);
  return undefined;
}

function tokensOf(set: TokenSet, previousRefreshToken?: string): SessionUser['tokens'] {
  const tokens: SessionUser['tokens'] = { accessToken: set.accessToken, tokenType: set.tokenType };
  const refreshToken = set.refreshToken ?? previousRefreshToken;
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (set.expiresAt !== undefined) tokens.expiresAt = set.expiresAt;
  return tokens;
}

/** Builds the session user from what the strategy hands to verify. */
export function toSessionUser(params: TokenResponse, profile: ProviderProfile, requestedScope: readonly string[], refreshToken?: string): SessionUser {
  const { _raw: _ignored, _json: raw, ...normalized } = profile;
  const granted = parseGrantedScope(params.scope);
  return {
    provider: profile.provider,
    profile: normalized,
    raw,
    scopes: granted ?? [...requestedScope],
    scopesReported: granted !== undefined,
    tokens: tokensOf(toTokenSet(params), refreshToken),
    signedInAt: Math.floor(Date.now() / 1000),
  };
}

/** The same user with the token set `strategy.refresh()` returned (keeping the refresh token if it did not rotate). */
export function withRefreshedTokens(user: SessionUser, set: TokenSet): SessionUser {
  const granted = parseGrantedScope(set.scope);
  return {
    ...user,
    ...(granted ? { scopes: granted, scopesReported: true } : {}),
    tokens: tokensOf(set, user.tokens.refreshToken),
    refreshedAt: Math.floor(Date.now() / 1000),
  };
}
