/**
 * Sequence-number queries of FullSync metas with `enable_sequence_number` (spec §4.4, §4.6, §8.5): the chain head
 * per (member, meta), the stored row at a chain position, the "replace" path's suffix delete, and the rows a
 * `dispersy-missing-sequence` asks for, within a byte budget.
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { SYNC_COLUMNS, type SyncRowSql, toSyncRow } from './internal/rows.ts';
import {
  MAX_LIST_LIMIT,
  assertArray,
  assertByteBudget,
  assertGlobalTime,
  assertId,
  assertInteger,
  assertLimit,
} from './internal/validate.ts';
import type { SyncRow } from './types.ts';

/** The newest link of a member's chain for one meta; zeros when the member has no rows. */
export interface SequenceHead {
  /** `MAX(global_time)` of the member's rows of the meta. */
  readonly globalTime: number;
  /** `MAX(sequence)` of the member's rows of the meta. */
  readonly sequence: number;
}

/** Bounds of {@link Sequences.range}. */
export interface SequenceRangeOptions {
  /** At most this many rows (default 1000). */
  readonly limit?: number;
  /**
   * Stop once the packets returned add up to at least this many bytes; the packet that crosses the budget is
   * included, as in the original (10 240 bytes per candidate for missing-sequence). Default: no byte budget.
   */
  readonly maxBytes?: number;
}

const MAX_SEQUENCE = `SELECT coalesce(max(sequence), 0) FROM sync
  WHERE meta_message = ? AND member = ? AND sequence IS NOT NULL`;
const HEAD = `SELECT
  (SELECT coalesce(max(global_time), 0) FROM sync WHERE meta_message = @meta AND member = @member) AS global_time,
  (SELECT coalesce(max(sequence), 0) FROM sync WHERE meta_message = @meta AND member = @member AND sequence IS NOT NULL)
    AS sequence`;
const COUNT = 'SELECT count(*) FROM sync WHERE meta_message = ? AND member = ?';
// (global_time, packet) order as in the original; global times are unique per (community, member) and a meta
// belongs to one community, so ordering by global_time alone is the same order and walks the index.
const AT_POSITION = `SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message = ? AND member = ? ORDER BY global_time LIMIT 1 OFFSET ?`;
const DELETE_FROM = 'DELETE FROM sync WHERE meta_message = ? AND member = ? AND global_time >= ?';
const RANGE = `SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message = ? AND member = ? AND sequence BETWEEN ? AND ? ORDER BY sequence LIMIT ?`;

const MAX_SEQUENCE_NUMBER = 0xffff_ffff;

/**
 * Sequence-number queries. Reached as `store.sequences`.
 *
 * @example
 * ```ts
 * const head = store.sequences.head(meta.id, member.id);       // { globalTime, sequence }
 * if (incoming.sequence <= head.sequence) {
 *   const stored = store.sequences.rowAt(meta.id, member.id, incoming.sequence); // spec §4.6 step 2
 * }
 * const rows = store.sequences.range(meta.id, member.id, 3, 10, { maxBytes: 10_240 });
 * ```
 */
export class Sequences {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * The highest stored sequence number of a member for a meta, 0 when none: where `claim_sequence_number()` starts
   * at load (spec §4.4).
   * @param meta meta-message id
   * @param member member id
   * @returns the highest sequence number
   */
  maxSequence(meta: number, member: number): number {
    assertId(meta, 'meta');
    assertId(member, 'member');
    return this.#c.run(
      'sequences.maxSequence',
      () => this.#c.statement(MAX_SEQUENCE, 'pluck').get(meta, member) as number,
    );
  }

  /**
   * `(MAX(global_time), MAX(sequence))` of a member for a meta: the `(last_gt, last_seq)` of the FullSync sequence
   * check (spec §4.6).
   * @param meta meta-message id
   * @param member member id
   * @returns the head; zeros when the member has no rows of this meta
   */
  head(meta: number, member: number): SequenceHead {
    assertId(meta, 'meta');
    assertId(member, 'member');
    return this.#c.run('sequences.head', () => {
      const row = this.#c.statement(HEAD).get({ meta, member }) as { global_time: number; sequence: number };
      return { globalTime: row.global_time, sequence: row.sequence };
    });
  }

  /**
   * {@link Sequences.head} for every member of an incoming batch at once.
   * @param meta meta-message id
   * @param members member ids (at most 100 000; duplicates answered once)
   * @returns the head of each member
   */
  heads(meta: number, members: readonly number[]): Map<number, SequenceHead> {
    assertId(meta, 'meta');
    assertArray(members, 'members', MAX_LIST_LIMIT);
    members.forEach((member, i) => assertId(member, `members[${i}]`));
    return this.#c.run('sequences.heads', () => {
      const out = new Map<number, SequenceHead>();
      for (const member of members) {
        if (out.has(member)) continue;
        const row = this.#c.statement(HEAD).get({ meta, member }) as { global_time: number; sequence: number };
        out.set(member, { globalTime: row.global_time, sequence: row.sequence });
      }
      return out;
    });
  }

  /**
   * How many messages of a meta a member has stored; the master signs with `count + 1` as its sequence number
   * (spec §4.6, create phase).
   * @param meta meta-message id
   * @param member member id
   * @returns the row count
   */
  count(meta: number, member: number): number {
    assertId(meta, 'meta');
    assertId(member, 'member');
    return this.#c.run('sequences.count', () => this.#c.statement(COUNT, 'pluck').get(meta, member) as number);
  }

  /**
   * The stored row at chain position `position` (1-based) of a member for a meta: the member's rows ordered by
   * (global time, packet), offset `position − 1` (spec §4.6 step 2).
   * @param meta meta-message id
   * @param member member id
   * @param position 1 for the first stored row
   * @returns the row, or `undefined` when fewer rows are stored
   */
  rowAt(meta: number, member: number, position: number): SyncRow | undefined {
    assertId(meta, 'meta');
    assertId(member, 'member');
    assertInteger(position, 'position', 1, Number.MAX_SAFE_INTEGER);
    return this.#c.run('sequences.rowAt', () => {
      const row = this.#c.statement(AT_POSITION).get(meta, member, position - 1) as SyncRowSql | undefined;
      return row === undefined ? undefined : toSyncRow(row);
    });
  }

  /**
   * Deletes a member's rows of a meta with `global_time ≥ fromGlobalTime`: the FullSync "replace" path, which drops
   * the conflicting row and every later one (spec §4.6 step 2; no undo callbacks, quirk 18).
   * @param meta meta-message id
   * @param member member id
   * @param fromGlobalTime the conflicting row's global time
   * @returns the number of rows deleted
   */
  deleteFrom(meta: number, member: number, fromGlobalTime: number): number {
    assertId(meta, 'meta');
    assertId(member, 'member');
    assertGlobalTime(fromGlobalTime, 'fromGlobalTime');
    return this.#c.transaction(
      'sequences.deleteFrom',
      () => this.#c.statement(DELETE_FROM).run(meta, member, fromGlobalTime).changes,
    );
  }

  /**
   * A member's rows of a meta with `low ≤ sequence ≤ high`, by sequence: the answer to `dispersy-missing-sequence`
   * (spec §8.5). Stops at `limit` rows or once `maxBytes` of packets are collected (the crossing packet included),
   * without reading further rows.
   * @param meta meta-message id
   * @param member member id
   * @param low lowest sequence number (≥ 1)
   * @param high highest sequence number (≤ 2^32 − 1); an empty range when below `low`
   * @param options `limit` and `maxBytes`
   * @returns the rows, by sequence ascending
   */
  range(meta: number, member: number, low: number, high: number, options: SequenceRangeOptions = {}): SyncRow[] {
    assertId(meta, 'meta');
    assertId(member, 'member');
    assertInteger(low, 'low', 1, MAX_SEQUENCE_NUMBER);
    assertInteger(high, 'high', 0, MAX_SEQUENCE_NUMBER);
    const limit = options.limit ?? 1000;
    assertLimit(limit);
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    assertByteBudget(maxBytes);
    return this.#c.run('sequences.range', () => {
      const out: SyncRow[] = [];
      let bytes = 0;
      const rows = this.#c.statement(RANGE).iterate(meta, member, low, high, limit) as IterableIterator<SyncRowSql>;
      for (const row of rows) {
        out.push(toSyncRow(row));
        bytes += row.packet.length;
        if (bytes >= maxBytes) break; // ends the iteration and resets the statement
      }
      return out;
    });
  }
}
