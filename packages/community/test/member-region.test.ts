// Ports of the original's tests/test_member.py (spec §3.4): the offset/length contract of Member.verify and
// Member.sign, for the 'medium' (sect409k1 ECDSA) and 'curve25519' levels. The crypto package signs and verifies
// whole byte arrays, so the contract lives in src/member-region.ts.
import { generateKeyPair, type SecurityLevel } from '@dispersy/crypto';
import { describe, expect, test } from 'vitest';
import { signRegion, verifyRegion } from '../src/member-region.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const D = '0123456789';
const E = '0123456789E';

/** [signed text, offset, [data, length, expected verify][]]: the original's assertions, block by block. */
const VERIFY: readonly (readonly [string, number, readonly (readonly [string, number, boolean])[]])[] = [
  ['0123456789', 0, [[D, 0, true], [E, 0, false], [D, 9, false], [E, 9, false], [D, 10, true], [E, 10, true], [D, 11, false], [E, 11, false], [D, 666, false], [E, 666, false]]],
  ['123456789', 1, [[D, 0, true], [E, 0, false], [D, 8, false], [E, 8, false], [D, 9, true], [E, 9, true], [D, 10, false], [E, 10, false], [D, 666, false], [E, 666, false]]],
  ['012345678', 0, [[D, 0, false], [E, 0, false], [D, 8, false], [E, 8, false], [D, 9, true], [E, 9, true], [D, 10, false], [E, 10, false], [D, 666, false], [E, 666, false]]],
  ['12345678', 1, [[D, 0, false], [E, 0, false], [D, 7, false], [E, 7, false], [D, 8, true], [E, 8, true], [D, 9, false], [E, 9, false], [D, 666, false], [E, 666, false]]],
];

/** [expected text, offset, [data, length, expected valid or 'throws'][]]: the original's assertions, block by block. */
const SIGN: readonly (readonly [string, number, readonly (readonly [string, number, boolean | 'throws'])[]])[] = [
  ['0123456789', 0, [[D, 0, true], [E, 0, false], [D, 9, false], [E, 9, false], [D, 10, true], [E, 10, true], [D, 11, 'throws'], [E, 11, false], [D, 666, 'throws'], [E, 666, 'throws']]],
  ['123456789', 1, [[D, 0, true], [E, 0, false], [D, 8, false], [E, 8, false], [D, 9, true], [E, 9, true], [D, 10, 'throws'], [E, 10, false], [D, 666, 'throws'], [E, 666, 'throws']]],
  ['012345678', 0, [[D, 0, false], [E, 0, false], [D, 8, false], [E, 8, false], [D, 9, true], [E, 9, true], [D, 10, false], [E, 10, false], [D, 666, 'throws'], [E, 666, 'throws']]],
  ['12345678', 1, [[D, 0, false], [E, 0, false], [D, 7, false], [E, 7, false], [D, 8, true], [E, 8, true], [D, 9, false], [E, 9, false], [D, 666, 'throws'], [E, 666, 'throws']]],
];

describe('test_member', () => {
  test.each(['medium', 'curve25519'] as const)('test_member.test_verify: offset/length semantics of verify (%s)', (level: SecurityLevel) => {
    const key = generateKeyPair(level);
    for (const [signed, offset, cases] of VERIFY) {
      const signature = key.sign(bytes(signed));
      expect(verifyRegion(key.publicKey, bytes(signed), signature)).toBe(true);
      for (const [data, length, expected] of cases) {
        expect([signed, data, offset, length, verifyRegion(key.publicKey, bytes(data), signature, offset, length)]).toEqual([signed, data, offset, length, expected]);
      }
    }
  });

  test.each(['medium', 'curve25519'] as const)('test_member.test_sign: offset/length semantics of sign (%s)', (level: SecurityLevel) => {
    const key = generateKeyPair(level);
    for (const [signed, offset, cases] of SIGN) {
      expect(key.publicKey.verify(bytes(signed), signRegion(key, bytes(signed)))).toBe(true);
      for (const [data, length, expected] of cases) {
        if (expected === 'throws') {
          expect(() => signRegion(key, bytes(data), offset, length)).toThrow(RangeError);
          continue;
        }
        const valid = key.publicKey.verify(bytes(signed), signRegion(key, bytes(data), offset, length));
        expect([signed, data, offset, length, valid]).toEqual([signed, data, offset, length, expected]);
      }
    }
  });
});
