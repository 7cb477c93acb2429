/** The bounded reader: big-endian reads, views, and TRUNCATED / TRAILING_BYTES / UNSAFE_INTEGER. */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DecodeError, Reader } from '../src/index.ts';
import { decodeError } from './helpers.ts';

describe('reads', () => {
  test('integers are big-endian', () => {
    const r = new Reader(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 0xff, 0x80, 0xff, 0xff, 0xff, 0xff));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u32()).toBe(0x04050607);
    expect(r.i8()).toBe(-1);
    expect(r.i8()).toBe(-128);
    expect(r.u32()).toBe(0xffff_ffff);
    expect(r.remaining()).toBe(0);
    r.expectEnd();
  });

  test('uint64 as a number up to 2^53 − 1, as a bigint always', () => {
    const max = Uint8Array.of(0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(new Reader(max).u64()).toBe(Number.MAX_SAFE_INTEGER);
    const big = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(decodeError(() => new Reader(big).u64()).code).toBe('UNSAFE_INTEGER');
    expect(new Reader(big).u64n()).toBe(2n ** 64n - 1n);
  });

  test('bytes and rest are views within [start, end)', () => {
    const buf = Uint8Array.of(9, 1, 2, 3, 9);
    const r = new Reader(buf, 1, 4);
    const v = r.bytes(2);
    expect([...v]).toEqual([1, 2]);
    expect(v.buffer).toBe(buf.buffer);
    expect([...r.rest()]).toEqual([3]);
    expect(r.rest()).toHaveLength(0);
  });
});

describe('bounds', () => {
  test.each([
    ['u8', (r: Reader) => r.u8()],
    ['i8', (r: Reader) => r.i8()],
    ['u16', (r: Reader) => r.u16()],
    ['u32', (r: Reader) => r.u32()],
    ['u64', (r: Reader) => r.u64()],
    ['u64n', (r: Reader) => r.u64n()],
    ['bytes(5)', (r: Reader) => r.bytes(5)],
  ])('%s past the end is TRUNCATED, position unchanged', (_name, read) => {
    const r = new Reader(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 8, 9);
    r.pos = 9;
    const err = decodeError(() => read(r));
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBe(9);
    expect(r.pos).toBe(9);
  });

  test('the end bound is respected even when the buffer goes on', () => {
    const r = new Reader(new Uint8Array(100), 0, 3);
    expect(decodeError(() => r.u32()).code).toBe('TRUNCATED');
  });

  test('expectEnd with bytes left is TRAILING_BYTES', () => {
    expect(decodeError(() => new Reader(Uint8Array.of(1)).expectEnd()).code).toBe('TRAILING_BYTES');
  });

  test('programmer errors are TypeError / RangeError', () => {
    expect(() => new Reader([1, 2] as never)).toThrow(TypeError);
    expect(() => new Reader(new Uint8Array(2), 3)).toThrow(RangeError);
    expect(() => new Reader(new Uint8Array(2), 1, 0)).toThrow(RangeError);
    expect(() => new Reader(new Uint8Array(2)).bytes('x' as never)).toThrow(TypeError);
    expect(() => new Reader(new Uint8Array(2)).bytes(-1)).toThrow(TypeError);
    expect(new Reader(new Uint8Array(2)).fail.bind(new Reader(new Uint8Array(2)), 'INVALID_FIELD', 'x')).toThrow(DecodeError);
  });
});

describe('properties', () => {
  test.prop([fc.uint8Array({ maxLength: 64 }), fc.array(fc.constantFrom('u8', 'i8', 'u16', 'u32', 'u64', 'u64n', 'b3', 'rest'), { maxLength: 20 })])(
    'any sequence of reads on any bytes returns values or throws DecodeError, never reads past the end',
    (bytes, ops) => {
      const r = new Reader(bytes);
      for (const op of ops) {
        try {
          if (op === 'b3') r.bytes(3);
          else if (op === 'rest') r.rest();
          else (r[op] as () => unknown).call(r);
        } catch (err) {
          expect(err).toBeInstanceOf(DecodeError);
        }
        expect(r.pos).toBeLessThanOrEqual(bytes.length);
      }
    },
  );
});
