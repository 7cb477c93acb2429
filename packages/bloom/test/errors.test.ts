import { DispersyError } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { BloomError } from '../src/index.ts';

describe('BloomError', () => {
  it('carries name, code, message and cause', () => {
    const cause = new Error('root');
    const err = new BloomError('SIZE_MISMATCH', 'declared 16 bits, 1 byte given', { cause });
    expect(err).toBeInstanceOf(DispersyError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('BloomError');
    expect(err.code).toBe('SIZE_MISMATCH');
    expect(err.message).toBe('declared 16 bits, 1 byte given');
    expect(err.cause).toBe(cause);
    expect(new BloomError('EMPTY_FILTER', 'x').cause).toBeUndefined();
  });

  it('is() recognises Bloom errors only, also from another copy of the package', () => {
    expect(BloomError.is(new BloomError('EMPTY_FILTER', 'x'))).toBe(true);
    expect(DispersyError.is(new BloomError('EMPTY_FILTER', 'x'))).toBe(true);
    expect(BloomError.is(new DispersyError('TRUNCATED', 'x'))).toBe(false);
    expect(BloomError.is(new RangeError('x'))).toBe(false);
    expect(BloomError.is(null)).toBe(false);
    expect(BloomError.is('BloomError')).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: 'BloomError', code: 'EMPTY_FILTER' });
    (foreign as unknown as Record<symbol, boolean>)[Symbol.for('@dispersy/error')] = true;
    expect(BloomError.is(foreign)).toBe(true);
  });
});
