/**
 * Node and community counters (spec §11.3, adapted): packets and bytes per message name, drops by stage and reason,
 * delay lifecycle, created/processed messages, walker and Bloom-sync events.
 *
 * Differences from the original `statistics.py`, on purpose:
 * - one structured model instead of `drop_packet:<reason>`-style string keys: every family maps to one Prometheus
 *   metric with fixed label names (see {@link Statistics.samples});
 * - label cardinality is BOUNDED: reasons can carry remote-influenced text (a peer chooses what to send us), so each
 *   labelled family keeps at most `maxLabels` distinct values and folds the rest into `other`;
 * - no per-address dictionaries (`walk_failure_dict`, `incoming_intro_dict`): unbounded and debug-only originally.
 */
import {
  CappedCounter,
  DEFAULT_MAX_LABELS,
  OTHER_LABEL,
  sanitizeLabel,
  type LabelledSnapshot,
} from './statistics-labels.ts';

export {
  DEFAULT_MAX_LABELS,
  MAX_LABEL_LENGTH,
  OTHER_LABEL,
  sanitizeLabel,
  type LabelledSnapshot,
} from './statistics-labels.ts';

/** Where in the pipeline something was dropped. Fixed set, so it can be a metric label. */
export const DROP_STAGES = ['batch', 'packet', 'message', 'delay', 'cache', 'send'] as const;
/** `batch`: before decoding (unknown community/conversion); `packet`: decode; `message`: distribution or check
 * callback; `delay`: a delayed item expired or was evicted; `cache`: a request cache was full; `send`: outgoing. */
export type DropStage = (typeof DROP_STAGES)[number];

/** Delay lifecycle events (original `delay_received/send/timeout/success`). */
export const DELAY_EVENTS = ['received', 'send', 'success', 'timeout'] as const;
/** One of {@link DELAY_EVENTS}. */
export type DelayEvent = (typeof DELAY_EVENTS)[number];

/** Walker events (original `walk_attempt/success/failure_count`). */
export const WALK_EVENTS = ['attempt', 'success', 'failure'] as const;
/** One of {@link WALK_EVENTS}. */
export type WalkEvent = (typeof WALK_EVENTS)[number];

/** Bloom-filter sync events of the requester side (original `sync_bloom_new/reuse/send/skip`). */
export const SYNC_BLOOM_EVENTS = ['new', 'reuse', 'send', 'skip'] as const;
/** One of {@link SYNC_BLOOM_EVENTS}. */
export type SyncBloomEvent = (typeof SYNC_BLOOM_EVENTS)[number];

/** Options of {@link Statistics}. */
export interface StatisticsInit {
  /** Every increment is also applied to this (e.g. the node's statistics for a community's). */
  parent?: Statistics;
  /** Distinct label values kept per labelled family; the rest count under `other`. @default 256 */
  maxLabels?: number;
}

/** Plain-JSON view of a {@link Statistics}. */
export interface StatisticsSnapshot {
  packets: { in: LabelledSnapshot; out: LabelledSnapshot };
  bytes: { in: LabelledSnapshot; out: LabelledSnapshot };
  created: LabelledSnapshot;
  processed: LabelledSnapshot;
  drops: { total: number; byStage: Record<DropStage, Record<string, number>> };
  delays: Record<DelayEvent, number>;
  walk: Record<WalkEvent, number>;
  syncBloom: Record<SyncBloomEvent, number>;
  invalidResponseIdentifiers: number;
  candidatesDiscovered: number;
  /** Increments whose label was folded into `other` by the cap (a hint that something floods us). */
  foldedLabels: number;
}

/** One Prometheus-style sample: metric name, labels, value. */
export interface StatisticsSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function fixed<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`);
}

function bump<K extends string>(record: Record<K, number>, key: K, n: number, family: string): void {
  if (!Object.hasOwn(record, key)) throw new TypeError(`unknown ${family} event ${String(key)}`);
  record[key] += n;
}

const SEP = '\u0000';

/**
 * Counters of one node or one community. Give a community's statistics the node's as `parent` and every increment
 * is counted in both, like the original's `CommunityStatistics` / `DispersyStatistics` pair.
 *
 * All methods take an optional `count` (default 1) and throw `RangeError` for a negative or non-integer count, and
 * `TypeError` for an event outside its fixed set; they never throw for label text (it is sanitised and capped).
 *
 * @example
 * ```ts
 * const node = new Statistics();
 * const community = new Statistics({ parent: node });
 * community.packetIn('dispersy-identity', 120);
 * community.drop('packet', 'BAD_SIGNATURE');
 * node.snapshot().drops.byStage.packet; // { BAD_SIGNATURE: 1 }
 * ```
 */
export class Statistics {
  readonly #parent: Statistics | undefined;
  readonly #packetsIn: CappedCounter;
  readonly #packetsOut: CappedCounter;
  readonly #bytesIn: CappedCounter;
  readonly #bytesOut: CappedCounter;
  readonly #created: CappedCounter;
  readonly #processed: CappedCounter;
  readonly #drops: CappedCounter;
  readonly #delays = fixed(DELAY_EVENTS);
  readonly #walk = fixed(WALK_EVENTS);
  readonly #syncBloom = fixed(SYNC_BLOOM_EVENTS);
  #invalidResponseIdentifiers = 0;
  #candidatesDiscovered = 0;
  #folded = 0;

  /**
   * @param init optional parent and label cap
   * @throws RangeError if `maxLabels` is not a non-negative integer
   */
  constructor(init: StatisticsInit = {}) {
    const max = init.maxLabels ?? DEFAULT_MAX_LABELS;
    assertCount(max, 'maxLabels');
    this.#parent = init.parent;
    this.#packetsIn = new CappedCounter(max);
    this.#packetsOut = new CappedCounter(max);
    this.#bytesIn = new CappedCounter(max);
    this.#bytesOut = new CappedCounter(max);
    this.#created = new CappedCounter(max);
    this.#processed = new CappedCounter(max);
    this.#drops = new CappedCounter(max);
  }

  #labelled(counter: CappedCounter, label: string, n: number): void {
    if (counter.add(sanitizeLabel(label), n, OTHER_LABEL)) this.#folded += n;
  }

  /**
   * Counts received packets of one message name (original `total_received`, `endpoint_recv`, `total_down`).
   * @param name meta-message name (or a placeholder such as `unknown` before decoding)
   * @param bytes total size of those packets
   * @param count number of packets @default 1
   * @throws RangeError on a negative or non-integer `bytes`/`count`
   * @example stats.packetIn('dispersy-introduction-request', 160);
   */
  packetIn(name: string, bytes: number, count = 1): void {
    assertCount(bytes, 'bytes');
    assertCount(count, 'count');
    this.#labelled(this.#packetsIn, name, count);
    this.#labelled(this.#bytesIn, name, bytes);
    this.#parent?.packetIn(name, bytes, count);
  }

  /**
   * Counts sent packets of one message name (original `total_send`, `endpoint_send`, `total_up`).
   * @param name meta-message name
   * @param bytes total size of those packets
   * @param count number of packets @default 1
   * @throws RangeError on a negative or non-integer `bytes`/`count`
   * @example stats.packetOut('dispersy-introduction-response', 180);
   */
  packetOut(name: string, bytes: number, count = 1): void {
    assertCount(bytes, 'bytes');
    assertCount(count, 'count');
    this.#labelled(this.#packetsOut, name, count);
    this.#labelled(this.#bytesOut, name, bytes);
    this.#parent?.packetOut(name, bytes, count);
  }

  /**
   * Counts a drop (original `drop_packet:<reason>`, `drop_message:<reason>`, `delay_timeout:...`).
   * @param stage pipeline stage, one of {@link DROP_STAGES}
   * @param reason why (e.g. a `DecodeError` code); sanitised, and folded into `other` past the cap
   * @param count @default 1
   * @throws TypeError for an unknown stage; RangeError for a bad count
   * @example stats.drop('message', 'duplicate');
   */
  drop(stage: DropStage, reason: string, count = 1): void {
    if (!(DROP_STAGES as readonly string[]).includes(stage)) throw new TypeError(`unknown drop stage ${String(stage)}`);
    assertCount(count, 'count');
    if (this.#drops.add(`${stage}${SEP}${sanitizeLabel(reason)}`, count, `${stage}${SEP}${OTHER_LABEL}`))
      this.#folded += count;
    this.#parent?.drop(stage, reason, count);
  }

  /**
   * Counts a delay lifecycle event.
   * @param event one of {@link DELAY_EVENTS}
   * @param count @default 1
   * @throws TypeError for an unknown event; RangeError for a bad count
   * @example stats.delay('received');
   */
  delay(event: DelayEvent, count = 1): void {
    assertCount(count, 'count');
    bump(this.#delays, event, count, 'delay');
    this.#parent?.delay(event, count);
  }

  /**
   * Counts messages created (signed) by this node.
   * @param name meta-message name
   * @param count @default 1
   * @throws RangeError for a bad count
   * @example stats.created('text');
   */
  created(name: string, count = 1): void {
    assertCount(count, 'count');
    this.#labelled(this.#created, name, count);
    this.#parent?.created(name, count);
  }

  /**
   * Counts received messages that passed the whole pipeline (original `success` category).
   * @param name meta-message name
   * @param count @default 1
   * @throws RangeError for a bad count
   * @example stats.processed('dispersy-identity', 3);
   */
  processed(name: string, count = 1): void {
    assertCount(count, 'count');
    this.#labelled(this.#processed, name, count);
    this.#parent?.processed(name, count);
  }

  /**
   * Counts a walker event.
   * @param event one of {@link WALK_EVENTS}
   * @param count @default 1
   * @throws TypeError for an unknown event; RangeError for a bad count
   * @example stats.walk('attempt');
   */
  walk(event: WalkEvent, count = 1): void {
    assertCount(count, 'count');
    bump(this.#walk, event, count, 'walk');
    this.#parent?.walk(event, count);
  }

  /**
   * Counts a Bloom-filter sync event.
   * @param event one of {@link SYNC_BLOOM_EVENTS}
   * @param count @default 1
   * @throws TypeError for an unknown event; RangeError for a bad count
   * @example stats.syncBloom('reuse');
   */
  syncBloom(event: SyncBloomEvent, count = 1): void {
    assertCount(count, 'count');
    bump(this.#syncBloom, event, count, 'sync bloom');
    this.#parent?.syncBloom(event, count);
  }

  /**
   * Counts responses whose identifier matched no request cache (original `invalid_response_identifier_count`).
   * @param count @default 1
   * @throws RangeError for a bad count
   * @example if (cache.pop('introduction-request', id) === undefined) stats.invalidResponseIdentifier();
   */
  invalidResponseIdentifier(count = 1): void {
    assertCount(count, 'count');
    this.#invalidResponseIdentifiers += count;
    this.#parent?.invalidResponseIdentifier(count);
  }

  /**
   * Counts newly discovered candidates (original `total_candidates_discovered`).
   * @param count @default 1
   * @throws RangeError for a bad count
   * @example stats.candidateDiscovered();
   */
  candidateDiscovered(count = 1): void {
    assertCount(count, 'count');
    this.#candidatesDiscovered += count;
    this.#parent?.candidateDiscovered(count);
  }

  /**
   * A plain-JSON copy of every counter (safe to `JSON.stringify`, detached from this object).
   * @returns the snapshot
   * @example JSON.stringify(stats.snapshot());
   */
  snapshot(): StatisticsSnapshot {
    // Built with Object.fromEntries (define, not assign): a reason such as `__proto__` stays a plain own key.
    const perStage = new Map<DropStage, [string, number][]>(DROP_STAGES.map((stage) => [stage, []]));
    for (const [key, value] of this.#drops.entries()) {
      const [stage, reason] = key.split(SEP) as [DropStage, string];
      perStage.get(stage)?.push([reason, value]);
    }
    const byStage = Object.fromEntries(
      [...perStage].map(([stage, pairs]) => [stage, Object.fromEntries(pairs)]),
    ) as Record<DropStage, Record<string, number>>;
    return {
      packets: { in: this.#packetsIn.snapshot(), out: this.#packetsOut.snapshot() },
      bytes: { in: this.#bytesIn.snapshot(), out: this.#bytesOut.snapshot() },
      created: this.#created.snapshot(),
      processed: this.#processed.snapshot(),
      drops: { total: this.#drops.total, byStage },
      delays: { ...this.#delays },
      walk: { ...this.#walk },
      syncBloom: { ...this.#syncBloom },
      invalidResponseIdentifiers: this.#invalidResponseIdentifiers,
      candidatesDiscovered: this.#candidatesDiscovered,
      foldedLabels: this.#folded,
    };
  }

  /**
   * Every counter as a Prometheus-style sample (metric names `dispersy_*_total`, fixed label names), so an exporter
   * only has to format them. Zero-valued fixed-set counters are included; labelled families list seen labels only.
   * @returns the samples
   * @example for (const s of stats.samples()) console.log(s.name, s.labels, s.value);
   */
  samples(): StatisticsSample[] {
    const out: StatisticsSample[] = [];
    const labelled = (
      name: string,
      label: string,
      counter: CappedCounter,
      extra: Record<string, string> = {},
    ): void => {
      for (const [value, n] of counter.entries()) out.push({ name, labels: { ...extra, [label]: value }, value: n });
    };
    labelled('dispersy_packets_total', 'message', this.#packetsIn, { direction: 'in' });
    labelled('dispersy_packets_total', 'message', this.#packetsOut, { direction: 'out' });
    labelled('dispersy_bytes_total', 'message', this.#bytesIn, { direction: 'in' });
    labelled('dispersy_bytes_total', 'message', this.#bytesOut, { direction: 'out' });
    labelled('dispersy_messages_created_total', 'message', this.#created);
    labelled('dispersy_messages_processed_total', 'message', this.#processed);
    for (const [key, n] of this.#drops.entries()) {
      const [stage, reason] = key.split(SEP) as [string, string];
      out.push({ name: 'dispersy_drops_total', labels: { stage, reason }, value: n });
    }
    const fixedFamily = (name: string, record: Record<string, number>): void => {
      for (const [event, n] of Object.entries(record)) out.push({ name, labels: { event }, value: n });
    };
    fixedFamily('dispersy_delays_total', this.#delays);
    fixedFamily('dispersy_walk_total', this.#walk);
    fixedFamily('dispersy_sync_bloom_total', this.#syncBloom);
    out.push({
      name: 'dispersy_invalid_response_identifiers_total',
      labels: {},
      value: this.#invalidResponseIdentifiers,
    });
    out.push({ name: 'dispersy_candidates_discovered_total', labels: {}, value: this.#candidatesDiscovered });
    out.push({ name: 'dispersy_folded_labels_total', labels: {}, value: this.#folded });
    return out;
  }
}
