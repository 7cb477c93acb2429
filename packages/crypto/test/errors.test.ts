import { DispersyError } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';

import { KeyFileError, KeyFormatError, VerifyPoolError } from '../src/errors.ts';

describe('error classes', () => {
  it.each([
    [KeyFormatError, 'BAD_DER'],
    [KeyFileError, 'KEY_FILE_EXISTS'],
    [VerifyPoolError, 'POOL_CLOSED'],
  ] as const)('%o carries name, code, cause and the Dispersy marker', (ErrorClass, code) => {
    const cause = new Error('inner');
    const error = new ErrorClass(code as never, 'message', { cause });
    expect(error).toBeInstanceOf(DispersyError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(cause);
    expect(DispersyError.is(error)).toBe(true);
    expect(ErrorClass.is(error)).toBe(true);
  });

  it('is() tells the classes apart and rejects look-alikes', () => {
    const format = new KeyFormatError('BAD_HEX', 'x');
    expect(KeyFileError.is(format)).toBe(false);
    expect(VerifyPoolError.is(format)).toBe(false);
    expect(KeyFormatError.is(new Error('x'))).toBe(false);
    expect(KeyFormatError.is({ name: 'KeyFormatError', code: 'BAD_HEX' })).toBe(false);
    expect(KeyFormatError.is(null)).toBe(false);
  });
});
