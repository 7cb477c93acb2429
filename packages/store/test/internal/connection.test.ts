import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/index.ts';
import { Connection } from '../../src/internal/connection.ts';

function connection(): Connection {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT UNIQUE)');
  return new Connection(db);
}

describe('Connection', () => {
  it('prepares a statement once and reuses it, separately per row mode', () => {
    const c = connection();
    const sql = 'SELECT k, v FROM t WHERE k = ?';
    const first = c.statement(sql);
    expect(c.statement(sql)).toBe(first);
    const plucked = c.statement(sql, 'pluck');
    expect(plucked).not.toBe(first);
    expect(c.statement(sql, 'pluck')).toBe(plucked);
    c.statement('INSERT INTO t (k, v) VALUES (?, ?)').run(1, 'one');
    expect(c.statement(sql).get(1)).toEqual({ k: 1, v: 'one' });
    expect(c.statement(sql, 'pluck').get(1)).toBe(1);
    expect(c.statement(sql, 'raw').get(1)).toEqual([1, 'one']);
    c.close();
  });

  it('maps SQLite errors to StoreError and lets other errors through', () => {
    const c = connection();
    c.statement('INSERT INTO t (k, v) VALUES (?, ?)').run(1, 'one');
    let caught: unknown;
    try {
      c.run('adding', () => c.statement('INSERT INTO t (k, v) VALUES (?, ?)').run(2, 'one'));
    } catch (err) {
      caught = err;
    }
    expect(StoreError.is(caught) && caught.code).toBe('DUPLICATE');
    expect((caught as Error).message).toMatch(/^adding: UNIQUE constraint failed/);
    const own = new Error('mine');
    expect(() =>
      c.run('x', () => {
        throw own;
      }),
    ).toThrow(own);
    c.close();
  });

  it('commits or rolls back a transaction as a whole', () => {
    const c = connection();
    const insert = 'INSERT INTO t (k, v) VALUES (?, ?)';
    c.transaction('two', () => {
      c.statement(insert).run(1, 'a');
      c.statement(insert).run(2, 'b');
    });
    expect(() =>
      c.transaction('dup', () => {
        c.statement(insert).run(3, 'c');
        c.statement(insert).run(4, 'a'); // unique violation: the whole transaction goes
      }),
    ).toThrow(StoreError);
    expect(c.statement('SELECT count(*) FROM t', 'pluck').get()).toBe(2);
    c.close();
  });

  it('closes once and refuses everything afterwards with CLOSED', () => {
    const c = connection();
    c.statement('SELECT 1');
    c.close();
    c.close();
    expect(c.closed).toBe(true);
    expect(c.inTransaction).toBe(false);
    expect(() => c.run('x', () => 1)).toThrow(StoreError);
    expect(() => c.transaction('x', () => 1)).toThrow(/closed/);
    expect(() => c.assertOpen('x')).toThrow(StoreError);
  });
});
