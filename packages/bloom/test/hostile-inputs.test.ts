/**
 * Hostile inputs (house style §2.7.4): every public function rejects wrong types with TypeError, out-of-range local
 * arguments with RangeError, and malformed received filters with BloomError and a specific code.
 */
import { describe, expect, it } from 'vitest';
import {
  BloomError,
  type BloomErrorCode,
  BloomFilter,
  KeyHasher,
  bitsForCapacity,
  capacityForBits,
  chunkBytesFor,
  createSyncFilter,
  digestAlgorithmFor,
  filterBitsForMtu,
  filterParameters,
  functionsFor,
  hashLayout,
  syncFilterBits,
  syncFilterParameters,
} from '../src/index.ts';

/** Not an integer: wrong type, or a number that is not a safe integer. */
const NOT_INTEGERS: unknown[] = [
  undefined,
  null,
  true,
  '8',
  8n,
  {},
  [],
  [8],
  Symbol('8'),
  () => 8,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
];
/** Not a Uint8Array. */
const NOT_BYTES: unknown[] = [
  undefined,
  null,
  'abc',
  [1, 2],
  {},
  1,
  new ArrayBuffer(4),
  new Uint16Array(2),
  new Int8Array(2),
  new DataView(new ArrayBuffer(2)),
];
/** Not a number at all (error rates). */
const NOT_NUMBERS: unknown[] = [undefined, null, true, '0.1', 1n, {}, [0.1], Symbol('0.1')];
/** Numbers that are not an error rate. */
const BAD_RATES: number[] = [0, -0, 1, -0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

const P = new Uint8Array([1]);
const LONG_PREFIX = new Uint8Array(256);
const KEY = new Uint8Array([1, 2, 3]);

type Call = (value: never) => unknown;

/** Asserts that `call(value)` throws exactly `type` for every value. */
function rejectsAll(values: unknown[], type: typeof TypeError | typeof RangeError, call: Call): void {
  for (const value of values) {
    expect(() => call(value as never), `value ${String(value)}`).toThrow(type);
  }
}

function expectCode(call: () => unknown, code: BloomErrorCode): void {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  expect(BloomError.is(caught), `expected BloomError ${code}, got ${String(caught)}`).toBe(true);
  expect(caught).toBeInstanceOf(BloomError);
  expect((caught as BloomError).code).toBe(code);
}

describe('wrong types → TypeError', () => {
  const integerParams: [string, Call][] = [
    ['fromBits(bits)', (v) => BloomFilter.fromBits(v, 0.1, P)],
    ['fromCapacity(capacity)', (v) => BloomFilter.fromCapacity(0.1, v, P)],
    ['fromBytes(functions)', (v) => BloomFilter.fromBytes(new Uint8Array(8), v, P)],
    ['fromBytes(options.bits)', (v) => BloomFilter.fromBytes(new Uint8Array(8), 3, P, { bits: v })],
    ['fromBytes(options.maxBits)', (v) => BloomFilter.fromBytes(new Uint8Array(8), 3, P, { maxBits: v })],
    ['capacityForBits(bits)', (v) => capacityForBits(v, 0.1)],
    ['functionsFor(bits)', (v) => functionsFor(v, 10)],
    ['functionsFor(capacity)', (v) => functionsFor(64, v)],
    ['bitsForCapacity(capacity)', (v) => bitsForCapacity(0.1, v)],
    ['filterParameters(bits)', (v) => filterParameters(v, 0.1)],
    ['chunkBytesFor(bits)', (v) => chunkBytesFor(v)],
    ['digestAlgorithmFor(bitsRequired)', (v) => digestAlgorithmFor(v)],
    ['hashLayout(bits)', (v) => hashLayout(v, 3)],
    ['hashLayout(functions)', (v) => hashLayout(64, v)],
    ['new KeyHasher(bits)', (v) => new KeyHasher(v, 3, P)],
    ['new KeyHasher(functions)', (v) => new KeyHasher(64, v, P)],
    ['syncFilterBits(signatureLength)', (v) => syncFilterBits(v)],
    ['syncFilterParameters(signatureLength)', (v) => syncFilterParameters(v)],
    ['createSyncFilter(signatureLength)', (v) => createSyncFilter(v, P)],
    ['filterBitsForMtu(signatureLength)', (v) => filterBitsForMtu({ authenticationLength: 20, signatureLength: v })],
    ['filterBitsForMtu(authenticationLength)', (v) => filterBitsForMtu({ authenticationLength: v, signatureLength: 64 })],
    ['filterBitsForMtu(mtu)', (v) => filterBitsForMtu({ mtu: v, authenticationLength: 20, signatureLength: 64 })],
    ['filterBitsForMtu(ipHeader)', (v) => filterBitsForMtu({ ipHeader: v, authenticationLength: 20, signatureLength: 64 })],
    ['filterBitsForMtu(maxBits)', (v) => filterBitsForMtu({ maxBits: v, authenticationLength: 20, signatureLength: 64 })],
  ];
  it.each(integerParams)('%s rejects non-integers', (name, call) => {
    // `undefined` selects the default for optional parameters and options fields
    const optional = ['options.', '(mtu)', '(ipHeader)', '(maxBits)'].some((part) => name.includes(part));
    const values = optional ? NOT_INTEGERS.filter((v) => v !== undefined) : NOT_INTEGERS;
    rejectsAll(values, TypeError, call);
  });

  const filter = BloomFilter.fromBits(64, 0.1, P);
  const byteParams: [string, Call][] = [
    ['fromBits(prefix)', (v) => BloomFilter.fromBits(64, 0.1, v)],
    ['fromCapacity(prefix)', (v) => BloomFilter.fromCapacity(0.1, 10, v)],
    ['fromBytes(bytes)', (v) => BloomFilter.fromBytes(v, 3, P)],
    ['fromBytes(prefix)', (v) => BloomFilter.fromBytes(new Uint8Array(8), 3, v)],
    ['add(key)', (v) => filter.add(v)],
    ['contains(key)', (v) => filter.contains(v)],
    ['positionsOf(key)', (v) => filter.positionsOf(v)],
    ['addKeys([key])', (v) => filter.addKeys([v])],
    ['containsMany([key])', (v) => filter.containsMany([v])],
    ['notFilter([key])', (v) => [...filter.notFilter([v])]],
    ['notFilter(rows, keyOf → key)', (v) => [...filter.notFilter([1], () => v)]],
    ['new KeyHasher(prefix)', (v) => new KeyHasher(64, 3, v)],
    ['createSyncFilter(prefix)', (v) => createSyncFilter(64, v)],
  ];
  it.each(byteParams)('%s rejects non-Uint8Arrays', (name, call) => {
    const values = name.startsWith('from') && name.includes('prefix') ? NOT_BYTES.filter((v) => v !== undefined) : NOT_BYTES;
    rejectsAll(values, TypeError, call);
  });

  const rateParams: [string, Call][] = [
    ['fromBits(errorRate)', (v) => BloomFilter.fromBits(64, v, P)],
    ['fromCapacity(errorRate)', (v) => BloomFilter.fromCapacity(v, 10, P)],
    ['capacityFor(errorRate)', (v) => filter.capacityFor(v)],
    ['capacityForBits(errorRate)', (v) => capacityForBits(64, v)],
    ['bitsForCapacity(errorRate)', (v) => bitsForCapacity(v, 10)],
    ['filterParameters(errorRate)', (v) => filterParameters(64, v)],
  ];
  it.each(rateParams)('%s rejects non-numbers (TypeError) and numbers outside (0, 1) (RangeError)', (_name, call) => {
    rejectsAll(NOT_NUMBERS, TypeError, call);
    rejectsAll(BAD_RATES, RangeError, call);
  });

  it('iterables, callbacks and option bags', () => {
    rejectsAll([undefined, null, 5, {}, true], TypeError, (v) => filter.addKeys(v));
    rejectsAll([undefined, null, 5, {}, true], TypeError, (v) => filter.containsMany(v));
    rejectsAll([null, 5, {}, true], TypeError, (v) => [...filter.notFilter(v)]);
    rejectsAll([null, 5, 'f', {}], TypeError, (v) => [...filter.notFilter([KEY], v)]);
    // validated when called, not at the first next()
    rejectsAll([null, 5, {}], TypeError, (v) => filter.notFilter(v));
    rejectsAll([null, 5, 'f'], TypeError, (v) => filter.notFilter([KEY], v));
    rejectsAll(['sha', 1, null], TypeError, (v) => new KeyHasher(64, 3, P, v));
    rejectsAll([null, 5, 'x'], TypeError, (v) => BloomFilter.fromBytes(new Uint8Array(8), 3, P, v));
    rejectsAll([undefined, null, 5, 'x'], TypeError, (v) => filterBitsForMtu(v));
    rejectsAll([1, 'yes', null], TypeError, (v) =>
      filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, tunnel: v }),
    );
  });
});

describe('out-of-range local arguments → RangeError', () => {
  it.each([
    ['m = 0', () => BloomFilter.fromBits(0, 0.1, P)],
    ['m < 0', () => BloomFilter.fromBits(-8, 0.1, P)],
    ['m not a multiple of 8', () => BloomFilter.fromBits(12, 0.1, P)],
    ['m above 2^32', () => BloomFilter.fromBits(2 ** 32 + 8, 0.1, P)],
    ['m too small for p (capacity 0)', () => BloomFilter.fromBits(8, 0.01, P)],
    ['k · 16 > 512 (p = 1e-12)', () => BloomFilter.fromBits(8192, 1e-12, P)],
    ['k · 32 > 512 (p = 1e-6, 4-byte chunks)', () => BloomFilter.fromBits(65536, 1e-6, P)],
    ['prefix of 256 bytes (fromBits)', () => BloomFilter.fromBits(64, 0.1, LONG_PREFIX)],
    ['capacity 0', () => BloomFilter.fromCapacity(0.1, 0, P)],
    ['capacity < 0', () => BloomFilter.fromCapacity(0.1, -5, P)],
    ['capacity needing more than 2^32 bits', () => BloomFilter.fromCapacity(0.01, 2 ** 40, P)],
    ['k · 16 > 512 (fromCapacity, p = 1e-12)', () => BloomFilter.fromCapacity(1e-12, 100, P)],
    ['prefix of 256 bytes (fromCapacity)', () => BloomFilter.fromCapacity(0.1, 10, LONG_PREFIX)],
    ['options.maxBits below 8', () => BloomFilter.fromBytes(new Uint8Array(1), 1, P, { maxBits: 4 })],
    ['options.maxBits above 2^32', () => BloomFilter.fromBytes(new Uint8Array(1), 1, P, { maxBits: 2 ** 33 })],
    ['KeyHasher with k = 0', () => new KeyHasher(64, 0, P)],
    ['KeyHasher with m = 0', () => new KeyHasher(0, 1, P)],
    ['KeyHasher with m above 2^32', () => new KeyHasher(2 ** 32 + 8, 1, P)],
    ['KeyHasher with a 256-byte prefix', () => new KeyHasher(64, 1, LONG_PREFIX)],
    ['hashLayout with k · 16 > 512', () => hashLayout(64, 33)],
    ['chunkBytesFor(0)', () => chunkBytesFor(0)],
    ['functionsFor(m, 0)', () => functionsFor(64, 0)],
    ['capacityForBits(-8, p)', () => capacityForBits(-8, 0.1)],
    ['bitsForCapacity(p, 0)', () => bitsForCapacity(0.1, 0)],
    ['filterParameters(12, p)', () => filterParameters(12, 0.1)],
    ['syncFilterBits(-1)', () => syncFilterBits(-1)],
    ['syncFilterBits(2000)', () => syncFilterBits(2000)],
    ['filterBitsForMtu with a negative length', () => filterBitsForMtu({ authenticationLength: -1, signatureLength: 64 })],
    ['filterBitsForMtu with maxBits 4', () => filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, maxBits: 4 })],
    ['filterBitsForMtu with no room', () => filterBitsForMtu({ mtu: 100, authenticationLength: 20, signatureLength: 64 })],
  ])('%s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('malformed received filters → BloomError with a stable code', () => {
  it.each<[string, () => unknown, BloomErrorCode]>([
    ['no bytes (m = 0)', () => BloomFilter.fromBytes(new Uint8Array(0), 1, P), 'EMPTY_FILTER'],
    ['no bytes, declared 0 bits', () => BloomFilter.fromBytes(new Uint8Array(0), 1, P, { bits: 0 }), 'EMPTY_FILTER'],
    ['declared m not a multiple of 8', () => BloomFilter.fromBytes(new Uint8Array(2), 1, P, { bits: 12 }), 'BITS_NOT_MULTIPLE_OF_8'],
    ['declared m larger than the bytes', () => BloomFilter.fromBytes(new Uint8Array(1), 1, P, { bits: 16 }), 'SIZE_MISMATCH'],
    ['declared m smaller than the bytes', () => BloomFilter.fromBytes(new Uint8Array(3), 1, P, { bits: 16 }), 'SIZE_MISMATCH'],
    ['declared m = 0 with bytes', () => BloomFilter.fromBytes(new Uint8Array(1), 1, P, { bits: 0 }), 'SIZE_MISMATCH'],
    ['declared m negative', () => BloomFilter.fromBytes(new Uint8Array(1), 1, P, { bits: -8 }), 'SIZE_MISMATCH'],
    ['m above maxBits', () => BloomFilter.fromBytes(new Uint8Array(8192 + 1), 7, P, { maxBits: 65_528 }), 'FILTER_TOO_LARGE'],
    ['k = 0', () => BloomFilter.fromBytes(new Uint8Array(8), 0, P), 'INVALID_FUNCTION_COUNT'],
    ['k < 0', () => BloomFilter.fromBytes(new Uint8Array(8), -3, P), 'INVALID_FUNCTION_COUNT'],
    ['k > m', () => BloomFilter.fromBytes(new Uint8Array(1), 9, P), 'FUNCTIONS_EXCEED_BITS'],
    ['k = 255 > m (wire maximum)', () => BloomFilter.fromBytes(new Uint8Array(2), 255, P), 'FUNCTIONS_EXCEED_BITS'],
    ['k · 16 > 512', () => BloomFilter.fromBytes(new Uint8Array(8), 33, P), 'HASH_BITS_EXCEEDED'],
    ['k · 32 > 512 (4-byte chunks)', () => BloomFilter.fromBytes(new Uint8Array(4096), 17, P), 'HASH_BITS_EXCEEDED'],
    ['prefix of 256 bytes', () => BloomFilter.fromBytes(new Uint8Array(8), 3, LONG_PREFIX), 'PREFIX_TOO_LONG'],
  ])('%s', (_name, call, code) => {
    expectCode(call, code);
  });

  it('accepts the boundaries', () => {
    expect(BloomFilter.fromBytes(new Uint8Array(8), 32, new Uint8Array(255)).functions).toBe(32);
    expect(BloomFilter.fromBytes(new Uint8Array(1), 8, new Uint8Array(0), { bits: 8 }).functions).toBe(8);
    expect(BloomFilter.fromBytes(new Uint8Array(4096), 16, P).layout.algorithm).toBe('sha512');
    expect(BloomFilter.fromBytes(new Uint8Array(8191), 7, P, { maxBits: 65_528 }).bits).toBe(65_528);
  });
});
