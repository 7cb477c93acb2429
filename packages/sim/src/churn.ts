/**
 * Churn: nodes alternate between online sessions and offline periods whose lengths are exponential, drawn from the
 * seeded random source (performance-model.md B9: "exponential session times, mean 30 s"; the SAC'14 paper's 1,000-peer
 * emulation withstood a 30 s mean session). Offline means the node's endpoints receive nothing and its sends are
 * dropped; the `onOnline` / `onOffline` callbacks let a harness stop and restart the node's runtime.
 */
import type { Clock, Random, Timer } from '@dispersy/interfaces';

/**
 * Draws an exponentially distributed duration by inversion, `−mean · ln(1 − u)` with u ∈ [0, 1).
 * @param random the source (one number consumed)
 * @param mean the mean, > 0
 * @returns a duration ≥ 0 (finite, as 1 − u > 0)
 * @throws RangeError for a mean ≤ 0 or not finite
 * @example `exponential(createSeededRandom(1), 30)`
 */
export function exponential(random: Random, mean: number): number {
  if (!(mean > 0) || mean === Infinity) throw new RangeError(`mean must be finite and > 0, got ${mean}`);
  return -mean * Math.log(1 - random.next());
}

/** Options of {@link Churn}. */
export interface ChurnOptions<T> {
  /** Mean online session, seconds. */
  readonly meanSession: number;
  /** Mean offline period, seconds. */
  readonly meanOffline: number;
  /**
   * Initial state: every node `online` (its first session starts now), `offline`, or `stationary` — online with
   * probability meanSession / (meanSession + meanOffline), the churn process's long-run share (exponential times are
   * memoryless, so the residual time is drawn the same way). @default 'online'
   */
  readonly initial?: 'online' | 'offline' | 'stationary';
  /** Called after a node comes online (only on a change: not for a node that already was online at the start). */
  readonly onOnline?: (node: T) => void;
  /** Called after a node goes offline (only on a change). */
  readonly onOffline?: (node: T) => void;
}

/** What {@link Churn} needs from the network. */
export interface ChurnComponents<T> {
  /** Schedules the transitions. */
  readonly clock: Clock;
  /** Draws the durations (and the `stationary` initial states). */
  readonly random: Random;
  /** Switches a node's connectivity; returns whether its state changed. */
  readonly setOnline: (node: T, online: boolean) => boolean;
}

/** Observed churn: completed periods only (a period cut off by `stop()` is not counted). */
export interface ChurnStats {
  /** Completed online sessions. */
  readonly sessions: number;
  /** Mean of the completed sessions (NaN if none). */
  readonly meanSession: number;
  /** Completed offline periods. */
  readonly offPeriods: number;
  /** Mean of the completed offline periods (NaN if none). */
  readonly meanOffline: number;
}

/**
 * Drives churn for a set of nodes until {@link Churn.stop} (the network's `churn()` creates it). Its timers keep the
 * event queue busy: run it with `runFor` / `runUntil`, not `deliverAll()`.
 *
 * @example
 * ```ts
 * const churn = network.churn(nodes, { meanSession: 30, meanOffline: 30, onOnline: restart, onOffline: stop });
 * network.runFor(600);
 * churn.stop();
 * ```
 */
export class Churn<T> {
  readonly #components: ChurnComponents<T>;
  readonly #options: ChurnOptions<T>;
  readonly #nodes: readonly T[];
  readonly #online: boolean[];
  readonly #since: number[];
  readonly #timers: (Timer | undefined)[];
  #stopped = false;
  #sessions = 0;
  #sessionTime = 0;
  #offPeriods = 0;
  #offTime = 0;

  /**
   * Starts churning (the initial state is applied immediately, callbacks included).
   * @param components clock, random source, and the network's online switch
   * @param nodes the churned nodes
   * @param options means, initial state, callbacks
   * @throws RangeError for a mean ≤ 0 or an unknown initial state
   */
  constructor(components: ChurnComponents<T>, nodes: readonly T[], options: ChurnOptions<T>) {
    for (const [name, mean] of [['meanSession', options.meanSession], ['meanOffline', options.meanOffline]] as const) {
      if (!(mean > 0) || mean === Infinity) throw new RangeError(`${name} must be finite and > 0, got ${mean}`);
    }
    const initial = options.initial ?? 'online';
    if (!['online', 'offline', 'stationary'].includes(initial)) throw new RangeError(`initial must be online, offline or stationary, got ${String(initial)}`);
    this.#components = components;
    this.#options = options;
    this.#nodes = [...nodes];
    const now = components.clock.now();
    const pOnline = options.meanSession / (options.meanSession + options.meanOffline);
    this.#online = this.#nodes.map(() => (initial === 'stationary' ? components.random.next() < pOnline : initial === 'online'));
    this.#since = this.#nodes.map(() => now);
    this.#timers = this.#nodes.map(() => undefined);
    for (let i = 0; i < this.#nodes.length; i++) this.#apply(i);
  }

  /**
   * Whether the node at an index of the churned list is online.
   * @param index position in the list given to the constructor
   * @returns its state
   */
  isOnline(index: number): boolean {
    return this.#online[index] ?? false;
  }

  /** How many churned nodes are online now. */
  get onlineCount(): number {
    return this.#online.reduce((n, on) => n + (on ? 1 : 0), 0);
  }

  /** Observed session and offline-period statistics. */
  get stats(): ChurnStats {
    return {
      sessions: this.#sessions,
      meanSession: this.#sessions === 0 ? NaN : this.#sessionTime / this.#sessions,
      offPeriods: this.#offPeriods,
      meanOffline: this.#offPeriods === 0 ? NaN : this.#offTime / this.#offPeriods,
    };
  }

  /** Cancels every pending transition; nodes keep their current state. Idempotent. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) timer?.cancel();
    this.#timers.fill(undefined);
  }

  /** Applies node i's current state and schedules its next transition. */
  #apply(i: number): void {
    const node = this.#nodes[i] as T;
    const online = this.#online[i] as boolean;
    const { clock, random, setOnline } = this.#components;
    const changed = setOnline(node, online);
    const duration = exponential(random, online ? this.#options.meanSession : this.#options.meanOffline);
    this.#timers[i] = clock.schedule(duration, () => this.#toggle(i));
    if (!changed) return;
    if (online) this.#options.onOnline?.(node);
    else this.#options.onOffline?.(node);
  }

  #toggle(i: number): void {
    if (this.#stopped) return;
    const now = this.#components.clock.now();
    const elapsed = now - (this.#since[i] as number);
    if (this.#online[i]) {
      this.#sessions++;
      this.#sessionTime += elapsed;
    } else {
      this.#offPeriods++;
      this.#offTime += elapsed;
    }
    this.#since[i] = now;
    this.#online[i] = !this.#online[i];
    this.#apply(i);
  }
}
