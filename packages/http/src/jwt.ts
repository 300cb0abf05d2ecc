/** Claims commonly found in the payload of a JSON Web Token. */
export interface JwtClaims {
  /** Expiry, in epoch seconds. */
  exp?: number;
  /** Issued at, in epoch seconds. */
  iat?: number;
  /** Not valid before, in epoch seconds. */
  nbf?: number;
  /** Whom the token is about (an account id). */
  sub?: string;
  /** Whom the token is for (a Nadeo audience...). */
  aud?: string | string[];
  /** Who issued the token. */
  iss?: string;
  /** The token's own id. */
  jti?: string;
  [claim: string]: unknown;
}

/**
 * Decodes the payload of a JWT without verifying its signature: for reading `exp` and other claims of a token this
 * process received directly from the provider over TLS. Never use it to trust a token that came from a user.
 * Returns `undefined` for anything that is not a JWT with a JSON object payload.
 */
export function decodeJwtPayload<T extends JwtClaims = JwtClaims>(token: string): T | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as T) : undefined;
  } catch {
    return undefined;
  }
}
