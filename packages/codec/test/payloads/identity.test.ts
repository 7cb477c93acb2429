/** dispersy-identity (empty payload) and dispersy-missing-identity (20-byte mid), spec §2.5. */
import { describe, expect, test } from 'vitest';
import { identityPayload, missingIdentityPayload, type MissingIdentityPayload } from '../../src/index.ts';
import { KEYS } from '../arbitraries.ts';
import { craft, debugConversion, decodeError, hex } from '../helpers.ts';

const conversion = debugConversion(1);
const signer = KEYS[0]!;

describe('dispersy-identity', () => {
  test('the payload is empty and the key travels as bin even at community version 1', () => {
    const packet = conversion.encode('dispersy-identity', { signer, globalTime: 2, payload: {} });
    const m = conversion.decode(packet);
    expect(m.payload).toEqual({});
    expect(m.memberEncoding).toBe('bin');
    expect(m.payloadOffset).toBe(m.signatureOffset);
    // 23 + 2 + key + 8 + signature (spec §2.7's "identity" row, for this key).
    expect(packet.length).toBe(23 + 2 + signer.publicKey.bytes.length + 8 + signer.publicKey.signatureLength);
    expect(identityPayload.size({}, undefined as never)).toBe(0);
  });

  test('any payload byte is TRAILING_BYTES', () => {
    const packet = craft(conversion, 'dispersy-identity', Uint8Array.of(0), { signer, globalTime: 2 });
    expect(decodeError(() => conversion.decode(packet)).code).toBe('TRAILING_BYTES');
  });
});

describe('dispersy-missing-identity', () => {
  const mid = signer.publicKey.mid;

  test('carries exactly the 20-byte mid (a 51-byte packet, spec §2.7)', () => {
    const packet = conversion.encode('dispersy-missing-identity', { globalTime: 5, payload: { mid } });
    expect(packet.length).toBe(51);
    expect(hex((conversion.decode(packet).payload as MissingIdentityPayload).mid)).toBe(hex(mid));
  });

  test('19 bytes is TRUNCATED, 21 is TRAILING_BYTES', () => {
    expect(decodeError(() => conversion.decode(craft(conversion, 'dispersy-missing-identity', mid.subarray(0, 19), { globalTime: 5 }))).code).toBe('TRUNCATED');
    const long = Uint8Array.from([...mid, 0]);
    expect(decodeError(() => conversion.decode(craft(conversion, 'dispersy-missing-identity', long, { globalTime: 5 }))).code).toBe('TRAILING_BYTES');
  });

  test('encoding refuses a mid that is not 20 bytes', () => {
    expect(() => missingIdentityPayload.size({ mid: new Uint8Array(19) }, undefined as never)).toThrow(RangeError);
    expect(() => missingIdentityPayload.size({ mid: 'x' } as never, undefined as never)).toThrow(TypeError);
  });
});
