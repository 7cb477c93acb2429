/** DecodeError / MissingMemberError: codes, markers, offsets. */
import { describe, expect, test } from 'vitest';
import { DispersyError } from '@dispersy/interfaces';
import { DECODE_ERROR_CODES, DecodeError, MissingMemberError } from '../src/index.ts';

describe('DecodeError', () => {
  test('is a DispersyError with a stable code, an offset and a cause', () => {
    const cause = new Error('inner');
    const err = new DecodeError('TRUNCATED', 'short', { offset: 7, cause });
    expect(err).toBeInstanceOf(DispersyError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('DecodeError');
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBe(7);
    expect(err.cause).toBe(cause);
    expect(DecodeError.is(err)).toBe(true);
    expect(DispersyError.is(err)).toBe(true);
  });

  test('is() tells other errors apart', () => {
    expect(DecodeError.is(new DispersyError('X', 'x'))).toBe(false);
    expect(DecodeError.is(new Error('x'))).toBe(false);
    expect(DecodeError.is(null)).toBe(false);
    expect(DecodeError.is('TRUNCATED')).toBe(false);
  });

  test('the code list is the documented one', () => {
    expect(DECODE_ERROR_CODES).toEqual([
      'TRUNCATED',
      'TRAILING_BYTES',
      'BAD_HEADER',
      'UNKNOWN_COMMUNITY',
      'UNKNOWN_MESSAGE',
      'UNKNOWN_MEMBER',
      'BAD_KEY',
      'BAD_SIGNATURE',
      'EMPTY_SIGNATURE',
      'BAD_RESOLUTION',
      'ZERO_GLOBAL_TIME',
      'ZERO_SEQUENCE_NUMBER',
      'UNSAFE_INTEGER',
      'LENGTH_LIMIT',
      'INVALID_UTF8',
      'INVALID_FIELD',
    ]);
  });
});

describe('MissingMemberError', () => {
  test('carries a copy of the mid and the section, with code UNKNOWN_MEMBER', () => {
    const mid = new Uint8Array(20).fill(3);
    const err = new MissingMemberError(mid, 'authentication', { offset: 23 });
    mid[0] = 0;
    expect(err.mid[0]).toBe(3);
    expect(err.code).toBe('UNKNOWN_MEMBER');
    expect(err.section).toBe('authentication');
    expect(err.name).toBe('MissingMemberError');
    expect(err.message).toContain('03'.repeat(20));
    expect(DecodeError.is(err)).toBe(true);
    expect(MissingMemberError.is(err)).toBe(true);
    expect(MissingMemberError.is(new DecodeError('UNKNOWN_MEMBER', 'x'))).toBe(false);
  });
});
