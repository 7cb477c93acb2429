/**
 * The EC levels (spec §3.1–§3.3): `very-low` (sect163k1), `low` (sect233k1), `medium` (sect409k1) and `high`
 * (sect571r1). Public keys are DER SubjectPublicKeyInfo, private keys SEC1 DER; signatures are ECDSA over SHA-1 of the
 * data, written as r‖s with each half left-padded to ceil(field bits / 8) bytes.
 *
 * Everything goes through node:crypto, whose OpenSSL still has these binary curves. Why convert through DER rather
 * than use `dsaEncoding: 'ieee-p1363'`: P1363 pads each half to the length of the group *order*, which is one byte
 * shorter than the field for sect233k1 and sect409k1, so it would neither produce nor accept the original's 60- and
 * 104-byte signatures (vectors/README.md).
 */
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';

import {
  ecdsaDerToRaw,
  ecdsaRawToDer,
  encodeEcPublicKeyDer,
  parseEcPrivateKeyDer,
  parseEcPublicKeyDer,
} from './der.ts';
import { KeyFormatError } from './errors.ts';
import { asBuffer, assertBytes, copyBytes, equalBytes, sha1 } from './internal/bytes.ts';
import { halfLength, type SecurityLevelInfo } from './levels.ts';
import type { PrivateKey, PublicKey, SecurityLevel } from './types.ts';

/** An EC public key (DER SubjectPublicKeyInfo) with its node:crypto `KeyObject`, built once. */
export class EcPublicKey implements PublicKey {
  readonly level: SecurityLevel;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly mid: Uint8Array<ArrayBuffer>;
  readonly signatureLength: number;
  #keyObject: KeyObject;

  /**
   * @param info the level
   * @param bytes the validated DER, owned by this object
   * @param keyObject the OpenSSL key made from `bytes`
   */
  constructor(info: SecurityLevelInfo, bytes: Uint8Array<ArrayBuffer>, keyObject: KeyObject) {
    this.level = info.level;
    this.bytes = bytes;
    this.mid = sha1(bytes);
    this.signatureLength = info.signatureLength;
    this.#keyObject = keyObject;
  }

  verify(data: Uint8Array, signature: Uint8Array): boolean {
    assertBytes('data', data);
    assertBytes('signature', signature);
    // A wrong-length signature is never valid (spec §3.3), whatever OpenSSL would make of its DER.
    if (signature.length !== this.signatureLength) return false;
    try {
      return cryptoVerify('sha1', data, this.#keyObject, ecdsaRawToDer(signature));
    } catch {
      return false;
    }
  }
}

/** An EC private key (SEC1 DER) with its node:crypto `KeyObject`. */
export class EcPrivateKey implements PrivateKey {
  readonly level: SecurityLevel;
  readonly publicKey: EcPublicKey;
  #bytes: Uint8Array<ArrayBuffer>;
  #keyObject: KeyObject;
  #half: number;

  /**
   * @param info the level
   * @param bytes the validated SEC1 DER, owned by this object
   * @param keyObject the OpenSSL key made from `bytes`
   * @param publicKey the matching public key
   */
  constructor(info: SecurityLevelInfo, bytes: Uint8Array<ArrayBuffer>, keyObject: KeyObject, publicKey: EcPublicKey) {
    this.level = info.level;
    this.publicKey = publicKey;
    this.#bytes = bytes;
    this.#keyObject = keyObject;
    this.#half = halfLength(info);
  }

  /** The SEC1 DER (a copy: the caller may wipe it). Not an own property, so `JSON.stringify` leaves it out. */
  get bytes(): Uint8Array<ArrayBuffer> {
    return this.#bytes.slice();
  }

  sign(data: Uint8Array): Uint8Array<ArrayBuffer> {
    assertBytes('data', data);
    return ecdsaDerToRaw(cryptoSign('sha1', data, this.#keyObject), this.#half);
  }
}

/**
 * Parses an EC public key binary.
 * @param bytes DER SubjectPublicKeyInfo, owned by the result (the caller passes a copy)
 * @returns the key
 * @throws KeyFormatError with the codes of {@link parseEcPublicKeyDer}, or `INVALID_KEY` when OpenSSL rejects the point
 */
export function ecPublicKeyFromDer(bytes: Uint8Array<ArrayBuffer>): EcPublicKey {
  const { info } = parseEcPublicKeyDer(bytes);
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: asBuffer(bytes), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new KeyFormatError('INVALID_KEY', `not a valid ${info.curve} public key`, { cause });
  }
  return new EcPublicKey(info, bytes, keyObject);
}

/**
 * Parses an EC private key binary and derives its public key (d·G, checked against the embedded public key if the
 * DER carries one, so a key cannot sign for someone else's identity).
 * @param bytes SEC1 DER, owned by the result (the caller passes a copy)
 * @returns the key
 * @throws KeyFormatError with the codes of {@link parseEcPrivateKeyDer}, or `INVALID_KEY` when the scalar is out of
 *   range or does not match the embedded public key
 */
export function ecPrivateKeyFromDer(bytes: Uint8Array<ArrayBuffer>): EcPrivateKey {
  const { info, scalar, point } = parseEcPrivateKeyDer(bytes);
  let derived: Uint8Array;
  let keyObject: KeyObject;
  try {
    const ecdh = createECDH(info.curve);
    ecdh.setPrivateKey(asBuffer(scalar));
    derived = ecdh.getPublicKey();
    keyObject = createPrivateKey({ key: asBuffer(bytes), format: 'der', type: 'sec1' });
  } catch (cause) {
    throw new KeyFormatError('INVALID_KEY', `not a valid ${info.curve} private key`, { cause });
  }
  if (point !== undefined && !equalBytes(point, derived)) {
    throw new KeyFormatError('INVALID_KEY', 'the embedded public key does not belong to the private key');
  }
  const publicKey = ecPublicKeyFromDer(encodeEcPublicKeyDer(info, derived));
  return new EcPrivateKey(info, bytes, keyObject, publicKey);
}

/**
 * Makes a fresh key at an EC level with OpenSSL.
 * @param info the level (not `curve25519`)
 * @returns the new private key; its `bytes` are SEC1 DER with the named curve and the public key, as the original writes
 */
export function generateEcKey(info: SecurityLevelInfo): EcPrivateKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: info.curve });
  const der = privateKey.export({ type: 'sec1', format: 'der' });
  try {
    return ecPrivateKeyFromDer(copyBytes(der));
  } finally {
    der.fill(0);
  }
}
