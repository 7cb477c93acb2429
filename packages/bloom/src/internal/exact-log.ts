/**
 * A correctly rounded natural logarithm, so the filter parameters match the original bit for bit.
 *
 * Why this exists: the original computes `n = int(m · (log(2)² / |log(p)|))` and friends with CPython's `math.log`,
 * which calls the C library's `log()`. glibc's `log()` is correctly rounded (or, since 2.28, within 0.52 ULP and
 * in practice agrees with the correctly rounded value). V8's `Math.log` is an fdlibm port that is off by one ULP for
 * roughly 7 % of inputs in (0, 1). A one-ULP difference changes `int()`/`ceil()` only when the quotient sits right at
 * an integer boundary, but "only rarely wrong" is not byte compatibility, so the logarithm is evaluated here in
 * double-double arithmetic (about 100 bits) and rounded once to the nearest double.
 *
 * Method: x = 2^e · f with f in [√½, √2); ln x = e · ln 2 + 2 · atanh(s), s = (f − 1)/(f + 1), |s| < 0.172, where
 * atanh(s)/s = Σ s^(2j)/(2j+1) is summed by Horner's rule for j = 0…24 (the first omitted term is below 2^-120).
 *
 * Internal; not exported from the package.
 * @module
 */

/** Dekker's splitter 2^27 + 1 (no fused multiply-add in JavaScript). */
const SPLITTER = 134_217_729;

/** ln 2 as a double-double: the nearest double, and the nearest double to the remainder. */
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;

/** Number of Horner steps in the atanh series. */
const SERIES_TERMS = 24;

/** A double-double value hi + lo with |lo| ≤ ulp(hi)/2. */
type DD = readonly [hi: number, lo: number];

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e1] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e1 + t);
  return quickTwoSum(s2, e2 + f);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  r = add(r, mul(b, [-q2, 0]));
  const q3 = r[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}

/** 1/(2j+1) for j = 0…SERIES_TERMS, as double-doubles. */
const RECIPROCAL_ODDS: readonly DD[] = Array.from({ length: SERIES_TERMS + 1 }, (_, j) => div([1, 0], [2 * j + 1, 0]));

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Natural logarithm of a positive finite double, correctly rounded to the nearest double (round half to even).
 * @param x a positive finite number
 * @returns ln x, as CPython's `math.log(x)` returns it on glibc
 * @throws RangeError when x is not a positive finite number (callers validate first)
 */
export function exactLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`exactLog: x must be a positive finite number, got ${x}`);
  if (x === 1) return 0;
  let e = 0;
  let v = x;
  if (v < 2 ** -1022) {
    // subnormal: scale into the normal range exactly
    v *= 2 ** 54;
    e -= 54;
  }
  scratch.setFloat64(0, v);
  const high = scratch.getUint32(0);
  e += ((high >>> 20) & 0x7ff) - 1023;
  // replace the exponent with 0 (bias 1023): f in [1, 2), exact
  scratch.setUint32(0, (high & 0x800f_ffff) | 0x3ff0_0000);
  let f = scratch.getFloat64(0);
  if (f > Math.SQRT2) {
    f /= 2;
    e += 1;
  }
  // f − 1 is exact for f in [½, 2] (Sterbenz); f + 1 needs a double-double
  const s = div([f - 1, 0], twoSum(f, 1));
  const s2 = mul(s, s);
  let acc: DD = RECIPROCAL_ODDS[SERIES_TERMS] as DD;
  for (let j = SERIES_TERMS - 1; j >= 0; j--) acc = add(mul(acc, s2), RECIPROCAL_ODDS[j] as DD);
  const lnF = mul([2 * s[0], 2 * s[1]], acc);
  const eLn2 = add(twoProd(e, LN2_HI), [e * LN2_LO, 0]);
  const result = add(eLn2, lnF);
  return result[0] + result[1];
}
