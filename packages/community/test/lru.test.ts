import { describe, expect, test } from 'vitest';
import { LruMap } from '../src/lru.ts';

describe('LruMap', () => {
  test('evicts the least recently used entry; get refreshes, has does not', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.has('a')).toBe(true);
    lru.set('d', 4); // 'c' was used after 'a' was refreshed by get
    expect([lru.has('a'), lru.has('c'), lru.has('d')]).toEqual([false, true, true]);
    expect(lru.size).toBe(2);
    expect(lru.delete('c')).toBe(true);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
