/**
 * The unchecked hot path of key hashing (spec §8.1): digest of prefix ‖ key, then big-endian chunks mod m.
 * Callers validate arguments first; `KeyHasher` (public) and `BloomFilter` do.
 *
 * Internal; not exported from the package.
 * @module
 */
import type { OneShotDigest } from './digest.ts';

/** Keys up to this total length (prefix included) are assembled in a reusable buffer; longer ones get their own. */
const MAX_SCRATCH = 64 * 1024;

/** Hashes keys into positions for one (m, k, prefix, digest) configuration, without argument checks. */
export class UncheckedHasher {
  readonly #bits: number;
  readonly #chunkBytes: number;
  readonly #prefix: Uint8Array;
  readonly #digest: OneShotDigest;
  #scratch: Uint8Array;

  /**
   * @param bits m (≤ 2^32, so every position and intermediate below stays exact)
   * @param chunkBytes 2, 4 or 8
   * @param prefix the salt, 0–255 bytes (copied)
   * @param digest the one-shot digest chosen for the layout
   */
  constructor(bits: number, chunkBytes: number, prefix: Uint8Array, digest: OneShotDigest) {
    this.#bits = bits;
    this.#chunkBytes = chunkBytes;
    this.#prefix = prefix.slice();
    this.#digest = digest;
    this.#scratch = new Uint8Array(prefix.length + 512);
    this.#scratch.set(prefix);
  }

  /**
   * H(prefix ‖ key). The prefix is already in the scratch buffer, so only the key is copied; with an empty prefix
   * the key is hashed in place.
   * @param key the key
   * @returns a fresh digest
   */
  digest(key: Uint8Array): Uint8Array {
    const prefixLength = this.#prefix.length;
    if (prefixLength === 0) return this.#digest(key);
    const total = prefixLength + key.length;
    let scratch = this.#scratch;
    if (total > scratch.length) {
      scratch = new Uint8Array(Math.max(total, scratch.length * 2));
      scratch.set(this.#prefix);
      if (total <= MAX_SCRATCH) this.#scratch = scratch;
    }
    scratch.set(key, prefixLength);
    return this.#digest(scratch.subarray(0, total));
  }

  /**
   * The big-endian chunk `index` of a digest, modulo m.
   * @param digest a digest of at least (index + 1) · chunk bytes
   * @param index the chunk number
   * @returns the bit position in [0, m)
   */
  position(digest: Uint8Array, index: number): number {
    const m = this.#bits;
    switch (this.#chunkBytes) {
      case 2: {
        const j = index * 2;
        return (((digest[j] as number) << 8) | (digest[j + 1] as number)) % m;
      }
      case 4:
        // the top byte is multiplied, not shifted, so the value stays unsigned (< 2^32, exact)
        return uint32(digest, index * 4) % m;
      default: {
        // (hi · 2^32 + lo) mod m without BigInt: m ≤ 2^32, so every intermediate stays below 2^49
        const j = index * 8;
        let r = uint32(digest, j) % m;
        r = (r * 0x1_0000) % m;
        r = (r * 0x1_0000) % m;
        return (r + uint32(digest, j + 4)) % m;
      }
    }
  }
}

function uint32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] as number) * 0x100_0000 +
    (((bytes[offset + 1] as number) << 16) | ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number))
  );
}
