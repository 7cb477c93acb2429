/**
 * Composite schema codecs: UTF-8 strings, lists, optional values and structs (the building blocks of a
 * community's payload declaration). Every count and length is capped and checked against what remains.
 */
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';
import {
  assertCodec,
  prefixOptions,
  readPrefix,
  writePrefix,
  type Codec,
  type Infer,
  type LengthPrefixOptions,
} from './schema.ts';
import { assertArray, assertObject, describe } from './internal/assert.ts';

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Internal: UTF-8 byte length of a well-formed string, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Internal: decodes UTF-8 strictly. @throws DecodeError INVALID_UTF8 */
export function decodeUtf8(r: Reader, bytes: Uint8Array, start: number): string {
  try {
    return UTF8_DECODER.decode(bytes);
  } catch (err) {
    r.pos = start;
    return r.fail('INVALID_UTF8', 'string is not valid UTF-8', err);
  }
}

function checkString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  if (LONE_SURROGATE.test(value)) throw new RangeError(`${name} must be well-formed Unicode (lone surrogate)`);
}

function writeUtf8(w: Writer, value: string, length: number): void {
  const { written } = UTF8_ENCODER.encodeInto(value, w.buffer.subarray(w.pos, w.pos + length));
  w.pos += written;
}

/**
 * A UTF-8 string preceded by its byte length.
 * @param options prefix width (default 2) and cap in bytes
 * @returns the codec; decoding rejects invalid UTF-8 (`INVALID_UTF8`), overlong lengths (`LENGTH_LIMIT`)
 * @throws RangeError for invalid options
 * @example `const title = utf8({ prefix: 1, max: 200 });`
 */
export function utf8(options?: LengthPrefixOptions): Codec<string> {
  const [width, max] = prefixOptions(options, 'utf8');
  const name = `utf8<=${max}`;
  return {
    name,
    size(value) {
      checkString(value, name);
      const n = utf8Length(value);
      if (n > max) throw new RangeError(`${name}: ${n} bytes is above the cap ${max}`);
      return width + n;
    },
    encode(w, value) {
      const n = utf8Length(value);
      writePrefix(w, width, n);
      writeUtf8(w, value, n);
    },
    decode(r) {
      const start = r.pos;
      const n = readPrefix(r, width, max, name);
      return decodeUtf8(r, r.bytes(n, name), start);
    },
  };
}

/**
 * A UTF-8 string taking every remaining byte (must be the last field).
 * @example `const post = struct({ time: uint64, text: utf8ToEnd });`
 */
export const utf8ToEnd: Codec<string> = {
  name: 'utf8-rest',
  toEnd: true,
  size(value) {
    checkString(value, 'utf8-rest');
    return utf8Length(value);
  },
  encode(w, value) {
    writeUtf8(w, value, utf8Length(value));
  },
  decode(r) {
    const start = r.pos;
    return decodeUtf8(r, r.rest(), start);
  },
};

/**
 * A list preceded by its item count.
 * @param item the codec of each item (must not be a to-the-end codec)
 * @param options count prefix width (default 2) and cap on the count
 * @returns the codec; decoding checks the count against the cap (`LENGTH_LIMIT`); items are then read one by
 *   one, so a lying count ends in `TRUNCATED` without allocating for it
 * @throws TypeError for an invalid item codec; RangeError for invalid options
 * @example `const tags = list(utf8({ prefix: 1 }), { prefix: 1, max: 16 });`
 */
export function list<T>(item: Codec<T>, options?: LengthPrefixOptions): Codec<T[]> {
  assertCodec(item, 'item');
  if (item.toEnd) throw new TypeError(`list item ${item.name} reads to the end and cannot be repeated`);
  const [width, max] = prefixOptions(options, 'list');
  const name = `list<${item.name}><=${max}`;
  return {
    name,
    size(value) {
      assertArray(value, name);
      if (value.length > max) throw new RangeError(`${name}: ${value.length} items is above the cap ${max}`);
      let n = width;
      for (const v of value) n += item.size(v);
      return n;
    },
    encode(w, value) {
      writePrefix(w, width, value.length);
      for (const v of value) item.encode(w, v);
    },
    decode(r) {
      const count = readPrefix(r, width, max, name);
      const out: T[] = [];
      for (let i = 0; i < count; i++) out.push(item.decode(r));
      return out;
    },
  };
}

/**
 * An optional value: one presence byte (0x00 absent, 0x01 present, anything else `INVALID_FIELD`), then the value.
 * @param inner the codec of the present value
 * @returns the codec of `T | undefined`
 * @throws TypeError for an invalid codec
 * @example `const reply = optional(fixedBytes(20));`
 */
export function optional<T>(inner: Codec<T>): Codec<T | undefined> {
  assertCodec(inner, 'inner');
  const name = `optional<${inner.name}>`;
  return {
    name,
    ...(inner.toEnd ? { toEnd: true } : {}),
    size: (value) => (value === undefined ? 1 : 1 + inner.size(value)),
    encode(w, value) {
      if (value === undefined) w.u8(0);
      else {
        w.u8(1);
        inner.encode(w, value);
      }
    },
    decode(r) {
      const flag = r.u8(name);
      if (flag === 0) return undefined;
      if (flag !== 1) {
        r.pos--;
        r.fail('INVALID_FIELD', `${name} presence byte must be 0 or 1, got ${flag}`);
      }
      return inner.decode(r);
    },
  };
}

/** The value type of a struct of codecs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a struct accepts codecs of any value type
export type StructValue<S extends Record<string, Codec<any>>> = { [K in keyof S]: Infer<S[K]> };

/**
 * A struct: its fields encoded one after the other, in the order the object lists them.
 * @param fields the field codecs (only the last may read to the end)
 * @returns the codec of objects with those fields
 * @throws TypeError for invalid field codecs or a to-the-end codec that is not last
 * @example
 * ```ts
 * const post = struct({ time: uint64, tags: list(utf8({ prefix: 1 }), { max: 8 }), text: utf8ToEnd });
 * const bytes = encodeValue(post, { time: 1, tags: [], text: 'hi' });
 * ```
 */
export function struct<S extends Record<string, Codec<any>>>(fields: S): Codec<StructValue<S>> {
  assertObject(fields, 'fields');
  const entries = Object.entries(fields) as [string, Codec<unknown>][];
  entries.forEach(([key, codec], i) => {
    assertCodec(codec, `field ${key}`);
    if (codec.toEnd && i !== entries.length - 1) throw new TypeError(`field ${key} reads to the end but is not last`);
  });
  const last = entries[entries.length - 1];
  const name = `struct{${entries.map(([k]) => k).join(',')}}`;
  return {
    name,
    ...(last?.[1].toEnd ? { toEnd: true } : {}),
    size(value) {
      assertObject(value, name);
      let n = 0;
      for (const [key, codec] of entries) n += codec.size((value as Record<string, unknown>)[key]);
      return n;
    },
    encode(w, value) {
      for (const [key, codec] of entries) codec.encode(w, (value as Record<string, unknown>)[key]);
    },
    decode(r) {
      const out: Record<string, unknown> = {};
      for (const [key, codec] of entries) out[key] = codec.decode(r);
      return out as StructValue<S>;
    },
  };
}
