/**
 * Randomness, injected: the walker's choices, Bloom prefixes and request identifiers draw from a {@link Random}, so
 * simulator runs and tests replay exactly from a seed.
 */

/** A source of uniform random numbers. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/** `Math.random`, for production use. */
export const systemRandom: Random = { next: () => Math.random() };

/**
 * A small, fast seeded generator (xorshift128+ over 32-bit halves, seeded by splitmix32); not cryptographic.
 * The same seed gives the same sequence on every platform.
 *
 * @example
 * ```ts
 * const rng = createSeededRandom(42);
 * rng.next(); // always the same first value for seed 42
 * ```
 * @param seed any 32-bit integer
 * @returns a seeded generator
 */
export function createSeededRandom(seed: number): Random & { int(maxExclusive: number): number } {
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(seed)}`);
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix() | 1;
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next32 = (): number => {
    // xoshiro128** step
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d >>> 0, 11);
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    return result;
  };
  return {
    next: () => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53,
    int(maxExclusive: number): number {
      if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`);
      return Math.floor(this.next() * maxExclusive);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
