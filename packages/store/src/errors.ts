/**
 * The store's error type and the mapping of SQLite failures onto it.
 * @module
 */
import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';

/**
 * Stable codes of {@link StoreError}, one per condition a caller may want to branch on.
 *
 * - `CLOSED`: the store was closed; every call after `close()` throws this.
 * - `CANNOT_OPEN`: the file cannot be opened or created (missing directory, permissions).
 * - `NOT_A_DISPERSY_DATABASE`: the file is not an SQLite database, or is an SQLite database of another program
 *   (including a database of the original Python Dispersy, which is not imported).
 * - `CORRUPT`: a Dispersy database whose pages or schema are damaged (SQLite reports corruption, a table is missing,
 *   or the integrity check at open failed).
 * - `DATABASE_TOO_NEW`: the schema version is newer than this code knows; open it with a newer release.
 * - `MIGRATION_FAILED`: a schema migration failed; the database was left at its previous version.
 * - `DUPLICATE`: a row with the same unique key exists (for example a second community with the same master).
 * - `CONSTRAINT`: a row refers to a member, community or meta-message id that does not exist, or breaks a CHECK.
 * - `BUSY`: another connection held the database lock for longer than the busy timeout.
 * - `IO`: the operating system failed a read or write (disk full, read-only file system, I/O error).
 * - `SQLITE`: any other SQLite failure; `cause` holds the original error.
 */
export type StoreErrorCode =
  | 'CLOSED'
  | 'CANNOT_OPEN'
  | 'NOT_A_DISPERSY_DATABASE'
  | 'CORRUPT'
  | 'DATABASE_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'DUPLICATE'
  | 'CONSTRAINT'
  | 'BUSY'
  | 'IO'
  | 'SQLITE';

/**
 * A persistence failure of `@dispersy/store`. Raw SQLite errors never reach callers: they are mapped onto one of the
 * {@link StoreErrorCode}s, with the original error as `cause`. Programmer errors (an id that is not a positive
 * integer, a global time above 2^53 − 1) throw `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * try {
 *   store.communities.create({ master, myMember, classification: 'FeedCommunity' });
 * } catch (err) {
 *   if (StoreError.is(err) && err.code === 'DUPLICATE') reuseExisting();
 *   else throw err;
 * }
 * ```
 */
export class StoreError extends DispersyError {
  /** The specific condition. */
  declare readonly code: StoreErrorCode;

  /**
   * @param code the stable condition code
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: StoreErrorCode, message: string, options?: DispersyErrorOptions) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link StoreError}, also one thrown by another installed copy of this package.
   * @param err any value
   * @returns whether `err` is a Dispersy error named `StoreError`
   */
  static override is(err: unknown): err is StoreError {
    return DispersyError.is(err) && err.name === 'StoreError';
  }
}

/** The shape of better-sqlite3's `SqliteError` (its extended result code is in `code`). */
interface SqliteErrorLike {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

function isSqliteError(err: unknown): err is SqliteErrorLike {
  return (
    err instanceof Error && err.name === 'SqliteError' && typeof (err as Partial<SqliteErrorLike>).code === 'string'
  );
}

/**
 * Maps an SQLite result code onto a store error code.
 * @param sqliteCode extended result code such as `SQLITE_CONSTRAINT_UNIQUE`
 * @returns the matching {@link StoreErrorCode}
 */
export function storeCodeOf(sqliteCode: string): StoreErrorCode {
  if (sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE' || sqliteCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'DUPLICATE';
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT')) return 'CONSTRAINT';
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) return 'BUSY';
  if (sqliteCode.startsWith('SQLITE_CORRUPT')) return 'CORRUPT';
  if (sqliteCode === 'SQLITE_NOTADB') return 'NOT_A_DISPERSY_DATABASE';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN')) return 'CANNOT_OPEN';
  if (sqliteCode.startsWith('SQLITE_IOERR') || sqliteCode.startsWith('SQLITE_READONLY')) return 'IO';
  if (sqliteCode === 'SQLITE_FULL') return 'IO';
  return 'SQLITE';
}

/**
 * Converts what a database call threw into what the store may throw: SQLite errors become a {@link StoreError} with
 * the SQLite error as cause; everything else (store errors, `TypeError` / `RangeError` for programmer errors, and
 * whatever a caller's own function threw inside a transaction) passes through unchanged.
 * @param err the thrown value
 * @param context what the store was doing, for the message
 * @returns the value to throw
 */
export function toStoreError(err: unknown, context: string): unknown {
  if (!isSqliteError(err)) return err;
  return new StoreError(storeCodeOf(err.code), `${context}: ${err.message} (${err.code})`, { cause: err });
}
