/**
 * A bounded map with least-recently-used eviction, for the runtime's caches (the node's member cache, a
 * community's known identities). Every cache a remote peer can grow is bounded (architecture.md).
 */

/**
 * A Map that keeps at most `maxSize` entries; reading (`get`) or writing an entry makes it the most recent, and
 * adding past the bound evicts the least recent one.
 *
 * @example
 * ```ts
 * const cache = new LruMap<string, number>(2);
 * cache.set('a', 1); cache.set('b', 2); cache.get('a'); cache.set('c', 3); // evicts 'b'
 * ```
 */
export class LruMap<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  /**
   * @param maxSize the bound (a positive integer)
   * @throws RangeError otherwise
   */
  constructor(maxSize: number) {
    if (!Number.isSafeInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
    this.#max = maxSize;
  }

  /** The bound. */
  get maxSize(): number {
    return this.#max;
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }

  /**
   * @param key the key
   * @returns the value (now the most recent), or undefined
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
   * @param key the key
   * @returns whether it is present (does not refresh it)
   */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /**
   * Inserts or replaces an entry (it becomes the most recent), evicting the least recent past the bound.
   * @param key the key
   * @param value the value
   */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }

  /**
   * @param key the key
   * @returns whether it was present
   */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear();
  }
}
