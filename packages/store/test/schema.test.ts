import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, StoreError } from '../src/index.ts';
import { checkTables, connectionPragmas, identifyDatabase } from '../src/schema.ts';

describe('connectionPragmas', () => {
  it('uses WAL for files only, and the chosen synchronous level', () => {
    const base = { busyTimeoutMs: 5000, cacheSizeKiB: 32_768 };
    const file = connectionPragmas({ ...base, file: true, synchronous: 'normal' });
    expect(file).toEqual([
      'journal_mode = WAL',
      'synchronous = NORMAL',
      'foreign_keys = ON',
      'busy_timeout = 5000',
      'cache_size = -32768',
      'temp_store = MEMORY',
      'journal_size_limit = 67108864',
    ]);
    const memory = connectionPragmas({ ...base, file: false, synchronous: 'full' });
    expect(memory).not.toContain('journal_mode = WAL');
    expect(memory).toContain('synchronous = FULL');
  });
});

describe('identifyDatabase', () => {
  it('tells an empty database from a Dispersy store and from anything else', () => {
    const db = new Database(':memory:');
    expect(identifyDatabase(db)).toEqual({ kind: 'empty' });
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 2');
    expect(identifyDatabase(db)).toEqual({ kind: 'dispersy', version: 2 });
    db.pragma('application_id = 7');
    expect(() => identifyDatabase(db)).toThrow(StoreError);
    db.pragma('application_id = 0');
    db.pragma('user_version = 0');
    db.exec('CREATE TABLE x (y)');
    expect(() => identifyDatabase(db)).toThrow(/not a Dispersy database/);
    expect(() => checkTables(db)).toThrow(/missing tables: member, community/);
    db.close();
  });
});
