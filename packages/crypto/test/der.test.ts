import { generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import {
  derKeyKind,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  encodeEcPublicKeyDer,
  parseEcPrivateKeyDer,
  parseEcPublicKeyDer,
  readElement,
} from '../src/der.ts';
import { KeyFormatError } from '../src/errors.ts';
import { halfLength, SECURITY_LEVELS, securityLevelInfo } from '../src/levels.ts';
import { VERIFY_WORKER_SOURCE } from '../src/verify-worker-source.ts';
import { hex, ORIGINAL_KEYS, toHex } from './helpers/vectors.ts';

const EC_VECTORS = ORIGINAL_KEYS.filter((v) => v.level !== 'curve25519');
const EC_LEVELS = SECURITY_LEVELS.filter((level) => level !== 'curve25519');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (KeyFormatError.is(err)) return err.code;
    throw err;
  }
  return 'no error';
}

/** The worker's plain-JS r‖s → DER conversion, loaded from its source with a stub `worker_threads`. */
const workerRawToDer = new Function('require', `${VERIFY_WORKER_SOURCE}\nreturn rawToDer;`)((id: string) => {
  if (id === 'node:worker_threads')
    return { parentPort: { on: () => undefined }, workerData: { cacheSize: 1, levels: [], smallOrder: [] } };
  return require(id);
}) as (signature: Buffer, half: number) => Buffer;

describe('readElement', () => {
  it('reads short and long lengths', () => {
    expect(readElement(hex('0401ff'), 0, 3)).toEqual({ tag: 4, start: 2, end: 3 });
    const long = new Uint8Array(3 + 0x80);
    long.set([0x04, 0x81, 0x80]);
    expect(readElement(long, 0, long.length)).toEqual({ tag: 4, start: 3, end: 3 + 0x80 });
  });

  it.each([
    ['indefinite length', '3080', 'BAD_DER'],
    ['non-minimal long form', '04810100', 'BAD_DER'],
    ['non-minimal two-byte length', '0482007f' + '00'.repeat(0x7f), 'BAD_DER'],
    ['three length bytes', '0483000001' + '00', 'BAD_DER'],
    ['multi-byte tag', '1f0100', 'BAD_DER'],
    ['value past the end', '0405aabb', 'TRUNCATED_KEY'],
    ['length bytes past the end', '0482', 'TRUNCATED_KEY'],
    ['header past the end', '04', 'TRUNCATED_KEY'],
  ])('rejects %s', (_name, input, code) => {
    const bytes = hex(input);
    expect(codeOf(() => readElement(bytes, 0, bytes.length))).toBe(code);
  });

  it('calls an overrun of an enclosing element bad DER, not truncation', () => {
    expect(codeOf(() => readElement(hex('3003040500'), 2, 5))).toBe('TRUNCATED_KEY');
    // The OID inside the 2-byte AlgorithmIdentifier claims 3 bytes: within the input, past its SEQUENCE.
    expect(codeOf(() => parseEcPublicKeyDer(hex('3008300206032a864800')))).toBe('BAD_DER');
  });
});

describe('EC SubjectPublicKeyInfo', () => {
  it.each(EC_VECTORS.map((v) => [v.level, v] as const))(
    'parses the original %s key and re-encodes it',
    (_l, vector) => {
      const bytes = hex(vector.public_key);
      const { info, point } = parseEcPublicKeyDer(bytes);
      expect(info.level).toBe(vector.level);
      expect(point.length).toBe(1 + 2 * halfLength(info));
      expect(toHex(encodeEcPublicKeyDer(info, point))).toBe(vector.public_key);
      expect(derKeyKind(bytes)).toBe('public');
    },
  );

  it('rejects a key on a curve that is not a level (prime256v1) with UNSUPPORTED_CURVE', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(codeOf(() => parseEcPublicKeyDer(publicKey.export({ type: 'spki', format: 'der' })))).toBe(
      'UNSUPPORTED_CURVE',
    );
    expect(codeOf(() => parseEcPrivateKeyDer(privateKey.export({ type: 'sec1', format: 'der' })))).toBe(
      'UNSUPPORTED_CURVE',
    );
  });

  it('rejects explicit curve parameters with UNSUPPORTED_CURVE', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'sect233k1', paramEncoding: 'explicit' });
    expect(codeOf(() => parseEcPublicKeyDer(publicKey.export({ type: 'spki', format: 'der' })))).toBe(
      'UNSUPPORTED_CURVE',
    );
    expect(codeOf(() => parseEcPrivateKeyDer(privateKey.export({ type: 'sec1', format: 'der' })))).toBe(
      'UNSUPPORTED_CURVE',
    );
  });

  it('rejects a non-EC key (Ed25519 SubjectPublicKeyInfo) with UNKNOWN_KEY_FORMAT', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(codeOf(() => parseEcPublicKeyDer(publicKey.export({ type: 'spki', format: 'der' })))).toBe(
      'UNKNOWN_KEY_FORMAT',
    );
  });

  it('rejects a compressed point with INVALID_KEY', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'sect163k1' });
    const jwkless = publicKey.export({ type: 'spki', format: 'der' });
    // Build a compressed-point SPKI for the same curve: 02 ‖ X.
    const point = jwkless.subarray(jwkless.length - 43);
    const compressed = Uint8Array.from([0x02, ...point.subarray(1, 22)]);
    const der = encodeEcPublicKeyDer(securityLevelInfo('very-low'), compressed);
    expect(codeOf(() => parseEcPublicKeyDer(der))).toBe('INVALID_KEY');
  });

  it('rejects trailing bytes, truncation, and a bad BIT STRING', () => {
    const bytes = hex(EC_VECTORS[0]?.public_key ?? '');
    expect(codeOf(() => parseEcPublicKeyDer(Uint8Array.of(...bytes, 0)))).toBe('TRAILING_BYTES');
    expect(codeOf(() => parseEcPublicKeyDer(bytes.subarray(0, bytes.length - 1)))).toBe('TRUNCATED_KEY');
    const badPadding = new Uint8Array(bytes);
    badPadding[22] = 1; // the BIT STRING's unused-bits byte
    expect(toHex(bytes.subarray(20, 24))).toBe('032c0004');
    expect(codeOf(() => parseEcPublicKeyDer(badPadding))).toBe('BAD_DER');
  });
});

describe('SEC1 ECPrivateKey', () => {
  it.each(EC_VECTORS.map((v) => [v.level, v] as const))('parses the original %s key', (_l, vector) => {
    const bytes = hex(vector.private_key);
    const { info, scalar, point } = parseEcPrivateKeyDer(bytes);
    expect(info.level).toBe(vector.level);
    expect(scalar.length).toBeLessThanOrEqual(halfLength(info));
    expect(toHex(encodeEcPublicKeyDer(info, point ?? new Uint8Array()))).toBe(vector.public_key);
    expect(derKeyKind(bytes)).toBe('private');
  });

  it('accepts a key without the optional [1] public key', () => {
    // very-low vector: SEQUENCE { 1, OCTET STRING(21), [0] OID } without the [1] element.
    const full = hex(EC_VECTORS[0]?.private_key ?? '');
    const withoutPublic = Uint8Array.from([0x30, 3 + 23 + 9, ...full.subarray(2, 2 + 3 + 23 + 9)]);
    expect(parseEcPrivateKeyDer(withoutPublic).point).toBeUndefined();
  });

  it('names PKCS#8 as an unknown format and wants a curve', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'sect163k1' });
    expect(codeOf(() => derKeyKind(privateKey.export({ type: 'pkcs8', format: 'der' })))).toBe('UNKNOWN_KEY_FORMAT');
    expect(codeOf(() => parseEcPrivateKeyDer(hex('3007020101040201ff')))).toBe('UNSUPPORTED_CURVE');
    expect(codeOf(() => parseEcPrivateKeyDer(hex('3007020102040201ff')))).toBe('BAD_DER');
  });
});

describe('ECDSA signature conversion', () => {
  it.each([
    ['small values', '0001' + '8002', '3008020101020300' + '8002'],
    ['zero halves', '0000' + '0000', '3006020100020100'],
    ['no padding needed', '7fff' + '0102', '300802027fff02020102'],
  ])('raw → DER: %s', (_name, raw, der) => {
    expect(toHex(ecdsaRawToDer(hex(raw)))).toBe(der);
  });

  it('uses the long length form for sect571r1 signatures (144 bytes)', () => {
    const raw = new Uint8Array(144).fill(0xff);
    const der = ecdsaRawToDer(raw);
    expect(toHex(der.subarray(0, 3))).toBe('308196');
    expect(toHex(ecdsaDerToRaw(der, 72))).toBe(toHex(raw));
  });

  it.each(EC_LEVELS)('matches OpenSSL DER both ways at %s', (level) => {
    const info = securityLevelInfo(level);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: info.curve });
    for (let i = 0; i < 8; i++) {
      const data = Uint8Array.of(i, 1, 2);
      const der = cryptoSign('sha1', data, privateKey);
      const raw = ecdsaDerToRaw(der, halfLength(info));
      expect(raw.length).toBe(info.signatureLength);
      expect(toHex(ecdsaRawToDer(raw))).toBe(toHex(der));
      expect(cryptoVerify('sha1', data, publicKey, ecdsaRawToDer(raw))).toBe(true);
    }
  });

  it('refuses DER it cannot hold', () => {
    expect(() => ecdsaDerToRaw(hex('3006020100020100ff'), 2)).toThrow(RangeError);
    expect(() => ecdsaDerToRaw(hex('300602010002'), 2)).toThrow(RangeError);
    expect(() => ecdsaDerToRaw(hex('30070203010203020100'), 2)).toThrow(RangeError);
    expect(() => ecdsaDerToRaw(hex('3006020180020100'), 2)).toThrow(RangeError);
    expect(() => ecdsaDerToRaw(hex('3006040100020100'), 2)).toThrow(RangeError);
  });

  describe('properties', () => {
    const raw = fc
      .constantFrom(21, 30, 52, 72)
      .chain((half) => fc.tuple(fc.constant(half), fc.uint8Array({ minLength: 2 * half, maxLength: 2 * half })));

    test.prop([raw])('DER → raw inverts raw → DER', ([half, signature]) => {
      expect(toHex(ecdsaDerToRaw(ecdsaRawToDer(signature), half))).toBe(toHex(signature));
    });

    test.prop([raw])("the worker's plain-JS conversion gives the same DER", ([, signature]) => {
      expect(toHex(workerRawToDer(Buffer.from(signature), signature.length / 2))).toBe(toHex(ecdsaRawToDer(signature)));
    });

    test.prop([fc.uint8Array({ maxLength: 200 })])('any bytes either parse or throw KeyFormatError', (bytes) => {
      for (const parse of [parseEcPublicKeyDer, parseEcPrivateKeyDer, derKeyKind]) {
        try {
          parse(Uint8Array.of(0x30, ...bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(KeyFormatError);
        }
      }
    });
  });
});
