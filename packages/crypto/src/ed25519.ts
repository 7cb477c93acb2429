/**
 * The `curve25519` level (spec §3.1–§3.3): libnacl's dual keys (a Curve25519 box key plus an Ed25519 signing key)
 * in the `LibNaCLPK:` / `LibNaCLSK:` binary forms, Ed25519 signatures over the raw data, and the choice of backend.
 *
 * Backends: node:crypto (OpenSSL) is the default and the hot path: each key builds its `KeyObject` once, and
 * `verify` is a length check plus one `crypto.verify`. @noble/curves is the portable fallback, selected with
 * {@link setBackend}; both give the same signatures (Ed25519 is deterministic) and the same verification results
 * (property-tested). The backend only affects this level; the EC levels always use node:crypto (@noble/curves has
 * no binary curves).
 *
 * Verification follows the original's libsodium (`crypto_sign_open`): RFC 8032 with a canonical S, plus rejection of a
 * public key or an `R` of small order and of a non-canonical public key. OpenSSL lacks those two rejections, so they
 * are checked here before either backend runs. One difference remains in the noble fallback: it checks the cofactored
 * equation where libsodium and OpenSSL check the cofactorless one, which can only differ for a signature its own
 * signer crafted with a torsion component; the node backend (the default) matches libsodium there too.
 */
import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';

import { createRequire } from 'node:module';

import { ascii, asBuffer, assertBytes, concatBytes, copyBytes, hexConstant, sha1 } from './internal/bytes.ts';
import type { PrivateKey, PublicKey } from './types.ts';

/** `LibNaCLPK:`, the 10-byte ASCII prefix of a curve25519 public key binary. */
export const NACL_PUBLIC_PREFIX: Uint8Array = ascii('LibNaCLPK:');
/** `LibNaCLSK:`, the 10-byte ASCII prefix of a curve25519 private key binary. */
export const NACL_PRIVATE_PREFIX: Uint8Array = ascii('LibNaCLSK:');
/** Length of both LibNaCL binaries: prefix (10) + Curve25519 key (32) + Ed25519 key (32). */
export const NACL_KEY_LENGTH = 74;
/** Length of an Ed25519 signature. */
export const ED25519_SIGNATURE_LENGTH = 64;

const PREFIX = 10;
const HALF = 42; // PREFIX + 32: where the Ed25519 half starts

// DER headers that wrap a raw 32-byte key for node:crypto (RFC 8410 SubjectPublicKeyInfo / PKCS#8).
const ED25519_SPKI_HEADER = hexConstant('302a300506032b6570032100');
const ED25519_PKCS8_HEADER = hexConstant('302e020100300506032b657004220420');
const X25519_PKCS8_HEADER = hexConstant('302e020100300506032b656e04220420');

/**
 * Encodings of the eight points of small order (the sign bit, bit 255, cleared): y = 0, 1, the y of the order-8
 * points, p − 1, and the non-canonical p and p + 1. The same list as libsodium's `ge25519_has_small_order`.
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(hexConstant);

/** 1 at the first bytes of {@link SMALL_ORDER_ENCODINGS}: almost every point is ruled out by one lookup. */
const SMALL_ORDER_FIRST_BYTE = new Uint8Array(256);
for (const encoding of SMALL_ORDER_ENCODINGS) SMALL_ORDER_FIRST_BYTE[encoding[0] as number] = 1;

/**
 * Whether the 32-byte point encoding at `offset` is a point of small order, whatever its sign bit.
 *
 * Why: the original verified with libsodium (libnacl's `crypto_sign_open`), which rejects a public key or a signature
 * `R` of small order; OpenSSL does not. Without this check, a key such as the identity point would accept the same
 * trivial signature for every message under node:crypto while the original rejects it.
 * @param bytes holds the encoding
 * @param offset where it starts
 * @returns true for the eight small-order points (canonical or not)
 */
export function hasSmallOrder(bytes: Uint8Array, offset = 0): boolean {
  if (SMALL_ORDER_FIRST_BYTE[bytes[offset] as number] !== 1) return false;
  next: for (const encoding of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 31; i++) if (bytes[offset + i] !== encoding[i]) continue next;
    if (((bytes[offset + 31] as number) & 0x7f) === encoding[31]) return true;
  }
  return false;
}

/**
 * Whether the point encoding at `offset` is canonical: its y (little-endian, sign bit cleared) is below
 * p = 2^255 − 19. libsodium rejects a public key that is not; the only non-canonical encodings are
 * `ed..ff ff ff..7f` through `ff..ff 7f` (with either sign bit).
 * @param bytes holds the encoding
 * @param offset where it starts
 * @returns false for y >= p
 */
export function isCanonicalEncoding(bytes: Uint8Array, offset = 0): boolean {
  if (((bytes[offset + 31] as number) & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (bytes[offset + i] !== 0xff) return true;
  return (bytes[offset] as number) < 0xed;
}

/** The parts of @noble/curves we use. */
type Noble = Pick<typeof import('@noble/curves/ed25519.js'), 'ed25519' | 'x25519'>;

let nobleModule: Noble | undefined;

/**
 * Loads @noble/curves on first use: importing it costs ~40 ms, which every process would otherwise pay at startup
 * for a fallback it rarely uses. It is ESM-only; `require` of ESM works on the Node versions we support (>= 20.19).
 */
function noble(): Noble {
  return (nobleModule ??= createRequire(import.meta.url)('@noble/curves/ed25519.js') as Noble);
}

/** Which implementation signs and verifies Ed25519. */
export type Ed25519Backend = 'node' | 'noble';

/** The current backend, read on every call. Defaults to `node` wherever node:crypto has Ed25519 (Node 20: always). */
let backend: Ed25519Backend = nodeHasEd25519() ? 'node' : 'noble';

function nodeHasEd25519(): boolean {
  try {
    createPublicKey({
      key: asBuffer(concatBytes(ED25519_SPKI_HEADER, new Uint8Array(32))),
      format: 'der',
      type: 'spki',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Chooses the Ed25519 implementation for the `curve25519` level, process-wide. `node` (node:crypto, the default) is
 * about ten times faster; `noble` (@noble/curves, pure JS) is the portable fallback. Keys already created keep
 * working under either backend.
 * @param name `node` or `noble`
 * @throws TypeError / RangeError when `name` is not one of them
 * @example
 * ```ts
 * setBackend('noble'); // e.g. to cross-check node:crypto
 * setBackend('node');
 * ```
 */
export function setBackend(name: Ed25519Backend): void {
  if (typeof name !== 'string') throw new TypeError(`name must be 'node' or 'noble', got ${typeof name}`);
  if (name !== 'node' && name !== 'noble') {
    throw new RangeError(`name must be 'node' or 'noble', got '${String(name).slice(0, 20)}'`);
  }
  if (name === 'noble') noble(); // load now, so a problem shows here rather than at the first signature
  backend = name;
}

/**
 * The Ed25519 implementation in use.
 * @returns `node` or `noble`
 * @example
 * ```ts
 * getBackend(); // 'node'
 * ```
 */
export function getBackend(): Ed25519Backend {
  return backend;
}

/** A `curve25519` public key: `LibNaCLPK:` ‖ Curve25519 box key ‖ Ed25519 verify key. */
export class Curve25519PublicKey implements PublicKey {
  readonly level = 'curve25519' as const;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly mid: Uint8Array<ArrayBuffer>;
  readonly signatureLength = ED25519_SIGNATURE_LENGTH;
  #verifyKey: Uint8Array<ArrayBuffer>;
  /** False for a verify key libsodium refuses (small order or non-canonical): no signature is valid for it. */
  #usable: boolean;
  #keyObject: KeyObject | undefined;

  /** @param bytes a validated 74-byte `LibNaCLPK:` binary, owned by this object */
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    this.bytes = bytes;
    this.mid = sha1(bytes);
    this.#verifyKey = bytes.subarray(HALF);
    // Accepted as a key (libnacl accepts any 32 bytes), but it will never verify anything, as under libsodium.
    this.#usable = isCanonicalEncoding(this.#verifyKey) && !hasSmallOrder(this.#verifyKey);
    // Build the KeyObject up front (the hot path is then one crypto.verify), unless node:crypto is not in use.
    if (backend === 'node') this.#keyObject = ed25519PublicKeyObject(this.#verifyKey);
  }

  /** The 32-byte Curve25519 (X25519) box public key. */
  get boxPublicKey(): Uint8Array<ArrayBuffer> {
    return this.bytes.slice(PREFIX, HALF);
  }

  /** The 32-byte Ed25519 verify key. */
  get verifyKey(): Uint8Array<ArrayBuffer> {
    return this.#verifyKey.slice();
  }

  verify(data: Uint8Array, signature: Uint8Array): boolean {
    assertBytes('data', data);
    assertBytes('signature', signature);
    if (signature.length !== ED25519_SIGNATURE_LENGTH || !this.#usable || hasSmallOrder(signature)) return false;
    if (backend === 'noble') return nobleVerify(signature, data, this.#verifyKey);
    try {
      return cryptoVerify(null, data, this.#keyObject ?? this.#initKeyObject(), signature);
    } catch {
      return false;
    }
  }

  #initKeyObject(): KeyObject {
    return (this.#keyObject = ed25519PublicKeyObject(this.#verifyKey));
  }
}

/** A `curve25519` private key: `LibNaCLSK:` ‖ Curve25519 box secret ‖ Ed25519 seed. */
export class Curve25519PrivateKey implements PrivateKey {
  readonly level = 'curve25519' as const;
  readonly publicKey: Curve25519PublicKey;
  #bytes: Uint8Array<ArrayBuffer>;
  #seed: Uint8Array<ArrayBuffer>;
  #keyObject: KeyObject | undefined;

  /** @param bytes a validated 74-byte `LibNaCLSK:` binary, owned by this object */
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    this.#bytes = bytes;
    this.#seed = bytes.subarray(HALF);
    const secret = bytes.subarray(PREFIX, HALF);
    if (backend === 'node') {
      this.#keyObject = privateKeyObject(ED25519_PKCS8_HEADER, this.#seed);
      const box = rawPublicKey(privateKeyObject(X25519_PKCS8_HEADER, secret));
      this.publicKey = new Curve25519PublicKey(concatBytes(NACL_PUBLIC_PREFIX, box, rawPublicKey(this.#keyObject)));
    } else {
      const { ed25519, x25519 } = noble();
      const box = x25519.getPublicKey(secret);
      this.publicKey = new Curve25519PublicKey(concatBytes(NACL_PUBLIC_PREFIX, box, ed25519.getPublicKey(this.#seed)));
    }
  }

  /** The private binary (a copy: the caller may wipe it). Not an own property, so `JSON.stringify` leaves it out. */
  get bytes(): Uint8Array<ArrayBuffer> {
    return this.#bytes.slice();
  }

  sign(data: Uint8Array): Uint8Array<ArrayBuffer> {
    assertBytes('data', data);
    if (backend === 'noble') return copyBytes(noble().ed25519.sign(data, this.#seed));
    this.#keyObject ??= privateKeyObject(ED25519_PKCS8_HEADER, this.#seed);
    return copyBytes(cryptoSign(null, data, this.#keyObject));
  }
}

/**
 * Makes a fresh `curve25519` key the way libnacl's dual key does: 32 random bytes as the Curve25519 box secret (its
 * public key is X25519 of it) and, independently, 32 random bytes as the Ed25519 seed.
 * @returns the new private key
 */
export function generateCurve25519Key(): Curve25519PrivateKey {
  const random = randomBytes(64);
  try {
    return new Curve25519PrivateKey(concatBytes(NACL_PRIVATE_PREFIX, random));
  } finally {
    random.fill(0);
  }
}

function nobleVerify(signature: Uint8Array, data: Uint8Array, verifyKey: Uint8Array): boolean {
  try {
    // RFC 8032 rules (no ZIP-215 leniency), which is what OpenSSL and libsodium apply.
    return noble().ed25519.verify(signature, data, verifyKey, { zip215: false });
  } catch {
    return false;
  }
}

function ed25519PublicKeyObject(verifyKey: Uint8Array): KeyObject {
  // OpenSSL accepts any 32 bytes here, as libnacl does; a key off the curve simply never verifies.
  return createPublicKey({ key: asBuffer(concatBytes(ED25519_SPKI_HEADER, verifyKey)), format: 'der', type: 'spki' });
}

function privateKeyObject(header: Uint8Array, secret: Uint8Array): KeyObject {
  const der = concatBytes(header, secret);
  try {
    return createPrivateKey({ key: asBuffer(der), format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0); // zero the secret temporary
  }
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}
