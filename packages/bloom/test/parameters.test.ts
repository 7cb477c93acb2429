import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitsForCapacity, capacityForBits, filterParameters, functionsFor } from '../src/index.ts';

describe('parameters (Python float semantics)', () => {
  it('(ln 2)² is the value CPython computes for log(2) ** 2', () => {
    // repr(math.log(2) ** 2) in CPython
    expect(Math.LN2 * Math.LN2).toBe(0.4804530139182014);
  });

  it.each([
    // [m, p, n, k] — §8.2 table and §18.1
    [10304, 0.01, 1075, 7],
    [10160, 0.01, 1059, 7],
    [10128, 0.01, 1056, 7],
    [9808, 0.01, 1023, 7],
    [9488, 0.01, 989, 7],
    [1024, 0.25, 354, 3],
    [64, 0.1, 13, 4],
    [8, 0.1, 1, 6],
    [4096, 0.001, 284, 10],
  ])('m %i, p %s → n %i, k %i', (m, p, n, k) => {
    expect(capacityForBits(m, p)).toBe(n);
    expect(functionsFor(m, n)).toBe(k);
    expect(filterParameters(m, p)).toEqual({ bits: m, bytes: m / 8, functions: k, capacity: n, errorRate: p });
  });

  it.each([
    // [p, n, m, k]
    [0.25, 142, 416, 3],
    [0.0001, 1, 24, 17],
    [0.01, 10, 96, 7],
    [0.001, 10, 144, 10],
    [0.0001, 1056, 20248, 14],
    [0.001, 1056, 15184, 10],
    [0.01, 1056, 10128, 7],
    [0.1, 1056, 5064, 4],
  ])('p %s, n %i → m %i, k %i', (p, n, m, k) => {
    expect(bitsForCapacity(p, n)).toBe(m);
    expect(functionsFor(m, n)).toBe(k);
  });

  it('agrees with CPython on 3000 generated cases (test/vectors/python-parameters.json)', () => {
    const doc = JSON.parse(readFileSync(new URL('./vectors/python-parameters.json', import.meta.url), 'utf8')) as {
      from_bits: { bits: number; error_rate: number; capacity: number; functions: number }[];
      from_capacity: { bits: number; error_rate: number; capacity: number; functions: number }[];
    };
    expect(doc.from_bits.length + doc.from_capacity.length).toBe(3000);
    for (const c of doc.from_bits) {
      expect([c.bits, c.error_rate, capacityForBits(c.bits, c.error_rate)]).toEqual([c.bits, c.error_rate, c.capacity]);
      expect(functionsFor(c.bits, c.capacity)).toBe(c.functions);
    }
    for (const c of doc.from_capacity) {
      expect([c.capacity, c.error_rate, bitsForCapacity(c.error_rate, c.capacity)]).toEqual([
        c.capacity,
        c.error_rate,
        c.bits,
      ]);
      expect(functionsFor(c.bits, c.capacity)).toBe(c.functions);
    }
  });

  it('a filter too small for its error rate has capacity 0', () => {
    expect(capacityForBits(8, 0.01)).toBe(0);
    expect(() => filterParameters(8, 0.01)).toThrow(RangeError);
  });

  it.each([
    ['bits 0', () => capacityForBits(0, 0.1)],
    ['capacity 0', () => functionsFor(8, 0)],
    ['bits 0 in functionsFor', () => functionsFor(0, 1)],
    ['negative capacity', () => bitsForCapacity(0.1, -1)],
    ['error rate 0', () => bitsForCapacity(0, 1)],
    ['error rate 1', () => capacityForBits(8, 1)],
    ['bits not multiple of 8', () => filterParameters(12, 0.1)],
  ])('rejects %s with RangeError', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});
