// Ports of the original's tests/test_requestcache.py (spec §11.1). The original's RandomNumberCache / NumberCache
// constructors map to `addRandom` / `addNumbered`; `pop` of an absent entry returns undefined in both (the
// original's later `pop` returned None too; only the spec's older summary says KeyError).
import { createSeededRandom, ManualClock } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import { RequestCache, RequestCacheError, type RequestCacheEntry } from '../../src/request-cache.ts';

function entry(prefix: string, number: number): RequestCacheEntry {
  return { prefix, number, onTimeout: () => undefined };
}

function setup(): { clock: ManualClock; cache: RequestCache } {
  const clock = new ManualClock();
  return { clock, cache: new RequestCache({ clock, random: createSeededRandom(42) }) };
}

describe('test_requestcache', () => {
  test('test_requestcache.test_single_cache: add, has, get and pop', () => {
    const { clock, cache } = setup();
    const number = cache.randomNumber('test');
    expect(cache.has('test', number)).toBe(false);
    expect(cache.get('test', number)).toBeUndefined();
    expect(cache.pop('test', number)).toBeUndefined();
    const one = entry('test', number);
    expect(cache.add(one)).toBe(one);
    expect(cache.has('test', number)).toBe(true);
    expect(cache.get('test', number)).toBe(one);
    expect(cache.pop('test', number)).toBe(one);
    expect(cache.has('test', number)).toBe(false);
    expect(cache.get('test', number)).toBeUndefined();
    expect(cache.pop('test', number)).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  test('test_requestcache.test_multiple_caches: 100 random caches get unique numbers', () => {
    const { clock, cache } = setup();
    const caches: RequestCacheEntry[] = [];
    for (let i = 0; i < 100; i++) {
      const added = cache.addRandom('test', (n) => entry('test', n));
      caches.push(added);
    }
    expect(new Set(caches.map((c) => c.number)).size).toBe(100);
    for (const c of caches) {
      expect(cache.has('test', c.number)).toBe(true);
      expect(cache.get('test', c.number)).toBe(c);
    }
    for (const c of caches) {
      expect(cache.pop('test', c.number)).toBe(c);
      expect(cache.has('test', c.number)).toBe(false);
      expect(cache.get('test', c.number)).toBeUndefined();
      expect(cache.pop('test', c.number)).toBeUndefined();
    }
    expect(cache.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  test('test_requestcache.test_request_cache_double_pop_bug: a second pop finds nothing', () => {
    const { cache } = setup();
    const one = cache.addRandom('test', (n) => entry('test', n));
    expect(cache.pop('test', one.number)).toBe(one);
    expect(cache.has('test', one.number)).toBe(false);
    expect(cache.get('test', one.number)).toBeUndefined();
    expect(cache.pop('test', one.number)).toBeUndefined();
  });

  test('test_requestcache.test_fixed_number: a used fixed number is refused', () => {
    const { clock, cache } = setup();
    const one = cache.addNumbered('test', 1, (n) => entry('test', n));
    expect(cache.has('test', 1)).toBe(true);
    let error: unknown;
    try {
      cache.addNumbered('test', 1, (n) => entry('test', n));
    } catch (err) {
      error = err;
    }
    expect(RequestCacheError.is(error) && error.code).toBe('REQUEST_CACHE_NUMBER_IN_USE');
    expect(cache.get('test', 1)).toBe(one);
    cache.clear();
    expect(clock.pending).toBe(0);
  });
});
