/**
 * A shared verification cache: in a 1,000-node in-process simulation every node verifies every message, which at
 * ≈ 9,300 Ed25519 verifies/s/core would cost hours (performance-model.md §3.1: "simulations must verify each unique
 * message once"). The simulator creates one cache per {@link SimNetwork}; the harness hands it to every node's runtime,
 * which puts it in front of its signature verifier:
 *
 * ```ts
 * const ok = cache.verifyOnce(packetBytes, () => verifySignature(packetBytes));
 * ```
 *
 * The key is a digest of the bytes the caller passes, so they must cover *every* input of `verify`: for Dispersy the
 * whole signed packet (header, authentication section with the member's key or its SHA-1 mid, payload) plus its
 * signature — i.e. the packet as received. Both outcomes are cached: verification is a pure function of those bytes,
 * so a forged packet stays rejected without a second check. Exceptions from `verify` are not cached.
 *
 * Simulation only: a real node verifies what it receives itself. The digest defaults to SHA-256 (collision
 * resistant; about as fast as SHA-1 in node:crypto, §3.2 — ≈ 1 µs per 200-byte packet against ≈ 107 µs per verify);
 * `sha1` and `md5` are accepted for speed where no adversary exists. Entries are evicted least-recently-used.
 */
import { hash } from 'node:crypto';

/** Options of {@link createVerificationCache}. */
export interface VerificationCacheInit {
  /** Most cached outcomes (≈ 100 bytes each with a SHA-256 key). @default 200_000 */
  readonly maxEntries?: number;
  /** Digest of the key bytes. @default 'sha256' */
  readonly algorithm?: 'sha256' | 'sha1' | 'md5';
}

/** A bounded LRU of verification outcomes keyed by a digest of the verified bytes. */
export interface VerificationCache {
  /**
   * Returns the cached outcome for `key`, or runs `verify` once and caches what it returns.
   * @param key the bytes the outcome depends on (the signed packet with its signature)
   * @param verify the real check; called only on a miss
   * @returns the outcome
   * @throws TypeError when `key` is not a Uint8Array; whatever `verify` throws (then nothing is cached)
   */
  verifyOnce(key: Uint8Array, verify: () => boolean): boolean;
  /**
   * @param key the bytes
   * @returns the cached outcome, or undefined (does not refresh the entry's recency)
   */
  peek(key: Uint8Array): boolean | undefined;
  /** Cached outcomes. */
  readonly size: number;
  /** The cap. */
  readonly maxEntries: number;
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that ran `verify`. */
  readonly misses: number;
  /** Entries dropped to stay under the cap. */
  readonly evictions: number;
  /** Empties the cache and zeroes the counters. */
  clear(): void;
}

/**
 * Creates a verification cache.
 * @param init cap and digest
 * @returns the cache
 * @throws RangeError for a cap that is not a positive integer or an unknown algorithm
 * @example
 * ```ts
 * const cache = createVerificationCache({ maxEntries: 100_000 });
 * cache.verifyOnce(packet, () => verify(packet)); // verifies
 * cache.verifyOnce(packet, () => verify(packet)); // cached
 * ```
 */
export function createVerificationCache(init: VerificationCacheInit = {}): VerificationCache {
  const maxEntries = init.maxEntries ?? 200_000;
  if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  const algorithm = init.algorithm ?? 'sha256';
  if (!['sha256', 'sha1', 'md5'].includes(algorithm)) throw new RangeError(`algorithm must be sha256, sha1 or md5, got ${String(algorithm)}`);
  // Map iteration order is insertion order: re-inserting on a hit makes the first key the least recently used.
  // 'binary' (latin1) digests are one-byte strings of 16–32 chars, the most compact Map key node:crypto returns.
  const entries = new Map<string, boolean>();
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const digest = (key: Uint8Array): string => {
    if (!(key instanceof Uint8Array)) throw new TypeError(`key must be a Uint8Array, got ${typeof key}`);
    return hash(algorithm, key, 'binary');
  };
  return {
    verifyOnce(key, verify) {
      const k = digest(key);
      const cached = entries.get(k);
      if (cached !== undefined) {
        hits++;
        entries.delete(k);
        entries.set(k, cached);
        return cached;
      }
      misses++;
      const ok = verify() === true;
      entries.set(k, ok);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) {
          entries.delete(oldest.value);
          evictions++;
        }
      }
      return ok;
    },
    peek: (key) => entries.get(digest(key)),
    get size() {
      return entries.size;
    },
    maxEntries,
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get evictions() {
      return evictions;
    },
    clear() {
      entries.clear();
      hits = misses = evictions = 0;
    },
  };
}
