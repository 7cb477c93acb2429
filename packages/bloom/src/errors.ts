import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';

/**
 * Stable codes of {@link BloomError}, one per way a filter received from the network can be malformed.
 *
 * - `EMPTY_FILTER`: zero filter bytes (the original requires at least one byte).
 * - `FILTER_TOO_LARGE`: more bits than the caller's `maxBits` (default {@link MAX_FILTER_BITS}).
 * - `BITS_NOT_MULTIPLE_OF_8`: a declared size in bits that is not a multiple of 8 (spec §2.5, §8.1).
 * - `SIZE_MISMATCH`: a declared size in bits that disagrees with the number of filter bytes.
 * - `INVALID_FUNCTION_COUNT`: k below 1.
 * - `FUNCTIONS_EXCEED_BITS`: k greater than m.
 * - `HASH_BITS_EXCEEDED`: k · chunk bits above 512, more than one SHA-512 digest provides (spec §8.1).
 * - `PREFIX_TOO_LONG`: a prefix (salt) longer than 255 bytes.
 */
export type BloomErrorCode =
  | 'EMPTY_FILTER'
  | 'FILTER_TOO_LARGE'
  | 'BITS_NOT_MULTIPLE_OF_8'
  | 'SIZE_MISMATCH'
  | 'INVALID_FUNCTION_COUNT'
  | 'FUNCTIONS_EXCEED_BITS'
  | 'HASH_BITS_EXCEEDED'
  | 'PREFIX_TOO_LONG';

/**
 * The largest filter this package builds or loads, in bits (2^32 bits = 512 MiB).
 *
 * Bit positions stay below 2^32, so they are handled with exact 32-bit arithmetic; the original's 8-byte chunk path
 * (m ≥ 2^31) is still covered. Dispersy's own filters are about 10 000 bits (the wire field is a uint16).
 */
export const MAX_FILTER_BITS: number = 2 ** 32;

/**
 * A Bloom filter that arrived from outside (the wire, a database) is malformed.
 *
 * Thrown by {@link BloomFilter.fromBytes}; filters built locally from a size or capacity throw `RangeError` /
 * `TypeError` instead, because a bad argument there is a programmer error. Branch on `code`, never on the message.
 *
 * @example
 * ```ts
 * try {
 *   BloomFilter.fromBytes(bytes, functions, prefix, { bits });
 * } catch (err) {
 *   if (BloomError.is(err) && err.code === 'SIZE_MISMATCH') dropPacket();
 * }
 * ```
 */
export class BloomError extends DispersyError {
  /** The specific condition. */
  declare readonly code: BloomErrorCode;

  /**
   * @param code the stable condition code
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: BloomErrorCode, message: string, options?: DispersyErrorOptions) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link BloomError}, also one thrown by another installed copy of this package.
   * @param err any value
   * @returns whether `err` is a Dispersy error named `BloomError`
   */
  static override is(err: unknown): err is BloomError {
    return DispersyError.is(err) && err.name === 'BloomError';
  }
}
