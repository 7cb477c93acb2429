/**
 * The `sync` table: storing messages in batches, reading them back by key, by member or by meta, the community's
 * highest global time, pruning, and the timeline replay order (spec §4.4, §5, §6.2, §10).
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { SYNC_COLUMNS, type SyncRowSql, assertSyncRowKey, toSyncRow } from './internal/rows.ts';
import {
  MAX_LIST_LIMIT,
  MAX_PACKET_BYTES,
  assertArray,
  assertBytes,
  assertGlobalTime,
  assertId,
  assertInteger,
  assertLimit,
} from './internal/validate.ts';
import type { SyncRow, SyncRowKey } from './types.ts';

/** Rows fetched per query by the iterators of this module. */
export const DEFAULT_CHUNK_SIZE = 256;

/** A message to store. */
export interface NewSyncRow extends SyncRowKey {
  /** Meta-message id; it must belong to the same community (not checked by the store). */
  readonly meta: number;
  /** The packet, signatures included (1 to 65 536 bytes). */
  readonly packet: Uint8Array;
  /** The sequence number for metas with sequence numbers (≥ 1), else omitted or `null`. */
  readonly sequence?: number | null;
  /**
   * For double-signed messages: the two members' ids in any order; stored as a pair with `member1 ≤ member2`
   * (spec §10 `double_signed_sync`), which the LastSync pair queries of `store.history` use.
   */
  readonly members?: readonly [number, number];
}

/**
 * The outcome of storing one message. A message whose (community, member, global time) is already stored is not an
 * error: `inserted` is `false` and `id` is the stored row's id, for the duplicate checks of spec §4.6.
 */
export interface InsertResult {
  /** The new row's id, or the id of the row already stored under the same key. */
  readonly id: number;
  /** Whether a row was added. */
  readonly inserted: boolean;
}

/** Bounds of a global-time range query; both default to the widest range. */
export interface GlobalTimeRange {
  /** Lowest global time included (default 1). */
  readonly low?: number;
  /** Highest global time included (default 2^53 − 1). */
  readonly high?: number;
}

/**
 * The statement that stores one message (named parameters `community`, `member`, `globalTime`, `meta`, `packet`,
 * `sequence`; returns the new `id`, or no row when the key is already stored). Exported for the crash-safety test's
 * child process, which writes with exactly the store's SQL; not part of the package's public API.
 */
export const SYNC_INSERT_SQL = `INSERT INTO sync (community, member, global_time, meta_message, packet, sequence)
  VALUES (@community, @member, @globalTime, @meta, @packet, @sequence)
  ON CONFLICT (community, member, global_time) DO NOTHING RETURNING id`;
const INSERT_PAIR = 'INSERT INTO double_signed_sync (sync, member1, member2) VALUES (?, ?, ?)';
const ID_BY_KEY = 'SELECT id FROM sync WHERE community = ? AND member = ? AND global_time = ?';
const BY_KEY = `SELECT ${SYNC_COLUMNS} FROM sync WHERE community = ? AND member = ? AND global_time = ?`;
const BY_ID = `SELECT ${SYNC_COLUMNS} FROM sync WHERE id = ?`;
const MAX_GLOBAL_TIME = 'SELECT coalesce(max(global_time), 0) FROM sync WHERE community = ?';
const REPLACE_PACKET = 'UPDATE sync SET packet = ? WHERE id = ?';
const REPLACE_PACKET_AND_MEMBER = 'UPDATE sync SET packet = ?, member = ? WHERE id = ?';
const BY_MEMBER = `SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message = ? AND member = ? AND global_time BETWEEN ? AND ? ORDER BY global_time LIMIT ?`;
// Rows of one meta in a global-time range whatever their undone mark, in (global_time, id) order after a cursor.
// Three branches so each walks the (meta_message, undone, global_time) index: live rows by range, marked rows
// (few) by their undone range.
const branch = (undone: string): string => `SELECT * FROM (SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message = @meta AND ${undone} AND global_time BETWEEN @low AND @high AND (global_time, id) > (@gt, @id)
  ORDER BY global_time, id LIMIT @limit)`;
const BY_META_PAGE = `${branch('undone = 0')} UNION ALL ${branch('undone < 0')} UNION ALL ${branch('undone > 0')}
  ORDER BY global_time, id LIMIT @limit`;
const REPLAY_PAGE = `SELECT ${SYNC_COLUMNS} FROM sync
  WHERE meta_message IN (SELECT value FROM json_each(@metas)) AND (global_time, packet) > (@gt, @packet)
  ORDER BY global_time, packet LIMIT @limit`;
const PRUNE = [
  'DELETE FROM sync WHERE meta_message = ? AND undone = 0 AND global_time <= ?',
  'DELETE FROM sync WHERE meta_message = ? AND undone < 0 AND global_time <= ?',
  'DELETE FROM sync WHERE meta_message = ? AND undone > 0 AND global_time <= ?',
];
const DELETE_COMMUNITY_EXCEPT = `DELETE FROM sync
  WHERE community = ? AND id NOT IN (SELECT value FROM json_each(?))`;

const EMPTY = new Uint8Array(0);

function checkNewRow(row: NewSyncRow, name: string): void {
  assertSyncRowKey(row, name);
  assertId(row.meta, `${name}.meta`);
  assertBytes(row.packet, `${name}.packet`, 1, MAX_PACKET_BYTES);
  if (row.sequence !== undefined && row.sequence !== null) {
    assertInteger(row.sequence, `${name}.sequence`, 1, Number.MAX_SAFE_INTEGER);
  }
  if (row.members !== undefined) {
    assertArray(row.members, `${name}.members`, 2);
    if (row.members.length !== 2) throw new RangeError(`${name}.members must have 2 entries`);
    assertId(row.members[0], `${name}.members[0]`);
    assertId(row.members[1], `${name}.members[1]`);
  }
}

/**
 * @param range optional bounds
 * @returns validated `[low, high]`
 */
function rangeOf(range: GlobalTimeRange): [number, number] {
  const low = range.low ?? 1;
  const high = range.high ?? Number.MAX_SAFE_INTEGER;
  assertGlobalTime(low, 'low');
  assertGlobalTime(high, 'high');
  return [low, high];
}

/**
 * Stored messages. Reached as `store.sync`.
 *
 * @example
 * ```ts
 * const [result] = store.sync.insertBatch([
 *   { community: c.id, member: me.id, globalTime: 5, meta: post.id, packet, sequence: 1 },
 * ]);
 * result.inserted; // false when (community, member, 5) was already stored
 * store.sync.get({ community: c.id, member: me.id, globalTime: 5 })?.packet;
 * ```
 */
export class SyncRows {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * Stores a batch of messages in one transaction (joining the caller's transaction if one is open): all rows are
   * stored or, on an error, none. Rows whose key is already stored are reported, not stored again.
   * @param rows the messages (at most 100 000)
   * @returns one result per row, in order
   * @throws StoreError `CONSTRAINT` when a row refers to an unknown community, member or meta (nothing is stored)
   */
  insertBatch(rows: readonly NewSyncRow[]): InsertResult[] {
    assertArray(rows, 'rows', MAX_LIST_LIMIT);
    rows.forEach((row, i) => checkNewRow(row, `rows[${i}]`));
    return this.#c.transaction('sync.insertBatch', () => rows.map((row) => this.#insert(row)));
  }

  /**
   * Stores one message (its own transaction unless the caller has one open).
   * @param row the message
   * @returns whether it was added, and its row id
   */
  insert(row: NewSyncRow): InsertResult {
    checkNewRow(row, 'row');
    return this.#c.transaction('sync.insert', () => this.#insert(row));
  }

  #insert(row: NewSyncRow): InsertResult {
    const id = this.#c.statement(SYNC_INSERT_SQL, 'pluck').get({
      community: row.community,
      member: row.member,
      globalTime: row.globalTime,
      meta: row.meta,
      packet: row.packet,
      sequence: row.sequence ?? null,
    }) as number | undefined;
    if (id === undefined) {
      const existing = this.#c.statement(ID_BY_KEY, 'pluck').get(row.community, row.member, row.globalTime) as number;
      return { id: existing, inserted: false };
    }
    if (row.members !== undefined) {
      const [a, b] = row.members;
      this.#c.statement(INSERT_PAIR).run(id, Math.min(a, b), Math.max(a, b));
    }
    return { id, inserted: true };
  }

  /**
   * @param id sync row id
   * @returns the row, or `undefined`
   */
  getById(id: number): SyncRow | undefined {
    assertId(id, 'id');
    return this.#c.run('sync.getById', () => {
      const row = this.#c.statement(BY_ID).get(id) as SyncRowSql | undefined;
      return row === undefined ? undefined : toSyncRow(row);
    });
  }

  /**
   * @param key (community, creator, global time)
   * @returns the stored message with this key, or `undefined`
   */
  get(key: SyncRowKey): SyncRow | undefined {
    assertSyncRowKey(key, 'key');
    return this.#c.run('sync.get', () => {
      const row = this.#c.statement(BY_KEY).get(key.community, key.member, key.globalTime) as SyncRowSql | undefined;
      return row === undefined ? undefined : toSyncRow(row);
    });
  }

  /**
   * @param key (community, creator, global time)
   * @returns whether a message with this key is stored
   */
  exists(key: SyncRowKey): boolean {
    assertSyncRowKey(key, 'key');
    return this.#c.run(
      'sync.exists',
      () => this.#c.statement(ID_BY_KEY, 'pluck').get(key.community, key.member, key.globalTime) !== undefined,
    );
  }

  /**
   * The stored messages of one creator at the given global times, for `dispersy-missing-message` (spec §8.5).
   * @param community community id
   * @param member creator's member id
   * @param globalTimes the requested global times (at most 100 000; duplicates answered once)
   * @returns the rows found, in the order asked
   */
  getByGlobalTimes(community: number, member: number, globalTimes: readonly number[]): SyncRow[] {
    assertId(community, 'community');
    assertId(member, 'member');
    assertArray(globalTimes, 'globalTimes', MAX_LIST_LIMIT);
    globalTimes.forEach((t, i) => assertGlobalTime(t, `globalTimes[${i}]`));
    return this.#c.run('sync.getByGlobalTimes', () => {
      const out: SyncRow[] = [];
      for (const globalTime of new Set(globalTimes)) {
        const row = this.#c.statement(BY_KEY).get(community, member, globalTime) as SyncRowSql | undefined;
        if (row !== undefined) out.push(toSyncRow(row));
      }
      return out;
    });
  }

  /**
   * The highest stored global time of a community, 0 when it has none: the Lamport clock at load (spec §5).
   * @param community community id
   * @returns the highest global time
   */
  maxGlobalTime(community: number): number {
    assertId(community, 'community');
    return this.#c.run(
      'sync.maxGlobalTime',
      () => this.#c.statement(MAX_GLOBAL_TIME, 'pluck').get(community) as number,
    );
  }

  /**
   * Replaces the packet of a stored message in place, and optionally its creator: the duplicate rules keep the
   * higher of two packets that differ only in their signatures (spec §4.6).
   * @param id sync row id
   * @param packet the packet to keep
   * @param member the new creator (double-signed LastSync: the member order may differ)
   * @returns `false` when no row has this id
   * @throws StoreError `DUPLICATE` when the new creator already has a message at that global time
   */
  replacePacket(id: number, packet: Uint8Array, member?: number): boolean {
    assertId(id, 'id');
    assertBytes(packet, 'packet', 1, MAX_PACKET_BYTES);
    if (member !== undefined) assertId(member, 'member');
    return this.#c.run('sync.replacePacket', () =>
      member === undefined
        ? this.#c.statement(REPLACE_PACKET).run(packet, id).changes > 0
        : this.#c.statement(REPLACE_PACKET_AND_MEMBER).run(packet, member, id).changes > 0,
    );
  }

  /**
   * Messages of one creator for one meta, by global time ascending (e.g. to find the stored undo-own messages of a
   * member, spec §6.4).
   * @param meta meta-message id
   * @param member creator's member id
   * @param options global-time bounds and `limit` (default 1000)
   * @returns up to `limit` rows
   */
  listByMember(meta: number, member: number, options: GlobalTimeRange & { readonly limit?: number } = {}): SyncRow[] {
    assertId(meta, 'meta');
    assertId(member, 'member');
    const [low, high] = rangeOf(options);
    const limit = options.limit ?? 1000;
    assertLimit(limit);
    return this.#c.run('sync.listByMember', () =>
      (this.#c.statement(BY_MEMBER).all(meta, member, low, high, limit) as SyncRowSql[]).map(toSyncRow),
    );
  }

  /**
   * Every message of one meta in a global-time range, live or undone, by (global time, id) ascending, fetched in
   * chunks: the walk of `_update_timerange` after a revoke or dynamic-settings change (spec §6.2). The iterator holds
   * no statement open between chunks, so the caller may read and write the store (e.g. redo or undo the rows it is
   * given) while iterating, and may stop at any time.
   * @param meta meta-message id
   * @param options global-time bounds and `chunkSize` (default 256)
   * @returns a lazy iterator of rows
   */
  iterateByMeta(
    meta: number,
    options: GlobalTimeRange & { readonly chunkSize?: number } = {},
  ): Generator<SyncRow, void, undefined> {
    assertId(meta, 'meta');
    const [low, high] = rangeOf(options);
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    assertLimit(chunkSize, 'chunkSize');
    this.#c.assertOpen('sync.iterateByMeta');
    return this.#iterateByMeta(meta, low, high, chunkSize);
  }

  *#iterateByMeta(meta: number, low: number, high: number, limit: number): Generator<SyncRow, void, undefined> {
    let gt = 0;
    let id = 0;
    for (;;) {
      const page = this.#c.run(
        'sync.iterateByMeta',
        () => this.#c.statement(BY_META_PAGE).all({ meta, low, high, gt, id, limit }) as SyncRowSql[],
      );
      for (const row of page) yield toSyncRow(row);
      const last = page.at(-1);
      if (last === undefined || page.length < limit) return;
      gt = last.global_time;
      id = last.id;
    }
  }

  /**
   * Every message of the given metas ordered by (global time, packet), fetched in chunks: the order in which the
   * timeline replays the stored authorize, revoke and dynamic-settings messages at community load (spec §6.2).
   * Like {@link SyncRows.iterateByMeta}, it holds no statement open between chunks.
   * @param metas meta-message ids (at most 1024)
   * @param options `chunkSize` (default 256)
   * @returns a lazy iterator of rows
   */
  iterateReplay(
    metas: readonly number[],
    options: { readonly chunkSize?: number } = {},
  ): Generator<SyncRow, void, undefined> {
    assertArray(metas, 'metas', 1024);
    metas.forEach((meta, i) => assertId(meta, `metas[${i}]`));
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    assertLimit(chunkSize, 'chunkSize');
    this.#c.assertOpen('sync.iterateReplay');
    return this.#iterateReplay(JSON.stringify(metas), chunkSize);
  }

  *#iterateReplay(metas: string, limit: number): Generator<SyncRow, void, undefined> {
    let gt = 0;
    let packet: Uint8Array = EMPTY;
    for (;;) {
      const page = this.#c.run(
        'sync.iterateReplay',
        () => this.#c.statement(REPLAY_PAGE).all({ metas, gt, packet, limit }) as SyncRowSql[],
      );
      for (const row of page) yield toSyncRow(row);
      const last = page.at(-1);
      if (last === undefined || page.length < limit) return;
      gt = last.global_time;
      packet = last.packet;
    }
  }

  /**
   * Deletes the messages of a meta with `global_time ≤ maxGlobalTime`, live or undone: GlobalTimePruning, run
   * whenever the community's global time grows (spec §4.4). Double-signed pairs go with their rows.
   * @param meta meta-message id
   * @param maxGlobalTime the threshold (`new global time − pruned`)
   * @returns the number of rows deleted
   */
  prune(meta: number, maxGlobalTime: number): number {
    assertId(meta, 'meta');
    assertGlobalTime(maxGlobalTime, 'maxGlobalTime');
    return this.#c.transaction('sync.prune', () =>
      PRUNE.reduce((deleted, sql) => deleted + this.#c.statement(sql).run(meta, maxGlobalTime).changes, 0),
    );
  }

  /**
   * Deletes every message of a community except the given rows: the hard kill of `dispersy-destroy-community`,
   * which keeps the destroy message, its proofs and the signers' identities (spec §6.5).
   * @param community community id
   * @param keep sync row ids to keep (at most 100 000)
   * @returns the number of rows deleted
   */
  deleteCommunityExcept(community: number, keep: readonly number[]): number {
    assertId(community, 'community');
    assertArray(keep, 'keep', MAX_LIST_LIMIT);
    keep.forEach((id, i) => assertId(id, `keep[${i}]`));
    return this.#c.transaction(
      'sync.deleteCommunityExcept',
      () => this.#c.statement(DELETE_COMMUNITY_EXCEPT).run(community, JSON.stringify(keep)).changes,
    );
  }
}
