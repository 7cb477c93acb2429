/**
 * The Bloom-filter sync queries (spec §8.3, §8.4): what a requester puts in its filter, and what a responder
 * streams back through the requester's filter.
 *
 * Syncable rows are those of metas with priority > 32 that are not undone (`undone = 0`).
 * @module
 */
import { type Random, systemRandom } from '@dispersy/interfaces';
import type { Connection } from './internal/connection.ts';
import { toTimedPacket } from './internal/rows.ts';
import {
  assertArray,
  assertByteBudget,
  assertGlobalTime,
  assertId,
  assertInteger,
  assertLimit,
  bytesOf,
} from './internal/validate.ts';
import { DEFAULT_CHUNK_SIZE } from './sync-rows.ts';
import type { SyncDirection, TimedPacket } from './types.ts';

/** Metas with a priority above this take part in Bloom-filter sync (spec §4.4). */
export const SYNC_PRIORITY_THRESHOLD = 32;

/** The largest modulo the wire can carry (uint16). */
export const MAX_MODULO = 0xffff;

/** How {@link SyncSelection.requesterModulo} finds the rows (see there). */
export type ModuloStrategy = 'auto' | 'enumerate' | 'scan';

/** Arguments of {@link SyncSelection.requesterRange}. */
export interface RequesterRangeQuery {
  /** Community id. */
  readonly community: number;
  /** `'ASC'`: rows with `global_time ≥ from`, lowest first; `'DESC'`: `global_time ≤ from`, highest first. */
  readonly order: 'ASC' | 'DESC';
  /** The pivot global time. */
  readonly from: number;
  /** At most this many rows: the filter capacity + 1, so the caller can tell whether the range was cut. */
  readonly limit: number;
}

/** Arguments of {@link SyncSelection.requesterModulo}. */
export interface RequesterModuloQuery {
  /** Community id. */
  readonly community: number;
  /** Lowest global time (default 1). */
  readonly low?: number;
  /** Highest global time (the acceptable global time). */
  readonly high: number;
  /** Keep rows with `(global_time + offset) % modulo = 0`; 1 to 65 535. */
  readonly modulo: number;
  /** 0 ≤ offset < modulo. */
  readonly offset: number;
  /** At most this many rows, lowest global time first. */
  readonly limit: number;
  /** Default `'auto'`. */
  readonly strategy?: ModuloStrategy;
}

/** One meta of a responder query. A `MetaMessageRecord` from `store.metas` fits as is. */
export interface ResponderMeta {
  /** Meta-message id. */
  readonly id: number;
  /** Its sync priority: higher priorities are answered first; ≤ 32 is never synced and skipped. */
  readonly priority: number;
  /** Row order within the meta. */
  readonly direction: SyncDirection;
  /** Pruning floor: `global time − inactive + 1` for GlobalTimePruning metas, so only active rows are sent. */
  readonly minGlobalTime?: number;
}

/** Arguments of {@link SyncSelection.responderRows}: the sync part of an introduction-request plus the metas. */
export interface ResponderQuery {
  /** The community's sync metas, in any order (sorted here by priority, descending, stably). */
  readonly metas: readonly ResponderMeta[];
  /** The request's time_low. */
  readonly timeLow: number;
  /** The request's time_high, or the responder's global time when the request said 0. */
  readonly timeHigh: number;
  /** Default 1. */
  readonly modulo?: number;
  /** Default 0. */
  readonly offset?: number;
  /** At most this many rows in total (default 10 000); the caller's byte budget normally stops it much earlier. */
  readonly limit?: number;
  /** Rows fetched per query (default 256). */
  readonly chunkSize?: number;
  /** Randomness for RANDOM metas (default `systemRandom`); inject a seeded one in simulations. */
  readonly random?: Random;
  /** A RANDOM meta answers with a uniform random sample of at most this many rows (default 10 000). */
  readonly maxRandomRows?: number;
}

/** One row streamed to a requester. */
export interface ResponderRow extends TimedPacket {
  /** Meta-message id. */
  readonly meta: number;
}

const SYNCABLE = `s.community = @community AND s.undone = 0 AND m.priority > ${SYNC_PRIORITY_THRESHOLD}`;
const FROM = 'FROM sync AS s CROSS JOIN meta_message AS m ON m.id = s.meta_message';
const RANGE_ASC = `SELECT s.id, s.global_time, s.packet ${FROM}
  WHERE ${SYNCABLE} AND s.global_time >= @from ORDER BY s.global_time LIMIT @limit`;
const RANGE_DESC = `SELECT s.id, s.global_time, s.packet ${FROM}
  WHERE ${SYNCABLE} AND s.global_time <= @from ORDER BY s.global_time DESC LIMIT @limit`;
const MODULO_SCAN = `SELECT s.id, s.global_time, s.packet ${FROM}
  WHERE ${SYNCABLE} AND s.global_time BETWEEN @first AND @high AND (s.global_time + @offset) % @modulo = 0
  ORDER BY s.global_time LIMIT @limit`;
// Visit only the global times that pass the modulo, one index lookup each.
const MODULO_ENUMERATE = `WITH RECURSIVE t(gt) AS (
    SELECT @first UNION ALL SELECT gt + @modulo FROM t WHERE gt + @modulo <= @high)
  SELECT s.id, s.global_time, s.packet FROM t CROSS JOIN sync AS s ON s.community = @community
    AND s.global_time = t.gt AND s.undone = 0 CROSS JOIN meta_message AS m ON m.id = s.meta_message
  WHERE m.priority > ${SYNC_PRIORITY_THRESHOLD} ORDER BY s.global_time LIMIT @limit`;
const COUNT_SYNCABLE = `SELECT count(*) FROM meta_message AS m CROSS JOIN sync AS s
  ON s.meta_message = m.id AND s.undone = 0 WHERE m.community = ? AND m.priority > ${SYNC_PRIORITY_THRESHOLD}`;
const PAGE_FILTER = 'meta_message = @meta AND undone = 0 AND (global_time + @offset) % @modulo = 0';
const RESPOND_ASC = `SELECT id, global_time, packet FROM sync WHERE ${PAGE_FILTER}
  AND global_time <= @high AND (global_time, id) > (@gt, @id) ORDER BY global_time, id LIMIT @limit`;
const RESPOND_DESC = `SELECT id, global_time, packet FROM sync WHERE ${PAGE_FILTER}
  AND global_time >= @low AND (global_time, id) < (@gt, @id) ORDER BY global_time DESC, id DESC LIMIT @limit`;
const RESPOND_RANDOM_IDS = `SELECT id FROM sync WHERE ${PAGE_FILTER} AND global_time BETWEEN @low AND @high`;
const LIVE_BY_ID = 'SELECT id, global_time, packet FROM sync WHERE id = ? AND undone = 0';

function checkModulo(modulo: unknown, offset: unknown): void {
  assertInteger(modulo, 'modulo', 1, MAX_MODULO);
  assertInteger(offset, 'offset', 0, modulo - 1);
}

/**
 * The first global time ≥ `low` with `(t + offset) % modulo = 0`, without overflowing 2^53.
 * @param low lower bound
 * @param modulo modulo
 * @param offset offset
 * @returns that global time (may exceed the caller's upper bound)
 * @example
 * ```ts
 * firstModuloTime(1, 10, 3); // 7, since (7 + 3) % 10 = 0
 * ```
 */
export function firstModuloTime(low: number, modulo: number, offset: number): number {
  return low + ((modulo - (((low % modulo) + offset) % modulo)) % modulo);
}

/**
 * Yields rows until their packets add up to at least `maxBytes` (the row that crosses the budget is included, as
 * in the original's 5 KiB sync response and 10 KiB missing-sequence answers), then stops the source iterator.
 * @param rows any rows with packets, e.g. the responder rows after the requester's Bloom filter
 * @param maxBytes the byte budget (> 0)
 * @returns a lazy iterator
 * @throws RangeError when `maxBytes` is not positive (at the call)
 * @example
 * ```ts
 * const rows = store.selection.responderRows(query);
 * const missing = filter.notFilter(rows, (row) => row.packet);
 * for (const row of withinByteBudget(missing, 5120)) send(row.packet);
 * ```
 */
export function withinByteBudget<T extends { readonly packet: Uint8Array }>(
  rows: Iterable<T>,
  maxBytes: number,
): Generator<T, void, undefined> {
  assertByteBudget(maxBytes);
  return takeBytes(rows, maxBytes);
}

function* takeBytes<T extends { readonly packet: Uint8Array }>(
  rows: Iterable<T>,
  maxBytes: number,
): Generator<T, void, undefined> {
  let used = 0;
  for (const row of rows) {
    yield row;
    used += row.packet.length;
    if (used >= maxBytes) return;
  }
}

/** The validated responder query the generators work from. */
interface ResponderPlan {
  readonly metas: readonly ResponderMeta[];
  readonly timeLow: number;
  readonly timeHigh: number;
  readonly modulo: number;
  readonly offset: number;
  readonly limit: number;
  readonly chunkSize: number;
  readonly maxRandomRows: number;
  readonly random: Random;
}

function planResponder(query: ResponderQuery): ResponderPlan {
  assertArray(query.metas, 'metas', 1024);
  query.metas.forEach((meta, i) => {
    assertId(meta.id, `metas[${i}].id`);
    assertInteger(meta.priority, `metas[${i}].priority`, 0, 255);
    if (meta.direction !== 'ASC' && meta.direction !== 'DESC' && meta.direction !== 'RANDOM') {
      throw new RangeError(`metas[${i}].direction must be ASC, DESC or RANDOM, got ${String(meta.direction)}`);
    }
    if (meta.minGlobalTime !== undefined) assertGlobalTime(meta.minGlobalTime, `metas[${i}].minGlobalTime`);
  });
  assertGlobalTime(query.timeLow, 'timeLow');
  assertGlobalTime(query.timeHigh, 'timeHigh');
  const modulo = query.modulo ?? 1;
  const offset = query.offset ?? 0;
  checkModulo(modulo, offset);
  const limit = query.limit ?? 10_000;
  assertLimit(limit);
  const chunkSize = query.chunkSize ?? DEFAULT_CHUNK_SIZE;
  assertLimit(chunkSize, 'chunkSize');
  const maxRandomRows = query.maxRandomRows ?? 10_000;
  assertLimit(maxRandomRows, 'maxRandomRows');
  const random = query.random ?? systemRandom;
  if (typeof random?.next !== 'function') throw new TypeError('random must have a next() method');
  // Syncable metas only, each once, by priority descending; Array.prototype.sort is stable, so ties keep the
  // caller's order.
  const ids = new Set<number>();
  const metas: ResponderMeta[] = [];
  for (const meta of query.metas) {
    if (meta.priority <= SYNC_PRIORITY_THRESHOLD || ids.has(meta.id)) continue;
    ids.add(meta.id);
    metas.push(meta);
  }
  metas.sort((a, b) => b.priority - a.priority);
  const { timeLow, timeHigh } = query;
  return { metas, timeLow, timeHigh, modulo, offset, limit, chunkSize, maxRandomRows, random };
}

function toResponderRow(row: readonly unknown[], meta: number): ResponderRow {
  return { id: row[0] as number, globalTime: row[1] as number, packet: bytesOf(row[2] as Uint8Array), meta };
}

/**
 * Bloom-filter sync queries. Reached as `store.selection`.
 *
 * @example
 * ```ts
 * // requester ("largest" strategy): up to capacity + 1 rows from the pivot upwards
 * const rows = store.selection.requesterRange({ community: c.id, order: 'ASC', from: pivot, limit: capacity + 1 });
 * // responder: stream through the requester's filter within 5 KiB
 * const answer = store.selection.responderRows({ metas: [...metas.values()], timeLow, timeHigh, modulo, offset });
 * ```
 */
export class SyncSelection {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * Requester, "largest" strategy (spec §8.3): the community's syncable rows from a pivot, in global-time order.
   * Rows sharing one global time come out together but in no particular order among themselves.
   * @param query community, direction, pivot and limit
   * @returns up to `limit` rows (id, global time, packet)
   */
  requesterRange(query: RequesterRangeQuery): TimedPacket[] {
    const { community, order, from, limit } = query;
    assertId(community, 'community');
    if (order !== 'ASC' && order !== 'DESC') throw new RangeError(`order must be ASC or DESC, got ${String(order)}`);
    assertGlobalTime(from, 'from');
    assertLimit(limit);
    const statement = order === 'ASC' ? RANGE_ASC : RANGE_DESC;
    return this.#c.run('selection.requesterRange', () =>
      (this.#c.statement(statement, 'raw').all({ community, from, limit }) as unknown[][]).map(toTimedPacket),
    );
  }

  /**
   * Requester, "modulo" strategy (spec §8.3): syncable rows with `(global_time + offset) % modulo = 0` in
   * [low, high], lowest first.
   *
   * Two plans give the same rows. `'scan'` walks every syncable row in the range (about 0.1 µs each: 100 ms at
   * 10^6 rows). `'enumerate'` looks up each global time that passes the modulo (a few µs each), which wins when
   * global times are dense — the usual case, as the Lamport clock advances with every message. `'auto'` enumerates
   * when at most `max(4 · limit, 4096)` global times qualify, so its cost stays bounded either way.
   * @param query community, range, modulo, offset, limit and strategy
   * @returns up to `limit` rows (id, global time, packet)
   */
  requesterModulo(query: RequesterModuloQuery): TimedPacket[] {
    const { community, high, modulo, offset, limit } = query;
    const low = query.low ?? 1;
    const strategy = query.strategy ?? 'auto';
    assertId(community, 'community');
    assertGlobalTime(low, 'low');
    assertGlobalTime(high, 'high');
    checkModulo(modulo, offset);
    assertLimit(limit);
    if (strategy !== 'auto' && strategy !== 'enumerate' && strategy !== 'scan') {
      throw new RangeError(`strategy must be auto, enumerate or scan, got ${String(strategy)}`);
    }
    const first = firstModuloTime(low, modulo, offset);
    const candidates = first > high ? 0 : Math.floor((high - first) / modulo) + 1;
    const enumerate = strategy === 'enumerate' || (strategy === 'auto' && candidates <= Math.max(4 * limit, 4096));
    return this.#c.run('selection.requesterModulo', () => {
      if (candidates === 0) return [];
      const rows = enumerate
        ? this.#c.statement(MODULO_ENUMERATE, 'raw').all({ community, first, high, modulo, limit })
        : this.#c.statement(MODULO_SCAN, 'raw').all({ community, first, high, modulo, offset, limit });
      return (rows as unknown[][]).map(toTimedPacket);
    });
  }

  /**
   * The number of syncable rows of a community: the modulo strategy's `n` (spec §8.3). Linear in the row count
   * (about 25 ms at 10^6 rows), so the runtime should cache it.
   * @param community community id
   * @returns the count
   */
  countSyncable(community: number): number {
    assertId(community, 'community');
    return this.#c.run(
      'selection.countSyncable',
      () => this.#c.statement(COUNT_SYNCABLE, 'pluck').get(community) as number,
    );
  }

  /**
   * Responder (spec §8.4): for each meta with priority > 32, by priority descending, its live rows with
   * `global_time` in [max(timeLow, minGlobalTime), timeHigh] and `(global_time + offset) % modulo = 0`, ordered by
   * the meta's direction (ASC, DESC, or a uniform random order drawn from `random`).
   *
   * Lazy and chunked: each step fetches at most `chunkSize` rows (keyset pagination on (global_time, id)) and no
   * statement stays open between steps, so the caller may stop at any time (its 5 KiB budget, see
   * {@link withinByteBudget}) and may use the store while iterating; rows stored meanwhile may or may not appear.
   * A RANDOM meta first samples up to `maxRandomRows` matching row ids (reading ids only), then fetches the packets
   * in that random order.
   * @param query the request's range, modulo and offset, and the metas
   * @returns a lazy iterator of rows
   * @throws RangeError / TypeError on a bad modulo, offset, bound or option (at the call, not at the first step);
   *   StoreError `CLOSED` at the call or at a later step once the store is closed
   */
  responderRows(query: ResponderQuery): Generator<ResponderRow, void, undefined> {
    const plan = planResponder(query);
    this.#c.assertOpen('selection.responderRows');
    return this.#respond(plan);
  }

  *#respond(plan: ResponderPlan): Generator<ResponderRow, void, undefined> {
    let remaining = plan.limit;
    for (const meta of plan.metas) {
      const low = Math.max(plan.timeLow, meta.minGlobalTime ?? 0);
      if (low > plan.timeHigh) continue;
      const rows =
        meta.direction === 'RANDOM'
          ? this.#random(meta.id, low, plan)
          : this.#ordered(meta.id, meta.direction === 'ASC', low, plan);
      for (const row of rows) {
        yield row;
        if (--remaining === 0) return;
      }
    }
  }

  *#ordered(
    meta: number,
    ascending: boolean,
    low: number,
    plan: ResponderPlan,
  ): Generator<ResponderRow, void, undefined> {
    const { timeHigh: high, modulo, offset, chunkSize: limit } = plan;
    // The cursor starts just outside the range: (low − 1, max id) ascending, (high + 1, 0) descending.
    let gt = ascending ? low - 1 : high + 1;
    let id = ascending ? Number.MAX_SAFE_INTEGER : 0;
    const statement = ascending ? RESPOND_ASC : RESPOND_DESC;
    for (;;) {
      const page = this.#c.run(
        'selection.responderRows',
        () =>
          this.#c.statement(statement, 'raw').all({ meta, low, high, gt, id, modulo, offset, limit }) as unknown[][],
      );
      for (const row of page) yield toResponderRow(row, meta);
      const last = page.at(-1);
      if (last === undefined || page.length < limit) return;
      gt = last[1] as number;
      id = last[0] as number;
    }
  }

  *#random(meta: number, low: number, plan: ResponderPlan): Generator<ResponderRow, void, undefined> {
    const { timeHigh: high, modulo, offset, maxRandomRows, random, chunkSize } = plan;
    const ids = this.#c.run('selection.responderRows', () => {
      // Reservoir sampling (algorithm R) over the matching ids, then a Fisher–Yates shuffle: the first
      // maxRandomRows of a uniformly random permutation, like ORDER BY RANDOM() LIMIT n, but seedable.
      const sample: number[] = [];
      let seen = 0;
      const matching = this.#c.statement(RESPOND_RANDOM_IDS, 'pluck').iterate({ meta, low, high, modulo, offset });
      for (const id of matching as IterableIterator<number>) {
        if (sample.length < maxRandomRows) sample.push(id);
        else {
          const j = Math.floor(random.next() * (seen + 1));
          if (j < maxRandomRows) sample[j] = id;
        }
        seen += 1;
      }
      for (let i = sample.length - 1; i > 0; i--) {
        const j = Math.floor(random.next() * (i + 1));
        [sample[i], sample[j]] = [sample[j] as number, sample[i] as number];
      }
      return sample;
    });
    for (let start = 0; start < ids.length; start += chunkSize) {
      const page = this.#c.run('selection.responderRows', () => {
        const statement = this.#c.statement(LIVE_BY_ID, 'raw');
        const rows: unknown[][] = [];
        for (const id of ids.slice(start, start + chunkSize)) {
          const row = statement.get(id) as unknown[] | undefined;
          if (row !== undefined) rows.push(row); // undone or deleted since the sample: skipped
        }
        return rows;
      });
      for (const row of page) yield toResponderRow(row, meta);
    }
  }
}
