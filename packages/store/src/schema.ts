/**
 * How a database file is recognised as a Dispersy store, and the connection settings (pragmas) the store applies.
 * The tables themselves are created by the numbered migrations in `./migrations/`.
 * @module
 */
import { StoreError } from './errors.ts';
import type { Db } from './internal/connection.ts';

/**
 * `PRAGMA application_id` of a Dispersy store: the ASCII bytes `DSPY`. Set by the first migration; a database
 * with any other application id (and any content) is refused as `NOT_A_DISPERSY_DATABASE`.
 */
export const APPLICATION_ID = 0x44535059;

/**
 * Page size of new databases. 4096 matches the operating system's page and SQLite's default; a packet of up to
 * about 4 KB (every Dispersy packet that fits a 1500-byte MTU) stays inside its table leaf page, and the many
 * small commits write small WAL frames. Existing databases keep the page size they were created with.
 */
export const PAGE_SIZE = 4096;

/** The tables every migrated store has; one missing means the file is damaged. */
export const TABLES: readonly string[] = [
  'member',
  'community',
  'meta_message',
  'sync',
  'double_signed_sync',
  'option',
];

/**
 * When SQLite waits for the disk.
 *
 * - `'normal'` (default): in WAL mode a commit is written to the WAL file but not fsync'd; it survives a crash of
 *   the process (kill -9: the data is in the operating system's cache) but the last commits may be lost when the
 *   machine loses power. The database is never corrupted either way.
 * - `'full'`: every commit is fsync'd; it also survives power loss, at the cost of one fsync per transaction.
 */
export type SynchronousMode = 'normal' | 'full';

/** Settings that decide the connection pragmas. */
export interface PragmaSettings {
  /** Whether the database is a file (WAL applies) rather than `:memory:`. */
  readonly file: boolean;
  /** See {@link SynchronousMode}. */
  readonly synchronous: SynchronousMode;
  /** How long a statement waits for a lock held by another connection, in milliseconds. */
  readonly busyTimeoutMs: number;
  /** Page cache size in KiB. */
  readonly cacheSizeKiB: number;
}

/**
 * The pragmas the store applies to every connection, in order, as `name = value` strings (plain data, so a test's
 * child process without TypeScript can apply exactly the same settings).
 *
 * - `journal_mode = WAL` (files only): readers do not block the writer; a commit is one append to the WAL.
 * - `synchronous`: see {@link SynchronousMode}.
 * - `foreign_keys = ON`: rows must refer to existing members, communities and meta-messages; deleting a sync row
 *   deletes its double-signed pair.
 * - `busy_timeout`: wait this long for another connection's lock before failing with `BUSY`.
 * - `cache_size`, `temp_store = MEMORY`: keep the sync indexes in memory for the selection queries.
 * - `journal_size_limit`: truncate the WAL file back to 64 MiB after checkpoints.
 * @param settings connection settings
 * @returns the pragma assignments
 */
export function connectionPragmas(settings: PragmaSettings): string[] {
  return [
    ...(settings.file ? ['journal_mode = WAL'] : []),
    `synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`,
    'foreign_keys = ON',
    `busy_timeout = ${settings.busyTimeoutMs}`,
    `cache_size = -${settings.cacheSizeKiB}`,
    'temp_store = MEMORY',
    `journal_size_limit = ${64 * 1024 * 1024}`,
  ];
}

/** What an opened file turned out to be. */
export type DatabaseKind = { readonly kind: 'empty' } | { readonly kind: 'dispersy'; readonly version: number };

/**
 * Decides whether a freshly opened database is empty (to be initialised) or a Dispersy store (to be migrated),
 * without modifying it.
 * @param db the open database
 * @returns the kind and, for a store, its schema version
 * @throws StoreError `NOT_A_DISPERSY_DATABASE` for any other database; SQLite's "file is not a database" is mapped
 *   to the same code by the caller
 */
export function identifyDatabase(db: Db): DatabaseKind {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
  if (applicationId === APPLICATION_ID) {
    if (version <= 0) throw new StoreError('CORRUPT', 'Dispersy database without a schema version');
    return { kind: 'dispersy', version };
  }
  if (applicationId === 0 && version === 0 && objects === 0) return { kind: 'empty' };
  const hint =
    applicationId === 0 && db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'option'").get() !== undefined
      ? ' (a database of the original Python Dispersy is not imported)'
      : '';
  throw new StoreError(
    'NOT_A_DISPERSY_DATABASE',
    `not a Dispersy database: application_id ${applicationId}, user_version ${version}, ` +
      `${objects} schema objects${hint}`,
  );
}

/**
 * Checks that every table of the schema exists.
 * @param db the migrated database
 * @throws StoreError `CORRUPT` naming the missing tables
 */
export function checkTables(db: Db): void {
  const present = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  const missing = TABLES.filter((name) => !present.has(name));
  if (missing.length > 0) throw new StoreError('CORRUPT', `Dispersy database is missing tables: ${missing.join(', ')}`);
}
