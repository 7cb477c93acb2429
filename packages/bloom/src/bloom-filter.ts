/**
 * The Dispersy Bloom filter (spec §8.1), byte compatible with the original `bloomfilter.py`.
 * @module
 */
import { BloomError, MAX_FILTER_BITS } from './errors.ts';
import { type HashLayout, MAX_HASH_BITS, chunkBytesFor, hashLayout } from './hashing.ts';
import { assertBytes, assertErrorRate, assertInteger, describe } from './internal/assert.ts';
import { getDigest } from './internal/digest.ts';
import { UncheckedHasher } from './internal/hasher.ts';
import { bitsForCapacity, capacityForBits, functionsFor } from './parameters.ts';

const EMPTY = new Uint8Array(0);

/** The longest prefix (salt) the original accepts. Dispersy itself always uses exactly one byte. */
export const MAX_PREFIX_BYTES = 255;

/** Options of {@link BloomFilter.fromBytes}. */
export interface FromBytesOptions {
  /**
   * The size in bits declared next to the bytes (the wire carries it as a uint16). When given, it must be a multiple
   * of 8 and equal `bytes.length · 8`.
   */
  readonly bits?: number;
  /**
   * Refuse filters larger than this many bits.
   * @default MAX_FILTER_BITS (2^32)
   */
  readonly maxBits?: number;
}

function checkLocalPrefix(prefix: unknown): asserts prefix is Uint8Array {
  assertBytes(prefix, 'prefix');
  if (prefix.length > MAX_PREFIX_BYTES) {
    throw new RangeError(`prefix must be at most ${MAX_PREFIX_BYTES} bytes, got ${prefix.length}`);
  }
}

function checkLocalFunctions(bits: number, functions: number, cause: string): void {
  const chunkBytes = chunkBytesFor(bits);
  if (chunkBytes * 8 * functions > MAX_HASH_BITS) {
    throw new RangeError(
      `${cause} needs k = ${functions} hash functions of ${chunkBytes * 8} bits (${chunkBytes * 8 * functions} bits), ` +
        `more than the ${MAX_HASH_BITS} bits of one SHA-512 digest`,
    );
  }
}

/**
 * A Bloom filter that hashes, serialises and sizes exactly like the original Dispersy (spec §8.1).
 *
 * Build one with {@link BloomFilter.fromBits} (m and error rate), {@link BloomFilter.fromCapacity} (error rate and
 * capacity) or {@link BloomFilter.fromBytes} (a filter received from a peer). Keys are byte strings; in Dispersy a key
 * is a whole packet. Bits are stored in wire order: bit p is bit `p mod 8` (from the least-significant end) of byte
 * `p div 8`.
 *
 * @example
 * ```ts
 * const filter = BloomFilter.fromBits(10128, 0.01, new Uint8Array([0x32]));
 * filter.add(packet);
 * filter.contains(packet); // true
 * const wire = filter.toBytes(); // 1266 bytes
 * ```
 */
export class BloomFilter {
  readonly #bits: number;
  readonly #functions: number;
  readonly #prefix: Uint8Array;
  readonly #filter: Uint8Array<ArrayBuffer>;
  readonly #layout: HashLayout;
  readonly #hasher: UncheckedHasher;
  readonly #capacity: number | undefined;
  readonly #errorRate: number | undefined;

  /** Use the static factories; this constructor trusts its (already validated) arguments. */
  private constructor(
    bits: number,
    functions: number,
    prefix: Uint8Array,
    filter: Uint8Array<ArrayBuffer>,
    capacity: number | undefined,
    errorRate: number | undefined,
  ) {
    this.#bits = bits;
    this.#functions = functions;
    this.#prefix = prefix.slice();
    this.#filter = filter;
    this.#layout = hashLayout(bits, functions);
    this.#hasher = new UncheckedHasher(bits, this.#layout.chunkBytes, prefix, getDigest(this.#layout.algorithm));
    this.#capacity = capacity;
    this.#errorRate = errorRate;
  }

  /**
   * An empty filter of m bits sized for a target error rate (the original's `BloomFilter(m, f, prefix)`):
   * capacity n = int(m · (ln 2)² / |ln p|), k = int(ceil(ln 2 · m / n)).
   *
   * @param bits m, a positive multiple of 8, at most {@link MAX_FILTER_BITS}
   * @param errorRate p, strictly between 0 and 1
   * @param prefix salt hashed before every key, 0–255 bytes (default empty; Dispersy uses one random byte)
   * @returns a new empty filter
   * @throws TypeError when an argument has the wrong type
   * @throws RangeError when m is not a positive multiple of 8 or too large, p is not in (0, 1), the capacity would be
   *   0 (m too small for p), k · chunk bits would exceed 512, or the prefix is longer than 255 bytes
   * @example
   * ```ts
   * const filter = BloomFilter.fromBits(64, 0.1, new TextEncoder().encode('a'));
   * filter.functions; // 4
   * ```
   */
  static fromBits(bits: number, errorRate: number, prefix: Uint8Array = EMPTY): BloomFilter {
    assertInteger(bits, 'bits');
    if (bits <= 0 || bits % 8 !== 0) throw new RangeError(`bits must be a positive multiple of 8, got ${bits}`);
    if (bits > MAX_FILTER_BITS) throw new RangeError(`bits must be at most ${MAX_FILTER_BITS}, got ${bits}`);
    assertErrorRate(errorRate);
    checkLocalPrefix(prefix);
    const capacity = capacityForBits(bits, errorRate);
    if (capacity === 0) {
      throw new RangeError(`bits ${bits} is too small for errorRate ${errorRate}: the capacity would be 0`);
    }
    const functions = functionsFor(bits, capacity);
    checkLocalFunctions(bits, functions, `errorRate ${errorRate} with ${bits} bits`);
    return new BloomFilter(bits, functions, prefix, new Uint8Array(bits / 8), capacity, errorRate);
  }

  /**
   * An empty filter sized to hold `capacity` keys at a target error rate (the original's
   * `BloomFilter(f, n, prefix)`): m = ceil(|n · ln p| / (ln 2)² / 8) · 8, k = int(ceil(ln 2 · m / n)).
   *
   * @param errorRate p, strictly between 0 and 1
   * @param capacity n, a positive integer
   * @param prefix salt hashed before every key, 0–255 bytes (default empty)
   * @returns a new empty filter whose `capacity` is n
   * @throws TypeError when an argument has the wrong type
   * @throws RangeError when p is not in (0, 1), n ≤ 0, the size would exceed {@link MAX_FILTER_BITS}, k · chunk
   *   bits would exceed 512, or the prefix is longer than 255 bytes
   * @example
   * ```ts
   * const filter = BloomFilter.fromCapacity(0.25, 142);
   * [filter.bits, filter.functions]; // [416, 3]
   * ```
   */
  static fromCapacity(errorRate: number, capacity: number, prefix: Uint8Array = EMPTY): BloomFilter {
    assertErrorRate(errorRate);
    assertInteger(capacity, 'capacity');
    if (capacity <= 0) throw new RangeError(`capacity must be positive, got ${capacity}`);
    checkLocalPrefix(prefix);
    const bits = bitsForCapacity(errorRate, capacity);
    if (bits > MAX_FILTER_BITS) {
      throw new RangeError(`capacity ${capacity} at errorRate ${errorRate} needs ${bits} bits, more than ${MAX_FILTER_BITS}`);
    }
    const functions = functionsFor(bits, capacity);
    checkLocalFunctions(bits, functions, `errorRate ${errorRate} with capacity ${capacity}`);
    return new BloomFilter(bits, functions, prefix, new Uint8Array(bits / 8), capacity, errorRate);
  }

  /**
   * Loads a serialised filter (the original's `BloomFilter(bytes, k, prefix)`): m = 8 · bytes.length. The bytes are
   * copied. Meant for filters from the network, so every value check throws a {@link BloomError} with a stable code;
   * wrong argument types are still `TypeError`s.
   *
   * @param bytes the filter in wire order, at least one byte
   * @param functions k as received, 1 ≤ k ≤ m with k · chunk bits ≤ 512
   * @param prefix the salt as received, 0–255 bytes (default empty; on the wire exactly one byte)
   * @param options the declared size in bits, and a size limit
   * @returns the loaded filter (its `capacity` and `errorRate` are unknown: `undefined`)
   * @throws TypeError when an argument has the wrong type
   * @throws BloomError `EMPTY_FILTER`, `BITS_NOT_MULTIPLE_OF_8`, `SIZE_MISMATCH`, `FILTER_TOO_LARGE`,
   *   `INVALID_FUNCTION_COUNT`, `FUNCTIONS_EXCEED_BITS`, `HASH_BITS_EXCEEDED` or `PREFIX_TOO_LONG`
   * @example
   * ```ts
   * const filter = BloomFilter.fromBytes(payload.bloomBytes, payload.functions, payload.prefix, {
   *   bits: payload.sizeBits,
   * });
   * ```
   */
  static fromBytes(
    bytes: Uint8Array,
    functions: number,
    prefix: Uint8Array = EMPTY,
    options: FromBytesOptions = {},
  ): BloomFilter {
    assertBytes(bytes, 'bytes');
    assertInteger(functions, 'functions');
    assertBytes(prefix, 'prefix');
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    }
    const { bits: declared, maxBits = MAX_FILTER_BITS } = options;
    if (declared !== undefined) assertInteger(declared, 'options.bits');
    assertInteger(maxBits, 'options.maxBits');
    if (maxBits < 8 || maxBits > MAX_FILTER_BITS) {
      throw new RangeError(`options.maxBits must be between 8 and ${MAX_FILTER_BITS}, got ${maxBits}`);
    }

    if (bytes.length === 0) throw new BloomError('EMPTY_FILTER', 'a Bloom filter needs at least one byte');
    const bits = bytes.length * 8;
    if (declared !== undefined) {
      if (declared % 8 !== 0) {
        throw new BloomError('BITS_NOT_MULTIPLE_OF_8', `declared filter size ${declared} bits is not a multiple of 8`);
      }
      if (declared !== bits) {
        throw new BloomError('SIZE_MISMATCH', `declared filter size ${declared} bits, but ${bytes.length} bytes given`);
      }
    }
    if (bits > maxBits) {
      throw new BloomError('FILTER_TOO_LARGE', `filter of ${bits} bits exceeds the limit of ${maxBits} bits`);
    }
    if (functions < 1) throw new BloomError('INVALID_FUNCTION_COUNT', `function count must be ≥ 1, got ${functions}`);
    if (functions > bits) {
      throw new BloomError('FUNCTIONS_EXCEED_BITS', `function count ${functions} exceeds the filter size ${bits} bits`);
    }
    const chunkBits = chunkBytesFor(bits) * 8;
    if (chunkBits * functions > MAX_HASH_BITS) {
      throw new BloomError(
        'HASH_BITS_EXCEEDED',
        `function count ${functions} needs ${chunkBits * functions} hash bits, at most ${MAX_HASH_BITS}`,
      );
    }
    if (prefix.length > MAX_PREFIX_BYTES) {
      throw new BloomError('PREFIX_TOO_LONG', `prefix of ${prefix.length} bytes exceeds ${MAX_PREFIX_BYTES}`);
    }
    return new BloomFilter(bits, functions, prefix, bytes.slice(), undefined, undefined);
  }

  /** m, the size in bits (a multiple of 8). */
  get bits(): number {
    return this.#bits;
  }

  /** k, the number of bit positions per key. */
  get functions(): number {
    return this.#functions;
  }

  /** A copy of the prefix (salt) hashed before every key. */
  get prefix(): Uint8Array<ArrayBuffer> {
    return this.#prefix.slice();
  }

  /**
   * n, the capacity k was derived from: computed from m and p for {@link BloomFilter.fromBits}, the requested value
   * for {@link BloomFilter.fromCapacity}, `undefined` for a loaded filter (use {@link BloomFilter.capacityFor}).
   */
  get capacity(): number | undefined {
    return this.#capacity;
  }

  /** p, the error rate the filter was sized for; `undefined` for a loaded filter. */
  get errorRate(): number | undefined {
    return this.#errorRate;
  }

  /** The chunk width and digest used to hash keys. */
  get layout(): HashLayout {
    return this.#layout;
  }

  /** A copy of the filter in wire order (m/8 bytes); the same as {@link BloomFilter.toBytes}. */
  get bytes(): Uint8Array<ArrayBuffer> {
    return this.#filter.slice();
  }

  /**
   * The filter in wire order: byte i holds bits 8i … 8i+7, least-significant bit first.
   * @returns a fresh copy of m/8 bytes
   * @example
   * ```ts
   * BloomFilter.fromBits(8, 0.1, new Uint8Array([0])).toBytes(); // Uint8Array [0]
   * ```
   */
  toBytes(): Uint8Array<ArrayBuffer> {
    return this.#filter.slice();
  }

  /**
   * Adds a key: sets its k bits.
   * @param key the key bytes (in Dispersy, a whole packet)
   * @returns this filter
   * @throws TypeError when `key` is not a Uint8Array
   * @example
   * ```ts
   * filter.add(packet).add(otherPacket);
   * ```
   */
  add(key: Uint8Array): this {
    assertBytes(key, 'key');
    this.#set(this.#hasher.digest(key));
    return this;
  }

  /**
   * Adds many keys (the original's `add_keys`); faster than calling {@link BloomFilter.add} in a loop.
   * @param keys the keys
   * @returns this filter
   * @throws TypeError when `keys` is not iterable or a key is not a Uint8Array (keys before it are added)
   * @example
   * ```ts
   * filter.addKeys(packets);
   * ```
   */
  addKeys(keys: Iterable<Uint8Array>): this {
    const hasher = this.#hasher;
    for (const key of iterate(keys, 'keys')) {
      assertBytes(key, 'key');
      this.#set(hasher.digest(key));
    }
    return this;
  }

  /**
   * Whether all k bits of a key are set: `false` means certainly not added; `true` means added, or a false
   * positive.
   * @param key the key bytes
   * @returns the membership verdict
   * @throws TypeError when `key` is not a Uint8Array
   * @example
   * ```ts
   * if (!filter.contains(packet)) send(packet);
   * ```
   */
  contains(key: Uint8Array): boolean {
    assertBytes(key, 'key');
    return this.#test(this.#hasher.digest(key));
  }

  /**
   * Tests many keys at once (the fast path: one validation and hasher lookup for the whole batch).
   * @param keys the keys
   * @returns one verdict per key, in order
   * @throws TypeError when `keys` is not iterable or a key is not a Uint8Array
   * @example
   * ```ts
   * const verdicts = filter.containsMany(packets);
   * ```
   */
  containsMany(keys: Iterable<Uint8Array>): boolean[] {
    const hasher = this.#hasher;
    const out: boolean[] = [];
    for (const key of iterate(keys, 'keys')) {
      assertBytes(key, 'key');
      out.push(this.#test(hasher.digest(key)));
    }
    return out;
  }

  /**
   * Yields the items whose key is NOT (fully) contained: what a sync responder sends back (spec §8.4). Lazy; it
   * reads the filter as it is when each item is reached.
   * @param keys the candidate keys
   * @returns a generator of the keys not in the filter
   * @throws TypeError when an item or its key is not a Uint8Array
   * @example
   * ```ts
   * for (const packet of filter.notFilter(storedPackets)) send(packet);
   * ```
   */
  notFilter(keys: Iterable<Uint8Array>): Generator<Uint8Array, void, undefined>;
  /**
   * Yields the items whose key, taken by `keyOf`, is NOT (fully) contained (the original's `not_filter` over rows
   * whose first column is the packet).
   * @param items the candidate items, e.g. database rows
   * @param keyOf extracts the key bytes of an item
   * @returns a generator of the items not in the filter
   * @throws TypeError when `keyOf` is not a function or returns something other than a Uint8Array
   * @example
   * ```ts
   * for (const row of filter.notFilter(rows, (row) => row.packet)) send(row.packet);
   * ```
   */
  notFilter<T>(items: Iterable<T>, keyOf: (item: T) => Uint8Array): Generator<T, void, undefined>;
  notFilter<T>(items: Iterable<T>, keyOf?: (item: T) => Uint8Array): Generator<T, void, undefined> {
    // validate eagerly, so a bad call fails where it is made rather than at the first next()
    if (keyOf !== undefined && typeof keyOf !== 'function') {
      throw new TypeError(`keyOf must be a function, got ${describe(keyOf)}`);
    }
    return this.#notFilter(iterate(items, 'items'), keyOf);
  }

  *#notFilter<T>(items: Iterable<T>, keyOf: ((item: T) => Uint8Array) | undefined): Generator<T, void, undefined> {
    const hasher = this.#hasher;
    for (const item of items) {
      const key: unknown = keyOf === undefined ? item : keyOf(item);
      assertBytes(key, 'key');
      if (!this.#test(hasher.digest(key))) yield item;
    }
  }

  /**
   * Clears every bit (the original's `clear`).
   * @returns this filter
   * @example
   * ```ts
   * filter.clear().toBytes().every((b) => b === 0); // true
   * ```
   */
  clear(): this {
    this.#filter.fill(0);
    return this;
  }

  /**
   * The capacity of this filter's m at another error rate (the original's `get_capacity`).
   * @param errorRate p, strictly between 0 and 1
   * @returns int(m · (ln 2)² / |ln p|)
   * @throws TypeError / RangeError when p is not a number in (0, 1)
   * @example
   * ```ts
   * BloomFilter.fromBits(1024, 0.25).capacityFor(0.25); // 354
   * ```
   */
  capacityFor(errorRate: number): number {
    return capacityForBits(this.#bits, errorRate);
  }

  /**
   * The k bit positions of a key in this filter (for diagnostics; `add`/`contains` do not allocate them).
   * @param key the key bytes
   * @returns k positions in [0, m), in chunk order
   * @throws TypeError when `key` is not a Uint8Array
   * @example
   * ```ts
   * filter.positionsOf(packet); // e.g. [147, 3742, …]
   * ```
   */
  positionsOf(key: Uint8Array): number[] {
    assertBytes(key, 'key');
    const digest = this.#hasher.digest(key);
    const out: number[] = [];
    for (let i = 0; i < this.#functions; i++) out.push(this.#hasher.position(digest, i));
    return out;
  }

  /**
   * The number of bits set (the original's `get_bits_checked`).
   * @returns 0 … m
   * @example
   * ```ts
   * BloomFilter.fromBits(64, 0.1).countSetBits(); // 0
   * ```
   */
  countSetBits(): number {
    let count = 0;
    for (const byte of this.#filter) {
      let b = byte;
      while (b !== 0) {
        b &= b - 1;
        count++;
      }
    }
    return count;
  }

  /**
   * Whether another filter has the same size, functions, prefix and bits.
   * @param other another filter
   * @returns true when both serialise identically and hash identically
   * @example
   * ```ts
   * BloomFilter.fromBytes(a.toBytes(), a.functions, a.prefix).equals(a); // true
   * ```
   */
  equals(other: BloomFilter): boolean {
    if (!(other instanceof BloomFilter)) return false;
    return (
      other.#bits === this.#bits &&
      other.#functions === this.#functions &&
      sameBytes(other.#prefix, this.#prefix) &&
      sameBytes(other.#filter, this.#filter)
    );
  }

  /**
   * An independent copy (same parameters, capacity and error rate).
   * @returns the copy
   * @example
   * ```ts
   * const snapshot = filter.clone();
   * ```
   */
  clone(): BloomFilter {
    return new BloomFilter(
      this.#bits,
      this.#functions,
      this.#prefix,
      this.#filter.slice(),
      this.#capacity,
      this.#errorRate,
    );
  }

  #set(digest: Uint8Array): void {
    const filter = this.#filter;
    const hasher = this.#hasher;
    for (let i = 0, k = this.#functions; i < k; i++) {
      const p = hasher.position(digest, i);
      // p < m ≤ 2^32, so the unsigned shift is exact
      const j = p >>> 3;
      filter[j] = (filter[j] as number) | (1 << (p & 7));
    }
  }

  #test(digest: Uint8Array): boolean {
    const filter = this.#filter;
    const hasher = this.#hasher;
    for (let i = 0, k = this.#functions; i < k; i++) {
      const p = hasher.position(digest, i);
      if (((filter[p >>> 3] as number) & (1 << (p & 7))) === 0) return false;
    }
    return true;
  }
}

function iterate<T>(value: Iterable<T>, name: string): Iterable<T> {
  if (value === null || typeof (value as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`${name} must be iterable, got ${describe(value)}`);
  }
  return value;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
