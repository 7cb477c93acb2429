import { DispersyError } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { storeCodeOf, toStoreError } from '../src/errors.ts';
import { StoreError } from '../src/index.ts';

function sqliteError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

describe('StoreError', () => {
  it('carries name, code, message and cause', () => {
    const cause = new Error('root');
    const err = new StoreError('CLOSED', 'the store is closed', { cause });
    expect(err).toBeInstanceOf(DispersyError);
    expect(err.name).toBe('StoreError');
    expect(err.code).toBe('CLOSED');
    expect(err.message).toBe('the store is closed');
    expect(err.cause).toBe(cause);
  });

  it('is() recognises store errors only, also from another copy of the package', () => {
    expect(StoreError.is(new StoreError('BUSY', 'x'))).toBe(true);
    expect(StoreError.is(new DispersyError('BUSY', 'x'))).toBe(false);
    expect(StoreError.is(new Error('x'))).toBe(false);
    expect(StoreError.is(undefined)).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: 'StoreError', code: 'BUSY' });
    (foreign as unknown as Record<symbol, boolean>)[Symbol.for('@dispersy/error')] = true;
    expect(StoreError.is(foreign)).toBe(true);
  });
});

describe('mapping SQLite failures', () => {
  it.each([
    ['SQLITE_CONSTRAINT_UNIQUE', 'DUPLICATE'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'DUPLICATE'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'CONSTRAINT'],
    ['SQLITE_CONSTRAINT_CHECK', 'CONSTRAINT'],
    ['SQLITE_BUSY', 'BUSY'],
    ['SQLITE_BUSY_SNAPSHOT', 'BUSY'],
    ['SQLITE_LOCKED', 'BUSY'],
    ['SQLITE_CORRUPT', 'CORRUPT'],
    ['SQLITE_CORRUPT_INDEX', 'CORRUPT'],
    ['SQLITE_NOTADB', 'NOT_A_DISPERSY_DATABASE'],
    ['SQLITE_CANTOPEN', 'CANNOT_OPEN'],
    ['SQLITE_IOERR_WRITE', 'IO'],
    ['SQLITE_READONLY', 'IO'],
    ['SQLITE_FULL', 'IO'],
    ['SQLITE_ERROR', 'SQLITE'],
    ['SQLITE_MISUSE', 'SQLITE'],
  ])('%s → %s', (sqlite, store) => {
    expect(storeCodeOf(sqlite)).toBe(store);
    const mapped = toStoreError(sqliteError(sqlite), 'doing x') as StoreError;
    expect(StoreError.is(mapped)).toBe(true);
    expect(mapped.code).toBe(store);
    expect(mapped.message).toBe(`doing x: boom (${sqlite})`);
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it('passes everything that is not an SQLite error through unchanged', () => {
    const storeError = new StoreError('CLOSED', 'x');
    expect(toStoreError(storeError, 'y')).toBe(storeError);
    const typeError = new TypeError('t');
    expect(toStoreError(typeError, 'y')).toBe(typeError);
    const rangeError = new RangeError('r');
    expect(toStoreError(rangeError, 'y')).toBe(rangeError);
    const callerError = new Error('handler failed');
    expect(toStoreError(callerError, 'y')).toBe(callerError);
    expect(toStoreError('weird', 'y')).toBe('weird');
  });
});
