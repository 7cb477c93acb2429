/**
 * The ordered list of schema migrations and the runner that applies them.
 *
 * The schema version lives in `PRAGMA user_version` (0 = empty database); `PRAGMA application_id` marks the file as
 * a Dispersy store. Pending migrations run together in one `BEGIN IMMEDIATE` transaction, so a failed upgrade leaves
 * the database exactly at its previous version, and two processes opening a new file at once cannot both migrate it.
 * @module
 */
import { StoreError, toStoreError } from '../errors.ts';
import type { Db } from '../internal/connection.ts';
import { APPLICATION_ID } from '../schema.ts';
import { migration001 } from './001-initial.ts';
import { migration002 } from './002-community-sync-index.ts';

/**
 * One numbered schema migration. Migrations run in version order, each exactly once, inside the transaction that
 * also records the new version in `PRAGMA user_version`.
 */
export interface Migration {
  /** The schema version this migration produces: 1, 2, 3, … without gaps. */
  readonly version: number;
  /** A short description, for error messages and logs. */
  readonly name: string;
  /** The SQL to execute (several statements allowed; no PRAGMAs that cannot run inside a transaction). */
  readonly sql: string;
}

/** Every migration, in version order (versions 1, 2, … without gaps). */
export const MIGRATIONS: readonly Migration[] = Object.freeze([migration001, migration002]);

/** The schema version this code creates and understands. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length;

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The version found. */
  readonly from: number;
  /** The version now. */
  readonly to: number;
}

/**
 * Brings the database to schema version `target`, running each pending migration once, all in one transaction.
 * @param db the open database (pragmas applied)
 * @param target the version to reach: {@link LATEST_SCHEMA_VERSION}, or lower in tests (`migrateTo`)
 * @returns the versions before and after
 * @throws StoreError `DATABASE_TOO_NEW` when the database is newer than `target`; `MIGRATION_FAILED` when a
 *   migration's SQL fails (nothing is changed)
 * @example
 * ```ts
 * migrate(db, LATEST_SCHEMA_VERSION); // { from: 1, to: 2 } for a database made by schema 1
 * ```
 */
export function migrate(db: Db, target: number = LATEST_SCHEMA_VERSION): MigrationResult {
  if (!Number.isInteger(target) || target < 1 || target > LATEST_SCHEMA_VERSION) {
    throw new RangeError(`migrateTo must be an integer in [1, ${LATEST_SCHEMA_VERSION}], got ${String(target)}`);
  }
  const run = db.transaction((): MigrationResult => {
    // Read inside the transaction: another process may have migrated since this one looked.
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > target) {
      throw new StoreError(
        'DATABASE_TOO_NEW',
        from > LATEST_SCHEMA_VERSION
          ? `database schema version ${from} is newer than this code (${LATEST_SCHEMA_VERSION})`
          : `database schema version ${from} is newer than the requested version ${target}`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= from || migration.version > target) continue;
      try {
        db.exec(migration.sql);
      } catch (err) {
        throw new StoreError(
          'MIGRATION_FAILED',
          `migration ${migration.version} (${migration.name}) failed: ${err instanceof Error ? err.message : err}`,
          { cause: err },
        );
      }
      db.pragma(`user_version = ${migration.version}`);
    }
    if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    return { from, to: target };
  });
  try {
    return run.immediate();
  } catch (err) {
    throw toStoreError(err, 'migrating the schema');
  }
}
