/**
 * How the original turns a key into k bit positions (spec §8.1), as a layout (chunk width + digest) and a hasher.
 *
 * The original does not use double hashing: it hashes `prefix ‖ key` once with a digest long enough for k chunks,
 * reads the first k big-endian chunks and reduces each modulo m. This is wire behaviour, so it is reproduced as is.
 * @module
 */
import { type DigestAlgorithm, type DigestBackend, getDigest } from './internal/digest.ts';
import { assertBytes, assertInteger, describe } from './internal/assert.ts';
import { UncheckedHasher } from './internal/hasher.ts';
import { MAX_FILTER_BITS } from './errors.ts';

export type { DigestAlgorithm, DigestBackend } from './internal/digest.ts';

/** The most hash bits one digest provides (SHA-512); the original refuses to combine digests. */
export const MAX_HASH_BITS = 512;

/** Width of one chunk of the digest, in bytes. */
export type ChunkBytes = 2 | 4 | 8;

/** How keys are hashed for a filter of a given m and k. */
export interface HashLayout {
  /** Bytes per chunk: 8 when m ≥ 2^31, 4 when m ≥ 2^15, else 2. */
  readonly chunkBytes: ChunkBytes;
  /** chunkBytes · 8 · k, the digest bits consumed per key (≤ 512). */
  readonly bitsRequired: number;
  /** The shortest digest of the original's list that provides `bitsRequired` bits. */
  readonly algorithm: DigestAlgorithm;
  /** Length of that digest in bytes. */
  readonly digestBytes: number;
}

const DIGEST_BYTES: Readonly<Record<DigestAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/**
 * The chunk width the original uses for an m-bit filter: m ≥ 2^31 → 8 bytes; m ≥ 2^15 → 4 bytes; else 2 bytes.
 * @param bits m, a positive integer
 * @returns the chunk width in bytes
 * @throws TypeError when `bits` is not an integer
 * @throws RangeError when `bits` ≤ 0
 * @example
 * ```ts
 * chunkBytesFor(10128); // 2
 * ```
 */
export function chunkBytesFor(bits: number): ChunkBytes {
  assertInteger(bits, 'bits');
  if (bits <= 0) throw new RangeError(`bits must be positive, got ${bits}`);
  if (bits >= 2 ** 31) return 8;
  if (bits >= 2 ** 15) return 4;
  return 2;
}

/**
 * The digest the original selects for a number of required bits: > 384 SHA-512, > 256 SHA-384, > 160 SHA-256,
 * > 128 SHA-1, else MD5.
 * @param bitsRequired chunk bits · k, from 1 to 512
 * @returns the digest algorithm
 * @throws TypeError when `bitsRequired` is not an integer
 * @throws RangeError when `bitsRequired` is below 1 or above 512
 * @example
 * ```ts
 * digestAlgorithmFor(112); // 'md5' (k = 7 with 2-byte chunks)
 * ```
 */
export function digestAlgorithmFor(bitsRequired: number): DigestAlgorithm {
  assertInteger(bitsRequired, 'bitsRequired');
  if (bitsRequired < 1 || bitsRequired > MAX_HASH_BITS) {
    throw new RangeError(`bitsRequired must be between 1 and ${MAX_HASH_BITS}, got ${bitsRequired}`);
  }
  if (bitsRequired > 384) return 'sha512';
  if (bitsRequired > 256) return 'sha384';
  if (bitsRequired > 160) return 'sha256';
  if (bitsRequired > 128) return 'sha1';
  return 'md5';
}

/**
 * The hash layout of a filter with m bits and k functions.
 * @param bits m, a positive integer
 * @param functions k, a positive integer with k · chunk bits ≤ 512
 * @returns chunk width, required bits, digest and digest length (a frozen object)
 * @throws TypeError when an argument is not an integer
 * @throws RangeError when m ≤ 0, k ≤ 0 or k · chunk bits > 512
 * @example
 * ```ts
 * hashLayout(10128, 7); // { chunkBytes: 2, bitsRequired: 112, algorithm: 'md5', digestBytes: 16 }
 * ```
 */
export function hashLayout(bits: number, functions: number): HashLayout {
  const chunkBytes = chunkBytesFor(bits);
  assertInteger(functions, 'functions');
  if (functions <= 0) throw new RangeError(`functions must be positive, got ${functions}`);
  const bitsRequired = chunkBytes * 8 * functions;
  if (bitsRequired > MAX_HASH_BITS) {
    throw new RangeError(
      `functions ${functions} with ${chunkBytes}-byte chunks need ${bitsRequired} hash bits, at most ${MAX_HASH_BITS}`,
    );
  }
  const algorithm = digestAlgorithmFor(bitsRequired);
  return Object.freeze({ chunkBytes, bitsRequired, algorithm, digestBytes: DIGEST_BYTES[algorithm] });
}

/**
 * Hashes keys of one filter configuration into bit positions, exactly as a `BloomFilter` with the same m, k and
 * prefix does. For tools that need positions without a filter (e.g. to explain a false positive) and for tests.
 *
 * @example
 * ```ts
 * const hasher = new KeyHasher(10160, 7, new Uint8Array([0x07]));
 * hasher.positions(new TextEncoder().encode('packet-one')); // [147, …] (7 positions)
 * ```
 */
export class KeyHasher {
  /** The layout (chunk width and digest) in use. */
  readonly layout: HashLayout;
  readonly #functions: number;
  readonly #inner: UncheckedHasher;

  /**
   * @param bits m, a positive integer ≤ {@link MAX_FILTER_BITS}
   * @param functions k, with k · chunk bits ≤ 512
   * @param prefix the salt hashed before every key, 0–255 bytes (copied)
   * @param backend force a digest backend; by default node:crypto where it works, else @noble/hashes
   * @throws TypeError when an argument has the wrong type
   * @throws RangeError when m, k or the prefix length is out of range
   * @throws Error when `backend` is `'node'` and node:crypto is unavailable
   */
  constructor(bits: number, functions: number, prefix: Uint8Array, backend?: DigestBackend) {
    this.layout = hashLayout(bits, functions);
    if (bits > MAX_FILTER_BITS) throw new RangeError(`bits must be at most ${MAX_FILTER_BITS}, got ${bits}`);
    assertBytes(prefix, 'prefix');
    if (prefix.length > 255) throw new RangeError(`prefix must be at most 255 bytes, got ${prefix.length}`);
    if (backend !== undefined && backend !== 'node' && backend !== 'noble') {
      throw new TypeError(`backend must be 'node', 'noble' or undefined, got ${describe(backend)}`);
    }
    this.#functions = functions;
    this.#inner = new UncheckedHasher(bits, this.layout.chunkBytes, prefix, getDigest(this.layout.algorithm, backend));
  }

  /**
   * H(prefix ‖ key) with the layout's digest.
   * @param key the key (in Dispersy: a whole packet)
   * @returns a fresh digest of `layout.digestBytes` bytes
   * @throws TypeError when `key` is not a Uint8Array
   */
  digest(key: Uint8Array): Uint8Array {
    assertBytes(key, 'key');
    return this.#inner.digest(key);
  }

  /**
   * All k bit positions of a key, in chunk order (duplicates kept: the original simply sets such a bit twice).
   * @param key the key
   * @returns k positions in [0, m)
   * @throws TypeError when `key` is not a Uint8Array
   */
  positions(key: Uint8Array): number[] {
    const digest = this.digest(key);
    const out: number[] = [];
    for (let i = 0; i < this.#functions; i++) out.push(this.#inner.position(digest, i));
    return out;
  }
}
