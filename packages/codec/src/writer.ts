/**
 * A big-endian byte writer over a buffer allocated once (the codec's two-pass encode: compute the exact size,
 * allocate, then write). Values are range-checked: a value that does not fit its field is a `RangeError`.
 */
import { assertBytes, assertInteger } from './internal/assert.ts';

const TWO_32 = 0x1_0000_0000;

/**
 * Writes integers and bytes into a fixed-size buffer.
 *
 * @example
 * ```ts
 * const w = new Writer(3);
 * w.u8(1);
 * w.u16(0x0203);
 * w.finish(); // Uint8Array [1, 2, 3]
 * ```
 */
export class Writer {
  /** The buffer being filled. */
  readonly buffer: Uint8Array;
  /** Next write position. */
  pos: number;

  /**
   * @param sizeOrBuffer the exact number of bytes that will be written, or a buffer to fill from offset 0
   * @throws RangeError if the size is not a non-negative integer
   */
  constructor(sizeOrBuffer: number | Uint8Array) {
    if (sizeOrBuffer instanceof Uint8Array) {
      this.buffer = sizeOrBuffer;
    } else {
      assertInteger(sizeOrBuffer, 'size', 0, 0x7fff_ffff);
      this.buffer = new Uint8Array(sizeOrBuffer);
    }
    this.pos = 0;
  }

  /** @param value 0..255 @throws RangeError if out of range */
  u8(value: number, what = 'uint8'): void {
    if (!(value >= 0 && value <= 0xff && Number.isInteger(value))) assertInteger(value, what, 0, 0xff);
    this.buffer[this.pos++] = value;
  }

  /** @param value -128..127, written as two's complement @throws RangeError if out of range */
  i8(value: number, what = 'int8'): void {
    assertInteger(value, what, -128, 127);
    this.buffer[this.pos++] = value & 0xff;
  }

  /** @param value 0..65535, big-endian @throws RangeError if out of range */
  u16(value: number, what = 'uint16'): void {
    if (!(value >= 0 && value <= 0xffff && Number.isInteger(value))) assertInteger(value, what, 0, 0xffff);
    const b = this.buffer;
    b[this.pos] = value >>> 8;
    b[this.pos + 1] = value & 0xff;
    this.pos += 2;
  }

  /** @param value 0..2^32-1, big-endian @throws RangeError if out of range */
  u32(value: number, what = 'uint32'): void {
    if (!(value >= 0 && value <= 0xffff_ffff && Number.isInteger(value))) assertInteger(value, what, 0, 0xffff_ffff);
    const b = this.buffer;
    const p = this.pos;
    b[p] = value >>> 24;
    b[p + 1] = (value >>> 16) & 0xff;
    b[p + 2] = (value >>> 8) & 0xff;
    b[p + 3] = value & 0xff;
    this.pos = p + 4;
  }

  /**
   * @param value 0..2^64-1 as a bigint, or 0..2^53-1 as a number; big-endian
   * @throws RangeError if out of range; TypeError if neither a safe integer nor a bigint
   */
  u64(value: number | bigint, what = 'uint64'): void {
    if (typeof value === 'bigint') {
      if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw new RangeError(`${what} must fit 64 bits, got ${value}`);
      this.u32(Number(value >> 32n), what);
      this.u32(Number(value & 0xffff_ffffn), what);
      return;
    }
    if (!(value >= 0 && Number.isSafeInteger(value))) assertInteger(value, what, 0, Number.MAX_SAFE_INTEGER);
    const high = Math.floor(value / TWO_32);
    this.u32(high, what);
    this.u32(value - high * TWO_32, what);
  }

  /**
   * Copies `bytes` in.
   * @param bytes the bytes to write
   * @throws TypeError if not a Uint8Array
   */
  bytes(bytes: Uint8Array, what = 'bytes'): void {
    assertBytes(bytes, what);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * Checks that exactly the whole buffer was written and returns it.
   * @returns the buffer
   * @throws Error if the size computed in the first pass did not match what was written (a codec bug)
   */
  finish(): Uint8Array<ArrayBuffer> {
    if (this.pos !== this.buffer.length) {
      throw new Error(`codec size mismatch: computed ${this.buffer.length} bytes, wrote ${this.pos}`);
    }
    return this.buffer as Uint8Array<ArrayBuffer>;
  }
}

