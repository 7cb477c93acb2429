/**
 * A community's Lamport clock and the acceptable global-time window (spec §5).
 *
 * - `value` is `max(1, t)` where `t` starts at the highest stored global time (0 for an empty community).
 * - `claim()` advances by one and returns the new value (every new sync message, identity included).
 * - `update(t)` is the Lamport max, called with the highest global time of every stored batch; listeners run
 *   when it increases (the community deletes pruned rows then, spec §4.4).
 * - `acceptable()` bounds incoming sync messages: with Bloom sync off, everything (capped at
 *   `Number.MAX_SAFE_INTEGER`, the largest global time the codec decodes); else the upper median of the
 *   verified candidates' reported global times when there are MORE than 5 of them (else 0), maxed with our own
 *   time, plus the range (10,000 by default). Cached for 5 seconds, as the original.
 */
import type { Clock } from '@dispersy/interfaces';

/** Seconds the acceptable global time is cached. */
export const ACCEPTABLE_GLOBAL_TIME_CACHE = 5;
/** Default `dispersy_acceptable_global_time_range`. */
export const DEFAULT_ACCEPTABLE_GLOBAL_TIME_RANGE = 10_000;
/** Opinions (verified candidates' global times) needed before the median counts: strictly more than this. */
export const MEDIAN_OPINIONS_NEEDED = 5;
/**
 * The highest global time this runtime handles: the original clamps at 2^63 − 1 (SQLite's signed 64-bit); the codec
 * decodes global times as JS numbers and rejects anything above 2^53 − 1 (`UNSAFE_INTEGER`), so this is the cap.
 */
export const MAX_GLOBAL_TIME = Number.MAX_SAFE_INTEGER;

/** Collaborators and settings of a {@link GlobalTime}. */
export interface GlobalTimeInit {
  /** Reads `now` for the 5-second cache. */
  readonly clock: Clock;
  /** The global times reported by the verified candidates (only values > 0 count). */
  readonly opinions: () => Iterable<number>;
  /** `dispersy_enable_bloom_filter_sync`: when false everything is acceptable. @default true */
  readonly bloomSync?: boolean;
  /** `dispersy_acceptable_global_time_range`. @default 10000 */
  readonly range?: number;
  /** The stored starting point (highest stored global time). @default 0 */
  readonly initial?: number;
}

/**
 * Upper median of the opinions, as the original: more than {@link MEDIAN_OPINIONS_NEEDED} values → the element at
 * index `floor(n / 2)` of the sorted list; otherwise 0.
 * @param opinions reported global times (values ≤ 0 are ignored)
 * @returns the median, or 0
 * @example `upperMedian([1, 2, 3, 4, 5, 6]) // 4`
 */
export function upperMedian(opinions: Iterable<number>): number {
  const values = [...opinions].filter((v) => v > 0).sort((a, b) => a - b);
  if (values.length <= MEDIAN_OPINIONS_NEEDED) return 0;
  return values[Math.floor(values.length / 2)] as number;
}

/**
 * The Lamport clock of one community. See the module comment.
 *
 * @example
 * ```ts
 * const gt = new GlobalTime({ clock, opinions: () => candidates.verifiedCandidates(clock.now()).map((c) => c.globalTime) });
 * gt.claim(); // 1
 * gt.update(40); // true: pruning runs
 * gt.acceptable(); // 10040
 * ```
 */
export class GlobalTime {
  readonly #clock: Clock;
  readonly #opinions: () => Iterable<number>;
  readonly #bloomSync: boolean;
  readonly #range: number;
  readonly #listeners = new Set<(value: number, previous: number) => void>();
  #time: number;
  #cache: { value: number; until: number } | undefined;

  /**
   * @param init clock, opinions, knobs and starting value
   * @throws RangeError for a negative or unsafe initial value or range
   */
  constructor(init: GlobalTimeInit) {
    const initial = init.initial ?? 0;
    const range = init.range ?? DEFAULT_ACCEPTABLE_GLOBAL_TIME_RANGE;
    if (!Number.isSafeInteger(initial) || initial < 0) throw new RangeError(`initial must be a safe integer ≥ 0, got ${initial}`);
    if (!Number.isSafeInteger(range) || range < 0) throw new RangeError(`range must be a safe integer ≥ 0, got ${range}`);
    this.#clock = init.clock;
    this.#opinions = init.opinions;
    this.#bloomSync = init.bloomSync ?? true;
    this.#range = range;
    this.#time = initial;
  }

  /** The current global time, at least 1 (spec §5 `global_time`). */
  get value(): number {
    return Math.max(1, this.#time);
  }

  /** The raw value (0 for a fresh community). */
  get raw(): number {
    return this.#time;
  }

  /**
   * Claims the next global time for a new sync message (spec §5 `claim_global_time`).
   * @returns the claimed value
   * @throws RangeError when the clock would pass {@link MAX_GLOBAL_TIME}
   */
  claim(): number {
    if (this.#time >= MAX_GLOBAL_TIME) throw new RangeError('global time exhausted');
    this.update(this.#time + 1);
    return this.#time;
  }

  /**
   * Lamport max (spec §5 `update_global_time`): raises the clock to `globalTime` if higher, then notifies the
   * listeners (pruning).
   * @param globalTime a stored message's global time
   * @returns whether the clock increased
   */
  update(globalTime: number): boolean {
    if (!(globalTime > this.#time)) return false;
    const previous = this.#time;
    this.#time = Math.min(globalTime, MAX_GLOBAL_TIME);
    for (const listener of this.#listeners) listener(this.#time, previous);
    return true;
  }

  /**
   * Registers a listener called with (new value, previous value) whenever the clock increases.
   * @param listener the callback
   * @returns a function that removes it
   */
  onIncrease(listener: (value: number, previous: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The highest global time an incoming sync message may carry (spec §5), cached for 5 seconds.
   * @returns the bound
   */
  acceptable(): number {
    if (!this.#bloomSync) return MAX_GLOBAL_TIME;
    const now = this.#clock.now();
    if (this.#cache !== undefined && now < this.#cache.until) return this.#cache.value;
    const median = upperMedian(this.#opinions());
    const value = Math.min(Math.max(this.#time, median) + this.#range, MAX_GLOBAL_TIME);
    this.#cache = { value, until: now + ACCEPTABLE_GLOBAL_TIME_CACHE };
    return value;
  }

  /** Drops the cached acceptable global time (next call recomputes). */
  invalidate(): void {
    this.#cache = undefined;
  }
}
