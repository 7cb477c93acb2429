/** dispersy-destroy-community and dispersy-dynamic-settings (spec §2.5): every decode check. */
import { describe, expect, test } from 'vitest';
import type { DestroyCommunityPayload, DynamicSettingsPayload } from '../../src/index.ts';
import { KEYS } from '../arbitraries.ts';
import { craft, debugConversion, decodeError } from '../helpers.ts';

const conversion = debugConversion(1, (mid) => (mid.every((x, i) => x === KEYS[0]!.publicKey.mid[i]) ? KEYS[0]!.publicKey : undefined));
const signer = KEYS[0]!;

describe('dispersy-destroy-community', () => {
  const decode = (payload: number[]) =>
    conversion.decode(craft(conversion, 'dispersy-destroy-community', Uint8Array.from(payload), { signer, globalTime: 30 })).payload as DestroyCommunityPayload;

  test("'s' is a soft kill, 'h' and anything else a hard kill", () => {
    expect(decode([0x73]).degree).toBe('soft-kill');
    expect(decode([0x68]).degree).toBe('hard-kill');
    expect(decode([0x00]).degree).toBe('hard-kill');
  });
  test('no byte is TRUNCATED, two are TRAILING_BYTES', () => {
    expect(decodeError(() => decode([])).code).toBe('TRUNCATED');
    expect(decodeError(() => decode([0x73, 0])).code).toBe('TRAILING_BYTES');
  });
  test("the encoder writes 's' / 'h' and refuses other degrees", () => {
    const soft = conversion.encode('dispersy-destroy-community', { signer, globalTime: 3, payload: { degree: 'soft-kill' } });
    expect(soft[conversion.decode(soft).payloadOffset]).toBe(0x73);
    expect(() => conversion.encode('dispersy-destroy-community', { signer, globalTime: 3, payload: { degree: 'soft' } })).toThrow(TypeError);
  });
});

describe('dispersy-dynamic-settings', () => {
  const input = { signer, globalTime: 22, sequenceNumber: 1 };
  const decode = (payload: number[]) =>
    conversion.decode(craft(conversion, 'dispersy-dynamic-settings', Uint8Array.from(payload), input)).payload as DynamicSettingsPayload;
  const error = (payload: number[]) => decodeError(() => decode(payload)).code;

  test('decodes records of (message id, r, index)', () => {
    expect(decode([111, 0x72, 1, 111, 0x72, 0]).settings).toEqual([
      { meta: 'dynamic-resolution-text', index: 1 },
      { meta: 'dynamic-resolution-text', index: 0 },
    ]);
  });
  test('no record is INVALID_FIELD, a partial one TRUNCATED', () => {
    expect(error([])).toBe('INVALID_FIELD');
    expect(error([111, 0x72, 1, 111])).toBe('TRUNCATED');
  });
  test('an undefined message id is UNKNOWN_MESSAGE', () => {
    expect(error([99, 0x72, 0])).toBe('UNKNOWN_MESSAGE');
  });
  test("a policy type other than 'r' is INVALID_FIELD", () => {
    expect(error([111, 0x73, 0])).toBe('INVALID_FIELD');
  });
  test('a target meta without DynamicResolution is INVALID_FIELD', () => {
    expect(error([105, 0x72, 0])).toBe('INVALID_FIELD');
  });
  test('an index not below the number of policies is INVALID_FIELD', () => {
    expect(error([111, 0x72, 2])).toBe('INVALID_FIELD');
  });
  test('the encoder applies the same rules', () => {
    const encode = (settings: unknown) => conversion.encode('dispersy-dynamic-settings', { ...input, payload: { settings } });
    expect(() => encode([])).toThrow(RangeError);
    expect(() => encode([{ meta: 'full-sync-text', index: 0 }])).toThrow(RangeError);
    expect(() => encode([{ meta: 'dynamic-resolution-text', index: 2 }])).toThrow(RangeError);
    expect(() => encode([{ meta: 'nope', index: 0 }])).toThrow(RangeError);
    expect(() => encode('x')).toThrow(TypeError);
  });
});
