/**
 * Filter parameters (m, n, k) exactly as the original `bloomfilter.py` derives them (spec §8.1).
 *
 * Every formula keeps the original's operand order, because IEEE double arithmetic is not associative and the
 * results feed `int()` (truncation) and `ceil()`:
 *
 * - capacity  `n = int(m * (log(2) ** 2 / abs(log(p))))`
 * - functions `k = int(ceil(log(2) * m / n))`
 * - size      `m = int(ceil(abs((n * log(p)) / (log(2) ** 2)) / 8.0) * 8)`
 *
 * `log` is a correctly rounded natural logarithm (see `internal/exact-log.ts`), not `Math.log`, whose fdlibm
 * result differs from CPython's by one ULP for about 7 % of inputs.
 * @module
 */
import { assertErrorRate, assertInteger } from './internal/assert.ts';
import { exactLog } from './internal/exact-log.ts';

/** `math.log(2)` in CPython: the double nearest ln 2. */
const LN2 = Math.LN2;
/** `math.log(2) ** 2` in CPython (0.4804530139182014); squaring is one correctly rounded multiplication. */
const LN2_SQUARED = LN2 * LN2;

/** The parameters of one filter configuration. */
export interface FilterParameters {
  /** m, the size in bits (a multiple of 8). */
  readonly bits: number;
  /** m / 8, the size of the serialised filter. */
  readonly bytes: number;
  /** k, the number of hash functions (bit positions per key). */
  readonly functions: number;
  /** n, the number of keys the filter holds at the target error rate. */
  readonly capacity: number;
  /** p, the target false-positive rate. */
  readonly errorRate: number;
}

/**
 * The capacity n of an m-bit filter at a target error rate, as the original's `get_capacity`:
 * `int(m * (log(2) ** 2 / abs(log(p))))`.
 *
 * @param bits m, a positive integer
 * @param errorRate p, strictly between 0 and 1
 * @returns n (may be 0 when m is too small for p)
 * @throws TypeError when an argument has the wrong type
 * @throws RangeError when m ≤ 0 or p is not in (0, 1)
 * @example
 * ```ts
 * capacityForBits(1024, 0.25); // 354
 * ```
 */
export function capacityForBits(bits: number, errorRate: number): number {
  assertInteger(bits, 'bits');
  if (bits <= 0) throw new RangeError(`bits must be positive, got ${bits}`);
  assertErrorRate(errorRate);
  return Math.trunc(bits * (LN2_SQUARED / Math.abs(exactLog(errorRate))));
}

/**
 * The number of hash functions k for m bits and capacity n: `int(ceil(log(2) * m / n))`.
 *
 * @param bits m, a positive integer
 * @param capacity n, a positive integer
 * @returns k (≥ 1, and ≤ m whenever n ≥ 1)
 * @throws TypeError when an argument is not an integer
 * @throws RangeError when m ≤ 0 or n ≤ 0 (the original divides by zero)
 * @example
 * ```ts
 * functionsFor(10128, 1056); // 7
 * ```
 */
export function functionsFor(bits: number, capacity: number): number {
  assertInteger(bits, 'bits');
  if (bits <= 0) throw new RangeError(`bits must be positive, got ${bits}`);
  assertInteger(capacity, 'capacity');
  if (capacity <= 0) throw new RangeError(`capacity must be positive, got ${capacity}`);
  return Math.trunc(Math.ceil((LN2 * bits) / capacity));
}

/**
 * The size m in bits for a capacity and error rate, rounded up to whole bytes:
 * `int(ceil(abs((n * log(p)) / (log(2) ** 2)) / 8.0) * 8)`.
 *
 * @param errorRate p, strictly between 0 and 1
 * @param capacity n, a positive integer
 * @returns m, a positive multiple of 8
 * @throws TypeError when an argument has the wrong type
 * @throws RangeError when p is not in (0, 1) or n ≤ 0
 * @example
 * ```ts
 * bitsForCapacity(0.25, 142); // 416
 * ```
 */
export function bitsForCapacity(errorRate: number, capacity: number): number {
  assertErrorRate(errorRate);
  assertInteger(capacity, 'capacity');
  if (capacity <= 0) throw new RangeError(`capacity must be positive, got ${capacity}`);
  const raw = Math.abs((capacity * exactLog(errorRate)) / LN2_SQUARED);
  return Math.trunc(Math.ceil(raw / 8) * 8);
}

/**
 * All parameters of an m-bit filter at a target error rate, as `BloomFilter.fromBits(m, p)` would choose them.
 *
 * @param bits m, a positive multiple of 8
 * @param errorRate p, strictly between 0 and 1
 * @returns m, m/8, k, n and p
 * @throws TypeError when an argument has the wrong type
 * @throws RangeError when m is not a positive multiple of 8, p is not in (0, 1), or m is too small for p (n = 0)
 * @example
 * ```ts
 * filterParameters(10128, 0.01); // { bits: 10128, bytes: 1266, functions: 7, capacity: 1056, errorRate: 0.01 }
 * ```
 */
export function filterParameters(bits: number, errorRate: number): FilterParameters {
  assertInteger(bits, 'bits');
  if (bits <= 0 || bits % 8 !== 0) throw new RangeError(`bits must be a positive multiple of 8, got ${bits}`);
  const capacity = capacityForBits(bits, errorRate);
  if (capacity === 0) {
    throw new RangeError(`bits ${bits} is too small for errorRate ${errorRate}: the capacity would be 0`);
  }
  return { bits, bytes: bits / 8, functions: functionsFor(bits, capacity), capacity, errorRate };
}
