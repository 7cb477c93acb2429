/**
 * SQLite persistence for Dispersy (better-sqlite3): the schema of spec §10 with numbered migrations, stored
 * messages, sequence numbers, LastSync windows, undo marks, pruning, and the queries Bloom-filter sync needs.
 *
 * Open a database with {@link openStore}; the query modules hang off the {@link Store}: `members`, `communities`,
 * `metas`, `sync`, `sequences`, `history`, `undo`, `selection`. Wrap the writes of one incoming batch in
 * {@link Store.transaction}.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import { openStore } from '@dispersy/store';
 *
 * const sha1 = (bytes: Uint8Array) => new Uint8Array(createHash('sha1').update(bytes).digest());
 * const masterKey = new TextEncoder().encode('master public key');
 * const myKey = new TextEncoder().encode('my public key');
 *
 * const store = openStore(':memory:'); // or a file path: WAL, synchronous NORMAL
 * const master = store.members.getOrCreate(sha1(masterKey), masterKey);
 * const me = store.members.getOrCreate(sha1(myKey), myKey);
 * const community = store.communities.ensure({ master: master.id, myMember: me.id, classification: 'FeedCommunity' });
 * const post = store.metas.ensure(community.id, [{ name: 'post', priority: 128, direction: 'DESC' }]).get('post')!;
 *
 * store.sync.insertBatch([
 *   { community: community.id, member: me.id, globalTime: 1, meta: post.id, packet: new Uint8Array([1, 2, 3]) },
 *   { community: community.id, member: me.id, globalTime: 2, meta: post.id, packet: new Uint8Array([4, 5, 6]) },
 * ]);
 * store.sync.maxGlobalTime(community.id); // 2
 * const rows = [...store.selection.responderRows({ metas: [post], timeLow: 1, timeHigh: 2 })];
 * rows.map((row) => row.globalTime); // [2, 1] (DESC)
 * store.close();
 * ```
 * @packageDocumentation
 */
export {
  Communities,
  DEFAULT_COMMUNITY_DATABASE_VERSION,
  type CommunityRecord,
  type NewCommunity,
} from './communities.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { LastSyncHistory, MAX_HISTORY_SIZE } from './history.ts';
export { MAX_LIST_LIMIT, MAX_PACKET_BYTES, MID_BYTES } from './internal/validate.ts';
export { MAX_KEY_BYTES, Members, type MemberRecord } from './members.ts';
export {
  MAX_METAS_PER_COMMUNITY,
  MetaMessages,
  type MetaMessageRecord,
  type MetaMessageSpec,
} from './meta-messages.ts';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';
export { APPLICATION_ID, PAGE_SIZE, type SynchronousMode } from './schema.ts';
export { Sequences, type SequenceHead, type SequenceRangeOptions } from './sequences.ts';
export { Store, openStore, type IntegrityReport, type StoreOptions, type StoreSettings } from './store.ts';
export { DEFAULT_CHUNK_SIZE, SyncRows, type GlobalTimeRange, type InsertResult, type NewSyncRow } from './sync-rows.ts';
export {
  MAX_MODULO,
  SYNC_PRIORITY_THRESHOLD,
  SyncSelection,
  firstModuloTime,
  withinByteBudget,
  type ModuloStrategy,
  type RequesterModuloQuery,
  type RequesterRangeQuery,
  type ResponderMeta,
  type ResponderQuery,
  type ResponderRow,
} from './sync-selection.ts';
export { UNDONE_BY_POLICY, type SyncDirection, type SyncRow, type SyncRowKey, type TimedPacket } from './types.ts';
export { UndoMarks, type UndoTarget } from './undo.ts';
