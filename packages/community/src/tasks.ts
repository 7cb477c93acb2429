/**
 * Named timers of a component (spec §11.5, the original's TaskManager), on the injected {@link Clock}: one-shot
 * and repeating tasks that `cancelAll()` stops at unload, so nothing is left behind (a test checks
 * `clock.pending === 0` after `stop()`).
 */
import type { Clock, Timer } from '@dispersy/interfaces';

/**
 * A registry of named timers.
 *
 * @example
 * ```ts
 * const tasks = new Tasks(clock);
 * tasks.repeat('walker', 5, () => takeStep(), { delay: 0 });
 * tasks.cancelAll();
 * ```
 */
export class Tasks {
  readonly #clock: Clock;
  readonly #timers = new Map<string, Timer>();

  /** @param clock schedules the timers */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Runs `fn` once after `delay` seconds, replacing a pending task of the same name.
   * @param name the task name
   * @param delay seconds (≥ 0)
   * @param fn the work
   * @example `tasks.once('flush', 5, flush)`
   */
  once(name: string, delay: number, fn: () => void): void {
    this.cancel(name);
    const timer = this.#clock.schedule(delay, () => {
      if (this.#timers.get(name) === timer) this.#timers.delete(name);
      fn();
    });
    this.#timers.set(name, timer);
  }

  /**
   * Runs `fn` every `interval` seconds (first after `options.delay`, default `interval`), replacing a pending task
   * of the same name. The next run is scheduled before `fn` runs, so a throwing `fn` does not stop it.
   * @param name the task name
   * @param interval seconds (> 0)
   * @param fn the work
   * @param options the first delay
   * @throws RangeError for a non-positive interval
   * @example `tasks.repeat('download-master', 15, ask, { delay: 0 })`
   */
  repeat(name: string, interval: number, fn: () => void, options: { readonly delay?: number } = {}): void {
    if (!(interval > 0)) throw new RangeError(`interval must be > 0, got ${interval}`);
    this.cancel(name);
    const run = (): void => {
      this.#timers.set(name, this.#clock.schedule(interval, run));
      fn();
    };
    this.#timers.set(name, this.#clock.schedule(options.delay ?? interval, run));
  }

  /**
   * @param name a task name
   * @returns whether it is pending
   */
  has(name: string): boolean {
    return this.#timers.has(name);
  }

  /**
   * Cancels one task (idempotent).
   * @param name the task name
   */
  cancel(name: string): void {
    this.#timers.get(name)?.cancel();
    this.#timers.delete(name);
  }

  /** Cancels every task. */
  cancelAll(): void {
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
  }

  /** Number of pending tasks. */
  get size(): number {
    return this.#timers.size;
  }
}
