/**
 * The store: opening a database file (recognising it, applying the pragmas, migrating the schema), the query
 * modules, transactions, options, and closing.
 * @module
 */
import Database from 'better-sqlite3';
import { Communities } from './communities.ts';
import { StoreError, toStoreError } from './errors.ts';
import { LastSyncHistory } from './history.ts';
import { Connection, type Db } from './internal/connection.ts';
import { assertInteger, assertString } from './internal/validate.ts';
import { Members } from './members.ts';
import { MetaMessages } from './meta-messages.ts';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations/index.ts';
import { PAGE_SIZE, type SynchronousMode, checkTables, connectionPragmas, identifyDatabase } from './schema.ts';
import { Sequences } from './sequences.ts';
import { SyncRows } from './sync-rows.ts';
import { SyncSelection } from './sync-selection.ts';
import { UndoMarks } from './undo.ts';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /**
   * `'normal'` (default) survives a process crash, `'full'` also survives power loss (an fsync per commit); see
   * {@link SynchronousMode}.
   */
  readonly synchronous?: SynchronousMode;
  /** How long to wait for a lock held by another connection, in milliseconds (default 5000). */
  readonly busyTimeoutMs?: number;
  /** SQLite page cache in KiB (default 32 768 = 32 MiB). */
  readonly cacheSizeKiB?: number;
  /**
   * Run `PRAGMA quick_check` at open and refuse a damaged file with `CORRUPT` (default `false`: it reads every
   * page).
   */
  readonly verify?: boolean;
  /**
   * Test hook: migrate only up to this schema version instead of the latest, to build a database as an older
   * release left it. A database already newer than this is refused with `DATABASE_TOO_NEW`.
   */
  readonly migrateTo?: number;
}

/** The connection settings in force, as SQLite reports them (see {@link Store.settings}). */
export interface StoreSettings {
  /** `wal` for files, `memory` for `:memory:`. */
  readonly journalMode: string;
  /** 1 = NORMAL, 2 = FULL. */
  readonly synchronous: number;
  /** Whether foreign keys are enforced. */
  readonly foreignKeys: boolean;
  /** Bytes per page. */
  readonly pageSize: number;
  /** Milliseconds a statement waits for a lock. */
  readonly busyTimeoutMs: number;
}

/** The result of {@link Store.integrityCheck}. */
export interface IntegrityReport {
  /** Whether SQLite reported `ok`. */
  readonly ok: boolean;
  /** SQLite's messages (`['ok']` when healthy). */
  readonly messages: readonly string[];
}

/** Calls the private constructor; assigned in the class's static block. */
let createStore: (path: string, schemaVersion: number, db: Db) => Store;

const GET_OPTION = 'SELECT value FROM option WHERE key = ?';
const SET_OPTION = `INSERT INTO option (key, value) VALUES (?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
const DELETE_OPTION = 'DELETE FROM option WHERE key = ?';

/**
 * An open Dispersy database. Create one with {@link openStore}; close it with {@link Store.close}.
 *
 * All methods are synchronous (better-sqlite3). Each write method commits on its own unless called inside
 * {@link Store.transaction}, which groups the writes of one incoming batch into one commit. After `close()` every
 * method throws `StoreError('CLOSED')`.
 *
 * @example
 * ```ts
 * const store = openStore('dispersy.db');
 * try {
 *   const member = store.members.getOrCreate(mid, publicKey);
 *   store.transaction(() => {
 *     store.sync.insertBatch(rows);
 *     store.undo.markUndone(target, undoId);
 *   });
 * } finally {
 *   store.close();
 * }
 * ```
 */
export class Store {
  /** The database path as given (`:memory:` for an in-memory database). */
  readonly path: string;
  /** The schema version after migration. */
  readonly schemaVersion: number;
  /** Members (identities). */
  readonly members: Members;
  /** Communities. */
  readonly communities: Communities;
  /** Meta-messages per community. */
  readonly metas: MetaMessages;
  /** Stored messages: insert, read, prune, replay. */
  readonly sync: SyncRows;
  /** FullSync sequence-number queries. */
  readonly sequences: Sequences;
  /** LastSync windows. */
  readonly history: LastSyncHistory;
  /** Undo marks. */
  readonly undo: UndoMarks;
  /** Bloom-filter sync selection (requester and responder). */
  readonly selection: SyncSelection;
  readonly #c: Connection;

  /** Use {@link openStore}. */
  private constructor(path: string, schemaVersion: number, db: Db) {
    this.path = path;
    this.schemaVersion = schemaVersion;
    this.#c = new Connection(db);
    this.members = new Members(this.#c);
    this.communities = new Communities(this.#c);
    this.metas = new MetaMessages(this.#c);
    this.sync = new SyncRows(this.#c);
    this.sequences = new Sequences(this.#c);
    this.history = new LastSyncHistory(this.#c);
    this.undo = new UndoMarks(this.#c);
    this.selection = new SyncSelection(this.#c);
  }

  static {
    createStore = (path, schemaVersion, db) => new Store(path, schemaVersion, db);
  }

  /** Whether {@link Store.close} has run. */
  get closed(): boolean {
    return this.#c.closed;
  }

  /** Whether a transaction is open. */
  get inTransaction(): boolean {
    return this.#c.inTransaction;
  }

  /**
   * Runs `fn` in one write transaction: every store write inside commits together when `fn` returns, or not at all
   * when it throws (the error is rethrown). Nested calls become savepoints. Use one per incoming batch.
   * @param fn synchronous work (must not return a promise: better-sqlite3 transactions cannot span an `await`)
   * @returns what `fn` returns
   * @throws whatever `fn` throws; StoreError `BUSY`/`IO` when the commit fails
   * @example
   * ```ts
   * const ids = store.transaction(() => {
   *   const results = store.sync.insertBatch(batch);
   *   store.history.trim(meta.id, member.id, 1);
   *   return results;
   * });
   * ```
   */
  transaction<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    return this.#c.transaction('transaction', fn);
  }

  /**
   * @param key option name
   * @returns the stored value, or `undefined`
   */
  getOption(key: string): string | undefined {
    assertString(key, 'key');
    return this.#c.run('getOption', () => this.#c.statement(GET_OPTION, 'pluck').get(key) as string | undefined);
  }

  /**
   * Stores a setting (inserted or replaced).
   * @param key option name
   * @param value the value
   */
  setOption(key: string, value: string): void {
    assertString(key, 'key');
    assertString(value, 'value', true);
    this.#c.run('setOption', () => this.#c.statement(SET_OPTION).run(key, value));
  }

  /**
   * @param key option name
   * @returns whether it existed
   */
  deleteOption(key: string): boolean {
    assertString(key, 'key');
    return this.#c.run('deleteOption', () => this.#c.statement(DELETE_OPTION).run(key).changes > 0);
  }

  /**
   * The connection settings in force, read back from SQLite (for diagnostics and tests).
   * @returns journal mode, synchronous level, foreign keys, page size and busy timeout
   */
  settings(): StoreSettings {
    return this.#c.run('settings', () => {
      const value = (name: string): unknown => (this.#c.pragma(name)[0] as Record<string, unknown>)[name];
      return {
        journalMode: String(value('journal_mode')),
        synchronous: Number(value('synchronous')),
        foreignKeys: value('foreign_keys') === 1,
        pageSize: Number(value('page_size')),
        busyTimeoutMs: Number((this.#c.pragma('busy_timeout')[0] as Record<string, unknown>)['timeout']),
      };
    });
  }

  /**
   * Runs SQLite's full `PRAGMA integrity_check` (reads the whole file). A file too damaged for the check to run is
   * reported as not ok, with SQLite's error as the message.
   * @param maxMessages report at most this many problems (default 100)
   * @returns whether the database is healthy, with SQLite's messages
   */
  integrityCheck(maxMessages = 100): IntegrityReport {
    assertInteger(maxMessages, 'maxMessages', 1, 10_000);
    try {
      return this.#c.run('integrityCheck', () => {
        const messages = (this.#c.pragma(`integrity_check(${maxMessages})`) as { integrity_check: string }[]).map(
          (row) => row.integrity_check,
        );
        return { ok: messages.length === 1 && messages[0] === 'ok', messages };
      });
    } catch (err) {
      // Damage bad enough that the check itself cannot read the schema is a finding, not a failure.
      if (StoreError.is(err) && err.code === 'CORRUPT') return { ok: false, messages: [err.message] };
      throw err;
    }
  }

  /**
   * Closes the database: finalises every prepared statement, checkpoints the WAL and releases the file. Idempotent;
   * afterwards every method throws `StoreError('CLOSED')`.
   * @throws TypeError when called inside {@link Store.transaction} (the store stays open)
   */
  close(): void {
    try {
      this.#c.close();
    } catch (err) {
      throw toStoreError(err, 'close');
    }
  }
}

/**
 * Opens (creating if needed) a Dispersy database and brings its schema up to date.
 *
 * Steps: refuse files that are not Dispersy stores (before changing anything); on a new file set the page size;
 * apply the pragmas (WAL for files, synchronous, foreign keys, busy timeout, cache); run pending migrations in one
 * transaction; check that every table exists; optionally run a quick integrity check.
 * @param path a file path, or `':memory:'` for a private in-memory database (tests)
 * @param options durability, timeouts, verification, and the `migrateTo` test hook
 * @returns the open store
 * @throws StoreError `CANNOT_OPEN`, `NOT_A_DISPERSY_DATABASE`, `CORRUPT`, `DATABASE_TOO_NEW`, `MIGRATION_FAILED`,
 *   `BUSY`, `IO`; RangeError on bad options
 * @example
 * ```ts
 * const store = openStore(':memory:');
 * store.schemaVersion; // LATEST_SCHEMA_VERSION
 * store.close();
 * ```
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  assertString(path, 'path');
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new RangeError(`synchronous must be 'normal' or 'full', got ${String(synchronous)}`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  assertInteger(busyTimeoutMs, 'busyTimeoutMs', 0, 2 ** 31 - 1);
  const cacheSizeKiB = options.cacheSizeKiB ?? 32_768;
  assertInteger(cacheSizeKiB, 'cacheSizeKiB', 64, 2 ** 31 - 1);
  const target = options.migrateTo ?? LATEST_SCHEMA_VERSION;
  assertInteger(target, 'migrateTo', 1, LATEST_SCHEMA_VERSION);

  let db: Db;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (err) {
    throw new StoreError('CANNOT_OPEN', `cannot open ${path}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  try {
    const kind = identifyDatabase(db);
    if (kind.kind === 'dispersy' && kind.version > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        'DATABASE_TOO_NEW',
        `database schema version ${kind.version} is newer than this code (${LATEST_SCHEMA_VERSION})`,
      );
    }
    if (kind.kind === 'empty') db.pragma(`page_size = ${PAGE_SIZE}`);
    const file = path !== ':memory:' && path !== '';
    for (const pragma of connectionPragmas({ file, synchronous, busyTimeoutMs, cacheSizeKiB })) db.pragma(pragma);
    const { to } = migrate(db, target);
    checkTables(db);
    if (options.verify === true) {
      const result = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
      if (result.length !== 1 || result[0]?.quick_check !== 'ok') {
        throw new StoreError('CORRUPT', `quick_check failed: ${result.map((r) => r.quick_check).join('; ')}`);
      }
    }
    return createStore(path, to, db);
  } catch (err) {
    db.close();
    throw toStoreError(err, `opening ${path}`);
  }
}
