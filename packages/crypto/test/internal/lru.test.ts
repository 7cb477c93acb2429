import { describe, expect, it } from 'vitest';

import { LruCache } from '../../src/internal/lru.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the youngest
    cache.set('c', 3); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces values, shrinks, clears, and holds nothing at size 0', () => {
    const cache = new LruCache<number, string>(3);
    for (const i of [1, 2, 3]) cache.set(i, `${i}`);
    cache.set(1, 'one'); // 1 becomes the youngest
    cache.resize(1);
    expect(cache.max).toBe(1);
    expect(cache.get(1)).toBe('one');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    cache.resize(0);
    cache.set(5, 'five');
    expect(cache.get(5)).toBeUndefined();
  });
});
