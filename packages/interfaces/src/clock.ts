/**
 * Time, injected: every component that waits or timestamps takes a {@link Clock}, so the same code runs on real
 * timers and in the simulator's virtual time. Times are seconds (floating point), as in the protocol's constants.
 */

/** A scheduled callback; `cancel()` is idempotent. */
export interface Timer {
  /** Cancels the callback if it has not run yet. */
  cancel(): void;
}

/** A source of time and timers. */
export interface Clock {
  /** The current time in seconds. Monotonic for a given clock. */
  now(): number;
  /**
   * Runs `callback` once after `delaySeconds` (≥ 0).
   * @returns a handle that cancels it
   */
  schedule(delaySeconds: number, callback: () => void): Timer;
}

/**
 * The real clock: `performance.timeOrigin`-based seconds and Node timers that do not keep the process alive
 * (a component's `stop()` cancels its own timers; nothing is left behind).
 */
export const systemClock: Clock = {
  now: () => (performance.timeOrigin + performance.now()) / 1000,
  schedule(delaySeconds, callback) {
    if (!(delaySeconds >= 0)) throw new RangeError(`delaySeconds must be ≥ 0, got ${delaySeconds}`);
    const handle = setTimeout(callback, delaySeconds * 1000);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * A manually advanced clock for tests: time moves only when `advance()` is called, and due timers run in order.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * clock.schedule(5, () => console.log('five seconds later'));
 * clock.advance(5); // prints
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; seq: number; callback: () => void }>();

  /** @param start the initial time in seconds @default 1000 */
  constructor(start = 1000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(delaySeconds: number, callback: () => void): Timer {
    if (!(delaySeconds >= 0)) throw new RangeError(`delaySeconds must be ≥ 0, got ${delaySeconds}`);
    const seq = ++this.#seq;
    this.#timers.set(seq, { at: this.#now + delaySeconds, seq, callback });
    return { cancel: () => void this.#timers.delete(seq) };
  }

  /** Number of timers not yet run or cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward, running every timer that falls due, in time order (ties in scheduling order); timers
   * scheduled by those callbacks run too if they fall within the window.
   * @param seconds how far to move (≥ 0)
   */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`seconds must be ≥ 0, got ${seconds}`);
    const end = this.#now + seconds;
    for (;;) {
      let next: { at: number; seq: number; callback: () => void } | undefined;
      for (const t of this.#timers.values()) {
        if (t.at <= end && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (next === undefined) break;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = end;
  }
}
