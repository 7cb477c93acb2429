/**
 * The hostile-input table (house style §2.7.4, after noble's getTypeTests): every public function of the package
 * against wrong types, empty and off-by-one lengths, truncated DER, unknown prefixes, random bytes, bad hex and PEM,
 * and keys on unsupported curves. Each row names the exact outcome: a TypeError / RangeError (programmer error),
 * a KeyFormatError code, or a plain result (verification is `false`, never an exception).
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';

import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';

import { DispersyError } from '@dispersy/interfaces';

import { encodeEcPublicKeyDer } from '../src/der.ts';
import * as api from '../src/index.ts';
import { hex } from './helpers/vectors.ts';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

/** Values that are not byte arrays (or not strings, or not keys). */
const WRONG_TYPES: readonly [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 74],
  ['NaN', Number.NaN],
  ['a bigint', 1n],
  ['a boolean', true],
  ['a symbol', Symbol('key')],
  ['a function', () => new Uint8Array(74)],
  ['an object', {}],
  ['a null-prototype object', Object.create(null)],
  ['an array of bytes', Array.from({ length: 74 }, () => 1)],
  ['an ArrayBuffer', new ArrayBuffer(74)],
  ['a Uint16Array', new Uint16Array(37)],
  ['a DataView', new DataView(new ArrayBuffer(74))],
];
const NOT_BYTES: readonly [string, unknown][] = [...WRONG_TYPES, ['a string', '4c69624e61434c504b3a']];
const NOT_STRINGS: readonly [string, unknown][] = [...WRONG_TYPES, ['a Uint8Array', new Uint8Array(74)]];

// Keys to mutate.
const nacl = api.generateKeyPair();
const ec = api.generateKeyPair('low');
const naclPublic = nacl.publicKey.bytes;
const naclPrivate = nacl.bytes;
const ecPublic = ec.publicKey.bytes;
const ecPrivate = ec.bytes;
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ed25519Spki = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
const pkcs8 = createPrivateKey({ key: Buffer.from(ecPrivate), format: 'der', type: 'sec1' }).export({
  type: 'pkcs8',
  format: 'der',
});
const offCurve = Uint8Array.from(ecPublic, (b, i) => (i === ecPublic.length - 1 ? b ^ 1 : b));
const compressed = encodeEcPublicKeyDer(
  api.securityLevelInfo('low'),
  concat(Uint8Array.of(0x02), ecPublic.subarray(-60, -30)),
);
const otherEcPrivate = api.generateKeyPair('low').bytes;
const mismatchedEcPrivate = concat(
  ecPrivate.subarray(0, ecPrivate.length - 62),
  otherEcPrivate.subarray(otherEcPrivate.length - 62),
);
const zeroScalar = Uint8Array.from(ecPrivate, (b, i) => (i >= 7 && i < 7 + 29 ? 0 : b));

type Outcome = string; // a KeyFormatError code, `ok`, or a level name for detectLevel

/** Byte inputs and what detectLevel, publicKeyFromBytes and privateKeyFromBytes make of them. */
const BYTE_CASES: readonly [string, Uint8Array, detect: Outcome, publicKey: Outcome, privateKey: Outcome][] = [
  ['empty', new Uint8Array(0), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  ['one byte of the LibNaCL prefix', ascii('L'), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  ['the LibNaCLPK: prefix alone', ascii('LibNaCLPK:'), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  ['LibNaCLPK: key, 73 bytes', naclPublic.subarray(0, 73), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  [
    'LibNaCLPK: key, 75 bytes',
    concat(naclPublic, Uint8Array.of(0)),
    'TRAILING_BYTES',
    'TRAILING_BYTES',
    'TRAILING_BYTES',
  ],
  ['LibNaCLSK: key, 73 bytes', naclPrivate.subarray(0, 73), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  [
    'LibNaCLSK: key, 75 bytes',
    concat(naclPrivate, Uint8Array.of(0)),
    'TRAILING_BYTES',
    'TRAILING_BYTES',
    'TRAILING_BYTES',
  ],
  [
    'LibNaCLXX: prefix',
    concat(ascii('LibNaCLXX:'), naclPublic.subarray(10)),
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
  ],
  [
    'lower-case libnaclpk: prefix',
    concat(ascii('libnaclpk:'), naclPublic.subarray(10)),
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
  ],
  [
    'random bytes',
    Uint8Array.from({ length: 84 }, (_, i) => (i * 97 + 1) & 0xff),
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
    'UNKNOWN_KEY_FORMAT',
  ],
  [
    'a DER SEQUENCE of junk',
    concat(Uint8Array.of(0x30, 0x52), new Uint8Array(82).fill(0xff)),
    'BAD_DER',
    'BAD_DER',
    'BAD_DER',
  ],
  ['an empty DER SEQUENCE', Uint8Array.of(0x30, 0x00), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  ['EC public key, one byte short', ecPublic.subarray(0, -1), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  ['EC public key, cut in half', ecPublic.subarray(0, 42), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  [
    'EC public key, one byte more',
    concat(ecPublic, Uint8Array.of(0)),
    'TRAILING_BYTES',
    'TRAILING_BYTES',
    'WRONG_KEY_KIND',
  ],
  ['EC private key, one byte short', ecPrivate.subarray(0, -1), 'TRUNCATED_KEY', 'TRUNCATED_KEY', 'TRUNCATED_KEY'],
  [
    'EC private key, one byte more',
    concat(ecPrivate, Uint8Array.of(0)),
    'TRAILING_BYTES',
    'WRONG_KEY_KIND',
    'TRAILING_BYTES',
  ],
  [
    'a prime256v1 public key',
    p256.publicKey.export({ type: 'spki', format: 'der' }),
    'UNSUPPORTED_CURVE',
    'UNSUPPORTED_CURVE',
    'WRONG_KEY_KIND',
  ],
  [
    'a prime256v1 private key',
    p256.privateKey.export({ type: 'sec1', format: 'der' }),
    'UNSUPPORTED_CURVE',
    'WRONG_KEY_KIND',
    'UNSUPPORTED_CURVE',
  ],
  ['an RFC 8410 Ed25519 public key', ed25519Spki, 'UNKNOWN_KEY_FORMAT', 'UNKNOWN_KEY_FORMAT', 'WRONG_KEY_KIND'],
  ['a PKCS#8 EC private key', pkcs8, 'UNKNOWN_KEY_FORMAT', 'UNKNOWN_KEY_FORMAT', 'UNKNOWN_KEY_FORMAT'],
  ['an EC point off the curve', offCurve, 'low', 'INVALID_KEY', 'WRONG_KEY_KIND'],
  ['an EC key with a compressed point', compressed, 'INVALID_KEY', 'INVALID_KEY', 'WRONG_KEY_KIND'],
  [
    'an EC private key whose embedded public key is another',
    mismatchedEcPrivate,
    'low',
    'WRONG_KEY_KIND',
    'INVALID_KEY',
  ],
  ['an EC private key with a zero scalar', zeroScalar, 'low', 'WRONG_KEY_KIND', 'INVALID_KEY'],
  ['a curve25519 public key', naclPublic, 'curve25519', 'ok', 'WRONG_KEY_KIND'],
  ['a curve25519 private key', naclPrivate, 'curve25519', 'WRONG_KEY_KIND', 'ok'],
  ['an EC public key', ecPublic, 'low', 'ok', 'WRONG_KEY_KIND'],
  ['an EC private key', ecPrivate, 'low', 'WRONG_KEY_KIND', 'ok'],
];

const BAD_HEX: readonly string[] = ['abc', 'zz', '0x00', ' 00', '00 ', '0 0', 'éé', '4c69624e61434c504b3a\n'];

/** What a call did: `TypeError`, `RangeError`, a KeyFormatError code, or `ok` (or the level, for detectLevel). */
function outcome(fn: () => unknown): string {
  try {
    const result = fn();
    return typeof result === 'string' ? result : 'ok';
  } catch (err) {
    if (api.KeyFormatError.is(err)) return err.code;
    if (err instanceof TypeError) return 'TypeError';
    if (err instanceof RangeError) return 'RangeError';
    throw err;
  }
}

async function asyncOutcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (DispersyError.is(err)) return err.code;
    if (err instanceof TypeError) return 'TypeError';
    if (err instanceof RangeError) return 'RangeError';
    throw err;
  }
}

describe('key parsers: wrong types are TypeErrors', () => {
  const byteParsers = {
    detectLevel: api.detectLevel,
    publicKeyFromBytes: api.publicKeyFromBytes,
    privateKeyFromBytes: api.privateKeyFromBytes,
    memberId: api.memberId,
  };
  const textParsers = {
    publicKeyFromHex: api.publicKeyFromHex,
    privateKeyFromHex: api.privateKeyFromHex,
    publicKeyFromPem: api.publicKeyFromPem,
    privateKeyFromPem: api.privateKeyFromPem,
  };
  for (const [name, parse] of Object.entries(byteParsers)) {
    it.each(NOT_BYTES)(`${name}(%s)`, (_label, value) => {
      expect(outcome(() => parse(value as Uint8Array))).toBe('TypeError');
    });
  }
  for (const [name, parse] of Object.entries(textParsers)) {
    it.each(NOT_STRINGS)(`${name}(%s)`, (_label, value) => {
      expect(outcome(() => parse(value as string))).toBe('TypeError');
    });
  }
});

describe.each(BYTE_CASES)('%s', (_name, bytes, detect, publicKey, privateKey) => {
  const hexText = Buffer.from(bytes).toString('hex');
  it('detectLevel / publicKeyFromBytes / privateKeyFromBytes', () => {
    expect(outcome(() => api.detectLevel(bytes))).toBe(detect);
    expect(outcome(() => api.publicKeyFromBytes(bytes))).toBe(publicKey);
    expect(outcome(() => api.privateKeyFromBytes(bytes))).toBe(privateKey);
  });
  it('publicKeyFromHex / privateKeyFromHex (lower and upper case)', () => {
    expect(outcome(() => api.publicKeyFromHex(hexText))).toBe(publicKey);
    expect(outcome(() => api.privateKeyFromHex(hexText.toUpperCase()))).toBe(privateKey);
  });
  it('publicKeyFromPem / privateKeyFromPem under the label the bytes claim', () => {
    const base64 = Buffer.from(bytes).toString('base64');
    const naclLike = bytes[0] !== 0x30;
    const publicPem = `-----BEGIN ${naclLike ? 'LIBNACL PUBLIC KEY' : 'PUBLIC KEY'}-----\n${base64}\n-----END ${
      naclLike ? 'LIBNACL PUBLIC KEY' : 'PUBLIC KEY'
    }-----\n`;
    const privatePem = `-----BEGIN ${naclLike ? 'LIBNACL PRIVATE KEY' : 'EC PRIVATE KEY'}-----\n${base64}\n-----END ${
      naclLike ? 'LIBNACL PRIVATE KEY' : 'EC PRIVATE KEY'
    }-----\n`;
    const empty = bytes.length === 0;
    expect(outcome(() => api.publicKeyFromPem(publicPem))).toBe(empty ? 'BAD_PEM' : publicKey);
    expect(outcome(() => api.privateKeyFromPem(privatePem))).toBe(empty ? 'BAD_PEM' : privateKey);
  });
  it('memberId hashes any bytes; verifySignature is false for every key that does not parse', () => {
    expect(api.memberId(bytes)).toHaveLength(20);
    if (publicKey !== 'ok') {
      expect(api.verifySignature(bytes, Uint8Array.of(1), new Uint8Array(64))).toBe(false);
      expect(api.verifySignature(bytes, Uint8Array.of(1), new Uint8Array(60))).toBe(false);
    }
  });
});

describe('hex parsers: bad hex is BAD_HEX', () => {
  it.each(BAD_HEX)('%j', (text) => {
    expect(outcome(() => api.publicKeyFromHex(text))).toBe('BAD_HEX');
    expect(outcome(() => api.privateKeyFromHex(text))).toBe('BAD_HEX');
  });
  it('empty hex is an empty key', () => {
    expect(outcome(() => api.publicKeyFromHex(''))).toBe('TRUNCATED_KEY');
  });
});

describe('PEM parsers: bad text is BAD_PEM', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n '],
    ['bare base64', Buffer.from(naclPublic).toString('base64')],
    ['bad base64', '-----BEGIN LIBNACL PUBLIC KEY-----\nTGliTmFDTFBLOg$$\n-----END LIBNACL PUBLIC KEY-----'],
    ['lower-case label', '-----BEGIN public key-----\nAAAA\n-----END public key-----'],
    ['missing END', '-----BEGIN PUBLIC KEY-----\nAAAA\n'],
  ])('%s', (_name, text) => {
    expect(outcome(() => api.publicKeyFromPem(text))).toBe('BAD_PEM');
    expect(outcome(() => api.privateKeyFromPem(text))).toBe('BAD_PEM');
  });
});

describe('functions taking keys: anything but a key of this package is a TypeError', () => {
  const notPublic: [string, unknown][] = [
    ...WRONG_TYPES,
    ['bytes', naclPublic],
    ['a private key', nacl],
    ['a look-alike', { ...nacl.publicKey }],
  ];
  const notPrivate: [string, unknown][] = [
    ...WRONG_TYPES,
    ['bytes', naclPrivate],
    ['a public key', nacl.publicKey],
    ['a look-alike', { level: 'low', bytes: ecPrivate, publicKey: ec.publicKey, sign: () => new Uint8Array() }],
  ];
  it.each(notPublic)('publicKeyToHex / publicKeyToPem (%s)', (_name, value) => {
    expect(outcome(() => api.publicKeyToHex(value as api.PublicKey))).toBe('TypeError');
    expect(outcome(() => api.publicKeyToPem(value as api.PublicKey))).toBe('TypeError');
  });
  it.each(notPrivate)('privateKeyToHex / privateKeyToPem / saveKeyFileSync (%s)', (_name, value) => {
    expect(outcome(() => api.privateKeyToHex(value as api.PrivateKey))).toBe('TypeError');
    expect(outcome(() => api.privateKeyToPem(value as api.PrivateKey))).toBe('TypeError');
    expect(outcome(() => api.saveKeyFileSync('/nonexistent/never-written.pem', value as api.PrivateKey))).toBe(
      'TypeError',
    );
  });
  it.each(notPrivate)('saveKeyFile (%s)', async (_name, value) => {
    expect(await asyncOutcome(() => api.saveKeyFile('/nonexistent/never-written.pem', value as api.PrivateKey))).toBe(
      'TypeError',
    );
  });
});

describe.each(api.SECURITY_LEVELS)('sign and verify at %s', (level) => {
  const key = api.generateKeyPair(level);
  const data = Uint8Array.of(1, 2, 3);
  const signature = key.sign(data);
  it.each(NOT_BYTES)('sign(%s) is a TypeError', (_name, value) => {
    expect(outcome(() => key.sign(value as Uint8Array))).toBe('TypeError');
  });
  it.each(NOT_BYTES)('verify(%s, signature) and verify(data, %s) are TypeErrors', (_name, value) => {
    expect(outcome(() => key.publicKey.verify(value as Uint8Array, signature))).toBe('TypeError');
    expect(outcome(() => key.publicKey.verify(data, value as Uint8Array))).toBe('TypeError');
    expect(outcome(() => api.verifySignature(value as Uint8Array, data, signature))).toBe('TypeError');
    expect(outcome(() => api.verifySignature(key.publicKey, value as Uint8Array, signature))).toBe('TypeError');
    expect(outcome(() => api.verifySignature(key.publicKey, data, value as Uint8Array))).toBe('TypeError');
  });
  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte short', signature.subarray(1)],
    ['one byte long', concat(signature, Uint8Array.of(0))],
    ['all zero', new Uint8Array(signature.length)],
    ['all 0xff', new Uint8Array(signature.length).fill(0xff)],
    ['twice as long', concat(signature, signature)],
    [
      'the halves swapped',
      concat(signature.subarray(signature.length / 2), signature.subarray(0, signature.length / 2)),
    ],
  ])('a signature that is %s is invalid, not an error', (_name, bad) => {
    expect(key.publicKey.verify(data, bad)).toBe(false);
    expect(api.verifySignature(key.publicKey.bytes, data, bad)).toBe(false);
  });
  it('the real signature is valid', () => {
    expect(key.publicKey.verify(data, signature)).toBe(true);
  });
});

describe('other functions', () => {
  afterAll(() => {
    api.setBackend('node');
    api.setPublicKeyCacheSize(api.DEFAULT_PUBLIC_KEY_CACHE_SIZE);
  });

  it.each([
    ...WRONG_TYPES.filter(([name]) => name !== 'undefined'),
    ['a string level', 'prime256v1'],
    ['an upper-case level', 'LOW'],
    ['an inherited name', 'toString'],
    ['empty', ''],
  ] as [string, unknown][])('generateKeyPair(%s) and securityLevelInfo(%s) are programmer errors', (_name, value) => {
    const expected = typeof value === 'string' ? 'RangeError' : 'TypeError';
    expect(outcome(() => api.generateKeyPair(value as api.SecurityLevel))).toBe(expected);
    expect(outcome(() => api.securityLevelInfo(value as api.SecurityLevel))).toBe(expected);
    expect(api.isSecurityLevel(value)).toBe(false);
    expect(api.isPublicKey(value)).toBe(false);
    expect(api.isPrivateKey(value)).toBe(false);
  });

  it.each([
    ...WRONG_TYPES.filter(([name]) => name !== 'undefined'),
    ['undefined', undefined],
    ['an unknown name', 'wasm'],
    ['upper case', 'NODE'],
  ] as [string, unknown][])('setBackend(%s) is a programmer error and changes nothing', (_name, value) => {
    expect(outcome(() => api.setBackend(value as api.Ed25519Backend))).toBe(
      typeof value === 'string' ? 'RangeError' : 'TypeError',
    );
    expect(api.getBackend()).toBe('node');
  });

  it.each([
    ['-1', -1, 'RangeError'],
    ['1.5', 1.5, 'RangeError'],
    ['NaN', Number.NaN, 'RangeError'],
    ['Infinity', Number.POSITIVE_INFINITY, 'RangeError'],
    ['a string', '10', 'TypeError'],
    ['null', null, 'TypeError'],
  ] as const)('setPublicKeyCacheSize(%s)', (_name, value, expected) => {
    expect(outcome(() => api.setPublicKeyCacheSize(value as number))).toBe(expected);
  });

  it.each([
    ['a number', 3, 'TypeError'],
    ['null', null, 'TypeError'],
    ['size 0', { size: 0 }, 'RangeError'],
    ['size -1', { size: -1 }, 'RangeError'],
    ['size 2.5', { size: 2.5 }, 'RangeError'],
    ['size as text', { size: '2' }, 'TypeError'],
    ['size too big', { size: 100_000 }, 'RangeError'],
  ] as const)('createVerifyPool(%s)', (_name, value, expected) => {
    expect(outcome(() => api.createVerifyPool(value as api.VerifyPoolInit))).toBe(expected);
  });

  it.each([...WRONG_TYPES.filter(([name]) => name !== 'a symbol'), ['an empty string', '']])(
    'loadKeyFile(%s)',
    async (_name, value) => {
      expect(await asyncOutcome(() => api.loadKeyFile(value as string))).toBe('TypeError');
      expect(outcome(() => api.loadKeyFileSync(value as string))).toBe('TypeError');
    },
  );
});

describe('properties', () => {
  const keyish = fc.oneof(
    fc.uint8Array({ maxLength: 260 }),
    fc.uint8Array({ maxLength: 80 }).map((rest) => concat(ascii('LibNaCL'), rest)),
    fc.uint8Array({ maxLength: 200 }).map((rest) => concat(Uint8Array.of(0x30, rest.length & 0xff), rest)),
    fc
      .tuple(fc.nat({ max: ecPublic.length - 1 }), fc.nat({ max: 255 }))
      .map(([i, b]) => Uint8Array.from(ecPublic, (x, j) => (j === i ? b : x))),
    fc
      .tuple(fc.nat({ max: ecPrivate.length - 1 }), fc.nat({ max: 255 }))
      .map(([i, b]) => Uint8Array.from(ecPrivate, (x, j) => (j === i ? b : x))),
  );

  test.prop([keyish])('any bytes either parse or throw KeyFormatError, in every parser', (bytes) => {
    for (const parse of [api.detectLevel, api.publicKeyFromBytes, api.privateKeyFromBytes]) {
      try {
        parse(bytes);
      } catch (err) {
        expect(api.KeyFormatError.is(err)).toBe(true);
      }
    }
    expect(typeof api.verifySignature(bytes, Uint8Array.of(1), new Uint8Array(64))).toBe('boolean');
  });

  test.prop([fc.string({ maxLength: 300 })])('any text either parses or throws KeyFormatError', (text) => {
    for (const parse of [api.publicKeyFromHex, api.privateKeyFromHex, api.publicKeyFromPem, api.privateKeyFromPem]) {
      try {
        parse(text);
      } catch (err) {
        expect(api.KeyFormatError.is(err)).toBe(true);
      }
    }
  });

  test.prop([fc.uint8Array({ maxLength: 200 })])(
    'verify never throws on garbage signatures at any level',
    (signature) => {
      for (const key of [nacl, ec]) expect(typeof key.publicKey.verify(Uint8Array.of(1), signature)).toBe('boolean');
    },
  );
});

it('hex helper sanity', () => {
  expect(hex('00ff')).toEqual(Uint8Array.of(0, 255));
});
