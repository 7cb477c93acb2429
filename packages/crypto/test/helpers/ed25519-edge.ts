/**
 * Ed25519 signatures that OpenSSL accepts and libsodium (the original's verifier) rejects, made with plain BigInt
 * arithmetic over RFC 8032's definitions. For tests only.
 */
import { createHash } from 'node:crypto';

import { NACL_PRIVATE_PREFIX, NACL_PUBLIC_PREFIX } from '../../src/ed25519.ts';

/** The group order L = 2^252 + 27742317777372353535851937790883648493. */
export const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The encoding of the identity point (y = 1). */
export const IDENTITY = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));

function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

function toLittleEndian(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, value >>= 8n) out[i] = Number(value & 0xffn);
  return out;
}

function sha512(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/**
 * A public key binary whose Ed25519 key is the identity point, and a signature (R = identity, S = 0) that the
 * cofactorless equation [S]B = R + [k]A accepts for every message.
 */
export function identityKeyForgery(): { publicKey: Uint8Array; signature: Uint8Array } {
  return {
    publicKey: Uint8Array.from([...NACL_PUBLIC_PREFIX, ...new Uint8Array(32), ...IDENTITY]),
    signature: Uint8Array.from([...IDENTITY, ...new Uint8Array(32)]),
  };
}

/**
 * A signature by the owner of `seed` whose R is the identity: S = k·a, so [S]B = [k]A = R + [k]A holds. Valid for
 * OpenSSL; libsodium refuses it because R has small order.
 * @param seed the Ed25519 seed (32 bytes)
 * @param verifyKey the matching Ed25519 public key (32 bytes)
 * @param message the message
 */
export function identityRSignature(seed: Uint8Array, verifyKey: Uint8Array, message: Uint8Array): Uint8Array {
  const h = sha512(seed).subarray(0, 32);
  h[0] = (h[0] as number) & 248;
  h[31] = ((h[31] as number) & 127) | 64;
  const a = fromLittleEndian(h);
  const k = fromLittleEndian(sha512(IDENTITY, verifyKey, message)) % ED25519_ORDER;
  return Uint8Array.from([...IDENTITY, ...toLittleEndian((k * a) % ED25519_ORDER, 32)]);
}

/** The same signature with S replaced by S + L (a non-canonical S that still satisfies the equation). */
export function nonCanonicalS(signature: Uint8Array): Uint8Array {
  const s = fromLittleEndian(signature.subarray(32)) + ED25519_ORDER;
  return Uint8Array.from([...signature.subarray(0, 32), ...toLittleEndian(s, 32)]);
}

/** A `LibNaCLSK:` binary with the given seed (and a fixed box secret). */
export function naclSecretFromSeed(seed: Uint8Array): Uint8Array {
  return Uint8Array.from([...NACL_PRIVATE_PREFIX, ...new Uint8Array(32).fill(9), ...seed]);
}
