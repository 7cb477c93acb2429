import { describe, expect, it } from 'vitest';
import { DispersyError } from '../src/index.ts';

class ExampleError extends DispersyError {}

describe('DispersyError', () => {
  it('carries name, code, message and cause', () => {
    const cause = new Error('inner');
    const err = new ExampleError('SOME_CODE', 'something failed', { cause });
    expect(err.name).toBe('ExampleError');
    expect(err.code).toBe('SOME_CODE');
    expect(err.message).toBe('something failed');
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
  });

  it('is() recognises Dispersy errors by marker, not by class identity', () => {
    expect(DispersyError.is(new ExampleError('X', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('@dispersy/error')]: true });
    expect(DispersyError.is(foreign)).toBe(true);
    expect(DispersyError.is(new Error('plain'))).toBe(false);
    expect(DispersyError.is(null)).toBe(false);
    expect(DispersyError.is('TRUNCATED')).toBe(false);
  });
});
