import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Signs and checks HS256 JWTs with a key made per emulator instance: tokens look and decode like real ones. */
export class JwtSigner {
  private readonly key = randomBytes(32);

  /** An HS256 JWT of `claims`, signed with this instance's key. */
  sign(claims: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The claims of a token this signer made, or `undefined` (forged, malformed). Expiry is not checked here. */
  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    // One spelling per signature: base64url's last character has unused bits, and Node's decoder ignores them.
    if (given.toString('base64url') !== parts[2]) return undefined;
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
