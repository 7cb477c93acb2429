import { DispersyError } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { reject, WalkerError } from '../src/index.ts';

describe('WalkerError', () => {
  it('carries a stable code and name, and is recognised across copies', () => {
    const err = new WalkerError('IDENTIFIERS_EXHAUSTED', 'no identifier', { cause: 'x' });
    expect(err).toBeInstanceOf(DispersyError);
    expect([err.name, err.code, err.cause]).toEqual(['WalkerError', 'IDENTIFIERS_EXHAUSTED', 'x']);
    expect(WalkerError.is(err)).toBe(true);
    expect(DispersyError.is(err)).toBe(true);
    expect(WalkerError.is(new DispersyError('X', 'other'))).toBe(false);
    expect(WalkerError.is(new Error('plain'))).toBe(false);
  });
  it('reject builds a rejection', () => {
    expect(reject('UNKNOWN_IDENTIFIER')).toEqual({ accepted: false, reason: 'UNKNOWN_IDENTIFIER' });
  });
});
