/**
 * Delayed packets and messages waiting for a missing identity, proof, sequence range or message (spec §6.3,
 * `Community._delay`, `_resume_delayed`, `_periodically_clean_delayed`). Pure bookkeeping: the runtime sends the
 * requests and re-runs what this registry hands back.
 *
 * - `delay()` registers an item and says whether to send the cause's request: only when one of its match keys is
 *   new (no other waiting item has it) AND the item is not already waiting, so the same missing identity delayed
 *   twice yields ONE request (test_outgoing_missing_identity_twice). The original effectively tested only the
 *   first unwrapped key; here any new key (e.g. an uncovered part of a sequence range) triggers the request.
 * - `processed()` takes what the pipeline just processed and returns the items to resume, removing them.
 * - `sweep()` drops items that waited {@link DELAY_EXPIRY} s or more; `start(clock)` runs it every
 *   {@link DELAY_SWEEP_INTERVAL} s (original: strictly more than 10 s, checked every 5 s).
 * - BOUNDED: at most `maxPerSource` items per source address and `maxTotal` in all. When a bound is hit the OLDEST
 *   item (of that source, resp. of all) is evicted and counted as a `delay` drop (`evicted_source` /
 *   `evicted_total`): evicting keeps fresh work flowing, and per source it only costs the flooding peer itself.
 *
 * Keep one registry per community (the original keys carry the cid). Match keys: see delays-keys.ts.
 */
import { formatAddress, type Address, type Clock, type PacketSource, type Timer } from '@dispersy/interfaces';
import {
  assertCause,
  AUTHORIZE_META,
  DYNAMIC_SETTINGS_META,
  IDENTITY_META,
  midKey,
  rangesCover,
  type DelayCause,
  type DelayEntry,
  type DelayItem,
  type DelayedMessage,
  type DelayedPacket,
  type ProcessedRecord,
} from './delays-keys.ts';
import type { Statistics } from './statistics.ts';

export {
  assertCause,
  AUTHORIZE_META,
  DYNAMIC_SETTINGS_META,
  IDENTITY_META,
  midKey,
  rangesCover,
  type DelayCause,
  type DelayEntry,
  type DelayEntryBase,
  type DelayItem,
  type DelayStage,
  type DelayedMessage,
  type DelayedPacket,
  type IdentityCause,
  type MessageCause,
  type ProcessedRecord,
  type ProofCause,
  type SequenceCause,
} from './delays-keys.ts';

/** Seconds after which a delayed item is dropped (§6.3, §11.2). */
export const DELAY_EXPIRY = 10;
/** Seconds between sweeps started by {@link DelayRegistry.start} (`PERIODIC_CLEANUP_INTERVAL`). */
export const DELAY_SWEEP_INTERVAL = 5;
/** Default bound of delayed items per source address. */
export const DEFAULT_MAX_DELAYED_PER_SOURCE = 64;
/** Default bound of delayed items in one registry. */
export const DEFAULT_MAX_DELAYED = 1024;

/** The `delay`-stage drop reasons this registry counts. */
export type DelayDropReason = 'timeout' | 'evicted_source' | 'evicted_total';

/** Collaborators of a {@link DelayRegistry}: where to count (a {@link Statistics} fits). */
export interface DelayRegistryComponents {
  /** Receives `delay(received|send|success|timeout)` and `drop('delay', reason)`. @default none */
  statistics?: Pick<Statistics, 'delay' | 'drop'>;
}

/** Options of a {@link DelayRegistry}. */
export interface DelayRegistryInit {
  /** Bound per source address (host:port). @default 64 */
  maxPerSource?: number;
  /** Bound over all sources. @default 1024 */
  maxTotal?: number;
}

/** Result of {@link DelayRegistry.delay}. */
export interface DelayOutcome<P, M> {
  /** Send the cause's request to the item's source now. */
  readonly request: boolean;
  /** False when the item was already waiting (then nothing changed). */
  readonly registered: boolean;
  /** Items evicted by the bounds to make room (already counted). */
  readonly evicted: readonly DelayEntry<P, M>[];
}

/** Items to resume, in registration order. */
export interface Resumed<P, M> {
  /** Re-enter decoding (source "resumed"). */
  readonly packets: readonly DelayedPacket<P>[];
  /** Re-run distribution and check callbacks. */
  readonly messages: readonly DelayedMessage<M>[];
}

interface Slot<P, M> {
  readonly id: number;
  readonly entry: DelayEntry<P, M>;
  readonly sourceKey: string;
  /** The cause's index key (identity / message / sequence); '' for proof. */
  readonly indexKey: string;
  /** Sequence numbers of the range already processed (sequence causes only). */
  readonly seen: Set<number> | undefined;
}

function assertBound(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
}

function assertNow(now: number): void {
  if (!Number.isFinite(now)) throw new RangeError(`now must be a finite number, got ${now}`);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set !== undefined && set.delete(value) && set.size === 0) map.delete(key);
}

/**
 * The delayed packets and messages of one community.
 *
 * @example
 * ```ts
 * const delays = new DelayRegistry<Uint8Array, Message>({ statistics });
 * delays.start(clock);
 * const { request } = delays.delay({ stage: 'packet', value: packet }, { kind: 'identity', mid }, source, clock.now());
 * if (request) sendMissingIdentity(source, mid);
 * // after a batch was processed:
 * const { packets, messages } = delays.processed([{ name: 'dispersy-identity', mid, globalTime: 3, sequence: null }]);
 * ```
 */
export class DelayRegistry<P = Uint8Array, M = unknown> {
  readonly #stats: Pick<Statistics, 'delay' | 'drop'> | undefined;
  readonly #maxPerSource: number;
  readonly #maxTotal: number;
  readonly #all = new Map<number, Slot<P, M>>();
  readonly #bySource = new Map<string, Set<Slot<P, M>>>();
  readonly #packets = new Map<P, Slot<P, M>>();
  readonly #messages = new Map<M, Slot<P, M>>();
  readonly #identity = new Map<string, Set<Slot<P, M>>>();
  readonly #message = new Map<string, Set<Slot<P, M>>>();
  readonly #sequence = new Map<string, Set<Slot<P, M>>>();
  readonly #proof = new Set<Slot<P, M>>();
  #nextId = 0;
  #timer: Timer | undefined;

  /**
   * @param components optional statistics sink
   * @param init bounds
   * @throws RangeError if a bound is not a positive integer
   */
  constructor(components: DelayRegistryComponents = {}, init: DelayRegistryInit = {}) {
    this.#stats = components.statistics;
    this.#maxPerSource = init.maxPerSource ?? DEFAULT_MAX_DELAYED_PER_SOURCE;
    this.#maxTotal = init.maxTotal ?? DEFAULT_MAX_DELAYED;
    assertBound(this.#maxPerSource, 'maxPerSource');
    assertBound(this.#maxTotal, 'maxTotal');
  }

  /** Number of waiting items. */
  get size(): number {
    return this.#all.size;
  }

  /**
   * Registers a delayed item, evicting the oldest ones if a bound is reached.
   * @param item the packet or message, identified by its `value`
   * @param cause what it waits for
   * @param source who sent it (request target, per-source bound)
   * @param now current time in seconds
   * @returns whether to send the request, whether it was registered, and what was evicted
   * @throws TypeError / RangeError for a malformed cause or a non-finite `now`
   * @example const { request } = delays.delay({ stage: 'message', value: msg }, { kind: 'proof', mid, globalTime: 9 }, src, now);
   */
  delay(item: DelayItem<P, M>, cause: DelayCause, source: PacketSource, now: number): DelayOutcome<P, M> {
    assertCause(cause);
    assertNow(now);
    const waiting = item.stage === 'packet' ? this.#packets.has(item.value) : this.#messages.has(item.value);
    if (waiting) return { request: false, registered: false, evicted: [] };

    const mid = midKey(cause.mid);
    const indexKey = this.#indexKey(cause, mid);
    const request = this.#isNew(cause, indexKey);
    const entry = { ...item, cause, source, since: now } as DelayEntry<P, M>;
    const slot: Slot<P, M> = {
      id: this.#nextId++,
      entry,
      sourceKey: formatAddress(source.address),
      indexKey,
      seen: cause.kind === 'sequence' ? new Set() : undefined,
    };
    this.#insert(slot);
    this.#stats?.delay('received');
    if (request) this.#stats?.delay('send');

    const evicted: DelayEntry<P, M>[] = [];
    const own = this.#bySource.get(slot.sourceKey);
    while (own !== undefined && own.size > this.#maxPerSource)
      evicted.push(this.#evict(own.values().next().value as Slot<P, M>, 'evicted_source'));
    while (this.#all.size > this.#maxTotal)
      evicted.push(this.#evict(this.#all.values().next().value as Slot<P, M>, 'evicted_total'));
    return { request, registered: true, evicted };
  }

  /**
   * Matches what the pipeline just processed against the waiting items and removes the satisfied ones: identity
   * delays on an identity by that mid, proof delays on any authorize / dynamic-settings, message delays on a
   * message of that mid at that global time, sequence delays once every number of their range was seen.
   * @param records the successfully processed messages of one batch (or several)
   * @returns the items to resume, in registration order (counted as `delay('success')`)
   * @example const { packets, messages } = delays.processed(batch.map(toRecord));
   */
  processed(records: Iterable<ProcessedRecord>): Resumed<P, M> {
    const done = new Set<Slot<P, M>>();
    const addAll = (set: Set<Slot<P, M>> | undefined): void => {
      if (set !== undefined) for (const slot of set) done.add(slot);
    };
    for (const record of records) {
      if (record.name === AUTHORIZE_META || record.name === DYNAMIC_SETTINGS_META) addAll(this.#proof);
      if (record.mid === null) continue;
      const mid = midKey(record.mid);
      if (record.name === IDENTITY_META) addAll(this.#identity.get(mid));
      addAll(this.#message.get(`${mid}:${record.globalTime}`));
      if (record.sequence === null) continue;
      const waiting = this.#sequence.get(`${record.name}\u0000${mid}`);
      if (waiting === undefined) continue;
      for (const slot of waiting) {
        const cause = slot.entry.cause as { low: number; high: number };
        if (record.sequence < cause.low || record.sequence > cause.high || slot.seen === undefined) continue;
        slot.seen.add(record.sequence);
        if (slot.seen.size === cause.high - cause.low + 1) done.add(slot);
      }
    }
    const packets: DelayedPacket<P>[] = [];
    const messages: DelayedMessage<M>[] = [];
    for (const slot of [...done].sort((a, b) => a.id - b.id)) {
      this.#remove(slot);
      if (slot.entry.stage === 'packet') packets.push(slot.entry);
      else messages.push(slot.entry);
    }
    if (done.size > 0) this.#stats?.delay('success', done.size);
    return { packets, messages };
  }

  /**
   * Drops every item that has waited {@link DELAY_EXPIRY} seconds or more (`now - since >= 10`), counting
   * `delay('timeout')` and `drop('delay', 'timeout')` for each.
   * @param now current time in seconds
   * @returns the expired items, in registration order
   * @throws RangeError for a non-finite `now`
   * @example delays.sweep(clock.now());
   */
  sweep(now: number): DelayEntry<P, M>[] {
    assertNow(now);
    const expired: DelayEntry<P, M>[] = [];
    for (const slot of this.#all.values()) {
      if (now - slot.entry.since >= DELAY_EXPIRY) {
        this.#remove(slot);
        expired.push(slot.entry);
      }
    }
    if (expired.length > 0) {
      this.#stats?.delay('timeout', expired.length);
      this.#stats?.drop('delay', 'timeout', expired.length);
    }
    return expired;
  }

  /**
   * Sweeps every {@link DELAY_SWEEP_INTERVAL} seconds on `clock` until {@link stop}. Idempotent while running.
   * @param clock the clock to schedule on and read `now` from
   * @example delays.start(clock); // ... delays.stop();
   */
  start(clock: Clock): void {
    if (this.#timer !== undefined) return;
    const tick = (): void => {
      this.#timer = clock.schedule(DELAY_SWEEP_INTERVAL, tick);
      this.sweep(clock.now());
    };
    this.#timer = clock.schedule(DELAY_SWEEP_INTERVAL, tick);
  }

  /**
   * Cancels the periodic sweep (waiting items stay; {@link clear} drops them). Idempotent.
   * @example delays.stop(); delays.clear();
   */
  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /**
   * Drops every waiting item without counting (community unload).
   * @example delays.clear();
   */
  clear(): void {
    for (const map of [
      this.#all,
      this.#bySource,
      this.#packets,
      this.#messages,
      this.#identity,
      this.#message,
      this.#sequence,
    ])
      map.clear();
    this.#proof.clear();
  }

  /**
   * The waiting items, oldest first; only those from `address` when given.
   * @param address a source address to filter on
   * @returns a fresh array of entries
   * @example delays.itemsFor({ host: '10.0.0.2', port: 6421 }).length;
   */
  itemsFor(address?: Address): DelayEntry<P, M>[] {
    const slots =
      address === undefined ? this.#all.values() : this.#bySource.get(formatAddress(address))?.values() ?? [];
    return [...slots].map((slot) => slot.entry);
  }

  #indexKey(cause: DelayCause, mid: string): string {
    switch (cause.kind) {
      case 'identity':
        return mid;
      case 'message':
        return `${mid}:${cause.globalTime}`;
      case 'sequence':
        return `${cause.meta}\u0000${mid}`;
      case 'proof':
        return '';
    }
  }

  #index(cause: DelayCause): Map<string, Set<Slot<P, M>>> | undefined {
    return cause.kind === 'identity'
      ? this.#identity
      : cause.kind === 'message'
      ? this.#message
      : cause.kind === 'sequence'
      ? this.#sequence
      : undefined;
  }

  /** Whether a delay with this cause has a match key that no waiting item has yet. */
  #isNew(cause: DelayCause, indexKey: string): boolean {
    if (cause.kind === 'proof') return this.#proof.size === 0;
    const waiting = this.#index(cause)?.get(indexKey);
    if (waiting === undefined) return true;
    if (cause.kind !== 'sequence') return false;
    const ranges = [...waiting].map((s) => {
      const c = s.entry.cause as { low: number; high: number };
      return [c.low, c.high] as const;
    });
    return !rangesCover(ranges, cause.low, cause.high);
  }

  #insert(slot: Slot<P, M>): void {
    this.#all.set(slot.id, slot);
    addTo(this.#bySource, slot.sourceKey, slot);
    if (slot.entry.stage === 'packet') this.#packets.set(slot.entry.value, slot);
    else this.#messages.set(slot.entry.value, slot);
    const index = this.#index(slot.entry.cause);
    if (index === undefined) this.#proof.add(slot);
    else addTo(index, slot.indexKey, slot);
  }

  #remove(slot: Slot<P, M>): void {
    this.#all.delete(slot.id);
    removeFrom(this.#bySource, slot.sourceKey, slot);
    if (slot.entry.stage === 'packet') this.#packets.delete(slot.entry.value);
    else this.#messages.delete(slot.entry.value);
    const index = this.#index(slot.entry.cause);
    if (index === undefined) this.#proof.delete(slot);
    else removeFrom(index, slot.indexKey, slot);
  }

  #evict(slot: Slot<P, M>, reason: Exclude<DelayDropReason, 'timeout'>): DelayEntry<P, M> {
    this.#remove(slot);
    this.#stats?.drop('delay', reason);
    return slot.entry;
  }
}
