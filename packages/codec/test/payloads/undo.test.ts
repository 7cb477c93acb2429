/** dispersy-undo-own / dispersy-undo-other (spec §2.5): the target global time must be below the undo's own. */
import { describe, expect, test } from 'vitest';
import type { UndoOtherPayload } from '../../src/index.ts';
import { KEYS, PUBLIC_KEYS } from '../arbitraries.ts';
import { be, craft, debugConversion, decodeError, hex } from '../helpers.ts';

const conversion = debugConversion(2);
const signer = KEYS[0]!;
const target = PUBLIC_KEYS[1]!;
const keyField = [...be(target.bytes.length, 2), ...target.bytes];
const input = { signer, globalTime: 11, sequenceNumber: 1 };
const decodeAs = (name: string, payload: number[]) => conversion.decode(craft(conversion, name, Uint8Array.from(payload), input));

describe('dispersy-undo-own', () => {
  test('decodes a target below the own global time', () => {
    expect(decodeAs('dispersy-undo-own', be(10, 8)).payload).toEqual({ globalTime: 10 });
  });
  test.each([11, 12])('target %i (not below 11) is INVALID_FIELD', (t) => {
    expect(decodeError(() => decodeAs('dispersy-undo-own', be(t, 8))).code).toBe('INVALID_FIELD');
  });
  test('7 bytes is TRUNCATED, 9 TRAILING_BYTES', () => {
    expect(decodeError(() => decodeAs('dispersy-undo-own', be(10, 7))).code).toBe('TRUNCATED');
    expect(decodeError(() => decodeAs('dispersy-undo-own', [...be(10, 8), 0])).code).toBe('TRAILING_BYTES');
  });
  test('the encoder refuses a target that is not below', () => {
    expect(() => conversion.encode('dispersy-undo-own', { ...input, payload: { globalTime: 11 } })).toThrow(RangeError);
  });
});

describe('dispersy-undo-other', () => {
  test('decodes the target member and global time', () => {
    const p = decodeAs('dispersy-undo-other', [...keyField, ...be(6, 8)]).payload as UndoOtherPayload;
    expect(p.globalTime).toBe(6);
    expect(hex(p.member.bytes)).toBe(hex(target.bytes));
  });
  test('a target not below the own global time is INVALID_FIELD', () => {
    expect(decodeError(() => decodeAs('dispersy-undo-other', [...keyField, ...be(11, 8)])).code).toBe('INVALID_FIELD');
  });
  test('a malformed key is BAD_KEY', () => {
    expect(decodeError(() => decodeAs('dispersy-undo-other', [0, 3, 1, 2, 3, ...be(6, 8)])).code).toBe('BAD_KEY');
  });
  test('the encoder refuses a non-key member', () => {
    expect(() => conversion.encode('dispersy-undo-other', { ...input, payload: { member: target.mid, globalTime: 1 } })).toThrow(TypeError);
  });
});
