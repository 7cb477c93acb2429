/**
 * Argument checks shared by the store's modules. A bad argument is a programmer error: `TypeError` for a wrong type,
 * `RangeError` for a value out of range, each naming the parameter (house style §2.6).
 * @module
 */

/** The largest `limit` any list query accepts. */
export const MAX_LIST_LIMIT = 100_000;

/** The largest packet the store accepts, in bytes: a UDP datagram can carry at most 65 476 (spec §2.1). */
export const MAX_PACKET_BYTES = 65_536;

/** Length of a member id (SHA-1 of the public key). */
export const MID_BYTES = 20;

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  return typeof value;
}

/**
 * Checks that `value` is an integer in [min, max] and a safe JS number.
 * @param value the argument
 * @param name parameter name for the message
 * @param min smallest allowed value
 * @param max largest allowed value
 * @throws TypeError if not a number; RangeError if not a safe integer in range
 */
export function assertInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
}

/**
 * Checks a database row id (member, community, meta-message or sync id): a positive safe integer.
 * @param value the argument
 * @param name parameter name
 */
export function assertId(value: unknown, name: string): asserts value is number {
  assertInteger(value, name, 1, Number.MAX_SAFE_INTEGER);
}

/**
 * Checks a global time. Dispersy allows up to 2^63 − 1; this store (like the codec) keeps them as JS numbers and so
 * refuses anything above 2^53 − 1 with a `RangeError`.
 * @param value the argument
 * @param name parameter name
 * @param min 1 for a message's own global time, 0 for a query bound
 */
export function assertGlobalTime(value: unknown, name: string, min = 0): asserts value is number {
  assertInteger(value, name, min, Number.MAX_SAFE_INTEGER);
}

/**
 * Checks a list limit: an integer in [1, {@link MAX_LIST_LIMIT}].
 * @param value the argument
 * @param name parameter name
 */
export function assertLimit(value: unknown, name = 'limit'): asserts value is number {
  assertInteger(value, name, 1, MAX_LIST_LIMIT);
}

/**
 * Checks a byte budget: a positive number (`Infinity` allowed).
 * @param value the argument
 * @param name parameter name
 */
export function assertByteBudget(value: unknown, name = 'maxBytes'): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${describe(value)}`);
}

/**
 * Checks a byte string and its length.
 * @param value the argument
 * @param name parameter name
 * @param min smallest length
 * @param max largest length
 */
export function assertBytes(value: unknown, name: string, min: number, max: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array, got ${describe(value)}`);
  if (value.length < min || value.length > max) {
    throw new RangeError(`${name} must be ${min === max ? min : `${min} to ${max}`} bytes, got ${value.length}`);
  }
}

/**
 * Checks a string.
 * @param value the argument
 * @param name parameter name
 * @param allowEmpty whether `''` is allowed
 */
export function assertString(value: unknown, name: string, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  if (!allowEmpty && value.length === 0) throw new RangeError(`${name} must not be empty`);
}

/**
 * Checks a list argument and its length.
 * @param value the argument
 * @param name parameter name
 * @param max largest length
 */
export function assertArray(value: unknown, name: string, max: number): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${describe(value)}`);
  if (value.length > max) throw new RangeError(`${name} must have at most ${max} entries, got ${value.length}`);
}

/**
 * A zero-copy plain `Uint8Array` view of a `Buffer` returned by better-sqlite3, so callers get `Uint8Array`
 * semantics (`slice` copies) as the house style asks.
 * @param buffer the blob as read
 * @returns a view on the same memory
 */
export function bytesOf(buffer: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
}
