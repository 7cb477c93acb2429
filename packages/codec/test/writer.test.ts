/** The writer: big-endian writes, range checks, the exact-size check of the two-pass encode. */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Reader, Writer } from '../src/index.ts';

describe('writes', () => {
  test('integers are big-endian', () => {
    const w = new Writer(1 + 1 + 2 + 4 + 8 + 8);
    w.u8(1);
    w.i8(-2);
    w.u16(0x0304);
    w.u32(0x05060708);
    w.u64(2 ** 40 + 3);
    w.u64(2n ** 64n - 1n);
    expect([...w.finish()]).toEqual([1, 0xfe, 3, 4, 5, 6, 7, 8, 0, 0, 1, 0, 0, 0, 0, 3, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  test.each([
    ['u8 256', (w: Writer) => w.u8(256)],
    ['u8 -1', (w: Writer) => w.u8(-1)],
    ['i8 128', (w: Writer) => w.i8(128)],
    ['u16 65536', (w: Writer) => w.u16(65536)],
    ['u32 2^32', (w: Writer) => w.u32(2 ** 32)],
    ['u64 2^53', (w: Writer) => w.u64(2 ** 53)],
    ['u64 -1n', (w: Writer) => w.u64(-1n)],
    ['u64 2^64n', (w: Writer) => w.u64(2n ** 64n)],
  ])('%s is a RangeError', (_name, write) => {
    expect(() => write(new Writer(8))).toThrow(RangeError);
  });

  test.each([
    ['u8 1.5', (w: Writer) => w.u8(1.5)],
    ['u16 NaN', (w: Writer) => w.u16(Number.NaN)],
    ['u32 "1"', (w: Writer) => w.u32('1' as never)],
    ['bytes []', (w: Writer) => w.bytes([1] as never)],
  ])('%s is a TypeError', (_name, write) => {
    expect(() => write(new Writer(8))).toThrow(TypeError);
  });

  test('finish refuses a buffer that was not filled exactly', () => {
    const w = new Writer(2);
    w.u8(1);
    expect(() => w.finish()).toThrow(/size mismatch/);
    expect(() => new Writer(-1)).toThrow(RangeError);
  });

  test('writing past the end fails', () => {
    const w = new Writer(1);
    expect(() => w.bytes(Uint8Array.of(1, 2))).toThrow(RangeError);
  });
});

describe('properties', () => {
  test.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: -128, max: 127 })])(
    'what the writer writes, the reader reads',
    (n, big, small) => {
      const w = new Writer(17);
      w.u64(n);
      w.u64(big);
      w.i8(small);
      const r = new Reader(w.finish());
      expect([r.u64(), r.u64n(), r.i8()]).toEqual([n, big, small]);
    },
  );
});
