/**
 * One community's view of the store (spec §10): its database id, its meta-message ids, and the queries the
 * runtime needs, as a small adapter over `@dispersy/store`'s public API. Built-in behaviours (authorize, undo,
 * Bloom sync…) reach the full store through {@link CommunityStorage.store} with {@link CommunityStorage.id} and
 * {@link CommunityStorage.metaId}.
 */
import type { Store, SyncRow } from '@dispersy/store';
import type { DistributionStore, StoredRow } from './distribution.ts';
import type { MemberDirectory } from './members.ts';

/** A message to store: what `_store` inserts (spec §4.6 store phase). */
export interface NewStoredMessage {
  /** Meta name. */
  readonly meta: string;
  /** Creator's database id. */
  readonly member: number;
  readonly globalTime: number;
  readonly packet: Uint8Array;
  readonly sequence?: number | undefined;
  /** Double-signed: both members' database ids. */
  readonly members?: readonly [number, number] | undefined;
}

/** Rows fetched at most by one list query. */
const MAX_ROWS = 100_000;

/**
 * The stored rows of one community. See the module comment.
 *
 * @example
 * ```ts
 * const view = community.storage.view('full-sync-text'); // a DistributionStore
 * community.storage.store.sync.get({ community: community.storage.id, member, globalTime });
 * ```
 */
export class CommunityStorage {
  /** The node's store. */
  readonly store: Store;
  /** The community's database id. */
  readonly id: number;
  /** The node's member directory. */
  readonly members: MemberDirectory;
  readonly #metaIds: ReadonlyMap<string, number>;
  readonly #metaNames: ReadonlyMap<number, string>;

  /**
   * @param store the node's store
   * @param members the node's member directory
   * @param id the community's database id
   * @param metaIds meta name → meta database id (every meta of the community)
   */
  constructor(store: Store, members: MemberDirectory, id: number, metaIds: ReadonlyMap<string, number>) {
    this.store = store;
    this.members = members;
    this.id = id;
    this.#metaIds = metaIds;
    this.#metaNames = new Map([...metaIds].map(([name, metaId]) => [metaId, name]));
  }

  /**
   * @param name a meta name of this community
   * @returns its database id
   * @throws RangeError for an unknown name
   */
  metaId(name: string): number {
    const id = this.#metaIds.get(name);
    if (id === undefined) throw new RangeError(`unknown meta-message ${JSON.stringify(name)}`);
    return id;
  }

  /**
   * @param id a meta database id
   * @returns its name, if it belongs to this community
   */
  metaName(id: number): string | undefined {
    return this.#metaNames.get(id);
  }

  /**
   * Runs `fn` in one store transaction (one per incoming batch).
   * @param fn synchronous work
   * @returns what `fn` returns
   */
  transaction<T>(fn: () => T): T {
    return this.store.transaction(fn);
  }

  /**
   * Inserts messages (joining an open transaction). A row whose (member, global time) exists is not inserted.
   * @param rows the messages
   * @returns per row: its id and whether it was inserted
   */
  insert(rows: readonly NewStoredMessage[]): { id: number; inserted: boolean }[] {
    return this.store.sync.insertBatch(
      rows.map((row) => ({
        community: this.id,
        member: row.member,
        globalTime: row.globalTime,
        meta: this.metaId(row.meta),
        packet: row.packet,
        sequence: row.sequence ?? null,
        ...(row.members === undefined ? {} : { members: row.members }),
      })),
    );
  }

  /**
   * @param member creator's database id
   * @param globalTime the global time
   * @returns the stored row with that key (any meta)
   */
  get(member: number, globalTime: number): SyncRow | undefined {
    return this.store.sync.get({ community: this.id, member, globalTime });
  }

  /** @returns the highest stored global time of the community (0 when empty) */
  maxGlobalTime(): number {
    return this.store.sync.maxGlobalTime(this.id);
  }

  /**
   * The stored rows of one creator for one meta, by global time.
   * @param meta meta name
   * @param member creator's database id
   * @param limit at most this many @default 1000
   * @returns the rows
   */
  rowsOf(meta: string, member: number, limit = 1000): SyncRow[] {
    return this.store.sync.listByMember(this.metaId(meta), member, { limit });
  }

  /**
   * Whether a member's dispersy-identity is stored in this community (spec §3.4 `Community.get_member`).
   * @param member the member's database id
   * @returns true when stored
   */
  hasIdentity(member: number): boolean {
    return this.rowsOf('dispersy-identity', member, 1).length > 0;
  }

  /**
   * The distribution rules' view of one meta's rows.
   * @param meta meta name
   * @returns the view
   */
  view(meta: string): DistributionStore {
    const metaId = this.metaId(meta);
    const { store, id } = this;
    const row = (r: SyncRow | undefined): StoredRow | undefined => r;
    return {
      rowAt: (member, globalTime) => row(store.sync.get({ community: id, member, globalTime })),
      rowById: (rowId) => row(store.sync.getById(rowId)),
      replacePacket: (rowId, packet, member) => void store.sync.replacePacket(rowId, packet, member),
      sequenceHead: (member) => store.sequences.head(metaId, member),
      sequenceRowAt: (member, position) => row(store.sequences.rowAt(metaId, member, position)),
      deleteFrom: (member, globalTime) => {
        const rows = store.sync.listByMember(metaId, member, { low: globalTime, limit: MAX_ROWS });
        store.sequences.deleteFrom(metaId, member, globalTime);
        return rows;
      },
      lastSyncTimes: (member) => store.history.globalTimes(metaId, member),
      newestOf: (member) => row(store.history.newest(metaId, member)),
      pairRows: (a, b) => store.history.pairRows(metaId, a, b),
    };
  }
}
