/** The schema helper's primitive codecs: round trips, exact sizes, caps and decode errors. */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  boolean,
  bytes,
  DecodeError,
  decodeValue,
  encodeValue,
  fixedBytes,
  int8,
  restBytes,
  uint16,
  uint32,
  uint64,
  uint64n,
  uint8,
  type Codec,
} from '../src/index.ts';
import { decodeError, hex } from './helpers.ts';

function roundTrip<T>(codec: Codec<T>, value: T): void {
  const encoded = encodeValue(codec, value);
  expect(encoded.length).toBe(codec.size(value));
  expect(decodeValue(codec, encoded)).toEqual(value);
}

describe('integers', () => {
  test('encodings', () => {
    expect(hex(encodeValue(uint8, 7))).toBe('07');
    expect(hex(encodeValue(uint16, 258))).toBe('0102');
    expect(hex(encodeValue(uint32, 1))).toBe('00000001');
    expect(hex(encodeValue(int8, -1))).toBe('ff');
    expect(hex(encodeValue(uint64, 2 ** 32))).toBe('0000000100000000');
    expect(hex(encodeValue(uint64n, 2n ** 64n - 1n))).toBe('ffffffffffffffff');
  });

  test('uint64 refuses 2^53 both ways; uint64n takes the full range', () => {
    expect(() => encodeValue(uint64, 2 ** 53)).toThrow(RangeError);
    expect(decodeError(() => decodeValue(uint64, Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 0))).code).toBe('UNSAFE_INTEGER');
    expect(() => encodeValue(uint64n, 1 as never)).toThrow(TypeError);
    expect(() => encodeValue(uint64n, 2n ** 64n)).toThrow(RangeError);
  });

  test('out-of-range and non-integer values', () => {
    expect(() => encodeValue(uint8, 256)).toThrow(RangeError);
    expect(() => encodeValue(uint16, -1)).toThrow(RangeError);
    expect(() => encodeValue(uint32, 1.5)).toThrow(TypeError);
    expect(() => encodeValue(int8, -129)).toThrow(RangeError);
  });

  test('too few bytes is TRUNCATED, too many TRAILING_BYTES', () => {
    expect(decodeError(() => decodeValue(uint32, Uint8Array.of(1, 2, 3))).code).toBe('TRUNCATED');
    expect(decodeError(() => decodeValue(uint16, Uint8Array.of(1, 2, 3))).code).toBe('TRAILING_BYTES');
  });
});

describe('boolean', () => {
  test('0x00 / 0x01; any other byte is INVALID_FIELD', () => {
    roundTrip(boolean, true);
    roundTrip(boolean, false);
    expect(decodeError(() => decodeValue(boolean, Uint8Array.of(2))).code).toBe('INVALID_FIELD');
    expect(() => encodeValue(boolean, 1 as never)).toThrow(TypeError);
  });
});

describe('byte strings', () => {
  test('fixedBytes checks the length both ways', () => {
    expect(() => encodeValue(fixedBytes(3), new Uint8Array(2))).toThrow(RangeError);
    expect(decodeError(() => decodeValue(fixedBytes(3), new Uint8Array(2))).code).toBe('TRUNCATED');
    expect(() => fixedBytes(-1)).toThrow(RangeError);
  });

  test('bytes: a length prefix of 1, 2 or 4 bytes and a cap', () => {
    expect(hex(encodeValue(bytes({ prefix: 1 }), Uint8Array.of(9)))).toBe('0109');
    expect(hex(encodeValue(bytes(), Uint8Array.of(9)))).toBe('000109');
    expect(hex(encodeValue(bytes({ prefix: 4 }), Uint8Array.of(9)))).toBe('0000000109');
    const capped = bytes({ prefix: 2, max: 4 });
    expect(() => encodeValue(capped, new Uint8Array(5))).toThrow(RangeError);
    const err = decodeError(() => decodeValue(capped, Uint8Array.of(0, 5, 1, 2, 3, 4, 5)));
    expect(err.code).toBe('LENGTH_LIMIT');
    expect(err.offset).toBe(0);
  });

  test('bytes: a declared length beyond what remains is TRUNCATED (house style P13)', () => {
    expect(decodeError(() => decodeValue(bytes({ prefix: 4 }), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1))).code).toBe('TRUNCATED');
  });

  test('bytes: invalid options', () => {
    expect(() => bytes({ prefix: 3 as never })).toThrow(RangeError);
    expect(() => bytes({ prefix: 1, max: 256 })).toThrow(RangeError);
    expect(() => bytes('x' as never)).toThrow(TypeError);
  });

  test('restBytes takes everything, possibly nothing', () => {
    roundTrip(restBytes, new Uint8Array(0));
    roundTrip(restBytes, Uint8Array.of(1, 2, 3));
    expect(restBytes.toEnd).toBe(true);
  });
});

describe('properties', () => {
  test.prop([fc.nat(255), fc.nat(0xffff), fc.nat(0xffff_ffff), fc.integer({ min: -128, max: 127 })])('small integers round-trip', (a, b, c, d) => {
    roundTrip(uint8, a);
    roundTrip(uint16, b);
    roundTrip(uint32, c);
    roundTrip(int8, d);
  });
  test.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })])('64-bit integers round-trip', (n, big) => {
    roundTrip(uint64, n);
    roundTrip(uint64n, big);
  });
  test.prop([fc.uint8Array({ maxLength: 300 }), fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>])('byte strings round-trip', (value, prefix) => {
    roundTrip(bytes({ prefix }), value.subarray(0, prefix === 1 ? 255 : 300));
    roundTrip(fixedBytes(value.length), value);
    roundTrip(restBytes, value);
  });
  test.prop([fc.uint8Array({ maxLength: 40 })])('any bytes decode or throw DecodeError for every primitive', (input) => {
    for (const codec of [uint8, uint16, uint32, uint64, uint64n, int8, boolean, fixedBytes(4), bytes({ prefix: 1, max: 8 }), restBytes] as Codec<unknown>[]) {
      try {
        decodeValue(codec, input);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});
