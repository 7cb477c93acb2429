/**
 * Keys from and to bytes and hex, level detection, key generation and member ids (spec §3.2, §3.4).
 *
 * Dispatch (spec §3.2): a binary starting with `LibNaCLPK:` / `LibNaCLSK:` is a `curve25519` key, one starting with a
 * DER SEQUENCE is an EC key whose curve names the level. Anything else is a {@link KeyFormatError}.
 *
 * Parsed public keys are kept in a bounded LRU cache keyed by their bytes, so the codec can call
 * {@link publicKeyFromBytes} for every packet of a member and pay for parsing (and the `KeyObject`) once. Private
 * keys are never cached.
 */
import { derKeyKind, parseEcPrivateKeyDer, parseEcPublicKeyDer } from './der.ts';
import { EcPrivateKey, EcPublicKey, ecPrivateKeyFromDer, ecPublicKeyFromDer, generateEcKey } from './ecdsa.ts';
import {
  Curve25519PrivateKey,
  Curve25519PublicKey,
  generateCurve25519Key,
  NACL_KEY_LENGTH,
  NACL_PRIVATE_PREFIX,
  NACL_PUBLIC_PREFIX,
} from './ed25519.ts';
import { KeyFormatError } from './errors.ts';
import { assertBytes, bytesKey, copyBytes, describe, fromHex, sha1, startsWith, toHex } from './internal/bytes.ts';
import { LruCache } from './internal/lru.ts';
import { assertLevel, DEFAULT_SECURITY_LEVEL, securityLevelInfo } from './levels.ts';
import type { PrivateKey, PublicKey, SecurityLevel } from './types.ts';

/** Default bound of the parsed-public-key cache. */
export const DEFAULT_PUBLIC_KEY_CACHE_SIZE = 4096;

const publicKeyCache = new LruCache<string, PublicKey>(DEFAULT_PUBLIC_KEY_CACHE_SIZE);
/** Keys that failed to parse, so a peer repeating a bad key costs a map lookup in {@link verifySignature}. */
const badKeyCache = new LruCache<string, true>(1024);

const NACL_COMMON = NACL_PUBLIC_PREFIX.subarray(0, 7); // 'LibNaCL'

type Kind = 'public' | 'private';

/**
 * Which format a key binary claims to be, checking the length of the LibNaCL forms.
 * @throws KeyFormatError `TRUNCATED_KEY`, `TRAILING_BYTES`, `UNKNOWN_KEY_FORMAT`, `BAD_DER`
 */
function classify(bytes: Uint8Array): { readonly format: 'nacl' | 'der'; readonly kind: Kind } {
  if (bytes.length === 0) throw new KeyFormatError('TRUNCATED_KEY', 'empty key');
  if (startsWith(bytes, NACL_COMMON) || startsWith(NACL_COMMON, bytes)) {
    const kind = naclKind(bytes);
    if (kind === undefined) throw new KeyFormatError('UNKNOWN_KEY_FORMAT', 'unknown LibNaCL key prefix');
    if (bytes.length < NACL_KEY_LENGTH) {
      throw new KeyFormatError('TRUNCATED_KEY', `a LibNaCL key has ${NACL_KEY_LENGTH} bytes, got ${bytes.length}`);
    }
    if (bytes.length > NACL_KEY_LENGTH) {
      throw new KeyFormatError('TRAILING_BYTES', `a LibNaCL key has ${NACL_KEY_LENGTH} bytes, got ${bytes.length}`);
    }
    return { format: 'nacl', kind };
  }
  if (bytes[0] === 0x30) return { format: 'der', kind: derKeyKind(bytes) };
  throw new KeyFormatError('UNKNOWN_KEY_FORMAT', 'neither a LibNaCL key nor a DER EC key');
}

/** `public` / `private` when `bytes` starts with that LibNaCL prefix, or is a truncated start of it. */
function naclKind(bytes: Uint8Array): Kind | undefined {
  const matches = (prefix: Uint8Array): boolean => startsWith(bytes, prefix) || startsWith(prefix, bytes);
  if (matches(NACL_PUBLIC_PREFIX)) return 'public';
  if (matches(NACL_PRIVATE_PREFIX)) return 'private';
  return undefined;
}

function wrongKind(expected: Kind): KeyFormatError {
  const got = expected === 'public' ? 'private' : 'public';
  return new KeyFormatError('WRONG_KEY_KIND', `expected a ${expected} key, got a ${got} key`);
}

/**
 * The security level of a public or private key binary, read from its structure (the LibNaCL prefix, or the named
 * curve of the DER). Cheap: it does not check the key material; {@link publicKeyFromBytes} does.
 * @param bytes a public or private key binary
 * @returns the level
 * @throws TypeError when `bytes` is not a Uint8Array
 * @throws KeyFormatError `UNKNOWN_KEY_FORMAT`, `TRUNCATED_KEY`, `TRAILING_BYTES`, `BAD_DER`, `UNSUPPORTED_CURVE` or
 *   `INVALID_KEY` (a compressed or wrong-sized point)
 * @example
 * ```ts
 * detectLevel(generateKeyPair('low').publicKey.bytes); // 'low'
 * ```
 */
export function detectLevel(bytes: Uint8Array): SecurityLevel {
  assertBytes('bytes', bytes);
  const { format, kind } = classify(bytes);
  if (format === 'nacl') return 'curve25519';
  return kind === 'public' ? parseEcPublicKeyDer(bytes).info.level : parseEcPrivateKeyDer(bytes).info.level;
}

/**
 * Parses a public key binary (`LibNaCLPK:` form or DER SubjectPublicKeyInfo), detecting its level. Results are cached
 * (LRU, {@link DEFAULT_PUBLIC_KEY_CACHE_SIZE} entries), so parsing the same member's key again returns the same
 * object. Treat the returned key's `bytes` and `mid` as read-only: they are shared.
 * @param bytes the binary; copied, so the caller may reuse its buffer
 * @returns the public key
 * @throws TypeError when `bytes` is not a Uint8Array
 * @throws KeyFormatError `UNKNOWN_KEY_FORMAT`, `TRUNCATED_KEY`, `TRAILING_BYTES`, `BAD_DER`, `UNSUPPORTED_CURVE`,
 *   `INVALID_KEY`, or `WRONG_KEY_KIND` for a private key
 * @example
 * ```ts
 * const key = publicKeyFromBytes(packetKeyBytes);
 * key.verify(signedPart, signature);
 * ```
 */
export function publicKeyFromBytes(bytes: Uint8Array): PublicKey {
  assertBytes('bytes', bytes);
  const cacheKey = bytesKey(bytes);
  const cached = publicKeyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const key = parsePublicKey(copyBytes(bytes));
  publicKeyCache.set(cacheKey, key);
  return key;
}

function parsePublicKey(bytes: Uint8Array<ArrayBuffer>): PublicKey {
  const { format, kind } = classify(bytes);
  if (kind !== 'public') throw wrongKind('public');
  return format === 'nacl' ? new Curve25519PublicKey(bytes) : ecPublicKeyFromDer(bytes);
}

/**
 * Parses a private key binary (`LibNaCLSK:` form or SEC1 DER), detecting its level and deriving its public key.
 * Never cached.
 * @param bytes the binary; copied, so the caller may wipe its buffer
 * @returns the private key
 * @throws TypeError when `bytes` is not a Uint8Array
 * @throws KeyFormatError `UNKNOWN_KEY_FORMAT`, `TRUNCATED_KEY`, `TRAILING_BYTES`, `BAD_DER`, `UNSUPPORTED_CURVE`,
 *   `INVALID_KEY`, or `WRONG_KEY_KIND` for a public key
 * @example
 * ```ts
 * const me = privateKeyFromBytes(storedBytes);
 * const signature = me.sign(packet);
 * ```
 */
export function privateKeyFromBytes(bytes: Uint8Array): PrivateKey {
  assertBytes('bytes', bytes);
  const copy = copyBytes(bytes);
  const { format, kind } = classify(copy);
  if (kind !== 'private') throw wrongKind('private');
  return format === 'nacl' ? new Curve25519PrivateKey(copy) : ecPrivateKeyFromDer(copy);
}

/**
 * {@link publicKeyFromBytes} of hex text.
 * @param hex an even number of hex digits (either case), nothing else
 * @returns the public key
 * @throws TypeError when `hex` is not a string
 * @throws KeyFormatError `BAD_HEX`, or any code of {@link publicKeyFromBytes}
 * @example
 * ```ts
 * publicKeyFromHex('4c69624e61434c504b3a...').level; // 'curve25519'
 * ```
 */
export function publicKeyFromHex(hex: string): PublicKey {
  return publicKeyFromBytes(fromHex('hex', hex));
}

/**
 * {@link privateKeyFromBytes} of hex text.
 * @param hex an even number of hex digits (either case), nothing else
 * @returns the private key
 * @throws TypeError when `hex` is not a string
 * @throws KeyFormatError `BAD_HEX`, or any code of {@link privateKeyFromBytes}
 * @example
 * ```ts
 * privateKeyFromHex(privateKeyToHex(key)).publicKey.mid;
 * ```
 */
export function privateKeyFromHex(hex: string): PrivateKey {
  return privateKeyFromBytes(fromHex('hex', hex));
}

/**
 * Lowercase hex of a public key binary.
 * @param key a public key made by this package
 * @returns the hex
 * @throws TypeError when `key` is not one
 * @example
 * ```ts
 * publicKeyToHex(generateKeyPair().publicKey).length; // 148
 * ```
 */
export function publicKeyToHex(key: PublicKey): string {
  assertPublicKey('key', key);
  return toHex(key.bytes);
}

/**
 * Lowercase hex of a private key binary. The result is secret.
 * @param key a private key made by this package
 * @returns the hex
 * @throws TypeError when `key` is not one
 * @example
 * ```ts
 * const hex = privateKeyToHex(generateKeyPair('low'));
 * ```
 */
export function privateKeyToHex(key: PrivateKey): string {
  assertPrivateKey('key', key);
  return toHex(key.bytes);
}

/**
 * Makes a new key pair at a security level.
 * @param level `curve25519` (default), `very-low`, `low`, `medium` or `high`
 * @returns the private key; its `publicKey` is the pair's public half
 * @throws TypeError / RangeError when `level` is not a supported level name
 * @example
 * ```ts
 * const key = generateKeyPair();
 * key.publicKey.verify(data, key.sign(data)); // true
 * ```
 */
export function generateKeyPair(level: SecurityLevel = DEFAULT_SECURITY_LEVEL): PrivateKey {
  assertLevel('level', level);
  return level === 'curve25519' ? generateCurve25519Key() : generateEcKey(securityLevelInfo(level));
}

/**
 * The member id of a public key binary: its SHA-1 (spec §3.4). Hashes the bytes as given, without parsing them;
 * `publicKeyFromBytes(bytes).mid` is the same value for a valid key.
 * @param publicKeyBytes the public key binary as it appears on the wire
 * @returns the 20-byte member id
 * @throws TypeError when `publicKeyBytes` is not a Uint8Array
 * @example
 * ```ts
 * memberId(key.publicKey.bytes); // equals key.publicKey.mid
 * ```
 */
export function memberId(publicKeyBytes: Uint8Array): Uint8Array<ArrayBuffer> {
  assertBytes('publicKeyBytes', publicKeyBytes);
  return sha1(publicKeyBytes);
}

/**
 * Verifies one signature given the signer's public key binary: the single-thread twin of one item of
 * {@link VerifyPool.verifyBatch}. A key that does not parse makes the signature invalid rather than throwing, as
 * a packet with a bad key is just a bad packet.
 * @param publicKey the signer's public key binary (or a parsed key)
 * @param data the signed bytes
 * @param signature the signature
 * @returns whether the signature is valid
 * @throws TypeError when an argument is not a Uint8Array (or, for `publicKey`, a PublicKey)
 * @example
 * ```ts
 * verifySignature(keyBytes, packet.subarray(0, -64), packet.subarray(-64));
 * ```
 */
export function verifySignature(publicKey: Uint8Array | PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  assertBytes('data', data);
  assertBytes('signature', signature);
  if (isPublicKey(publicKey)) return publicKey.verify(data, signature);
  assertBytes('publicKey', publicKey);
  const cacheKey = bytesKey(publicKey);
  let key = publicKeyCache.get(cacheKey);
  if (key === undefined) {
    if (badKeyCache.get(cacheKey) !== undefined) return false;
    try {
      key = parsePublicKey(copyBytes(publicKey));
    } catch (err) {
      if (!KeyFormatError.is(err)) throw err;
      badKeyCache.set(cacheKey, true);
      return false;
    }
    publicKeyCache.set(cacheKey, key);
  }
  return key.verify(data, signature);
}

/**
 * Changes the bound of the parsed-public-key cache (evicting the oldest entries if it shrinks).
 * @param maxEntries the most keys kept; 0 disables caching
 * @throws TypeError when `maxEntries` is not a number
 * @throws RangeError when `maxEntries` is not a non-negative safe integer
 * @example
 * ```ts
 * setPublicKeyCacheSize(100_000); // a tracker that sees many members
 * ```
 */
export function setPublicKeyCacheSize(maxEntries: number): void {
  if (typeof maxEntries !== 'number') throw new TypeError(`maxEntries must be a number, got ${describe(maxEntries)}`);
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) {
    throw new RangeError(`maxEntries must be a non-negative integer, got ${String(maxEntries)}`);
  }
  publicKeyCache.resize(maxEntries);
}

/**
 * Empties the parsed-public-key cache (for tests and benchmarks that measure cold parsing).
 * @example
 * ```ts
 * clearPublicKeyCache();
 * ```
 */
export function clearPublicKeyCache(): void {
  publicKeyCache.clear();
  badKeyCache.clear();
}

/** Whether `value` is a public key made by this package. */
export function isPublicKey(value: unknown): value is PublicKey {
  return value instanceof Curve25519PublicKey || value instanceof EcPublicKey;
}

/** Whether `value` is a private key made by this package. */
export function isPrivateKey(value: unknown): value is PrivateKey {
  return value instanceof Curve25519PrivateKey || value instanceof EcPrivateKey;
}

/** Throws a `TypeError` naming `name` unless `value` is a public key made by this package. */
export function assertPublicKey(name: string, value: unknown): asserts value is PublicKey {
  if (!isPublicKey(value)) {
    throw new TypeError(`${name} must be a PublicKey of @dispersy/crypto, got ${describe(value)}`);
  }
}

/** Throws a `TypeError` naming `name` unless `value` is a private key made by this package. */
export function assertPrivateKey(name: string, value: unknown): asserts value is PrivateKey {
  if (!isPrivateKey(value)) {
    throw new TypeError(`${name} must be a PrivateKey of @dispersy/crypto, got ${describe(value)}`);
  }
}
