/**
 * The shape of one schema migration.
 * @module
 */

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
