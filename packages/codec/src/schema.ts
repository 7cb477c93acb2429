/**
 * The schema helper community authors use to declare payloads: small codecs with three functions each
 * (`size`, `encode`, `decode`, as in compact-encoding), composed with {@link struct}, {@link list} and
 * {@link optional} (see `schema-composite.ts`).
 *
 * Integers are big-endian like the rest of the wire format (spec §2). 64-bit integers: {@link uint64} is a JS
 * `number` and refuses values above `Number.MAX_SAFE_INTEGER` both ways (`RangeError` on encode,
 * `DecodeError('UNSAFE_INTEGER')` on decode) — Lamport times and counters never get there and numbers are fast;
 * {@link uint64n} is a `bigint` for the full range.
 */
import type { Reader } from './reader.ts';
import { Reader as ByteReader } from './reader.ts';
import { Writer } from './writer.ts';
import { assertBytes, assertInteger, assertObject, describe } from './internal/assert.ts';

/**
 * A codec for values of type `T`.
 *
 * Encoding is two-pass: `size(value)` validates the value and returns its exact encoded length; `encode` then
 * writes exactly that many bytes. `decode` reads from a bounded {@link Reader} and throws `DecodeError` on any
 * malformed input (never reads past the reader's end).
 */
export interface Codec<T> {
  /** A short description, used in messages. */
  readonly name: string;
  /** True for codecs that consume every remaining byte (they must come last in a struct). */
  readonly toEnd?: boolean;
  /**
   * @param value the value to encode
   * @returns its exact encoded size in bytes
   * @throws TypeError / RangeError if the value does not fit the schema
   */
  size(value: T): number;
  /** Writes `value` (already validated by `size`). */
  encode(writer: Writer, value: T): void;
  /** Reads a value. @throws DecodeError */
  decode(reader: Reader): T;
}

/** The value type of a codec. */
export type Infer<C> = C extends Codec<infer T> ? T : never;

function intCodec(name: string, bytes: 1 | 2 | 4, max: number): Codec<number> {
  return {
    name,
    size(value) {
      assertInteger(value, name, 0, max);
      return bytes;
    },
    encode(w, value) {
      if (bytes === 1) w.u8(value, name);
      else if (bytes === 2) w.u16(value, name);
      else w.u32(value, name);
    },
    decode(r) {
      return bytes === 1 ? r.u8(name) : bytes === 2 ? r.u16(name) : r.u32(name);
    },
  };
}

/** Unsigned 8-bit integer. @example `uint8.size(7) // 1` */
export const uint8: Codec<number> = intCodec('uint8', 1, 0xff);
/** Unsigned 16-bit big-endian integer. @example `encodeValue(uint16, 258) // 01 02` */
export const uint16: Codec<number> = intCodec('uint16', 2, 0xffff);
/** Unsigned 32-bit big-endian integer. @example `encodeValue(uint32, 1) // 00 00 00 01` */
export const uint32: Codec<number> = intCodec('uint32', 4, 0xffff_ffff);

/** Signed 8-bit integer (two's complement), as the NHop depth byte. @example `encodeValue(int8, -1) // ff` */
export const int8: Codec<number> = {
  name: 'int8',
  size(value) {
    assertInteger(value, 'int8', -128, 127);
    return 1;
  },
  encode: (w, value) => w.i8(value, 'int8'),
  decode: (r) => r.i8('int8'),
};

/**
 * Unsigned 64-bit big-endian integer as a `number` limited to `Number.MAX_SAFE_INTEGER`.
 * @example `decodeValue(uint64, bytes) // throws DecodeError UNSAFE_INTEGER above 2^53 - 1`
 */
export const uint64: Codec<number> = {
  name: 'uint64',
  size(value) {
    assertInteger(value, 'uint64', 0, Number.MAX_SAFE_INTEGER);
    return 8;
  },
  encode: (w, value) => w.u64(value, 'uint64'),
  decode: (r) => r.u64('uint64'),
};

/** Unsigned 64-bit big-endian integer as a `bigint` (full range). @example `encodeValue(uint64n, 2n ** 64n - 1n)` */
export const uint64n: Codec<bigint> = {
  name: 'uint64n',
  size(value) {
    if (typeof value !== 'bigint') throw new TypeError(`uint64n must be a bigint, got ${describe(value)}`);
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw new RangeError(`uint64n must fit 64 bits, got ${value}`);
    return 8;
  },
  encode: (w, value) => w.u64(value, 'uint64n'),
  decode: (r) => r.u64n('uint64n'),
};

/** A boolean as one byte, 0x00 or 0x01; any other byte is `DecodeError('INVALID_FIELD')`. @example `encodeValue(boolean, true)` */
export const boolean: Codec<boolean> = {
  name: 'boolean',
  size(value) {
    if (typeof value !== 'boolean') throw new TypeError(`boolean must be a boolean, got ${describe(value)}`);
    return 1;
  },
  encode: (w, value) => w.u8(value ? 1 : 0),
  decode(r) {
    const b = r.u8('boolean');
    if (b > 1) {
      r.pos--;
      r.fail('INVALID_FIELD', `boolean byte must be 0 or 1, got ${b}`);
    }
    return b === 1;
  },
};

/**
 * Exactly `length` bytes (decoded as a view into the packet).
 * @param length the fixed length
 * @returns a codec of byte strings of that length
 * @throws RangeError if `length` is not a non-negative integer
 * @example `const mid = fixedBytes(20);`
 */
export function fixedBytes(length: number): Codec<Uint8Array> {
  assertInteger(length, 'length', 0, 0x7fff_ffff);
  const name = `bytes[${length}]`;
  return {
    name,
    size(value) {
      assertBytes(value, name, length);
      return length;
    },
    encode: (w, value) => w.bytes(value, name),
    decode: (r) => r.bytes(length, name),
  };
}

/** Width of a length or count prefix, in bytes. */
export type PrefixWidth = 1 | 2 | 4;

/** Options of the length-prefixed codecs. */
export interface LengthPrefixOptions {
  /** Width of the big-endian length prefix. @default 2 */
  prefix?: PrefixWidth;
  /** Largest accepted length (bytes for byte strings and UTF-8, items for lists). @default the prefix's maximum */
  max?: number;
}

/** Internal: validates prefix options and returns [width, max]. */
export function prefixOptions(options: LengthPrefixOptions | undefined, what: string): [PrefixWidth, number] {
  if (options !== undefined) assertObject(options, `${what} options`);
  const width = options?.prefix ?? 2;
  if (width !== 1 && width !== 2 && width !== 4) throw new RangeError(`${what} prefix must be 1, 2 or 4, got ${describe(width)}`);
  const limit = width === 1 ? 0xff : width === 2 ? 0xffff : 0xffff_ffff;
  const max = options?.max ?? limit;
  assertInteger(max, `${what} max`, 0, limit);
  return [width, max];
}

/** Internal: writes a length prefix of the given width. */
export function writePrefix(w: Writer, width: PrefixWidth, n: number): void {
  if (width === 1) w.u8(n);
  else if (width === 2) w.u16(n);
  else w.u32(n);
}

/** Internal: reads a length prefix and checks it against the cap. */
export function readPrefix(r: Reader, width: PrefixWidth, max: number, what: string): number {
  const start = r.pos;
  const n = width === 1 ? r.u8(what) : width === 2 ? r.u16(what) : r.u32(what);
  if (n > max) {
    r.pos = start;
    r.fail('LENGTH_LIMIT', `${what} length ${n} is above the cap ${max}`);
  }
  return n;
}

/**
 * A byte string preceded by its length.
 * @param options prefix width (default 2) and cap (default: the prefix's maximum)
 * @returns the codec; decoding checks the declared length against the cap (`LENGTH_LIMIT`) and against what
 *   remains (`TRUNCATED`)
 * @throws RangeError for invalid options
 * @example `const key = bytes({ prefix: 2, max: 1024 });`
 */
export function bytes(options?: LengthPrefixOptions): Codec<Uint8Array> {
  const [width, max] = prefixOptions(options, 'bytes');
  const name = `bytes<=${max}`;
  return {
    name,
    size(value) {
      assertBytes(value, name);
      if (value.length > max) throw new RangeError(`${name}: length ${value.length} is above the cap ${max}`);
      return width + value.length;
    },
    encode(w, value) {
      writePrefix(w, width, value.length);
      w.bytes(value, name);
    },
    decode(r) {
      return r.bytes(readPrefix(r, width, max, name), name);
    },
  };
}

/**
 * Every remaining byte of the payload (must be the last field): the DebugCommunity's raw text payload.
 * @example `const text = struct({ text: restBytes });`
 */
export const restBytes: Codec<Uint8Array> = {
  name: 'rest',
  toEnd: true,
  size(value) {
    assertBytes(value, 'rest');
    return value.length;
  },
  encode: (w, value) => w.bytes(value, 'rest'),
  decode: (r) => r.rest(),
};

/**
 * Encodes a value into a new buffer of exactly its size.
 * @param codec the codec
 * @param value the value
 * @returns the encoding
 * @throws TypeError / RangeError if the value does not fit the schema
 * @example `encodeValue(uint16, 1) // Uint8Array [0, 1]`
 */
export function encodeValue<T>(codec: Codec<T>, value: T): Uint8Array<ArrayBuffer> {
  assertCodec(codec);
  const w = new Writer(codec.size(value));
  codec.encode(w, value);
  return w.finish();
}

/**
 * Decodes a whole buffer.
 * @param codec the codec
 * @param bytes the encoding
 * @returns the value
 * @throws DecodeError if malformed or if bytes are left over (`TRAILING_BYTES`); TypeError if `bytes` is not a Uint8Array
 * @example `decodeValue(uint16, Uint8Array.of(0, 1)) // 1`
 */
export function decodeValue<T>(codec: Codec<T>, bytes: Uint8Array): T {
  assertCodec(codec);
  const r = new ByteReader(bytes);
  const value = codec.decode(r);
  r.expectEnd(codec.name);
  return value;
}

/** Internal: TypeError unless `codec` looks like a {@link Codec}. */
export function assertCodec(codec: unknown, name = 'codec'): asserts codec is Codec<unknown> {
  assertObject(codec, name);
  const c = codec as Partial<Codec<unknown>>;
  if (typeof c.size !== 'function' || typeof c.encode !== 'function' || typeof c.decode !== 'function') {
    throw new TypeError(`${name} must have size, encode and decode functions`);
  }
}
