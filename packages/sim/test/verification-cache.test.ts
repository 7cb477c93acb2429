/** The shared verification cache: each distinct packet verified once per process, bounded LRU. */
import { describe, expect, test } from 'vitest';
import { createVerificationCache, SimNetwork } from '../src/index.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('createVerificationCache', () => {
  test('verifies each distinct key once and answers later calls from the cache', () => {
    const cache = createVerificationCache();
    let calls = 0;
    const verify = (): boolean => {
      calls++;
      return true;
    };
    for (let node = 0; node < 1000; node++) expect(cache.verifyOnce(bytes(1, 2, 3), verify)).toBe(true);
    expect(calls).toBe(1);
    expect([cache.hits, cache.misses, cache.size]).toEqual([999, 1, 1]);
    expect(cache.verifyOnce(bytes(1, 2, 4), verify)).toBe(true);
    expect(calls).toBe(2);
  });

  test('keys by content, not by buffer identity; a copy or a view of the same bytes hits', () => {
    const cache = createVerificationCache();
    cache.verifyOnce(bytes(9, 8, 7), () => true);
    const big = bytes(0, 9, 8, 7, 0);
    expect(cache.verifyOnce(big.subarray(1, 4), () => false)).toBe(true);
    expect(cache.hits).toBe(1);
  });

  test('a failed verification is cached too (the outcome is a function of the bytes)', () => {
    const cache = createVerificationCache();
    let calls = 0;
    expect(cache.verifyOnce(bytes(5), () => (calls++, false))).toBe(false);
    expect(cache.verifyOnce(bytes(5), () => (calls++, true))).toBe(false);
    expect(calls).toBe(1);
    expect(cache.peek(bytes(5))).toBe(false);
    expect(cache.peek(bytes(6))).toBeUndefined();
  });

  test('an exception from verify propagates and caches nothing', () => {
    const cache = createVerificationCache();
    expect(() =>
      cache.verifyOnce(bytes(1), () => {
        throw new Error('bad key');
      }),
    ).toThrow('bad key');
    expect(cache.size).toBe(0);
    expect(cache.verifyOnce(bytes(1), () => true)).toBe(true);
  });

  test('evicts the least recently used entry beyond maxEntries', () => {
    const cache = createVerificationCache({ maxEntries: 3 });
    for (const k of [1, 2, 3]) cache.verifyOnce(bytes(k), () => true);
    cache.verifyOnce(bytes(1), () => true); // 1 is now the most recent
    cache.verifyOnce(bytes(4), () => true); // evicts 2
    expect(cache.size).toBe(3);
    expect(cache.evictions).toBe(1);
    expect(cache.peek(bytes(2))).toBeUndefined();
    expect([1, 3, 4].map((k) => cache.peek(bytes(k)))).toEqual([true, true, true]);
  });

  test('sha1 and md5 work as well; clear resets', () => {
    for (const algorithm of ['sha1', 'md5'] as const) {
      const cache = createVerificationCache({ algorithm });
      cache.verifyOnce(bytes(1), () => true);
      expect(cache.verifyOnce(bytes(1), () => false)).toBe(true);
      cache.clear();
      expect([cache.size, cache.hits, cache.misses]).toEqual([0, 0, 0]);
    }
  });

  test('rejects bad input', () => {
    expect(() => createVerificationCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => createVerificationCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => createVerificationCache({ algorithm: 'crc32' as never })).toThrow(RangeError);
    expect(() => createVerificationCache().verifyOnce('abc' as never, () => true)).toThrow(TypeError);
  });

  test('the network offers one shared cache, configured by its init', () => {
    const network = new SimNetwork({ verificationCache: { maxEntries: 10 } });
    expect(network.verificationCache).toBe(network.verificationCache);
    expect(network.verificationCache.maxEntries).toBe(10);
  });
});
