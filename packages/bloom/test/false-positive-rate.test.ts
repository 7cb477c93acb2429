/**
 * Measured false-positive rate (house style P10: filters that are quietly wrong, e.g. correlated indices, show up
 * only statistically).
 *
 * For each configuration: fill to capacity n with seeded random keys, probe N = 100 000 fresh keys, then check two
 * things.
 *
 * 1. Against the filter actually built. Given the set bits b_i, a fresh key is a false positive with probability
 *    q = (Σ_i w_i b_i)^k, where w_i is the probability that one chunk lands on position i. The chunks are uniform
 *    over 2^16 (or 2^32) values, reduced mod m, so w_i = ⌈(2^16 − i)/m⌉ / 2^16 (not exactly 1/m: positions below
 *    2^16 mod m are hit one time more). The false-positive count is then Binomial(N, q): the measured rate must lie
 *    within 5 binomial standard deviations sqrt(q(1 − q)/N) of q. Correlated or seed-ignoring hashing makes q
 *    wrong by far more than that.
 * 2. Against the textbook rate p* = (1 − e^(−kn/m))^k. The measured rate additionally varies with the fill: the
 *    number of empty bits after kn throws has variance ≈ m·e^(−c)(1 − (1 + c)e^(−c)), c = kn/m, and the rate scales
 *    with the k-th power of the fill, so its relative standard deviation is k·σ_fill/fill. The tolerance is 5
 *    combined standard deviations plus the (computed) shift of the mod-m bias.
 *
 * Everything is seeded, so the test is deterministic; the bounds say why it passes, not just that it did once.
 */
import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../src/index.ts';
import { prng, randomBytes } from './helpers.ts';

const PROBES = 100_000;
const SIGMAS = 5;

interface Case {
  name: string;
  make: () => BloomFilter;
}

const CASES: Case[] = [
  { name: 'sync filter m 10128 p 0.01 (k 7, MD5, 2-byte chunks)', make: () => BloomFilter.fromBits(10128, 0.01, new Uint8Array([0x5a])) },
  { name: 'm 4096 p 0.001 (k 10, SHA-1)', make: () => BloomFilter.fromBits(4096, 0.001, new Uint8Array([0x01])) },
  { name: 'm 65536 p 0.01 (k 7, SHA-256, 4-byte chunks)', make: () => BloomFilter.fromBits(65536, 0.01, new Uint8Array([0x02])) },
  { name: 'capacity 1000 p 0.1 (k 4, MD5)', make: () => BloomFilter.fromCapacity(0.1, 1000, new Uint8Array(0)) },
];

/** Probability that one chunk maps to position i: chunks uniform over 2^(8·chunkBytes), reduced mod m. */
function chunkWeights(bits: number, chunkBytes: number): Float64Array {
  const range = 2 ** (8 * chunkBytes);
  const weights = new Float64Array(bits);
  const base = Math.floor(range / bits);
  const extra = range % bits; // positions 0 … extra−1 are hit base+1 times
  for (let i = 0; i < bits; i++) weights[i] = (base + (i < extra ? 1 : 0)) / range;
  return weights;
}

describe('measured false-positive rate at capacity', () => {
  it.each(CASES)('$name', ({ make }) => {
    const filter = make();
    const m = filter.bits;
    const k = filter.functions;
    const n = filter.capacity as number;
    const next = prng(0xb100_f11e ^ m ^ (k << 20));

    const added: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const key = randomBytes(next, 150 + (next() % 100));
      key[0] = 0; // inserted keys start with 0, probes with 1: never equal
      added.push(key);
    }
    filter.addKeys(added);
    expect(filter.containsMany(added).every(Boolean)).toBe(true);

    let falsePositives = 0;
    for (let i = 0; i < PROBES; i++) {
      const key = randomBytes(next, 150 + (next() % 100));
      key[0] = 1;
      if (filter.contains(key)) falsePositives++;
    }
    const measured = falsePositives / PROBES;

    // 1. conditional on the filter actually built
    const weights = chunkWeights(m, filter.layout.chunkBytes);
    const bytes = filter.toBytes();
    let hit = 0;
    for (let i = 0; i < m; i++) if (((bytes[i >>> 3] as number) >> (i & 7)) & 1) hit += weights[i] as number;
    const q = hit ** k;
    const sigmaQ = Math.sqrt((q * (1 - q)) / PROBES);
    expect(Math.abs(measured - q)).toBeLessThanOrEqual(SIGMAS * sigmaQ);

    // 2. against the textbook rate
    const c = (k * n) / m;
    const fill = 1 - Math.exp(-c);
    const theory = fill ** k;
    const sigmaFillRel = Math.sqrt(m * Math.exp(-c) * (1 - (1 + c) * Math.exp(-c))) / (m * fill);
    const sigmaTotal = Math.sqrt((theory * (1 - theory)) / PROBES + (theory * k * sigmaFillRel) ** 2);
    let biasedFill = 0;
    for (let i = 0; i < m; i++) {
      const w = weights[i] as number;
      biasedFill += w * (1 - (1 - w) ** (k * n));
    }
    const bias = Math.abs(biasedFill ** k - theory);
    expect(Math.abs(measured - theory)).toBeLessThanOrEqual(SIGMAS * sigmaTotal + bias);
    // and the filter meets its own error-rate target within the same tolerance
    expect(measured).toBeLessThanOrEqual((filter.errorRate as number) + SIGMAS * sigmaTotal + bias);
  });
});
