import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS, UNDONE_BY_POLICY, openStore } from '../src/index.ts';
import { migrate } from '../src/migrations/index.ts';
import { codeOf, open, packet, seed, tempDir } from './helpers.ts';

function raw(path: string): Database.Database {
  return new Database(path);
}

function indexes(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

describe('the migration list', () => {
  it('numbers migrations 1, 2, … without gaps, and the latest version is the last one', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)?.version);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    for (const m of MIGRATIONS) {
      expect(m.name.length).toBeGreaterThan(0);
      expect(m.sql).not.toMatch(/PRAGMA/i);
    }
  });
});

describe('a new database', () => {
  it('gets every migration, the Dispersy application id and the schema version', () => {
    const path = join(tempDir(), 'node.db');
    openStore(path).close();
    const db = raw(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(indexes(db)).toEqual([
      'double_signed_sync_members',
      'member_mid',
      'member_public_key',
      'sync_community_global_time',
      'sync_meta_member_global_time',
      'sync_meta_member_sequence',
      'sync_meta_undone_global_time',
    ]);
    db.close();
  });

  it('stops at migrateTo (the test hook that builds an older release’s database)', () => {
    const path = join(tempDir(), 'v1.db');
    const store = openStore(path, { migrateTo: 1 });
    expect(store.schemaVersion).toBe(1);
    store.close();
    const db = raw(path);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(indexes(db)).not.toContain('sync_community_global_time');
    db.close();
  });
});

describe('upgrading a database made by schema 1', () => {
  it('keeps every row and adds the index the requester selection uses', () => {
    const path = join(tempDir(), 'v1.db');
    const old = openStore(path, { migrateTo: 1 });
    const s = seed(old);
    const text = s.meta('ASC-text');
    const results = old.sync.insertBatch([
      ...Array.from({ length: 50 }, (_, i) => ({
        community: s.community,
        member: s.alice.id,
        globalTime: i + 1,
        meta: text,
        packet: packet(s.alice.id, i + 1),
      })),
      {
        community: s.community,
        member: s.bob.id,
        globalTime: 60,
        meta: s.meta('sequence-text'),
        packet: packet(s.bob.id, 60),
        sequence: 1,
      },
      {
        community: s.community,
        member: s.alice.id,
        globalTime: 70,
        meta: s.meta('double-signed-text'),
        packet: packet(s.alice.id, 70),
        members: [s.bob.id, s.alice.id],
      },
    ]);
    old.undo.markUndone({ community: s.community, member: s.alice.id, globalTime: 3 }, results[10]?.id ?? 0);
    old.undo.markUndoneByPolicy(results[4]?.id ?? 0);
    old.members.setPrivateKey(s.me.id, new Uint8Array([9, 9, 9]));
    old.setOption('note', 'made by schema 1');
    const before = [...old.sync.iterateByMeta(text)];
    old.close();

    const store = open(path);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect([...store.sync.iterateByMeta(text)]).toEqual(before);
    expect(before.filter((row) => row.undone !== 0).map((row) => row.undone)).toEqual([
      results[10]?.id,
      UNDONE_BY_POLICY,
    ]);
    expect(store.sequences.head(s.meta('sequence-text'), s.bob.id)).toEqual({ globalTime: 60, sequence: 1 });
    expect(store.history.pairRows(s.meta('double-signed-text'), s.alice.id, s.bob.id).map((r) => r.globalTime)).toEqual(
      [70],
    );
    expect(store.members.getPrivateKey(s.me.id)).toEqual(new Uint8Array([9, 9, 9]));
    expect(store.communities.getById(s.community)).toMatchObject({ master: s.master.id, myMember: s.me.id });
    expect(store.metas.list(s.community).map((m) => m.name)).toEqual([...s.metas.values()].map((m) => m.name));
    expect(store.getOption('note')).toBe('made by schema 1');
    expect(store.sync.maxGlobalTime(s.community)).toBe(70);
    expect(store.selection.requesterRange({ community: s.community, order: 'ASC', from: 1, limit: 100 })).toHaveLength(
      50,
    );
    store.close();

    const db = raw(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(indexes(db)).toContain('sync_community_global_time');
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT s.id, s.global_time, s.packet FROM sync AS s CROSS JOIN meta_message AS m
         ON m.id = s.meta_message WHERE s.community = 1 AND s.undone = 0 AND m.priority > 32 AND s.global_time >= 5
         ORDER BY s.global_time LIMIT 10`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('USING INDEX sync_community_global_time');
    expect(plan.map((p) => p.detail).join(' | ')).not.toContain('TEMP B-TREE');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('leaves the database at version 1 when a migration fails (MIGRATION_FAILED)', () => {
    const path = join(tempDir(), 'v1.db');
    const old = openStore(path, { migrateTo: 1 });
    seed(old);
    old.close();
    const db = raw(path);
    db.exec('CREATE TABLE sync_community_global_time (x)'); // the name migration 2 needs for its index
    db.close();
    expect(codeOf(() => openStore(path))).toBe('MIGRATION_FAILED');
    const after = raw(path);
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    expect(after.prepare('SELECT count(*) FROM member').pluck().get()).toBe(4);
    after.close();
  });
});

describe('refusing databases newer than the code', () => {
  it('refuses a schema version above the latest with DATABASE_TOO_NEW and leaves it alone', () => {
    const path = join(tempDir(), 'future.db');
    openStore(path).close();
    const db = raw(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(codeOf(() => openStore(path))).toBe('DATABASE_TOO_NEW');
    const after = raw(path);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    after.close();
  });

  it('refuses to go back to an older schema with migrateTo', () => {
    const path = join(tempDir(), 'node.db');
    openStore(path).close();
    expect(codeOf(() => openStore(path, { migrateTo: 1 }))).toBe('DATABASE_TOO_NEW');
  });
});

describe('migrate()', () => {
  it('reports the versions before and after, and does nothing the second time', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 1)).toEqual({ from: 0, to: 1 });
      expect(migrate(db)).toEqual({ from: 1, to: LATEST_SCHEMA_VERSION });
      expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(() => migrate(db, 0)).toThrow(RangeError);
    } finally {
      db.close();
    }
  });
});
