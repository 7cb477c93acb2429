/** dispersy-signature-request / -response (spec §2.5, §4.2): identifier + an embedded packet of the same conversion. */
import { describe, expect, test } from 'vitest';
import { createConversion, type SignatureRequestPayload } from '../../src/index.ts';
import { debugCommunityMessages } from '../../src/debug.ts';
import { KEYS } from '../arbitraries.ts';
import { be, craft, debugConversion, decodeError } from '../helpers.ts';

const conversion = debugConversion(2);
const [alice, bob] = [KEYS[0]!, KEYS[1]!];
const text = new TextEncoder().encode('Allow=True');
const halfSigned = conversion.encode('double-signed-text', { members: [alice, bob.publicKey], globalTime: 10, payload: { text } });
const request = (embedded: Uint8Array, name = 'dispersy-signature-request'): Uint8Array =>
  craft(conversion, name, Uint8Array.from([...be(77, 2), ...embedded]), { globalTime: 10 });

describe.each(['dispersy-signature-request', 'dispersy-signature-response'])('%s', (name) => {
  test('the embedded half-signed packet decodes with empty signatures allowed and is verified', () => {
    const m = conversion.decode(request(halfSigned, name));
    const p = m.payload as SignatureRequestPayload;
    expect(p.identifier).toBe(77);
    expect(p.message.name).toBe('double-signed-text');
    expect(p.message.verified).toBe(true);
    expect(p.message.signatures[1]!.every((b) => b === 0)).toBe(true);
    expect(p.message.packet).toEqual(halfSigned);
    // The embedded packet is a view into the outer one.
    expect(p.message.packet.buffer).toBe(m.packet.buffer);
  });

  test('an embedded packet with a bad signature is BAD_SIGNATURE (offset inside the outer packet)', () => {
    const bad = halfSigned.slice();
    bad[bad.length - 2 * alice.publicKey.signatureLength]! ^= 1; // first byte of alice's signature
    const outer = request(bad, name);
    const err = decodeError(() => conversion.decode(outer));
    expect(err.code).toBe('BAD_SIGNATURE');
    expect(err.offset).toBe(outer.length - 2 * alice.publicKey.signatureLength);
  });

  test('with verify: false the embedded signatures are not checked either', () => {
    const bad = halfSigned.slice();
    bad[bad.length - 2 * alice.publicKey.signatureLength]! ^= 1;
    const m = conversion.decode(request(bad, name), { verify: false });
    expect((m.payload as SignatureRequestPayload).message.verified).toBe(false);
  });

  test('an embedded packet of another community is UNKNOWN_COMMUNITY', () => {
    const other = createConversion({ cid: new Uint8Array(20).fill(9), communityVersion: 2, metas: debugCommunityMessages });
    const foreign = other.encode('double-signed-text', { members: [alice, bob.publicKey], globalTime: 10, payload: { text } });
    expect(decodeError(() => conversion.decode(request(foreign, name))).code).toBe('UNKNOWN_COMMUNITY');
  });

  test('a missing or truncated embedded packet is TRUNCATED', () => {
    expect(decodeError(() => conversion.decode(request(new Uint8Array(0), name))).code).toBe('TRUNCATED');
    expect(decodeError(() => conversion.decode(request(halfSigned.subarray(0, 40), name))).code).toBe('TRUNCATED');
    expect(decodeError(() => conversion.decode(craft(conversion, name, Uint8Array.of(1), { globalTime: 1 }))).code).toBe('TRUNCATED');
  });

  test('embedded signature requests nest at most 4 deep', () => {
    let packet: Uint8Array = halfSigned;
    for (let depth = 1; depth <= 4; depth++) packet = request(packet, name);
    expect(() => conversion.decode(packet)).not.toThrow();
    expect(decodeError(() => conversion.decode(request(packet, name))).code).toBe('INVALID_FIELD');
  });
});
