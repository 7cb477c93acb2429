/**
 * A bounded big-endian byte reader (spec §2: every multi-byte integer on the wire is big-endian).
 *
 * Every read checks what remains first and throws `DecodeError('TRUNCATED')` instead of reading past `end`
 * (house style P13). Byte fields are returned as `subarray` views into the input, never copies.
 */
import { DecodeError, type DecodeErrorCode } from './errors.ts';
import { assertBytes, assertInteger } from './internal/assert.ts';

const TWO_32 = 0x1_0000_0000;
/** 2^53 / 2^32: a high word at or above this makes a uint64 unsafe as a JS number. */
const SAFE_HIGH_LIMIT = 0x20_0000;

/**
 * Reads integers and byte views from `bytes[start, end)`.
 *
 * @example
 * ```ts
 * const r = new Reader(packet);
 * const version = r.u8();
 * const cid = r.bytes(20);
 * r.expectEnd();
 * ```
 */
export class Reader {
  /** The underlying buffer (offsets in errors are relative to it). */
  readonly buffer: Uint8Array;
  /** Current read position. */
  pos: number;
  /** One past the last readable byte. */
  end: number;

  /**
   * @param buffer the bytes to read
   * @param start first readable offset (default 0)
   * @param end one past the last readable offset (default `buffer.length`)
   * @throws TypeError if `buffer` is not a Uint8Array; RangeError if the bounds are outside it
   */
  constructor(buffer: Uint8Array, start = 0, end = buffer?.length) {
    assertBytes(buffer, 'buffer');
    assertInteger(start, 'start', 0, buffer.length);
    assertInteger(end, 'end', start, buffer.length);
    this.buffer = buffer;
    this.pos = start;
    this.end = end;
  }

  /** @returns how many bytes remain before `end` */
  remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Throws a {@link DecodeError} at the current position.
   * @param code the stable error code
   * @param message explanation
   * @param cause optional underlying error
   * @throws DecodeError always
   */
  fail(code: DecodeErrorCode, message: string, cause?: unknown): never {
    throw new DecodeError(code, message, { offset: this.pos, cause });
  }

  /**
   * Checks that `n` more bytes are available.
   * @param n number of bytes about to be read
   * @param what name of the field, for the message
   * @throws DecodeError TRUNCATED if fewer remain
   */
  need(n: number, what: string): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TypeError(`${what}: byte count must be a non-negative integer`);
    if (n > this.end - this.pos) {
      this.fail('TRUNCATED', `${what} needs ${n} bytes, ${this.end - this.pos} remain`);
    }
  }

  /** @returns the next byte as an unsigned integer @throws DecodeError TRUNCATED */
  u8(what = 'uint8'): number {
    if (this.pos >= this.end) this.need(1, what);
    return this.buffer[this.pos++] as number;
  }

  /** @returns the next byte as a signed (two's complement) integer @throws DecodeError TRUNCATED */
  i8(what = 'int8'): number {
    const v = this.u8(what);
    return v > 127 ? v - 256 : v;
  }

  /** @returns the next 2 bytes as an unsigned big-endian integer @throws DecodeError TRUNCATED */
  u16(what = 'uint16'): number {
    if (this.end - this.pos < 2) this.need(2, what);
    const b = this.buffer;
    const p = this.pos;
    this.pos = p + 2;
    return ((b[p] as number) << 8) | (b[p + 1] as number);
  }

  /** @returns the next 4 bytes as an unsigned big-endian integer @throws DecodeError TRUNCATED */
  u32(what = 'uint32'): number {
    if (this.end - this.pos < 4) this.need(4, what);
    const b = this.buffer;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] as number) * 0x100_0000 + (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }

  /**
   * Reads an unsigned 64-bit big-endian integer as a JS number.
   * @returns the value, at most `Number.MAX_SAFE_INTEGER`
   * @throws DecodeError TRUNCATED, or UNSAFE_INTEGER when the value is 2^53 or more
   */
  u64(what = 'uint64'): number {
    if (this.end - this.pos < 8) this.need(8, what);
    const start = this.pos;
    const high = this.u32(what);
    const low = this.u32(what);
    if (high >= SAFE_HIGH_LIMIT) {
      throw new DecodeError('UNSAFE_INTEGER', `${what} is larger than 2^53 - 1`, { offset: start });
    }
    return high * TWO_32 + low;
  }

  /** @returns the next 8 bytes as an unsigned big-endian bigint @throws DecodeError TRUNCATED */
  u64n(what = 'uint64'): bigint {
    if (this.end - this.pos < 8) this.need(8, what);
    const high = this.u32(what);
    const low = this.u32(what);
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /**
   * @param n number of bytes
   * @returns a view of the next `n` bytes (not a copy)
   * @throws DecodeError TRUNCATED
   */
  bytes(n: number, what = 'bytes'): Uint8Array {
    if (!(n >= 0 && n <= this.end - this.pos && Number.isInteger(n))) this.need(n, what);
    const p = this.pos;
    this.pos = p + n;
    return this.buffer.subarray(p, p + n);
  }

  /** @returns a view of every remaining byte (possibly empty) */
  rest(): Uint8Array {
    const p = this.pos;
    this.pos = this.end;
    return this.buffer.subarray(p, this.end);
  }

  /**
   * Checks that every byte was consumed.
   * @throws DecodeError TRAILING_BYTES if bytes remain
   */
  expectEnd(what = 'value'): void {
    if (this.pos !== this.end) this.fail('TRAILING_BYTES', `${this.end - this.pos} unexpected bytes after the ${what}`);
  }
}
