import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

/** The signature algorithms a session key may use. */
export type SessionAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/**
 * A key that signs or verifies the app's session tokens. Either `secret` (HS256), or a key pair (`privateKey` to
 * sign, `publicKey` to verify; one of them is enough for a key that only verifies or whose public half is derived)
 * with its `algorithm`.
 */
export interface SessionKey {
  /** The key id, written in each token's header (`kid`): how a token finds the key that verifies it. */
  id: string;
  /** HS256: at least 32 bytes of random (`openssl rand -base64 32`); a string is used as its UTF-8 bytes. */
  secret?: string | Uint8Array;
  /** RS256, ES256 (P-256) or EdDSA (Ed25519): the private key, as a `KeyObject` or PKCS#8 PEM. */
  privateKey?: KeyObject | string;
  /** The public key (`KeyObject` or SPKI PEM); derived from `privateKey` when absent. */
  publicKey?: KeyObject | string;
  /** Default `HS256` with `secret`; required with a key pair. */
  algorithm?: SessionAlgorithm;
}

/** A key checked and imported once: what signs (when it can) and what verifies, with its one algorithm. */
export interface LoadedKey {
  id: string;
  algorithm: SessionAlgorithm;
  signWith?: KeyObject;
  verifyWith: KeyObject;
}

const KEY_TYPES: Record<Exclude<SessionAlgorithm, 'HS256'>, string> = { RS256: 'rsa', ES256: 'ec', EdDSA: 'ed25519' };
const MIN_SECRET_BYTES = 32;

function fail(message: string): never {
  throw new TypeError(`plugin sessions: ${message}`);
}

/** Checks and imports `keys`: ids unique, each key fit for its algorithm; the first must be able to sign. */
export function loadKeys(keys: unknown): LoadedKey[] {
  if (!Array.isArray(keys) || keys.length === 0) fail('keys must be a non-empty array (the first signs; the others only verify, for a rotation)');
  const loaded = keys.map((key, index) => loadKey(key, index));
  const ids = new Set<string>();
  for (const key of loaded) {
    if (ids.has(key.id)) fail(`two keys have the id ${JSON.stringify(key.id)}`);
    ids.add(key.id);
  }
  if (!loaded[0]!.signWith) fail(`keys[0] (${JSON.stringify(loaded[0]!.id)}) signs new tokens: it needs a secret or a privateKey`);
  return loaded;
}

function loadKey(key: unknown, index: number): LoadedKey {
  const where = `keys[${index}]`;
  if (key === null || typeof key !== 'object') fail(`${where} must be an object { id, secret } or { id, privateKey, algorithm }`);
  const { id, secret, privateKey, publicKey, algorithm } = key as SessionKey;
  if (typeof id !== 'string' || !/^[\w.:-]{1,64}$/.test(id)) fail(`${where}.id must be 1 to 64 characters of letters, digits, _ . : -`);
  if (secret !== undefined) {
    if (privateKey !== undefined || publicKey !== undefined) fail(`${where} has a secret and a key pair: give one`);
    if ((algorithm ?? 'HS256') !== 'HS256') fail(`${where}: a secret signs with HS256, not ${String(algorithm)}`);
    const bytes =
      typeof secret === 'string'
        ? Buffer.from(secret, 'utf8')
        : secret instanceof Uint8Array
          ? Buffer.from(secret)
          : fail(`${where}.secret must be a string or a Uint8Array`);
    if (bytes.length < MIN_SECRET_BYTES) fail(`${where}.secret must be at least ${MIN_SECRET_BYTES} bytes (openssl rand -base64 32)`);
    const secretKey = createSecretKey(bytes);
    return { id, algorithm: 'HS256', signWith: secretKey, verifyWith: secretKey };
  }
  if (privateKey === undefined && publicKey === undefined) fail(`${where} needs a secret (HS256) or a privateKey or publicKey`);
  if (algorithm === undefined || !(algorithm in KEY_TYPES)) fail(`${where}.algorithm must be RS256, ES256 or EdDSA with a key pair`);
  let signWith: KeyObject | undefined;
  let verifyWith: KeyObject;
  try {
    signWith = privateKey === undefined ? undefined : typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
    verifyWith = publicKey === undefined ? createPublicKey(signWith!) : typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  } catch {
    fail(`${where}: the key could not be read (PEM or KeyObject expected)`);
  }
  if (signWith && signWith.type !== 'private') fail(`${where}.privateKey is not a private key`);
  if (verifyWith.type !== 'public') fail(`${where}.publicKey is not a public key`);
  const type = KEY_TYPES[algorithm as keyof typeof KEY_TYPES];
  for (const k of [signWith, verifyWith]) {
    if (k && k.asymmetricKeyType !== type) fail(`${where}: ${algorithm} needs an ${type} key, got ${String(k.asymmetricKeyType)}`);
  }
  if (algorithm === 'RS256' && (verifyWith.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) fail(`${where}: RS256 needs an RSA key of 2048 bits or more`);
  if (algorithm === 'ES256' && verifyWith.asymmetricKeyDetails?.namedCurve !== 'prime256v1') fail(`${where}: ES256 needs a P-256 key`);
  return { id, algorithm, ...(signWith ? { signWith } : {}), verifyWith };
}
