/** SimError: a DispersyError with a stable code. */
import { expect, test } from 'vitest';
import { DispersyError } from '@dispersy/interfaces';
import { SimError } from '../src/index.ts';

test('carries its code, is a DispersyError, and is recognised by is()', () => {
  const err = new SimError('EVENT_LIMIT', 'too many', { cause: 'x' });
  expect(err.code).toBe('EVENT_LIMIT');
  expect(err.name).toBe('SimError');
  expect(err.cause).toBe('x');
  expect(DispersyError.is(err)).toBe(true);
  expect(SimError.is(err)).toBe(true);
  expect(SimError.is(new DispersyError('EVENT_LIMIT', 'other'))).toBe(false);
  expect(SimError.is(new Error('x'))).toBe(false);
});
