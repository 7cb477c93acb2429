import { test as propTest, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { exactLog } from '../../src/internal/exact-log.ts';

/** Parses a C99 / Python `float.hex()` string exactly. */
function fromHexFloat(text: string): number {
  const match = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(text);
  if (match === null) throw new Error(`bad hex float ${text}`);
  const [, sign, lead, fraction, exponent] = match as unknown as [string, string, string, string, string];
  const mantissa = BigInt(`0x${lead}${fraction.padEnd(13, '0')}`);
  const value = Number(mantissa) * 2 ** (Number(exponent) - 52);
  return sign === '-' ? -value : value;
}

/**
 * ln x correctly rounded, computed with Python's `decimal` at 50 digits and converted by `float()`. The first
 * group includes inputs where V8's `Math.log` is one ULP off (and glibc is right); the marked ones are inputs where
 * glibc 2.36's `math.log` (≤ 0.52 ULP, not always correctly rounded) is one ULP off instead.
 */
const TRUTH: [number, string][] = [
  [0.5, '-0x1.62e42fefa39efp-1'],
  [0.25, '-0x1.62e42fefa39efp+0'],
  [0.1, '-0x1.26bb1bbb55515p+1'],
  [0.01, '-0x1.26bb1bbb55515p+2'],
  [0.001, '-0x1.ba18a998fffa0p+2'],
  [0.0001, '-0x1.26bb1bbb55515p+3'],
  [0.3, '-0x1.34378fcbda721p+0'],
  [0.2, '-0x1.9c041f7ed8d33p+0'],
  [0.05, '-0x1.7f7427b73e391p+1'],
  [1e-6, '-0x1.ba18a998fffa0p+3'],
  [1e-10, '-0x1.7069e2aa2aa5bp+4'],
  [0.9, '-0x1.af8e8210a415cp-4'],
  [0.99, '-0x1.495453e6fd4bcp-7'],
  [0.9999999999999999, '-0x1.0000000000000p-53'],
  [0.5911534350013039, '-0x1.0d25e2f102821p-1'], // V8 Math.log: …820p-1
  [0.31742963217706677, '-0x1.25c280880f49fp+0'], // V8 Math.log: …4a0p+0
  [0.5528595762934122, '-0x1.2f6ffbbf6913dp-1'],
  [0.41617993889492993, '-0x1.c0d6a39fe2475p-1'],
  [0.7884500169551014, '-0x1.e6c80e6a3929fp-3'], // glibc 2.36: …29ep-3
  [0.85171, '-0x1.48b90a39a55c9p-3'], // glibc 2.36: …5c8p-3
  [0.917858084405401, '-0x1.5f140fffcfa4dp-4'], // glibc 2.36: …a4ep-4
  [0.6886704908285728, '-0x1.7df1b5e5319b6p-2'], // glibc 2.36: …9b5p-2
  [5e-324, '-0x1.74385446d71c3p+9'],
  [2.2250738585072014e-308, '-0x1.6232bdd7abcd2p+9'],
  [1e-300, '-0x1.5963447f87fb5p+9'],
  [1.5, '0x1.9f323ecbf984cp-2'],
  [2, '0x1.62e42fefa39efp-1'],
  [10, '0x1.26bb1bbb55516p+1'],
  [1e300, '0x1.5963447f87fb5p+9'],
];

describe('exactLog', () => {
  it.each(TRUTH)('ln(%s) is correctly rounded', (x, expected) => {
    expect(exactLog(x)).toBe(fromHexFloat(expected));
  });

  it('ln 1 = 0 and ln 2 = Math.LN2', () => {
    expect(exactLog(1)).toBe(0);
    expect(exactLog(2)).toBe(Math.LN2);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (x) => {
    expect(() => exactLog(x)).toThrow(RangeError);
  });

  propTest.prop([fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true, noDefaultInfinity: true })])(
    'is within one ULP of Math.log and monotone',
    (x) => {
      fc.pre(x > 0);
      const y = exactLog(x);
      const reference = Math.log(x);
      const ulp = Math.max(Math.abs(reference) * Number.EPSILON, Number.MIN_VALUE);
      expect(Math.abs(y - reference)).toBeLessThanOrEqual(ulp);
      const up = x * (1 + Number.EPSILON);
      if (up <= 1) expect(exactLog(up)).toBeGreaterThanOrEqual(y);
    },
  );
});
