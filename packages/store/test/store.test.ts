import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, PAGE_SIZE, openStore } from '../src/index.ts';
import { member, open, packet, seed, storeErrorOf, tempDir } from './helpers.ts';

describe('openStore', () => {
  it('opens an in-memory store at the latest schema', () => {
    const store = open();
    expect(store.path).toBe(':memory:');
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.closed).toBe(false);
    expect(store.settings()).toMatchObject({
      journalMode: 'memory',
      synchronous: 1,
      foreignKeys: true,
      busyTimeoutMs: 5000,
    });
  });

  it('creates a file database in WAL mode with synchronous NORMAL, foreign keys and the page size', () => {
    const path = join(tempDir(), 'node.db');
    const store = open(path);
    expect(store.settings()).toEqual({
      journalMode: 'wal',
      synchronous: 1,
      foreignKeys: true,
      pageSize: PAGE_SIZE,
      busyTimeoutMs: 5000,
    });
    expect(existsSync(path)).toBe(true);
  });

  it('applies synchronous FULL and a custom busy timeout when asked', () => {
    const store = open(join(tempDir(), 'full.db'), { synchronous: 'full', busyTimeoutMs: 250 });
    expect(store.settings()).toMatchObject({ synchronous: 2, busyTimeoutMs: 250 });
  });

  it('keeps data across close and reopen', () => {
    const path = join(tempDir(), 'node.db');
    const first = openStore(path);
    const s = seed(first);
    first.sync.insert({
      community: s.community,
      member: s.me.id,
      globalTime: 7,
      meta: s.meta('ASC-text'),
      packet: packet(1, 7),
    });
    first.setOption('walker', 'on');
    first.close();
    const second = open(path);
    expect(second.sync.maxGlobalTime(s.community)).toBe(7);
    expect(second.getOption('walker')).toBe('on');
    expect(second.members.getById(s.me.id)?.publicKey).toEqual(s.me.publicKey);
  });

  it('rejects bad options with RangeError before touching the file', () => {
    expect(() => openStore(':memory:', { synchronous: 'off' as 'full' })).toThrow(RangeError);
    expect(() => openStore(':memory:', { busyTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => openStore(':memory:', { cacheSizeKiB: 1 })).toThrow(RangeError);
    expect(() => openStore(':memory:', { migrateTo: 0 })).toThrow(RangeError);
    expect(() => openStore(':memory:', { migrateTo: LATEST_SCHEMA_VERSION + 1 })).toThrow(RangeError);
    expect(() => openStore('')).toThrow(RangeError);
    expect(() => openStore(42 as unknown as string)).toThrow(TypeError);
  });

  it('refuses a path it cannot open with CANNOT_OPEN', () => {
    const err = storeErrorOf(() => openStore(join(tempDir(), 'missing-dir', 'node.db')));
    expect(err.code).toBe('CANNOT_OPEN');
  });

  it('refuses a file that is not an SQLite database with NOT_A_DISPERSY_DATABASE, leaving it unchanged', () => {
    const path = join(tempDir(), 'notes.txt');
    const text = 'These are not the pages you are looking for. '.repeat(200);
    writeFileSync(path, text);
    const err = storeErrorOf(() => openStore(path));
    expect(err.code).toBe('NOT_A_DISPERSY_DATABASE');
    expect(err.cause).toBeDefined();
  });

  it('refuses another program’s SQLite database without modifying it', () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE song (title TEXT)');
    other.close();
    const err = storeErrorOf(() => openStore(path));
    expect(err.code).toBe('NOT_A_DISPERSY_DATABASE');
    const check = new Database(path);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete'); // not switched to WAL
    expect(check.pragma('application_id', { simple: true })).toBe(0);
    check.close();
  });

  it('refuses a database of the original Python Dispersy with a hint', () => {
    const path = join(tempDir(), 'dispersy.db');
    const original = new Database(path);
    original.exec(`CREATE TABLE option (key TEXT PRIMARY KEY, value BLOB);
      INSERT INTO option (key, value) VALUES ('database_version', '21');`);
    original.close();
    const err = storeErrorOf(() => openStore(path));
    expect(err.code).toBe('NOT_A_DISPERSY_DATABASE');
    expect(err.message).toContain('original Python Dispersy');
  });

  it('refuses a Dispersy database with a missing table as CORRUPT', () => {
    const path = join(tempDir(), 'node.db');
    openStore(path).close();
    const db = new Database(path);
    db.exec('DROP TABLE double_signed_sync');
    db.close();
    const err = storeErrorOf(() => openStore(path));
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toContain('double_signed_sync');
  });

  it('refuses a Dispersy database without a schema version as CORRUPT', () => {
    const path = join(tempDir(), 'node.db');
    openStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 0');
    db.close();
    expect(storeErrorOf(() => openStore(path)).code).toBe('CORRUPT');
  });

  it('finds damaged pages with verify: true (CORRUPT) and reports them in integrityCheck()', () => {
    const path = join(tempDir(), 'node.db');
    const store = openStore(path);
    const s = seed(store);
    store.sync.insertBatch(
      Array.from({ length: 400 }, (_, i) => ({
        community: s.community,
        member: s.alice.id,
        globalTime: i + 1,
        meta: s.meta('ASC-text'),
        packet: packet(s.alice.id, i + 1, 200),
      })),
    );
    store.close();
    // Overwrite a few index/table pages in the middle of the file (not page 1, the header).
    const db = new Database(path);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const garbage = Buffer.alloc(PAGE_SIZE * 3, 0x5a);
    const handle = openSync(path, 'r+');
    writeSync(handle, garbage, 0, garbage.length, PAGE_SIZE * Math.floor(pages / 2));
    closeSync(handle);
    expect(storeErrorOf(() => openStore(path, { verify: true })).code).toBe('CORRUPT');
    const unverified = open(path);
    const report = unverified.integrityCheck();
    expect(report.ok).toBe(false);
    expect(report.messages.length).toBeGreaterThan(0);
  });

  it('reports a healthy database as ok', () => {
    const store = open(join(tempDir(), 'node.db'), { verify: true });
    seed(store);
    expect(store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
  });
});

describe('options', () => {
  it('sets, replaces, reads and deletes key/value options', () => {
    const store = open();
    expect(store.getOption('k')).toBeUndefined();
    store.setOption('k', 'one');
    store.setOption('k', 'two');
    store.setOption('empty', '');
    expect(store.getOption('k')).toBe('two');
    expect(store.getOption('empty')).toBe('');
    expect(store.deleteOption('k')).toBe(true);
    expect(store.deleteOption('k')).toBe(false);
    expect(() => store.setOption('', 'x')).toThrow(RangeError);
    expect(() => store.setOption('k', 1 as unknown as string)).toThrow(TypeError);
  });
});

describe('transaction', () => {
  it('commits every write of the function together', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const result = s.store.transaction(() => {
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) });
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 2, meta, packet: packet(1, 2) });
      expect(s.store.inTransaction).toBe(true);
      return 'done';
    });
    expect(result).toBe('done');
    expect(s.store.inTransaction).toBe(false);
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(2);
  });

  it('rolls everything back when the function throws, and rethrows', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const boom = new Error('handler failed');
    expect(() =>
      s.store.transaction(() => {
        s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) });
        throw boom;
      }),
    ).toThrow(boom);
    expect(s.store.sync.exists({ community: s.community, member: s.alice.id, globalTime: 1 })).toBe(false);
  });

  it('nests as savepoints: an inner failure caught by the outer function rolls back only the inner part', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    s.store.transaction(() => {
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) });
      try {
        s.store.transaction(() => {
          s.store.sync.insert({
            community: s.community,
            member: s.alice.id,
            globalTime: 2,
            meta,
            packet: packet(1, 2),
          });
          throw new Error('inner');
        });
      } catch {
        // ignored: the outer transaction continues
      }
    });
    expect(s.store.sync.exists({ community: s.community, member: s.alice.id, globalTime: 1 })).toBe(true);
    expect(s.store.sync.exists({ community: s.community, member: s.alice.id, globalTime: 2 })).toBe(false);
  });

  it('refuses asynchronous functions', () => {
    const store = open();
    expect(() => store.transaction(async () => 1)).toThrow(TypeError);
    expect(() => store.transaction('x' as unknown as () => void)).toThrow(TypeError);
    expect(store.inTransaction).toBe(false);
  });
});

describe('close', () => {
  it('is idempotent and makes every later call throw CLOSED', () => {
    const s = seed(openStore(':memory:'));
    const meta = s.meta('ASC-text');
    s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) });
    const pending = s.store.sync.iterateByMeta(meta, { chunkSize: 1 });
    expect(pending.next().done).toBe(false);
    s.store.close();
    s.store.close();
    expect(s.store.closed).toBe(true);
    expect(s.store.inTransaction).toBe(false);
    const key = { community: s.community, member: s.alice.id, globalTime: 1 };
    const calls: (() => unknown)[] = [
      () => s.store.transaction(() => 1),
      () => s.store.getOption('k'),
      () => s.store.setOption('k', 'v'),
      () => s.store.integrityCheck(),
      () => s.store.settings(),
      () => member(s.store, 'carol'),
      () => s.store.members.getById(1),
      () => s.store.communities.getById(1),
      () => s.store.metas.list(s.community),
      () => s.store.sync.get(key),
      () => s.store.sync.insertBatch([]),
      () => s.store.sync.iterateByMeta(meta),
      () => s.store.sequences.head(meta, s.alice.id),
      () => s.store.history.globalTimes(meta, s.alice.id),
      () => s.store.undo.markUndoneByPolicy(1),
      () => s.store.selection.countSyncable(s.community),
      () => s.store.selection.responderRows({ metas: [], timeLow: 1, timeHigh: 2 }),
      () => pending.next(),
    ];
    for (const call of calls) expect(storeErrorOf(call).code).toBe('CLOSED');
  });

  it('refuses to close inside a transaction, which would silently roll it back', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    s.store.transaction(() => {
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) });
      expect(() => s.store.close()).toThrow(TypeError);
    });
    expect(s.store.closed).toBe(false);
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(1);
  });

  it('checkpoints the WAL into the main file', () => {
    const path = join(tempDir(), 'node.db');
    const store = openStore(path);
    seed(store);
    expect(existsSync(`${path}-wal`)).toBe(true);
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
