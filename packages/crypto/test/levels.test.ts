import { getCurves } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  assertLevel,
  DEFAULT_SECURITY_LEVEL,
  EC_LEVEL_BY_OID_HEX,
  halfLength,
  isSecurityLevel,
  oidToHex,
  SECURITY_LEVELS,
  securityLevelInfo,
} from '../src/levels.ts';

describe('security levels (spec §3.1)', () => {
  it('are the five of the spec, curve25519 first and default', () => {
    expect(SECURITY_LEVELS).toEqual(['curve25519', 'very-low', 'low', 'medium', 'high']);
    expect(DEFAULT_SECURITY_LEVEL).toBe('curve25519');
    expect(Object.isFrozen(SECURITY_LEVELS)).toBe(true);
  });

  it.each([
    ['curve25519', 'curve25519', 64, 74],
    ['very-low', 'sect163k1', 42, 66],
    ['low', 'sect233k1', 60, 84],
    ['medium', 'sect409k1', 104, 128],
    ['high', 'sect571r1', 144, 170],
  ] as const)('%s is %s with %d-byte signatures and %d-byte public keys', (level, curve, signature, publicKey) => {
    const info = securityLevelInfo(level);
    expect(info.level).toBe(level);
    expect(info.curve).toBe(curve);
    expect(info.signatureLength).toBe(signature);
    expect(info.publicKeyLength).toBe(publicKey);
    if (level !== 'curve25519') {
      expect(2 * halfLength(info)).toBe(signature);
      expect(getCurves()).toContain(curve); // node:crypto's OpenSSL has it
    }
  });

  it('maps the curve OIDs', () => {
    expect(oidToHex('1.3.132.0.26')).toBe('2b8104001a');
    expect(oidToHex('1.2.840.10045.2.1')).toBe('2a8648ce3d0201');
    expect([...EC_LEVEL_BY_OID_HEX.keys()]).toEqual(['2b81040001', '2b8104001a', '2b81040024', '2b81040027']);
  });

  it('isSecurityLevel never throws', () => {
    for (const level of SECURITY_LEVELS) expect(isSecurityLevel(level)).toBe(true);
    for (const value of ['', 'prime256v1', 'toString', '__proto__', 'LOW', null, undefined, 3, {}, ['low']]) {
      expect(isSecurityLevel(value)).toBe(false);
    }
  });

  it('rejects unknown level names as programmer errors', () => {
    expect(() => securityLevelInfo('prime256v1' as never)).toThrow(RangeError);
    expect(() => securityLevelInfo('toString' as never)).toThrow(RangeError);
    expect(() => securityLevelInfo(undefined as never)).toThrow(TypeError);
    expect(() => assertLevel('level', 5)).toThrow(/level/);
  });
});
