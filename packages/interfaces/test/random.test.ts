import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../src/index.ts';

describe('createSeededRandom', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const c = createSeededRandom(8);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniformly from [0, 1): mean, range and bucket counts', () => {
    const rng = createSeededRandom(12345);
    const buckets = new Array(10).fill(0);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      buckets[Math.floor(x * 10)]++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    // Each bucket expects 10,000 with σ ≈ 95; 5σ bounds.
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(475);
  });

  it('int() stays in range and rejects bad bounds', () => {
    const rng = createSeededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(6);
      expect(Number.isInteger(v) && v >= 0 && v < 6).toBe(true);
    }
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => createSeededRandom(1.5)).toThrow(TypeError);
  });
});
