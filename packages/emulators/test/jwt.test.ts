import fc from 'fast-check';
import { JwtSigner } from '../src/jwt';

describe("the emulators' JWTs", () => {
  const signer = new JwtSigner();
  const token = signer.sign({ sub: 'player', aud: 'NadeoServices' });

  test('a token it signed verifies to its claims', () => {
    expect(signer.verify(token)).toEqual({ sub: 'player', aud: 'NadeoServices' });
  });

  test('any other spelling of the signature, a changed payload or another signer is refused', () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // Every other last character: the unused bits of the last base64url character decode to the same bytes.
    for (const last of alphabet) {
      if (last === signature.at(-1)) continue;
      expect(signer.verify(`${header}.${payload}.${signature.slice(0, -1)}${last}`)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (text) => {
        const forged = `${header}.${Buffer.from(JSON.stringify({ sub: text })).toString('base64url')}.${signature}`;
        expect(signer.verify(forged)).toBeUndefined();
      }),
    );
    expect(new JwtSigner().verify(token)).toBeUndefined();
    expect(signer.verify(`${header}.${payload}`)).toBeUndefined();
  });
});
