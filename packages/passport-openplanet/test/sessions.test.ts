// The app's own sessions: issued after a validation, verified on every later call, refreshed, rotated, revoked.
// Every way a token can be wrong is refused: tampered, expired, another audience or issuer, an unknown or wrong
// key, revoked, and the algorithm confusions (`none`, HS256 signed with an RS key's public half, RS256 for an HS key).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { MemoryStore, StoreError, type SharedStore } from '@maniapass/http';
import { PluginSessions, SessionError, type PluginSessionsOptions, type SessionKey } from 'passport-openplanet';

const PLAYER = { id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' };
const KEY_A: SessionKey = { id: 'a', secret: 'a'.repeat(16) + randomBytes(24).toString('base64url') };
const KEY_B: SessionKey = { id: 'b', secret: randomBytes(32) };
const base = { audience: 'my-service', issuer: 'https://my-service.example' };
const make = (options: Partial<PluginSessionsOptions> = {}) => new PluginSessions({ ...base, keys: [KEY_A], ...options } as PluginSessionsOptions);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) =>
  token.split('.').map((part, i) => (i < 2 ? (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>) : part));

async function refusedWith(sessions: PluginSessions, token: unknown, reason: string): Promise<void> {
  const err = await sessions.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SessionError);
  expect((err as SessionError).reason).toBe(reason);
  // The message is fixed per reason: nothing of the token in it.
  if (typeof token === 'string' && token.length > 8) {
    const shown = `${(err as Error).message} ${(err as Error).stack} ${inspect(err)} ${JSON.stringify(err)}`;
    for (const form of [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), Buffer.from(token).toString('hex')])
      expect(shown).not.toContain(form.slice(0, 24));
  }
}

afterEach(() => jest.useRealTimers());

describe('PluginSessions (JWT)', () => {
  it('issues a JWT with audience, issuer, expiry and key id, and verifies it to the session', async () => {
    const sessions = make();
    const before = Date.now() / 1000;
    const issued = await sessions.issue(PLAYER);
    const [header, claims] = parts(issued.token) as [Record<string, unknown>, Record<string, unknown>];
    expect(header).toEqual({ alg: 'HS256', kid: 'a', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: base.issuer, aud: base.audience, sub: PLAYER.id, name: PLAYER.displayName, sid: issued.session.sessionId });
    expect(claims.exp).toBe(issued.expiresAt);
    expect(issued.expiresAt - before).toBeGreaterThan(3590);
    expect(issued.refreshAfter).toBeLessThan(issued.expiresAt);
    expect(issued.tokenType).toBe('Bearer');
    const session = await sessions.verify(issued.token);
    expect(session).toEqual(issued.session);
    expect(session).toMatchObject({ accountId: PLAYER.id, displayName: PLAYER.displayName });
  });

  it('refuses a tampered token: any one character changed, the claims re-encoded, or parts swapped', async () => {
    const sessions = make();
    const { token } = await sessions.issue(PLAYER);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(fc.nat(token.length - 1), fc.constantFrom(...alphabet), async (at, ch) => {
        fc.pre(token[at] !== ch);
        await refusedWith(sessions, token.slice(0, at) + ch + token.slice(at + 1), 'invalid');
      }),
      { numRuns: 300 },
    );
    // Every spelling of the last character (its low bits are unused) but the one issued.
    for (const ch of alphabet.slice(0, 64)) if (ch !== token.at(-1)) await refusedWith(sessions, token.slice(0, -1) + ch, 'invalid');
    const [h, , sig] = token.split('.');
    const claims = parts(token)[1] as Record<string, unknown>;
    await refusedWith(sessions, `${h}.${b64({ ...claims, sub: 'someone-else' })}.${sig}`, 'invalid');
    await refusedWith(sessions, `${h}.${b64({ ...claims, exp: 9_999_999_999 })}.${sig}`, 'invalid');
    for (const bad of ['', 'x', `${token}.`, `${token}x.y`, 'a'.repeat(5000), 42, null, undefined, {}]) await refusedWith(sessions, bad, 'invalid');
  });

  it('refuses an expired token, and one of another audience, issuer or key', async () => {
    const sessions = make({ lifetime: 60, clockTolerance: 1 });
    const { token } = await sessions.issue(PLAYER);
    jest.useFakeTimers({ now: Date.now() + 62_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await refusedWith(sessions, token, 'expired');
    jest.useRealTimers();
    await refusedWith(make({ audience: 'another-service' }), token, 'invalid');
    await refusedWith(make({ issuer: 'https://elsewhere.example' }), token, 'invalid');
    // The same key id with another secret, and a key id this app does not have.
    await refusedWith(make({ keys: [{ id: 'a', secret: randomBytes(32) }] }), token, 'invalid');
    await refusedWith(make({ keys: [KEY_B] }), token, 'invalid');
  });

  it('refuses the algorithm confusions: none, HS256 with the RS key as secret, RS256 for an HS key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = make({ keys: [{ id: 'rs', privateKey, algorithm: 'RS256' }] });
    const issued = await rs.issue(PLAYER);
    expect(parts(issued.token)[0]).toMatchObject({ alg: 'RS256', kid: 'rs' });
    await expect(rs.verify(issued.token)).resolves.toMatchObject({ accountId: PLAYER.id });
    const claims = parts(issued.token)[1] as Record<string, unknown>;

    const none = `${b64({ alg: 'none', kid: 'rs', typ: 'JWT' })}.${b64(claims)}.`;
    await refusedWith(rs, none, 'invalid');
    await refusedWith(rs, `${none}x`, 'invalid');
    // HS256 keyed with the public key as the verifier might hold it (PEM and DER).
    for (const secret of [publicKey.export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'spki', format: 'der' })]) {
      const forged = (await make({ keys: [{ id: 'rs', secret: new Uint8Array(Buffer.from(secret)) }] }).issue(PLAYER)).token;
      expect(parts(forged)[0]).toMatchObject({ alg: 'HS256', kid: 'rs' });
      await refusedWith(rs, forged, 'invalid');
    }
    // An RS256 token presented to an app whose key of that id is an HS secret.
    await refusedWith(make({ keys: [{ id: 'rs', secret: randomBytes(32) }] }), issued.token, 'invalid');
    // And a token whose header names another algorithm for a known HS key.
    const hs = make();
    const hsToken = (await hs.issue(PLAYER)).token;
    const [, p, s] = hsToken.split('.');
    await refusedWith(hs, `${b64({ alg: 'HS512', kid: 'a', typ: 'JWT' })}.${p}.${s}`, 'invalid');
  });

  it('rotates keys without signing anyone out: both keys verify, refresh moves a token to the new key', async () => {
    const before = make({ keys: [KEY_A] });
    const old = await before.issue(PLAYER);
    const during = make({ keys: [KEY_B, KEY_A] });
    expect(await during.verify(old.token)).toMatchObject({ accountId: PLAYER.id });
    const renewed = await during.refresh(old.token);
    expect(parts(renewed.token)[0]).toMatchObject({ kid: 'b' });
    expect(renewed.session.sessionId).toBe(old.session.sessionId);
    const after = make({ keys: [KEY_B] });
    expect(await after.verify(renewed.token)).toMatchObject({ accountId: PLAYER.id });
    await refusedWith(after, old.token, 'invalid');
  });

  it('refreshes before expiry (same session, later expiry), never past maxAge after the sign-in', async () => {
    const sessions = make({ lifetime: 600, maxAge: 1000 });
    const first = await sessions.issue(PLAYER);
    const start = Date.now();
    jest.useFakeTimers({ now: start + 500_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const second = await sessions.refresh(first.token);
    expect(second.session.sessionId).toBe(first.session.sessionId);
    expect(second.session.signedInAt).toBe(first.session.signedInAt);
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(second.expiresAt).toBeLessThanOrEqual(Math.floor(first.session.signedInAt + 1000));
    jest.setSystemTime(start + 1_001_000);
    await expect(sessions.refresh(second.token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it("revokes one player's sessions, all sessions, or one session, in every instance sharing the store", async () => {
    const store = new MemoryStore();
    const one = make({ store });
    const other = make({ store });
    const a = await one.issue(PLAYER);
    const b = await one.issue({ id: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0', displayName: 'Wirtual' });
    await other.revoke(PLAYER.id);
    await refusedWith(one, a.token, 'revoked');
    await expect(one.refresh(a.token)).rejects.toMatchObject({ reason: 'revoked' });
    expect(await one.verify(b.token)).toMatchObject({ displayName: 'Wirtual' });
    // A new sign-in after the revocation works.
    const again = await one.issue(PLAYER);
    expect(await other.verify(again.token)).toMatchObject({ accountId: PLAYER.id });

    const refreshed = await one.refresh(again.token);
    await other.revokeSession(again.session.sessionId);
    await refusedWith(one, refreshed.token, 'revoked');

    await other.revokeAll();
    await refusedWith(one, b.token, 'revoked');
    expect(await one.verify((await one.issue(PLAYER)).token)).toMatchObject({ accountId: PLAYER.id });
  });

  it('orders a revocation and tokens issued in the same millisecond as they happened', async () => {
    const sessions = make();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 10_000);
    const before = await sessions.issue(PLAYER);
    await sessions.revoke(PLAYER.id);
    const after = await sessions.issue(PLAYER);
    await refusedWith(sessions, before.token, 'revoked');
    expect(await sessions.verify(after.token)).toMatchObject({ accountId: PLAYER.id });
    jest.restoreAllMocks();
  });

  it('fails closed, within storeTimeout, when the store fails or does not answer', async () => {
    const { token } = await make().issue(PLAYER);
    const hung: SharedStore = {
      ...new MemoryStore(),
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
    } as unknown as SharedStore;
    const broken: SharedStore = { get: async () => Promise.reject(new Error('ECONNREFUSED')), set: async () => undefined } as unknown as SharedStore;
    const started = Date.now();
    await expect(make({ store: hung, storeTimeout: 50 }).verify(token)).rejects.toMatchObject({ name: 'StoreError', code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    const err = await make({ store: broken })
      .verify(token)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(`${(err as Error).message}${inspect(err)}`).not.toContain(token);
  });

  it('checks its options at construction, naming each, and never shows a key', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ audience: '' }, /audience is required/],
      [{ issuer: undefined }, /issuer is required/],
      [{ keys: [] }, /keys must be a non-empty array/],
      [{ keys: [{ id: 'a', secret: 'short' }] }, /keys\[0\]\.secret must be at least 32 bytes/],
      [{ keys: [KEY_A, { ...KEY_B, id: 'a' }] }, /two keys have the id "a"/],
      [{ keys: [{ id: 'a b', secret: KEY_A.secret }] }, /keys\[0\]\.id must be/],
      [{ keys: [{ id: 'p', publicKey: generateKeyPairSync('ed25519').publicKey, algorithm: 'EdDSA' }] }, /keys\[0\] .* signs new tokens/],
      [{ keys: [{ id: 'p', privateKey: generateKeyPairSync('ed25519').privateKey, algorithm: 'RS256' }] }, /RS256 needs an rsa key/],
      [{ keys: [{ id: 'p', secret: KEY_A.secret, algorithm: 'RS256' }] }, /a secret signs with HS256/],
      [{ format: 'paseto' }, /format must be 'jwt' or 'opaque'/],
      [{ format: 'opaque' }, /opaque tokens are not signed/],
      [{ lifetime: 0 }, /lifetime must be a positive number/],
      [{ lifetime: 100, maxAge: 50 }, /maxAge must be at least lifetime/],
      [{ store: {} }, /store must be a SharedStore/],
    ];
    for (const [options, message] of cases) expect(() => make(options as Partial<PluginSessionsOptions>)).toThrow(message);
    const sessions = make();
    await sessions.verify((await sessions.issue(PLAYER)).token);
    const shown = `${inspect(sessions, { depth: Infinity, showHidden: false })}${JSON.stringify(sessions)}`;
    for (const form of [KEY_A.secret as string, Buffer.from(KEY_A.secret as string).toString('base64url'), Buffer.from(KEY_A.secret as string).toString('hex')])
      expect(shown).not.toContain(form);
    expect(() => new PluginSessions({ ...base, format: 'opaque' })).not.toThrow();
  });
});

describe('PluginSessions (opaque tokens in the store)', () => {
  it('issues random tokens kept by their hash, verifies, refreshes, revokes and expires them like JWTs', async () => {
    const store = new MemoryStore();
    const spy = jest.spyOn(store, 'set');
    const sessions = new PluginSessions({ ...base, format: 'opaque', store, lifetime: 60 });
    const issued = await sessions.issue(PLAYER);
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(spy.mock.calls)).not.toContain(issued.token);
    expect(await sessions.verify(issued.token)).toEqual(issued.session);
    await refusedWith(sessions, `${issued.token.slice(0, -1)}${issued.token.endsWith('A') ? 'B' : 'A'}`, 'invalid');
    await refusedWith(sessions, randomBytes(32).toString('base64url'), 'invalid');
    const renewed = await sessions.refresh(issued.token);
    expect(renewed.token).not.toBe(issued.token);
    await sessions.revoke(PLAYER.id);
    await refusedWith(sessions, renewed.token, 'revoked');
    const late = await sessions.issue(PLAYER);
    jest.useFakeTimers({ now: Date.now() + 70_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await refusedWith(sessions, late.token, 'invalid');
  });
});
