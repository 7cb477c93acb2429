/**
 * LastSync windows (spec §4.4, §4.6): the newest `history_size` messages per member, or per unordered member pair
 * for double-signed metas; the stored global times the check needs, and the trim after storing.
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { SYNC_COLUMNS, type SyncRowSql, syncColumnsOf, toSyncRow } from './internal/rows.ts';
import { assertId, assertInteger, assertLimit } from './internal/validate.ts';
import type { SyncRow } from './types.ts';

const GLOBAL_TIMES = 'SELECT global_time FROM sync WHERE meta_message = ? AND member = ? ORDER BY global_time LIMIT ?';
const NEWEST = `SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message = ? AND member = ? ORDER BY global_time DESC LIMIT 1`;
const TRIM = `DELETE FROM sync WHERE id IN (
  SELECT id FROM sync WHERE meta_message = ? AND member = ? ORDER BY global_time DESC LIMIT -1 OFFSET ?)`;
const PAIR_ROWS = `SELECT ${syncColumnsOf('s')}
  FROM double_signed_sync AS d CROSS JOIN sync AS s ON s.id = d.sync
  WHERE d.member1 = ? AND d.member2 = ? AND s.meta_message = ? ORDER BY s.global_time, s.packet LIMIT ?`;
const TRIM_PAIR = `DELETE FROM sync WHERE id IN (
  SELECT s.id FROM double_signed_sync AS d CROSS JOIN sync AS s ON s.id = d.sync
  WHERE d.member1 = ? AND d.member2 = ? AND s.meta_message = ?
  ORDER BY s.global_time DESC, s.packet DESC LIMIT -1 OFFSET ?)`;

/** The largest LastSync window the store works with in one call. */
export const MAX_HISTORY_SIZE = 100_000;

function pair(a: number, b: number): [number, number] {
  assertId(a, 'memberA');
  assertId(b, 'memberB');
  return a <= b ? [a, b] : [b, a];
}

/**
 * LastSync history queries. Reached as `store.history`.
 *
 * @example
 * ```ts
 * const stored = store.history.globalTimes(meta.id, member.id);   // e.g. [12, 17, 30]
 * if (stored.length >= historySize && incoming.globalTime < stored[0]) drop();
 * // … after storing the batch:
 * store.history.trim(meta.id, member.id, historySize);            // deletes the oldest beyond the window
 * ```
 */
export class LastSyncHistory {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * The stored global times of a member for a meta, ascending.
   * @param meta meta-message id
   * @param member member id
   * @param limit at most this many (default 1000; the window size is enough)
   * @returns global times, oldest first
   */
  globalTimes(meta: number, member: number, limit = 1000): number[] {
    assertId(meta, 'meta');
    assertId(member, 'member');
    assertLimit(limit);
    return this.#c.run(
      'history.globalTimes',
      () => this.#c.statement(GLOBAL_TIMES, 'pluck').all(meta, member, limit) as number[],
    );
  }

  /**
   * The newest stored message of a member for a meta: what a history-size-1 LastSync sends back to a sender of an
   * older one (spec §4.6).
   * @param meta meta-message id
   * @param member member id
   * @returns the row, or `undefined`
   */
  newest(meta: number, member: number): SyncRow | undefined {
    assertId(meta, 'meta');
    assertId(member, 'member');
    return this.#c.run('history.newest', () => {
      const row = this.#c.statement(NEWEST).get(meta, member) as SyncRowSql | undefined;
      return row === undefined ? undefined : toSyncRow(row);
    });
  }

  /**
   * Deletes a member's oldest messages of a meta beyond the newest `historySize` (by global time).
   * @param meta meta-message id
   * @param member member id
   * @param historySize how many to keep (≥ 1)
   * @returns the number of rows deleted
   */
  trim(meta: number, member: number, historySize: number): number {
    assertId(meta, 'meta');
    assertId(member, 'member');
    assertInteger(historySize, 'historySize', 1, MAX_HISTORY_SIZE);
    return this.#c.transaction('history.trim', () => this.#c.statement(TRIM).run(meta, member, historySize).changes);
  }

  /**
   * The stored double-signed messages of an unordered member pair for a meta, ordered by (global time, packet)
   * ascending.
   * @param meta meta-message id
   * @param memberA one member id
   * @param memberB the other (order does not matter)
   * @param limit at most this many (default 1000)
   * @returns the rows, oldest first
   */
  pairRows(meta: number, memberA: number, memberB: number, limit = 1000): SyncRow[] {
    assertId(meta, 'meta');
    const [member1, member2] = pair(memberA, memberB);
    assertLimit(limit);
    return this.#c.run('history.pairRows', () =>
      (this.#c.statement(PAIR_ROWS).all(member1, member2, meta, limit) as SyncRowSql[]).map(toSyncRow),
    );
  }

  /**
   * Deletes a member pair's oldest double-signed messages of a meta beyond the newest `historySize`, ordered by
   * (global time, packet).
   * @param meta meta-message id
   * @param memberA one member id
   * @param memberB the other (order does not matter)
   * @param historySize how many to keep (≥ 1)
   * @returns the number of rows deleted
   */
  trimPair(meta: number, memberA: number, memberB: number, historySize: number): number {
    assertId(meta, 'meta');
    const [member1, member2] = pair(memberA, memberB);
    assertInteger(historySize, 'historySize', 1, MAX_HISTORY_SIZE);
    return this.#c.transaction(
      'history.trimPair',
      () => this.#c.statement(TRIM_PAIR).run(member1, member2, meta, historySize).changes,
    );
  }
}
