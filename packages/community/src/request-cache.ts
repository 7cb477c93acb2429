/**
 * Outstanding requests waiting for an answer or a timeout (spec §11.1, `requestcache.py`).
 *
 * A cache entry is identified by `(prefix, number)` (the original's `"<prefix>:<number>"`). Every entry gets a
 * timeout on the injected {@link Clock}; when it fires, the entry's `onTimeout()` runs and the entry is removed if it
 * is still present. Remote peers make us create entries (signature requests, introduction requests they answer),
 * so the number of outstanding entries is BOUNDED: when full, a new entry is refused with
 * {@link RequestCacheError} `REQUEST_CACHE_FULL` and the caller counts a drop.
 *
 * Quirk 19 (§15): on a signature-request timeout the original handed the cache object to the response callback in
 * place of the original message. Here the entry *is* whatever its owner stored (e.g. the message it asked a
 * signature for), and `onTimeout()` runs as a method of that entry, so it has the original message at hand.
 */
import { DispersyError, type Clock, type DispersyErrorOptions, type Random, type Timer } from '@dispersy/interfaces';

/** Default timeout of an entry, in seconds (`NumberCache.timeout_delay`, §11.2). */
export const DEFAULT_CACHE_TIMEOUT = 10;
/** Timeout of the `introduction-request` cache, in seconds (§11.1, §11.2). */
export const INTRODUCTION_REQUEST_TIMEOUT = 10.5;
/** Random numbers are drawn from `0 .. RANDOM_NUMBER_RANGE - 1` (a uint16, as the wire identifiers). */
export const RANDOM_NUMBER_RANGE = 65_536;
/** Attempts to find a free random number before giving up (`RandomNumberCache`). */
export const RANDOM_NUMBER_ATTEMPTS = 1000;
/** Default bound on outstanding entries of one {@link RequestCache}. */
export const DEFAULT_MAX_CACHES = 10_000;

/**
 * Stable codes of {@link RequestCacheError}.
 * - `REQUEST_CACHE_FULL`: the total or per-prefix bound is reached; the new entry is refused (count a drop).
 * - `REQUEST_CACHE_NUMBER_IN_USE`: {@link RequestCache.addNumbered} with a number that is taken (`NumberCache`).
 * - `REQUEST_CACHE_NO_FREE_NUMBER`: {@link RANDOM_NUMBER_ATTEMPTS} random draws all hit numbers in use.
 */
export type RequestCacheErrorCode =
  | 'REQUEST_CACHE_FULL'
  | 'REQUEST_CACHE_NUMBER_IN_USE'
  | 'REQUEST_CACHE_NO_FREE_NUMBER';

/**
 * A request cache refused an entry. Branch on `code`, never on the message.
 *
 * @example
 * ```ts
 * try { cache.addRandom('signature-request', (n) => makeEntry(n)); }
 * catch (err) { if (RequestCacheError.is(err) && err.code === 'REQUEST_CACHE_FULL') stats.drop('cache', err.code); else throw err; }
 * ```
 */
export class RequestCacheError extends DispersyError {
  declare readonly code: RequestCacheErrorCode;
  /** The prefix of the refused entry. */
  readonly prefix: string;

  /**
   * @param code the stable condition code
   * @param prefix the prefix of the refused entry
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: RequestCacheErrorCode, prefix: string, message: string, options?: DispersyErrorOptions) {
    super(code, message, options);
    this.prefix = prefix;
  }

  /**
   * True when `err` is a {@link RequestCacheError}, also one thrown by another installed copy of this package.
   * @param err any value
   * @returns whether `err` is a Dispersy error named `RequestCacheError`
   */
  static override is(err: unknown): err is RequestCacheError {
    return DispersyError.is(err) && err.name === 'RequestCacheError';
  }
}

/**
 * One outstanding request. Implement it with a class or an object literal; extra fields are the owner's state.
 *
 * @example
 * ```ts
 * const entry = { prefix: 'signature-request', number: 7, message, timeout: 5, onTimeout() { reply(this.message, null, true); } };
 * ```
 */
export interface RequestCacheEntry {
  /** Kind of request, e.g. `introduction-request`, `signature-request`. */
  readonly prefix: string;
  /** Identifier within the prefix (a non-negative safe integer). */
  readonly number: number;
  /** Seconds until {@link onTimeout} (≥ 0, finite). @default the cache's `defaultTimeout` (10) */
  readonly timeout?: number;
  /** Called once when no answer popped the entry in time; the entry is removed afterwards if still present. */
  onTimeout(): void;
}

/** Collaborators of a {@link RequestCache}. */
export interface RequestCacheComponents {
  /** Schedules the timeouts. */
  clock: Clock;
  /** Draws random numbers for {@link RequestCache.addRandom}. */
  random: Random;
}

/** Options of a {@link RequestCache}. */
export interface RequestCacheInit {
  /** Bound on outstanding entries over all prefixes. @default 10_000 */
  maxSize?: number;
  /** Bound on outstanding entries of any one prefix. @default `maxSize` */
  maxPerPrefix?: number;
  /** Per-prefix bounds overriding `maxPerPrefix`, e.g. `{ 'signature-request': 100 }`. @default {} */
  prefixLimits?: Readonly<Record<string, number>>;
  /** Timeout of entries that do not set their own, in seconds. @default 10 */
  defaultTimeout?: number;
}

interface Slot {
  readonly entry: RequestCacheEntry;
  timer: Timer | undefined;
}

function assertLimit(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

function assertTimeout(t: number, what: string): void {
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`${what} must be a finite number ≥ 0, got ${t}`);
}

function assertKey(prefix: string, number: number): void {
  if (typeof prefix !== 'string' || prefix.length === 0) throw new TypeError('prefix must be a non-empty string');
  if (!Number.isSafeInteger(number) || number < 0)
    throw new RangeError(`number must be a non-negative safe integer, got ${number}`);
}

/**
 * The bounded request cache of one community (spec §11.1). Type parameter `M` optionally maps each prefix to its
 * entry type, so {@link get} / {@link pop} return the right type without casts.
 *
 * `pop` of an absent entry returns `undefined` (the original raised `KeyError`): answers carrying unknown
 * identifiers come from the network, and the caller just counts `invalidResponseIdentifier`.
 *
 * @example
 * ```ts
 * interface Caches { 'introduction-request': IntroCache; 'signature-request': SignatureCache }
 * const cache = new RequestCache<Caches>({ clock, random });
 * const intro = cache.addRandom('introduction-request', (n) => new IntroCache(n, helper));
 * // ... the response arrives:
 * const found = cache.pop('introduction-request', response.identifier); // IntroCache | undefined
 * ```
 */
export class RequestCache<M extends Record<keyof M, RequestCacheEntry> = Record<string, RequestCacheEntry>> {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #maxSize: number;
  readonly #maxPerPrefix: number;
  readonly #prefixLimits: ReadonlyMap<string, number>;
  readonly #defaultTimeout: number;
  readonly #slots = new Map<string, Map<number, Slot>>();
  #size = 0;

  /**
   * @param components the clock (timeouts) and the random source (numbers)
   * @param init bounds and default timeout
   * @throws RangeError if a bound is not a non-negative integer or the timeout is negative or not finite
   */
  constructor(components: RequestCacheComponents, init: RequestCacheInit = {}) {
    this.#clock = components.clock;
    this.#random = components.random;
    this.#maxSize = init.maxSize ?? DEFAULT_MAX_CACHES;
    this.#maxPerPrefix = init.maxPerPrefix ?? this.#maxSize;
    this.#defaultTimeout = init.defaultTimeout ?? DEFAULT_CACHE_TIMEOUT;
    assertLimit(this.#maxSize, 'maxSize');
    assertLimit(this.#maxPerPrefix, 'maxPerPrefix');
    assertTimeout(this.#defaultTimeout, 'defaultTimeout');
    const limits = new Map<string, number>();
    for (const [prefix, limit] of Object.entries(init.prefixLimits ?? {})) {
      assertLimit(limit, `prefixLimits[${prefix}]`);
      limits.set(prefix, limit);
    }
    this.#prefixLimits = limits;
  }

  /** Number of outstanding entries. */
  get size(): number {
    return this.#size;
  }

  /**
   * Number of outstanding entries of one prefix.
   * @param prefix the prefix
   * @returns the count (0 for an unknown prefix)
   * @example cache.count('signature-request');
   */
  count(prefix: string): number {
    return this.#slots.get(prefix)?.size ?? 0;
  }

  /**
   * Adds an entry and starts its timeout.
   * @param entry the entry; its `prefix` and `number` identify it
   * @returns the entry, or `undefined` if `(prefix, number)` is already in use (nothing changes)
   * @throws RequestCacheError `REQUEST_CACHE_FULL` when a bound is reached
   * @throws TypeError / RangeError for an invalid prefix, number or timeout
   * @example if (cache.add(entry) === undefined) console.log('duplicate');
   */
  add<E extends M[keyof M]>(entry: E): E | undefined {
    assertKey(entry.prefix, entry.number);
    if (entry.timeout !== undefined) assertTimeout(entry.timeout, 'timeout');
    if (this.has(entry.prefix, entry.number)) return undefined;
    this.#assertRoom(entry.prefix);
    this.#insert(entry);
    return entry;
  }

  /**
   * `NumberCache`: adds the entry that `create` builds for a fixed number.
   * @param prefix the prefix
   * @param number the fixed number
   * @param create builds the entry; must return one with this prefix and number
   * @returns the created entry
   * @throws RequestCacheError `REQUEST_CACHE_NUMBER_IN_USE` (checked first) or `REQUEST_CACHE_FULL`
   * @throws TypeError if `create` returns an entry with another prefix or number
   * @example cache.addNumbered('ping', 42, (n) => new PingCache(n, buddy));
   */
  addNumbered<P extends keyof M & string>(prefix: P, number: number, create: (number: number) => M[P]): M[P] {
    assertKey(prefix, number);
    if (this.has(prefix, number)) {
      throw new RequestCacheError('REQUEST_CACHE_NUMBER_IN_USE', prefix, `request cache ${prefix}:${number} is in use`);
    }
    this.#assertRoom(prefix);
    return this.#create(prefix, number, create);
  }

  /**
   * `RandomNumberCache`: draws a free number ({@link randomNumber}) and adds the entry `create` builds for it.
   * @param prefix the prefix
   * @param create builds the entry; must return one with this prefix and number
   * @returns the created entry
   * @throws RequestCacheError `REQUEST_CACHE_FULL` (checked first) or `REQUEST_CACHE_NO_FREE_NUMBER`
   * @throws TypeError if `create` returns an entry with another prefix or number
   * @example const intro = cache.addRandom('introduction-request', (n) => new IntroCache(n, helper));
   */
  addRandom<P extends keyof M & string>(prefix: P, create: (number: number) => M[P]): M[P] {
    assertKey(prefix, 0);
    this.#assertRoom(prefix);
    return this.#create(prefix, this.randomNumber(prefix), create);
  }

  /**
   * Draws `floor(random · 2^16)` until it is not in use under `prefix`, at most {@link RANDOM_NUMBER_ATTEMPTS} times.
   * Does not reserve the number.
   * @param prefix the prefix
   * @returns a number in `0 .. 65535` not in use under `prefix`
   * @throws RequestCacheError `REQUEST_CACHE_NO_FREE_NUMBER` after 1000 draws hit used numbers
   * @example const n = cache.randomNumber('introduction-request');
   */
  randomNumber(prefix: string): number {
    const slots = this.#slots.get(prefix);
    for (let attempt = 0; attempt < RANDOM_NUMBER_ATTEMPTS; attempt++) {
      const number = Math.floor(this.#random.next() * RANDOM_NUMBER_RANGE);
      if (slots === undefined || !slots.has(number)) return number;
    }
    throw new RequestCacheError(
      'REQUEST_CACHE_NO_FREE_NUMBER',
      prefix,
      `no free ${prefix} number after ${RANDOM_NUMBER_ATTEMPTS} attempts`,
    );
  }

  /**
   * Whether `(prefix, number)` is outstanding.
   * @param prefix the prefix
   * @param number the number
   * @returns true when present
   * @example cache.has('introduction-request', id);
   */
  has(prefix: string, number: number): boolean {
    return this.#slots.get(prefix)?.has(number) ?? false;
  }

  /**
   * The entry at `(prefix, number)`, leaving it (and its timeout) in place.
   * @param prefix the prefix
   * @param number the number
   * @returns the entry, or `undefined` if absent
   * @example cache.get('introduction-request', id)?.responseCandidate;
   */
  get<P extends keyof M & string>(prefix: P, number: number): M[P] | undefined {
    return this.#slots.get(prefix)?.get(number)?.entry as M[P] | undefined;
  }

  /**
   * Removes the entry at `(prefix, number)` and cancels its timeout.
   * @param prefix the prefix
   * @param number the number
   * @returns the removed entry, or `undefined` if absent (the original raised; see the class comment)
   * @example const entry = cache.pop('signature-request', id); if (!entry) stats.invalidResponseIdentifier();
   */
  pop<P extends keyof M & string>(prefix: P, number: number): M[P] | undefined {
    const slot = this.#slots.get(prefix)?.get(number);
    if (slot === undefined) return undefined;
    this.#remove(slot);
    return slot.entry as M[P];
  }

  /**
   * Removes every entry and cancels every timeout, without calling `onTimeout` (community unload / `stop()`).
   * The cache stays usable.
   * @example cache.clear(); // clock.pending === 0 afterwards (for this cache's timers)
   */
  clear(): void {
    for (const slots of this.#slots.values()) for (const slot of slots.values()) slot.timer?.cancel();
    this.#slots.clear();
    this.#size = 0;
  }

  #assertRoom(prefix: string): void {
    if (this.#size >= this.#maxSize) {
      throw new RequestCacheError('REQUEST_CACHE_FULL', prefix, `request cache full (${this.#maxSize} entries)`);
    }
    const limit = this.#prefixLimits.get(prefix) ?? this.#maxPerPrefix;
    if (this.count(prefix) >= limit) {
      throw new RequestCacheError('REQUEST_CACHE_FULL', prefix, `request cache full for ${prefix} (${limit} entries)`);
    }
  }

  #create<P extends keyof M & string>(prefix: P, number: number, create: (number: number) => M[P]): M[P] {
    const entry = create(number);
    if (entry.prefix !== prefix || entry.number !== number) {
      throw new TypeError(`create() returned ${entry.prefix}:${entry.number}, expected ${prefix}:${number}`);
    }
    if (entry.timeout !== undefined) assertTimeout(entry.timeout, 'timeout');
    this.#insert(entry);
    return entry;
  }

  #insert(entry: RequestCacheEntry): void {
    let slots = this.#slots.get(entry.prefix);
    if (slots === undefined) {
      slots = new Map();
      this.#slots.set(entry.prefix, slots);
    }
    const slot: Slot = { entry, timer: undefined };
    slots.set(entry.number, slot);
    this.#size++;
    slot.timer = this.#clock.schedule(entry.timeout ?? this.#defaultTimeout, () => this.#expire(slot));
  }

  #expire(slot: Slot): void {
    slot.timer = undefined;
    try {
      slot.entry.onTimeout();
    } finally {
      // Removed only if this very entry is still present: onTimeout may have popped it, or popped and re-added
      // another entry under the same number, which must survive.
      if (this.#slots.get(slot.entry.prefix)?.get(slot.entry.number) === slot) this.#remove(slot);
    }
  }

  #remove(slot: Slot): void {
    slot.timer?.cancel();
    slot.timer = undefined;
    const slots = this.#slots.get(slot.entry.prefix);
    if (slots?.delete(slot.entry.number) === true) {
      this.#size--;
      if (slots.size === 0) this.#slots.delete(slot.entry.prefix);
    }
  }
}
