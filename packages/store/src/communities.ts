/**
 * The `community` table: one row per community, keyed by its master member (spec §10, §12.1).
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { assertId, assertInteger, assertLimit, assertString } from './internal/validate.ts';

/** The `database_version` a new community row gets unless told otherwise. */
export const DEFAULT_COMMUNITY_DATABASE_VERSION = 1;

/** One community. */
export interface CommunityRecord {
  /** Local database id. */
  readonly id: number;
  /** Member id of the master member (the community's identity: cid = master mid). */
  readonly master: number;
  /** Member id of the local signing identity in this community. */
  readonly myMember: number;
  /** The community class name, used to pick the class when auto-loading. */
  readonly classification: string;
  /** Whether the node loads this community at start, or when a packet for it arrives. */
  readonly autoLoad: boolean;
  /**
   * Version of this community's stored data, owned by the runtime (the original's per-community
   * `database_version`, used to run data fixes once per community).
   */
  readonly databaseVersion: number;
}

/** What {@link Communities.create} and {@link Communities.ensure} need. */
export interface NewCommunity {
  /** Member id of the master member. */
  readonly master: number;
  /** Member id of the local identity. */
  readonly myMember: number;
  /** The community class name. */
  readonly classification: string;
  /** Default `true`. */
  readonly autoLoad?: boolean;
  /** Default {@link DEFAULT_COMMUNITY_DATABASE_VERSION}. */
  readonly databaseVersion?: number;
}

interface CommunitySql {
  id: number;
  master: number;
  my_member: number;
  classification: string;
  auto_load: number;
  database_version: number;
}

const COLUMNS = 'id, master, my_member, classification, auto_load, database_version';
const BY_ID = `SELECT ${COLUMNS} FROM community WHERE id = ?`;
const BY_MASTER = `SELECT ${COLUMNS} FROM community WHERE master = ?`;
const INSERT = `INSERT INTO community (master, my_member, classification, auto_load, database_version)
  VALUES (@master, @myMember, @classification, @autoLoad, @databaseVersion) RETURNING ${COLUMNS}`;
const LIST = `SELECT ${COLUMNS} FROM community WHERE id > ? ORDER BY id LIMIT ?`;
const LIST_AUTO_LOAD = `SELECT ${COLUMNS} FROM community WHERE auto_load = 1 AND id > ? ORDER BY id LIMIT ?`;
const SET_CLASSIFICATION = 'UPDATE community SET classification = ? WHERE id = ?';
const SET_MY_MEMBER = 'UPDATE community SET my_member = ? WHERE id = ?';
const SET_AUTO_LOAD = 'UPDATE community SET auto_load = ? WHERE id = ?';
const SET_DATABASE_VERSION = 'UPDATE community SET database_version = ? WHERE id = ?';

function toRecord(row: CommunitySql): CommunityRecord {
  return {
    id: row.id,
    master: row.master,
    myMember: row.my_member,
    classification: row.classification,
    autoLoad: row.auto_load === 1,
    databaseVersion: row.database_version,
  };
}

function checkNew(init: NewCommunity): void {
  assertId(init.master, 'master');
  assertId(init.myMember, 'myMember');
  assertString(init.classification, 'classification');
  if (init.autoLoad !== undefined && typeof init.autoLoad !== 'boolean') {
    throw new TypeError('autoLoad must be a boolean');
  }
  if (init.databaseVersion !== undefined) {
    assertInteger(init.databaseVersion, 'databaseVersion', 0, Number.MAX_SAFE_INTEGER);
  }
}

/**
 * Communities. Reached as `store.communities`.
 *
 * @example
 * ```ts
 * const community = store.communities.ensure({ master: master.id, myMember: me.id, classification: 'FeedCommunity' });
 * for (const c of store.communities.listAutoLoad()) load(c.classification, c.master);
 * ```
 */
export class Communities {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * Inserts a community.
   * @param init master, local identity, class name and flags
   * @returns the new community
   * @throws StoreError `DUPLICATE` when a community with this master exists; `CONSTRAINT` when a member id is unknown
   */
  create(init: NewCommunity): CommunityRecord {
    checkNew(init);
    return this.#c.run('communities.create', () => {
      const row = this.#c.statement(INSERT).get({
        master: init.master,
        myMember: init.myMember,
        classification: init.classification,
        autoLoad: init.autoLoad === false ? 0 : 1,
        databaseVersion: init.databaseVersion ?? DEFAULT_COMMUNITY_DATABASE_VERSION,
      }) as CommunitySql;
      return toRecord(row);
    });
  }

  /**
   * Loads the community of this master, or creates it; an existing row gets `myMember` updated when it changed
   * (the original's `initialize()`). The classification of an existing row is left alone (see
   * {@link Communities.setClassification}).
   * @param init as for {@link Communities.create}
   * @returns the community
   */
  ensure(init: NewCommunity): CommunityRecord {
    checkNew(init);
    return this.#c.transaction('communities.ensure', () => {
      const existing = this.#c.statement(BY_MASTER).get(init.master) as CommunitySql | undefined;
      if (existing === undefined) return this.create(init);
      if (existing.my_member === init.myMember) return toRecord(existing);
      this.#c.statement(SET_MY_MEMBER).run(init.myMember, existing.id);
      return toRecord({ ...existing, my_member: init.myMember });
    });
  }

  /**
   * @param master member id of the master member
   * @returns the community, or `undefined`
   */
  getByMaster(master: number): CommunityRecord | undefined {
    assertId(master, 'master');
    return this.#c.run('communities.getByMaster', () => {
      const row = this.#c.statement(BY_MASTER).get(master) as CommunitySql | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  /**
   * @param id community id
   * @returns the community, or `undefined`
   */
  getById(id: number): CommunityRecord | undefined {
    assertId(id, 'id');
    return this.#c.run('communities.getById', () => {
      const row = this.#c.statement(BY_ID).get(id) as CommunitySql | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  /**
   * Communities in id order, a page at a time.
   * @param options `afterId` to continue after a page (default 0), `limit` (default 1000)
   * @returns up to `limit` communities
   */
  list(options: { readonly afterId?: number; readonly limit?: number } = {}): CommunityRecord[] {
    return this.#list('communities.list', LIST, options);
  }

  /**
   * Communities flagged for auto-loading, in id order, a page at a time.
   * @param options `afterId` to continue after a page (default 0), `limit` (default 1000)
   * @returns up to `limit` communities
   */
  listAutoLoad(options: { readonly afterId?: number; readonly limit?: number } = {}): CommunityRecord[] {
    return this.#list('communities.listAutoLoad', LIST_AUTO_LOAD, options);
  }

  /**
   * Changes the class of a community (the original's `reclassify_community`, e.g. after a hard kill).
   * @param id community id
   * @param classification the new class name
   * @returns `false` when no community has this id
   */
  setClassification(id: number, classification: string): boolean {
    assertId(id, 'id');
    assertString(classification, 'classification');
    return this.#update('communities.setClassification', SET_CLASSIFICATION, classification, id);
  }

  /**
   * @param id community id
   * @param autoLoad the new flag
   * @returns `false` when no community has this id
   */
  setAutoLoad(id: number, autoLoad: boolean): boolean {
    assertId(id, 'id');
    if (typeof autoLoad !== 'boolean') throw new TypeError('autoLoad must be a boolean');
    return this.#update('communities.setAutoLoad', SET_AUTO_LOAD, autoLoad ? 1 : 0, id);
  }

  /**
   * @param id community id
   * @param databaseVersion the new per-community data version
   * @returns `false` when no community has this id
   */
  setDatabaseVersion(id: number, databaseVersion: number): boolean {
    assertId(id, 'id');
    assertInteger(databaseVersion, 'databaseVersion', 0, Number.MAX_SAFE_INTEGER);
    return this.#update('communities.setDatabaseVersion', SET_DATABASE_VERSION, databaseVersion, id);
  }

  #update(what: string, sql: string, value: string | number, id: number): boolean {
    return this.#c.run(what, () => this.#c.statement(sql).run(value, id).changes > 0);
  }

  #list(what: string, sql: string, options: { readonly afterId?: number; readonly limit?: number }): CommunityRecord[] {
    const afterId = options.afterId ?? 0;
    const limit = options.limit ?? 1000;
    assertInteger(afterId, 'afterId', 0, Number.MAX_SAFE_INTEGER);
    assertLimit(limit);
    return this.#c.run(what, () => (this.#c.statement(sql).all(afterId, limit) as CommunitySql[]).map(toRecord));
  }
}
