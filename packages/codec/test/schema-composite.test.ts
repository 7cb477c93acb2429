/** UTF-8 strings, lists, optionals and structs: round trips, caps, strict UTF-8, struct rules. */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  address,
  bytes,
  DecodeError,
  decodeValue,
  encodeValue,
  fixedBytes,
  list,
  optional,
  restBytes,
  struct,
  uint16,
  uint64,
  uint8,
  utf8,
  utf8ToEnd,
  type Codec,
  type Infer,
} from '../src/index.ts';
import { arbAddress } from './arbitraries.ts';
import { decodeError, hex } from './helpers.ts';

function roundTrip<T>(codec: Codec<T>, value: T): void {
  const encoded = encodeValue(codec, value);
  expect(encoded.length).toBe(codec.size(value));
  expect(decodeValue(codec, encoded)).toEqual(value);
}

describe('utf8', () => {
  test('length-prefixed UTF-8 with a cap in bytes', () => {
    expect(hex(encodeValue(utf8({ prefix: 1 }), 'hé'))).toBe('0368c3a9');
    expect(() => encodeValue(utf8({ prefix: 1, max: 2 }), 'hé')).toThrow(RangeError);
    expect(decodeError(() => decodeValue(utf8({ prefix: 1, max: 2 }), Uint8Array.of(3, 0x68, 0xc3, 0xa9))).code).toBe('LENGTH_LIMIT');
  });

  test('invalid UTF-8 is INVALID_UTF8 (overlong, lone continuation, surrogate, truncated sequence)', () => {
    for (const bad of [[0xc0, 0x80], [0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      expect(decodeError(() => decodeValue(utf8(), Uint8Array.from([0, bad.length, ...bad]))).code).toBe('INVALID_UTF8');
      expect(decodeError(() => decodeValue(utf8ToEnd, Uint8Array.from(bad))).code).toBe('INVALID_UTF8');
    }
  });

  test('a byte-order mark is kept; lone surrogates cannot be encoded', () => {
    roundTrip(utf8(), '\uFEFFx');
    expect(() => encodeValue(utf8(), '\uD800')).toThrow(RangeError);
    expect(() => encodeValue(utf8ToEnd, 'a\uDC00')).toThrow(RangeError);
    expect(() => encodeValue(utf8(), 5 as never)).toThrow(TypeError);
  });
});

describe('list', () => {
  test('count-prefixed, capped', () => {
    const tags = list(uint8, { prefix: 1, max: 3 });
    expect(hex(encodeValue(tags, [1, 2]))).toBe('020102');
    expect(() => encodeValue(tags, [1, 2, 3, 4])).toThrow(RangeError);
    expect(decodeError(() => decodeValue(tags, Uint8Array.of(4, 1, 2, 3, 4))).code).toBe('LENGTH_LIMIT');
  });

  test('a lying count ends in TRUNCATED', () => {
    expect(decodeError(() => decodeValue(list(uint16, { prefix: 4 }), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 1))).code).toBe('TRUNCATED');
  });

  test('a to-the-end item cannot be listed', () => {
    expect(() => list(restBytes)).toThrow(TypeError);
    expect(() => list({} as never)).toThrow(TypeError);
  });
});

describe('optional', () => {
  test('a presence byte 0 / 1, anything else INVALID_FIELD', () => {
    const o = optional(uint16);
    expect(hex(encodeValue(o, undefined))).toBe('00');
    expect(hex(encodeValue(o, 5))).toBe('010005');
    expect(decodeError(() => decodeValue(o, Uint8Array.of(2, 0, 5))).code).toBe('INVALID_FIELD');
  });
});

describe('struct', () => {
  const post = struct({ time: uint64, tags: list(utf8({ prefix: 1 }), { prefix: 1, max: 8 }), reply: optional(fixedBytes(2)), text: utf8ToEnd });
  type Post = Infer<typeof post>;

  test('fields in declaration order; a to-the-end field last', () => {
    const value: Post = { time: 1, tags: ['a'], reply: undefined, text: 'hi' };
    expect(hex(encodeValue(post, value))).toBe(`0000000000000001 01 0161 00 6869`.replaceAll(' ', ''));
    roundTrip(post, value);
    expect(post.toEnd).toBe(true);
  });

  test('a to-the-end field must be last; fields must be codecs', () => {
    expect(() => struct({ text: utf8ToEnd, n: uint8 })).toThrow(TypeError);
    expect(() => struct({ n: 5 as never })).toThrow(TypeError);
    expect(() => encodeValue(post, null as never)).toThrow(TypeError);
  });
});

describe('properties', () => {
  const everything = struct({
    a: uint8,
    b: optional(bytes({ prefix: 1 })),
    c: list(struct({ s: utf8({ prefix: 2, max: 100 }), at: address }), { prefix: 2, max: 10 }),
    rest: utf8ToEnd,
  });

  test.prop([
    fc.record({
      a: fc.nat(255),
      b: fc.option(fc.uint8Array({ maxLength: 255 }), { nil: undefined }),
      c: fc.array(fc.record({ s: fc.string({ unit: 'grapheme', maxLength: 20 }), at: arbAddress }), { maxLength: 10 }),
      rest: fc.string({ unit: 'grapheme-composite', maxLength: 50 }),
    }),
  ])('decode(encode(x)) = x and size = bytes written', (value) => {
    roundTrip(everything, value);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 50 })])('well-formed strings of any code points round-trip', (s) => {
    roundTrip(utf8({ prefix: 4 }), s);
  });

  test.prop([fc.uint8Array({ maxLength: 80 })])('any bytes decode or throw DecodeError', (input) => {
    try {
      decodeValue(everything, input);
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
    }
  });
});
