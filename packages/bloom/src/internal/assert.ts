/**
 * Argument checks shared by the public functions (house style §2.6: programmer errors are `TypeError` for a wrong
 * type, `RangeError` for a value out of range, and the message names the parameter).
 *
 * Internal; not exported from the package.
 * @module
 */

/** Describes a value for an error message without dumping large buffers. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'object') return Array.isArray(value) ? 'array' : 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Asserts a safe integer (`TypeError` otherwise; booleans, bigints, strings, NaN and fractions are all rejected).
 * @param value the argument
 * @param name its parameter name for the message
 */
export function assertInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be a safe integer, got ${describe(value)}`);
  }
}

/**
 * Asserts a number (`TypeError` otherwise). Range checks are the caller's.
 * @param value the argument
 * @param name its parameter name for the message
 */
export function assertNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
}

/**
 * Asserts a `Uint8Array` (a Node `Buffer` qualifies).
 * @param value the argument
 * @param name its parameter name for the message
 */
export function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array, got ${describe(value)}`);
}

/**
 * Asserts an error rate: a number strictly between 0 and 1 (spec §8.1: `0 < error_rate < 1`).
 * @param value the argument
 * @param name its parameter name for the message
 */
export function assertErrorRate(value: unknown, name = 'errorRate'): asserts value is number {
  assertNumber(value, name);
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be strictly between 0 and 1, got ${value}`);
}
