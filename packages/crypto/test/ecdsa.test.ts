import { createPublicKey, sign as cryptoSign, verify as cryptoVerify, createPrivateKey } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { ecdsaRawToDer, parseEcPrivateKeyDer } from '../src/der.ts';
import { EcPrivateKey, EcPublicKey, ecPrivateKeyFromDer, ecPublicKeyFromDer, generateEcKey } from '../src/ecdsa.ts';
import { KeyFormatError } from '../src/errors.ts';
import { halfLength, SECURITY_LEVELS, securityLevelInfo } from '../src/levels.ts';
import { flipBit, hex, ORIGINAL_KEYS, toHex } from './helpers/vectors.ts';

const EC_LEVELS = SECURITY_LEVELS.filter((level) => level !== 'curve25519');
const data = new TextEncoder().encode('ECDSA over SHA-1 of this');

describe.each(EC_LEVELS)('%s', (level) => {
  const info = securityLevelInfo(level);
  const key = generateEcKey(info);

  it('makes SEC1 / SubjectPublicKeyInfo keys of the original sizes', () => {
    expect(key).toBeInstanceOf(EcPrivateKey);
    expect(key.publicKey).toBeInstanceOf(EcPublicKey);
    expect(key.bytes.length).toBe(info.privateKeyLength);
    expect(key.publicKey.bytes.length).toBe(info.publicKeyLength);
    expect(
      createPublicKey({ key: Buffer.from(key.publicKey.bytes), format: 'der', type: 'spki' }).asymmetricKeyDetails,
    ).toEqual({
      namedCurve: info.curve,
    });
  });

  it('signs r‖s with each half padded to the field length, over SHA-1 of the data', () => {
    const signature = key.sign(data);
    const half = halfLength(info);
    expect(signature.length).toBe(2 * half);
    // OpenSSL agrees once the halves are put back into DER: ECDSA with SHA-1 as the digest.
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey.bytes), format: 'der', type: 'spki' });
    expect(cryptoVerify('sha1', data, publicKey, ecdsaRawToDer(signature))).toBe(true);
    expect(cryptoVerify('sha256', data, publicKey, ecdsaRawToDer(signature))).toBe(false);
  });

  it('makes a fresh signature each time (random nonce), each valid', () => {
    const a = key.sign(data);
    const b = key.sign(data);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(key.publicKey.verify(data, a)).toBe(true);
    expect(key.publicKey.verify(data, b)).toBe(true);
  });

  it("verifies OpenSSL's own signature after conversion, and never a bare DER or P1363 one of the wrong length", () => {
    const privateKey = createPrivateKey({ key: Buffer.from(key.bytes), format: 'der', type: 'sec1' });
    const der = cryptoSign('sha1', data, privateKey);
    const p1363 = cryptoSign('sha1', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(key.publicKey.verify(data, der)).toBe(false);
    // P1363 pads to the order's length: one byte short of the field for sect233k1 and sect409k1 (vectors/README.md).
    const orderIsShorter = level === 'low' || level === 'medium';
    expect(p1363.length).toBe(info.signatureLength - (orderIsShorter ? 2 : 0));
    expect(key.publicKey.verify(data, p1363)).toBe(!orderIsShorter);
  });

  it('rejects every single-bit flip of a signature', () => {
    const signature = key.sign(data);
    for (let i = 0; i < signature.length; i += 5)
      expect(key.publicKey.verify(data, flipBit(signature, i, i % 8))).toBe(false);
  });
});

describe('parsing', () => {
  it('derives the public key of an SEC1 key that does not embed it', () => {
    const vector = ORIGINAL_KEYS.find((v) => v.level === 'high');
    const full = hex(vector?.private_key ?? '');
    const { scalar } = parseEcPrivateKeyDer(full);
    // SEQUENCE { INTEGER 1, OCTET STRING scalar, [0] { OID sect571r1 } }
    const body = [
      0x02,
      0x01,
      0x01,
      0x04,
      scalar.length,
      ...scalar,
      0xa0,
      0x07,
      0x06,
      0x05,
      0x2b,
      0x81,
      0x04,
      0x00,
      0x27,
    ];
    expect(body.length).toBeLessThan(0x80); // so DER wants the one-byte length form
    const bare = Uint8Array.from([0x30, body.length, ...body]);
    const key = ecPrivateKeyFromDer(bare);
    expect(toHex(key.publicKey.bytes)).toBe(vector?.public_key);
    expect(toHex(key.bytes)).toBe(toHex(bare)); // kept as given
  });

  it('wraps OpenSSL errors: a point off the curve is INVALID_KEY with the OpenSSL error as cause', () => {
    const bytes = new Uint8Array(hex(ORIGINAL_KEYS.find((v) => v.level === 'medium')?.public_key ?? ''));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    try {
      ecPublicKeyFromDer(bytes);
      expect.unreachable();
    } catch (err) {
      expect(KeyFormatError.is(err)).toBe(true);
      expect(err).toMatchObject({ code: 'INVALID_KEY' });
      expect((err as Error).cause).toBeInstanceOf(Error);
    }
  });

  it('rejects a scalar of zero or not below the group order', () => {
    const vector = ORIGINAL_KEYS.find((v) => v.level === 'very-low');
    const bytes = hex(vector?.private_key ?? '');
    const { scalar } = parseEcPrivateKeyDer(bytes);
    const offset = bytes.indexOf(scalar[0] as number, 5);
    for (const fill of [0x00, 0xff]) {
      const bad = new Uint8Array(bytes);
      bad.fill(fill, offset, offset + scalar.length);
      expect(() => ecPrivateKeyFromDer(bad)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    }
  });
});
