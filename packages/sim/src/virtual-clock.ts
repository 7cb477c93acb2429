/**
 * Virtual time: a {@link Clock} whose `schedule()` inserts into the simulator's {@link EventQueue}. Time moves only
 * when a run method pops events, jumping straight to the next event, so hours of protocol time cost only the events
 * in them (performance-model.md §5, "use virtual time for B6–B12"). Every run is bounded: an event cap, a
 * virtual-time cap and a stall guard (too many events at one instant) turn a runaway simulation into a
 * {@link SimError} instead of an endless loop.
 */
import type { Clock, Timer } from '@dispersy/interfaces';
import { SimError } from './errors.ts';
import { EventQueue, type SimEvent } from './event-queue.ts';

/** Caps of one run call; unset fields take the clock's defaults. */
export interface RunLimits {
  /** Most events one call may run. @default the clock's `maxEvents` (50,000,000) */
  readonly maxEvents?: number;
  /** Most virtual seconds one call may advance. @default the clock's `maxSeconds` (86,400) */
  readonly maxSeconds?: number;
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockInit {
  /**
   * The initial virtual time in seconds. Not 0: Dispersy treats timestamps of 0.0 as "never", so a clock starting
   * at 0 would make fresh candidates look just walked. @default 1000
   */
  readonly start?: number;
  /** Default event cap of each run call. @default 50_000_000 */
  readonly maxEvents?: number;
  /** Default virtual-time cap (seconds) of `runUntilIdle`, `runWhile` and `runUntil`. @default 86_400 */
  readonly maxSeconds?: number;
  /** Most consecutive events at one virtual instant before the run is declared stalled. @default 1_000_000 */
  readonly maxEventsPerInstant?: number;
}

/** A timer record: its own queue entry and its own {@link Timer} handle (no extra allocation). */
class TimerEvent implements SimEvent, Timer {
  time = 0;
  seq = 0;
  cancelled = false;
  fired = false;
  readonly #callback: () => void;
  readonly #state: { live: number; cancelledInHeap: number };

  constructor(callback: () => void, state: { live: number; cancelledInHeap: number }) {
    this.#callback = callback;
    this.#state = state;
  }

  fire(): void {
    this.fired = true;
    this.#callback();
  }

  cancel(): void {
    if (this.cancelled || this.fired) return;
    this.cancelled = true;
    this.#state.live--;
    this.#state.cancelledInHeap++;
  }
}

function positiveLimit(value: number, name: string): number {
  if (!(value > 0)) throw new RangeError(`${name} must be > 0, got ${value}`);
  return value;
}

/**
 * The simulator's clock and event loop. One per {@link SimNetwork} (which owns it); usable alone for timer-only
 * tests.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock({ start: 0 });
 * clock.schedule(5, () => console.log('at', clock.now())); // at 5
 * clock.runFor(10);
 * ```
 */
export class VirtualClock implements Clock {
  readonly #queue = new EventQueue();
  readonly #state = { live: 0, cancelledInHeap: 0 };
  readonly #maxEvents: number;
  readonly #maxSeconds: number;
  readonly #maxPerInstant: number;
  #now: number;
  #running = false;
  #eventsRun = 0;

  /**
   * @param init start time and default caps
   * @throws RangeError for a non-finite start or a cap ≤ 0
   */
  constructor(init: VirtualClockInit = {}) {
    const start = init.start ?? 1000;
    if (!Number.isFinite(start)) throw new RangeError(`start must be finite, got ${start}`);
    this.#now = start;
    this.#maxEvents = positiveLimit(init.maxEvents ?? 50_000_000, 'maxEvents');
    this.#maxSeconds = positiveLimit(init.maxSeconds ?? 86_400, 'maxSeconds');
    this.#maxPerInstant = positiveLimit(init.maxEventsPerInstant ?? 1_000_000, 'maxEventsPerInstant');
  }

  /**
   * @returns the current virtual time in seconds
   */
  now(): number {
    return this.#now;
  }

  /**
   * Runs `callback` once, `delaySeconds` from now (ties fire in scheduling order).
   * @param delaySeconds ≥ 0
   * @param callback the work
   * @returns a handle whose idempotent `cancel()` removes it
   * @throws RangeError for a negative, NaN or infinite delay
   * @example `const t = clock.schedule(5, step); t.cancel();`
   */
  schedule(delaySeconds: number, callback: () => void): Timer {
    if (!(delaySeconds >= 0) || delaySeconds === Infinity) throw new RangeError(`delaySeconds must be finite and ≥ 0, got ${delaySeconds}`);
    const event = new TimerEvent(callback, this.#state);
    this.#queue.push(event, this.#now + delaySeconds);
    this.#state.live++;
    return event;
  }

  /**
   * Inserts a custom event record at an absolute time (the network's datagrams use this; no closure is created).
   * @param event the record; its `time` and `seq` are overwritten and `cancelled` must be false
   * @param time when it fires, ≥ now
   * @throws RangeError when `time` is in the past or not finite
   * @example `clock.enqueue(datagram, clock.now() + 0.02)`
   */
  enqueue(event: SimEvent, time: number): void {
    if (!(time >= this.#now) || time === Infinity) throw new RangeError(`time must be finite and ≥ now (${this.#now}), got ${time}`);
    this.#queue.push(event, time);
    this.#state.live++;
  }

  /** Events waiting to fire (cancelled timers excluded). */
  get pending(): number {
    return this.#state.live;
  }

  /** Events run since the clock was created. */
  get eventsRun(): number {
    return this.#eventsRun;
  }

  /**
   * @returns the time of the next live event, or undefined when none is waiting
   */
  nextEventTime(): number | undefined {
    return this.#peekLive()?.time;
  }

  /**
   * Runs the next live event, if any.
   * @returns false when nothing was waiting
   * @throws SimError REENTRANT from inside an event; whatever the event throws
   * @example `while (clock.step()) {}`
   */
  step(): boolean {
    this.#enter();
    try {
      const event = this.#peekLive();
      if (event === undefined) return false;
      this.#runTop(event);
      return true;
    } finally {
      this.#running = false;
    }
  }

  /**
   * Runs every event due within the next `seconds`, then sets the time to exactly `now + seconds`.
   * @param seconds ≥ 0
   * @param limits `maxEvents` only (the time bound is `seconds`)
   * @returns how many events ran
   * @throws RangeError for a negative duration; SimError EVENT_LIMIT / STALLED / REENTRANT
   * @example `clock.runFor(60)`
   */
  runFor(seconds: number, limits: Pick<RunLimits, 'maxEvents'> = {}): number {
    if (!(seconds >= 0) || seconds === Infinity) throw new RangeError(`seconds must be finite and ≥ 0, got ${seconds}`);
    const end = this.#now + seconds;
    const n = this.#loop(() => true, end, limits.maxEvents ?? this.#maxEvents, 'runFor', false);
    this.#now = end;
    return n;
  }

  /**
   * Runs events while `busy()` is true (checked before each event) and an event is waiting.
   * @param busy the condition, e.g. "datagrams are in flight"
   * @param limits event and virtual-time caps
   * @returns how many events ran
   * @throws SimError EVENT_LIMIT / TIME_LIMIT / STALLED / REENTRANT
   * @example `clock.runWhile(() => inFlight > 0)`
   */
  runWhile(busy: () => boolean, limits: RunLimits = {}): number {
    const deadline = this.#now + (limits.maxSeconds ?? this.#maxSeconds);
    return this.#loop(busy, deadline, limits.maxEvents ?? this.#maxEvents, 'runWhile', true);
  }

  /**
   * Runs until no event is waiting ("until quiet"). A periodic timer never lets the queue go quiet: the caps turn
   * that into a {@link SimError} instead of an endless loop.
   * @param limits event and virtual-time caps
   * @returns how many events ran
   * @throws SimError EVENT_LIMIT / TIME_LIMIT / STALLED / REENTRANT
   * @example `clock.runUntilIdle({ maxSeconds: 600 })`
   */
  runUntilIdle(limits: RunLimits = {}): number {
    return this.runWhile(() => true, limits);
  }

  /**
   * Runs events until `predicate()` holds (checked before the first event and after each one).
   * @param predicate the goal
   * @param options `maxSeconds` of virtual time (default 3,600), `maxEvents`, and `throwOnTimeout` (default true)
   * @returns true when the predicate held; false on timeout or an empty queue if `throwOnTimeout` is false
   * @throws SimError UNTIL_TIMEOUT (time is then at the deadline) / UNTIL_IDLE / EVENT_LIMIT / STALLED / REENTRANT
   * @example `clock.runUntil(() => received === 10, { maxSeconds: 60 })`
   */
  runUntil(predicate: () => boolean, options: RunLimits & { readonly throwOnTimeout?: boolean } = {}): boolean {
    const maxSeconds = options.maxSeconds ?? 3600;
    const deadline = this.#now + maxSeconds;
    const throwOnTimeout = options.throwOnTimeout ?? true;
    let met = predicate();
    if (!met) {
      this.#loop(() => !(met = predicate()), deadline, options.maxEvents ?? this.#maxEvents, 'runUntil', false);
      met ||= predicate();
    }
    if (met) return true;
    const idle = this.#peekLive() === undefined;
    if (!idle) this.#now = Math.max(this.#now, deadline);
    if (!throwOnTimeout) return false;
    throw idle
      ? new SimError('UNTIL_IDLE', `runUntil: the predicate is false and no event is left that could change it (t=${this.#now})`)
      : new SimError('UNTIL_TIMEOUT', `runUntil: the predicate stayed false for ${maxSeconds} virtual seconds (t=${this.#now})`);
  }

  /**
   * The run loop. `strictDeadline`: passing the deadline is an error (TIME_LIMIT) rather than the normal end.
   */
  #loop(busy: () => boolean, deadline: number, maxEvents: number, what: string, strictDeadline: boolean): number {
    this.#enter();
    let n = 0;
    let instant = NaN;
    let atInstant = 0;
    try {
      while (busy()) {
        const event = this.#peekLive();
        if (event === undefined) break;
        if (event.time > deadline) {
          if (!strictDeadline) break;
          throw new SimError(
            'TIME_LIMIT',
            `${what}: the next event is at t=${event.time}, past the virtual-time cap t=${deadline} (${this.pending} events pending). ` +
              'A periodic timer (a walker step, churn) keeps the queue busy: use runFor(seconds) or runUntil(predicate), or raise maxSeconds.',
          );
        }
        if (++n > maxEvents) {
          throw new SimError(
            'EVENT_LIMIT',
            `${what}: ran ${maxEvents} events and the queue is still busy (${this.pending} pending, next at t=${event.time}). ` +
              'Use runFor(seconds) or runUntil(predicate) for periodic work, or raise maxEvents.',
          );
        }
        if (event.time === instant) {
          if (++atInstant > this.#maxPerInstant) {
            throw new SimError('STALLED', `${what}: more than ${this.#maxPerInstant} events at t=${instant}: a zero-delay loop keeps time from advancing`);
          }
        } else {
          instant = event.time;
          atInstant = 1;
        }
        this.#runTop(event);
      }
      return n;
    } finally {
      this.#running = false;
    }
  }

  #enter(): void {
    if (this.#running) throw new SimError('REENTRANT', 'a run method of the virtual clock was called from inside an event');
    this.#running = true;
  }

  /** The live top of the heap, discarding cancelled records (and compacting when they pile up). */
  #peekLive(): SimEvent | undefined {
    const queue = this.#queue;
    const state = this.#state;
    if (state.cancelledInHeap > 1024 && state.cancelledInHeap > queue.size >> 1) {
      queue.compact();
      state.cancelledInHeap = 0;
    }
    for (let top = queue.peek(); top !== undefined; top = queue.peek()) {
      if (!top.cancelled) return top;
      queue.pop();
      state.cancelledInHeap--;
    }
    return undefined;
  }

  /** Pops `event` (the live top) and runs it. */
  #runTop(event: SimEvent): void {
    this.#queue.pop();
    this.#state.live--;
    this.#eventsRun++;
    if (event.time > this.#now) this.#now = event.time;
    event.fire();
  }
}
