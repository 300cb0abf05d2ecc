import { inspect } from 'node:util';
import { decodeJwtPayload, type JwtClaims } from '@maniapass/http';

/** Claims of Nadeo's tokens (webservices.openplanet.dev/auth/token). */
export interface NadeoClaims extends JwtClaims {
  /** May-refresh-after, epoch seconds: refreshing earlier is not allowed. */
  rat?: number;
  /** `Client` or `Server`. */
  usg?: string;
  /** Account id. */
  sub?: string;
  /** Account display name. */
  aun?: string;
  /** `true` for a refresh token. */
  rtk?: boolean;
  /** The audience a refresh token refreshes to. */
  refresh_aud?: string;
}

/**
 * A JSON Web Token as a string plus its decoded payload. The signature is not checked: the token came straight
 * from Nadeo over TLS, and Nadeo publishes no key to check it with.
 */
export class JSONWebToken {
  /** The JWT itself, bare. A credential: never log it. */
  readonly token: string;
  /** The payload, or `{}` when the token is not a decodable JWT (as nadeo-api, this is not an error). */
  readonly decoded: NadeoClaims;

  constructor(token: string) {
    this.token = token;
    this.decoded = decodeJwtPayload<NadeoClaims>(token) ?? {};
  }

  /** The payload of a JWT; a `TypeError` when it is not one (the message never contains the token). */
  static decode(token: string): NadeoClaims {
    const claims = decodeJwtPayload<NadeoClaims>(token);
    if (!claims) throw new TypeError('not a JSON web token: expected three base64url parts with a JSON object payload');
    return claims;
  }

  /** The JWT itself, as `token`. */
  toString(): string {
    return this.token;
  }

  /** What `util.inspect` and `console.log` show: the claims, never the token itself. */
  [inspect.custom](): string {
    return `JSONWebToken { decoded: ${inspect(this.decoded)} }`;
  }

  /** What `JSON.stringify` writes: the claims only, never the token. */
  toJSON(): {
    /** The token's payload. */
    decoded: NadeoClaims;
  } {
    return { decoded: this.decoded };
  }
}
