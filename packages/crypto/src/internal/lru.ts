/**
 * A bounded least-recently-used map (architecture.md, "Bounded resources": peers choose which keys we parse, so the
 * cache of parsed keys must not grow without bound).
 *
 * A `Map` keeps insertion order, so re-inserting on a hit moves the entry to the young end and the oldest entry is
 * always the first key. Both operations are O(1).
 */
export class LruCache<K, V> {
  #map = new Map<K, V>();
  #max: number;

  /** @param max the most entries kept; 0 disables the cache */
  constructor(max: number) {
    this.#max = max;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#map.size;
  }

  /** The bound. */
  get max(): number {
    return this.#max;
  }

  /**
   * Changes the bound, evicting the oldest entries if needed.
   * @param max the new bound
   */
  resize(max: number): void {
    this.#max = max;
    this.#evict();
  }

  /**
   * Looks up a key and marks it as recently used.
   * @param key the key
   * @returns the value, or `undefined` when absent
   */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /**
   * Inserts or replaces an entry, evicting the least recently used one when full.
   * @param key the key
   * @param value the value (not `undefined`)
   */
  set(key: K, value: V): void {
    if (this.#max <= 0) return;
    this.#map.delete(key);
    this.#map.set(key, value);
    this.#evict();
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
  }

  #evict(): void {
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next();
      if (oldest.done === true) return;
      this.#map.delete(oldest.value);
    }
  }
}
