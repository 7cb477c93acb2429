/**
 * Small byte helpers and argument asserts shared by the modules of this package (not exported from the package).
 *
 * Asserts follow noble's habit: a wrong type is a `TypeError`, a wrong length or value a `RangeError`, and the
 * message names the parameter.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

import { KeyFormatError } from '../errors.ts';

/**
 * Throws a `TypeError` naming `name` unless `value` is a `Uint8Array` (a `Buffer` is one).
 * @param name parameter name for the message
 * @param value the argument
 */
export function assertBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${describe(value)}`);
  }
}

/**
 * Throws a `TypeError` naming `name` unless `value` is a string.
 * @param name parameter name for the message
 * @param value the argument
 */
export function assertString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  }
}

/**
 * A short description of a value's type for error messages (never its content: it may be secret).
 * @param value any value
 * @returns e.g. `null`, `number`, `Array`, `string`
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/**
 * A fresh copy of `bytes` on its own `ArrayBuffer` (a `Buffer` argument may be a view on a shared pool).
 * @param bytes source
 * @returns an independent copy
 */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/**
 * A zero-copy `Buffer` view of `bytes`, for node:crypto and string conversions.
 * @param bytes source
 * @returns a Buffer sharing memory with `bytes`
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A string with one char per byte, used as a Map key for byte strings (the LRU caches).
 * @param bytes source
 * @returns the latin1 decoding of `bytes`
 */
export function bytesKey(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('latin1');
}

/**
 * Concatenates byte arrays into one fresh array.
 * @param parts the pieces, in order
 * @returns their concatenation
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Whether `bytes` starts with `prefix`.
 * @param bytes the haystack
 * @param prefix the needle
 * @returns true when the first `prefix.length` bytes are equal
 */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * Byte-wise equality (not constant time; use only on public data).
 * @param a first array
 * @param b second array
 * @returns whether both hold the same bytes
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Lowercase hex of `bytes`.
 * @param bytes source
 * @returns the hex string, two digits per byte
 */
export function toHex(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex');
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Strict hex decoding: an even number of hex digits, nothing else (no `0x`, no whitespace).
 * @param name parameter name for messages
 * @param hex the text
 * @returns the decoded bytes
 * @throws TypeError when `hex` is not a string
 * @throws KeyFormatError `BAD_HEX` when `hex` is not an even number of hex digits
 */
export function fromHex(name: string, hex: unknown): Uint8Array<ArrayBuffer> {
  assertString(name, hex);
  if (!HEX_RE.test(hex)) {
    throw new KeyFormatError('BAD_HEX', `${name} is not an even number of hex digits`);
  }
  return copyBytes(Buffer.from(hex, 'hex'));
}

/** ASCII bytes of a latin1 string constant. */
export function ascii(text: string): Uint8Array<ArrayBuffer> {
  return copyBytes(Buffer.from(text, 'latin1'));
}

/**
 * Bytes of a hex string constant (for fixed DER headers; not for input, see {@link fromHex}).
 * @param hex trusted hex
 * @returns the bytes
 */
export function hexConstant(hex: string): Uint8Array<ArrayBuffer> {
  return copyBytes(Buffer.from(hex, 'hex'));
}

/**
 * SHA-1 of `bytes`: the member id of a public key binary (spec §3.4) and the ECDSA pre-hash (spec §3.3).
 * @param bytes input
 * @returns the 20-byte digest
 */
export function sha1(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return copyBytes(createHash('sha1').update(bytes).digest());
}
