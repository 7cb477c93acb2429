/**
 * One open better-sqlite3 connection, shared by the store's modules: the prepared-statement cache (prepare once,
 * reuse), error mapping, transactions and the closed state.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError, toStoreError } from '../errors.ts';

/** A prepared statement of better-sqlite3 with untyped parameters and rows. */
export type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** How a statement returns rows: objects keyed by column, the first column's value, or arrays. */
export type RowMode = 'object' | 'pluck' | 'raw';

/** The better-sqlite3 database handle. */
export type Db = BetterSqlite3.Database;

/**
 * The shared connection. Every public store method runs through {@link Connection.run}, which refuses calls after
 * `close()` with `StoreError('CLOSED')` and maps SQLite failures onto {@link StoreError}s.
 */
export class Connection {
  readonly #db: Db;
  readonly #statements = new Map<string, Statement>();
  readonly #transaction: BetterSqlite3.Transaction<(fn: () => unknown) => unknown>;
  #closed = false;

  /** @param db an open database with the store's pragmas applied and its schema migrated */
  constructor(db: Db) {
    this.#db = db;
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a transaction is open on the connection. */
  get inTransaction(): boolean {
    return !this.#closed && this.#db.inTransaction;
  }

  /**
   * Throws `StoreError('CLOSED')` once the connection is closed.
   * @param what the operation, for the message
   */
  assertOpen(what: string): void {
    if (this.#closed) throw new StoreError('CLOSED', `${what}: the store is closed`);
  }

  /**
   * The prepared statement for `sql`, prepared on first use and reused afterwards.
   * @param sql the statement text (a module-level constant, so the cache stays small)
   * @param mode rows as objects (default), the first column only (`pluck`), or arrays (`raw`); cached separately
   * @returns the cached statement
   */
  statement(sql: string, mode: RowMode = 'object'): Statement {
    const key = mode === 'object' ? sql : `${mode}\u0000${sql}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      if (mode === 'pluck') statement.pluck();
      else if (mode === 'raw') statement.raw();
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` against the open connection, mapping any SQLite error onto a {@link StoreError}.
   * @param what the operation, for error messages
   * @param fn the work
   * @returns what `fn` returns
   * @throws StoreError `CLOSED` after close; other codes per {@link toStoreError}
   */
  run<T>(what: string, fn: () => T): T {
    this.assertOpen(what);
    try {
      return fn();
    } catch (err) {
      throw toStoreError(err, what);
    }
  }

  /**
   * Runs `fn` inside one write transaction (`BEGIN IMMEDIATE`), or inside a savepoint when a transaction is already
   * open. Commits when `fn` returns, rolls back when it throws.
   * @param what the operation, for error messages
   * @param fn synchronous work; it must not return a promise
   * @returns what `fn` returns
   */
  transaction<T>(what: string, fn: () => T): T {
    return this.run(what, () => this.#transaction.immediate(fn) as T);
  }

  /**
   * Runs a PRAGMA and returns its rows (uncached: pragmas are rare).
   * @param source the pragma without the `PRAGMA` keyword
   * @returns the result rows
   */
  pragma(source: string): unknown[] {
    return this.#db.pragma(source) as unknown[];
  }

  /**
   * Finalises every cached statement (better-sqlite3 finalises them when the database closes) and closes the
   * database. Idempotent.
   * @throws TypeError inside a transaction (closing would silently roll it back)
   */
  close(): void {
    if (this.#closed) return;
    if (this.#db.inTransaction) throw new TypeError('cannot close the store inside a transaction');
    this.#db.close();
    this.#closed = true;
    this.#statements.clear();
  }
}
