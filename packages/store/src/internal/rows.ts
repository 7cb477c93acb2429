/**
 * SQL column lists and row mappers shared by the modules that read the `sync` table.
 * @module
 */
import type { SyncDirection, SyncRow, SyncRowKey, TimedPacket } from '../types.ts';
import { assertGlobalTime, assertId, bytesOf } from './validate.ts';

const COLUMN_NAMES = ['id', 'community', 'member', 'global_time', 'meta_message', 'undone', 'packet', 'sequence'];

/** The `sync` columns every full-row query selects, in {@link SyncRowSql} order. */
export const SYNC_COLUMNS = COLUMN_NAMES.join(', ');

/**
 * {@link SYNC_COLUMNS} qualified with a table alias, for joins.
 * @param alias the alias of the `sync` table in the query
 * @returns e.g. `s.id, s.community, …`
 */
export function syncColumnsOf(alias: string): string {
  return COLUMN_NAMES.map((column) => `${alias}.${column}`).join(', ');
}

/**
 * Checks a (community, member, global time) key argument.
 * @param key the argument
 * @param name parameter name
 */
export function assertSyncRowKey(key: SyncRowKey, name: string): void {
  if (typeof key !== 'object' || key === null) throw new TypeError(`${name} must be a sync row key object`);
  assertId(key.community, `${name}.community`);
  assertId(key.member, `${name}.member`);
  assertGlobalTime(key.globalTime, `${name}.globalTime`, 1);
}

/** A `sync` row as better-sqlite3 returns it. */
export interface SyncRowSql {
  id: number;
  community: number;
  member: number;
  global_time: number;
  meta_message: number;
  undone: number;
  packet: Uint8Array;
  sequence: number | null;
}

/**
 * @param row a row selected with {@link SYNC_COLUMNS}
 * @returns the public record
 */
export function toSyncRow(row: SyncRowSql): SyncRow {
  return {
    id: row.id,
    community: row.community,
    member: row.member,
    globalTime: row.global_time,
    meta: row.meta_message,
    undone: row.undone,
    packet: bytesOf(row.packet),
    sequence: row.sequence,
  };
}

/**
 * @param row a `[id, global_time, packet]` raw row
 * @returns the public record
 */
export function toTimedPacket(row: readonly unknown[]): TimedPacket {
  return { id: row[0] as number, globalTime: row[1] as number, packet: bytesOf(row[2] as Uint8Array) };
}

/** The stored integer of each direction (spec §10). */
export const DIRECTION_CODES: Readonly<Record<SyncDirection, number>> = { ASC: 1, DESC: -1, RANDOM: 0 };

/**
 * @param code the stored direction
 * @returns the direction name (unknown codes read as ASC, the column default)
 */
export function directionOf(code: number): SyncDirection {
  return code === -1 ? 'DESC' : code === 0 ? 'RANDOM' : 'ASC';
}
