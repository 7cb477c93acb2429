/** dispersy-authorize / dispersy-revoke (spec §2.5): repeated (key, count, (id, bits)×count) groups and their checks. */
import { describe, expect, test } from 'vitest';
import {
  authorizePayload,
  permissionsFromTriplets,
  permissionTriplets,
  PERMISSION_BITS,
  type PermissionsPayload,
} from '../../src/index.ts';
import { KEYS, PUBLIC_KEYS } from '../arbitraries.ts';
import { be, craft, debugConversion, decodeError, hex } from '../helpers.ts';

const conversion = debugConversion(2);
const signer = KEYS[0]!;
const [a, b] = [PUBLIC_KEYS[0]!, PUBLIC_KEYS[2]!];
const group = (key: Uint8Array, pairs: [number, number][], count = pairs.length): number[] => [...be(key.length, 2), ...key, count, ...pairs.flat()];
const decodeAs = (name: string, payload: number[]): PermissionsPayload =>
  conversion.decode(craft(conversion, name, Uint8Array.from(payload), { signer, globalTime: 4, sequenceNumber: 1 })).payload as PermissionsPayload;
const errorAs = (name: string, payload: number[]) => decodeError(() => decodeAs(name, payload));

describe.each([
  ['dispersy-authorize', true],
  ['dispersy-revoke', false],
] as const)('%s', (name, isAuthorize) => {
  test('decodes several groups in any order, permissions in bit order', () => {
    const p = decodeAs(name, [...group(b.bytes, [[110, 0x01]]), ...group(a.bytes, [[105, 0x0e], [237, 0x07]])]);
    expect(p.groups.map((g) => hex(g.member.bytes))).toEqual([hex(b.bytes), hex(a.bytes)]);
    expect(p.groups[1]!.grants).toEqual([
      { meta: 'full-sync-text', permissions: ['authorize', 'revoke', 'undo'] },
      { meta: 'dispersy-undo-other', permissions: ['permit', 'authorize', 'revoke'] },
    ]);
  });

  test('an empty payload has no groups; a count of 0 gives no grants; unknown bits are ignored', () => {
    expect(decodeAs(name, []).groups).toEqual([]);
    expect(decodeAs(name, group(a.bytes, [])).groups[0]!.grants).toEqual([]);
    expect(decodeAs(name, group(a.bytes, [[110, 0xf1]])).groups[0]!.grants[0]!.permissions).toEqual(['permit']);
  });

  test('an undefined message id is UNKNOWN_MESSAGE', () => {
    expect(errorAs(name, group(a.bytes, [[99, 1]])).code).toBe('UNKNOWN_MESSAGE');
    expect(errorAs(name, group(a.bytes, [[241, 1]])).code).toBe('UNKNOWN_MESSAGE');
  });

  test('a target meta without member authentication is INVALID_FIELD', () => {
    expect(errorAs(name, group(a.bytes, [[247, 1]])).code).toBe('INVALID_FIELD'); // dispersy-missing-identity
    expect(errorAs(name, group(a.bytes, [[250, 1]])).code).toBe('INVALID_FIELD'); // dispersy-puncture-request
  });

  test(`the undo bit on a meta that is not undoable is ${isAuthorize ? 'INVALID_FIELD' : 'accepted'}`, () => {
    const payload = group(a.bytes, [[107, PERMISSION_BITS.undo]]); // ASC-text has no undo callback
    if (isAuthorize) expect(errorAs(name, payload).code).toBe('INVALID_FIELD');
    else expect(decodeAs(name, payload).groups[0]!.grants[0]!.permissions).toEqual(['undo']);
    // The undo bit on an undoable meta is always fine.
    expect(decodeAs(name, group(a.bytes, [[105, PERMISSION_BITS.undo]])).groups[0]!.grants[0]!.permissions).toEqual(['undo']);
  });

  test('a count beyond the payload and a cut key are TRUNCATED', () => {
    expect(errorAs(name, group(a.bytes, [[105, 1]], 2)).code).toBe('TRUNCATED');
    expect(errorAs(name, group(a.bytes, []).slice(0, 30)).code).toBe('TRUNCATED');
    expect(errorAs(name, [...group(a.bytes, []), 0]).code).toBe('TRUNCATED');
  });

  test('a malformed key is BAD_KEY', () => {
    expect(errorAs(name, group(new Uint8Array(74).fill(0x49), [[105, 1]])).code).toBe('BAD_KEY');
  });
});

describe('encoder checks', () => {
  const encode = (name: string, payload: unknown) => conversion.encode(name, { signer, globalTime: 4, sequenceNumber: 1, payload });

  test('refuses unknown metas, metas without authentication, and undo on a non-undoable meta (authorize only)', () => {
    const grant = (meta: string, permissions: string[]) => ({ groups: [{ member: a, grants: [{ meta, permissions }] }] });
    expect(() => encode('dispersy-authorize', grant('nope', ['permit']))).toThrow(RangeError);
    expect(() => encode('dispersy-authorize', grant('dispersy-missing-identity', ['permit']))).toThrow(RangeError);
    expect(() => encode('dispersy-authorize', grant('ASC-text', ['undo']))).toThrow(RangeError);
    expect(() => encode('dispersy-revoke', grant('ASC-text', ['undo']))).not.toThrow();
    expect(() => encode('dispersy-authorize', grant('ASC-text', ['delete']))).toThrow(TypeError);
    expect(() => encode('dispersy-authorize', { groups: [{ member: 'x', grants: [] }] })).toThrow(TypeError);
    expect(() => encode('dispersy-authorize', { groups: [{ member: a, grants: new Array(256).fill({ meta: 'ASC-text', permissions: [] }) }] })).toThrow(RangeError);
    expect(() => authorizePayload.size(null as never, undefined as never)).toThrow(TypeError);
  });
});

describe('triplet helpers', () => {
  test('permissionsFromTriplets groups per member, then per meta, in order of first appearance', () => {
    const p = permissionsFromTriplets([
      { member: a, meta: 'full-sync-text', permission: 'undo' },
      { member: b, meta: 'full-sync-text', permission: 'permit' },
      { member: a, meta: 'ASC-text', permission: 'permit' },
      { member: a, meta: 'full-sync-text', permission: 'authorize' },
    ]);
    expect(p.groups).toHaveLength(2);
    expect(p.groups[0]!.grants).toEqual([
      { meta: 'full-sync-text', permissions: ['authorize', 'undo'] },
      { meta: 'ASC-text', permissions: ['permit'] },
    ]);
    expect(permissionTriplets(p).map((t) => [hex(t.member.mid).slice(0, 4), t.meta, t.permission])).toEqual([
      [hex(a.mid).slice(0, 4), 'full-sync-text', 'authorize'],
      [hex(a.mid).slice(0, 4), 'full-sync-text', 'undo'],
      [hex(a.mid).slice(0, 4), 'ASC-text', 'permit'],
      [hex(b.mid).slice(0, 4), 'full-sync-text', 'permit'],
    ]);
  });

  test('reject malformed triplets', () => {
    expect(() => permissionsFromTriplets([{ member: a, meta: 'x', permission: 'own' as never }])).toThrow(TypeError);
    expect(() => permissionsFromTriplets([{ member: {} as never, meta: 'x', permission: 'permit' }])).toThrow(TypeError);
    expect(() => permissionTriplets({} as never)).toThrow(TypeError);
  });
});
