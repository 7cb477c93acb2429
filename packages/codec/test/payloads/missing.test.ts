/** missing-sequence, missing-message and missing-proof (spec §2.5): every decode check. */
import { describe, expect, test } from 'vitest';
import { KeyFormatError } from '@dispersy/crypto';
import { MissingMemberError, type MissingMessagePayload, type MissingProofPayload, type MissingSequencePayload } from '../../src/index.ts';
import { KEYS, PUBLIC_KEYS } from '../arbitraries.ts';
import { be, craft, debugConversion, decodeError, hex, lookupOf } from '../helpers.ts';

const conversion = debugConversion(2, lookupOf(PUBLIC_KEYS));
const member = PUBLIC_KEYS[1]!;
const keyField = (k: Uint8Array): number[] => [...be(k.length, 2), ...k];
const decodeRaw = (name: string, payload: number[]): unknown => conversion.decode(craft(conversion, name, Uint8Array.from(payload), { globalTime: 9 })).payload;
const errorRaw = (name: string, payload: number[]) => decodeError(() => decodeRaw(name, payload));

describe('dispersy-missing-sequence', () => {
  const raw = (mid: Uint8Array, id: number, low: number, high: number): number[] => [...mid, id, ...be(low, 4), ...be(high, 4)];

  test('decodes a known member, a known meta and 0 < low ≤ high (29 bytes)', () => {
    const p = decodeRaw('dispersy-missing-sequence', raw(member.mid, 112, 3, 3)) as MissingSequencePayload;
    expect(hex(p.member.bytes)).toBe(hex(member.bytes));
    expect(p).toMatchObject({ meta: 'sequence-text', missingLow: 3, missingHigh: 3 });
  });

  test('an unknown member is UNKNOWN_MEMBER, reported as a MissingMemberError of the payload with its mid', () => {
    const stranger = KEYS[0]!.publicKey.mid.map((b) => b ^ 0xff);
    const err = errorRaw('dispersy-missing-sequence', raw(stranger, 112, 1, 1));
    expect(err.code).toBe('UNKNOWN_MEMBER');
    expect(MissingMemberError.is(err)).toBe(true);
    expect((err as MissingMemberError).section).toBe('payload');
    expect(hex((err as MissingMemberError).mid)).toBe(hex(stranger));
  });

  test('an undefined message id is UNKNOWN_MESSAGE', () => {
    expect(errorRaw('dispersy-missing-sequence', raw(member.mid, 99, 1, 1)).code).toBe('UNKNOWN_MESSAGE');
  });

  test.each([
    [0, 1],
    [0, 0],
    [5, 4],
  ])('low %i, high %i is INVALID_FIELD', (low, high) => {
    expect(errorRaw('dispersy-missing-sequence', raw(member.mid, 112, low, high)).code).toBe('INVALID_FIELD');
  });

  test('28 bytes is TRUNCATED, 30 is TRAILING_BYTES', () => {
    expect(errorRaw('dispersy-missing-sequence', raw(member.mid, 112, 1, 1).slice(0, 28)).code).toBe('TRUNCATED');
    expect(errorRaw('dispersy-missing-sequence', [...raw(member.mid, 112, 1, 1), 0]).code).toBe('TRAILING_BYTES');
  });

  test('the encoder needs only the mid, a known meta name and a valid range', () => {
    const payload = { member: { mid: member.mid }, meta: 'sequence-text', missingLow: 1, missingHigh: 2 };
    const m = conversion.decode(conversion.encode('dispersy-missing-sequence', { globalTime: 1, payload }));
    expect((m.payload as MissingSequencePayload).missingHigh).toBe(2);
    expect(() => conversion.encode('dispersy-missing-sequence', { globalTime: 1, payload: { ...payload, meta: 'nope' } })).toThrow(RangeError);
    expect(() => conversion.encode('dispersy-missing-sequence', { globalTime: 1, payload: { ...payload, missingLow: 3 } })).toThrow(RangeError);
    expect(() => conversion.encode('dispersy-missing-sequence', { globalTime: 1, payload: { ...payload, member: {} } })).toThrow(TypeError);
  });
});

describe('dispersy-missing-message', () => {
  test('decodes a key and N ≥ 1 global times', () => {
    const p = decodeRaw('dispersy-missing-message', [...keyField(member.bytes), ...be(12, 8), ...be(13, 8)]) as MissingMessagePayload;
    expect(p.globalTimes).toEqual([12, 13]);
    expect(hex(p.member.bytes)).toBe(hex(member.bytes));
  });

  test.each([
    ['no global time', 0],
    ['a partial global time', 12],
    ['one and a half global times', 4],
  ])('%s is INVALID_FIELD', (_name, extra) => {
    expect(errorRaw('dispersy-missing-message', [...keyField(member.bytes), ...new Array<number>(extra).fill(1)]).code).toBe('INVALID_FIELD');
  });

  test('a malformed key is BAD_KEY with the crypto error as cause', () => {
    const err = errorRaw('dispersy-missing-message', [...keyField(new Uint8Array(74).fill(0x49)), ...be(1, 8)]);
    expect(err.code).toBe('BAD_KEY');
    expect(KeyFormatError.is(err.cause)).toBe(true);
  });

  test('a key length beyond the payload is TRUNCATED', () => {
    expect(errorRaw('dispersy-missing-message', [...be(200, 2), 1, 2, 3]).code).toBe('TRUNCATED');
  });

  test('the encoder refuses an empty list', () => {
    expect(() => conversion.encode('dispersy-missing-message', { globalTime: 1, payload: { member, globalTimes: [] } })).toThrow(RangeError);
  });
});

describe('dispersy-missing-proof', () => {
  test('decodes a global time and a key', () => {
    const p = decodeRaw('dispersy-missing-proof', [...be(10, 8), ...keyField(member.bytes)]) as MissingProofPayload;
    expect(p.globalTime).toBe(10);
    expect(hex(p.member.mid)).toBe(hex(member.mid));
  });

  test('a malformed key is BAD_KEY; a short key TRUNCATED; extra bytes TRAILING_BYTES', () => {
    expect(errorRaw('dispersy-missing-proof', [...be(10, 8), ...keyField(Uint8Array.of(1, 2, 3))]).code).toBe('BAD_KEY');
    expect(errorRaw('dispersy-missing-proof', [...be(10, 8), ...keyField(member.bytes).slice(0, 40)]).code).toBe('TRUNCATED');
    expect(errorRaw('dispersy-missing-proof', [...be(10, 8), ...keyField(member.bytes), 0]).code).toBe('TRAILING_BYTES');
  });
});
