/** Signatures (spec §2.4, quirk 1): placement, coverage, empty signatures, double-signature splits, cosigning. */
import { describe, expect, test } from 'vitest';
import {
  createConversion,
  isEmptySignature,
  signatureChecks,
  signedRegions,
  splitAtLastComma,
  verifyMessageSignatures,
  type DecodedMessage,
} from '../src/index.ts';
import { createDebugCommunityMessages } from '../src/debug.ts';
import { KEYS, PUBLIC_KEYS } from './arbitraries.ts';
import { debugConversion, decodeError, lookupOf, TEST_CID } from './helpers.ts';

const [alice, bob] = [KEYS[0]!, KEYS[2]!];
const v2 = debugConversion(2);
const text = new TextEncoder().encode('Allow=True,tail');
const unsigned = (m: DecodedMessage): Uint8Array => m.packet.subarray(0, m.signatureOffset);

describe('isEmptySignature', () => {
  test('zero-length and all-zero signatures are empty', () => {
    expect(isEmptySignature(new Uint8Array(0))).toBe(true);
    expect(isEmptySignature(new Uint8Array(64))).toBe(true);
    expect(isEmptySignature(Uint8Array.of(0, 0, 1))).toBe(false);
  });
});

describe('single signature', () => {
  const packet = v2.encode('dispersy-introduction-request', {
    signer: alice,
    globalTime: 42,
    payload: {
      destinationAddress: { host: '10.0.0.2', port: 1 },
      sourceLanAddress: { host: '10.0.0.1', port: 2 },
      sourceWanAddress: { host: '1.2.3.4', port: 3 },
      advice: true,
      connectionType: 'public',
      identifier: 4242,
    },
  });

  test('covers every preceding byte and is appended last', () => {
    const m = v2.decode(packet);
    expect(m.signatureOffset).toBe(packet.length - alice.publicKey.signatureLength);
    expect(alice.publicKey.verify(unsigned(m), m.signatures[0]!)).toBe(true);
    expect(signatureChecks(m)).toHaveLength(1);
    expect(verifyMessageSignatures(m)).toBe(true);
  });

  test('tampering with any byte makes decoding fail with a DecodeError (spec §18.2)', () => {
    for (let i = 0; i < packet.length; i++) {
      const bad = packet.slice();
      bad[i]! ^= 0x01;
      const err = decodeError(() => v2.decode(bad));
      if (i >= 25 + alice.publicKey.bytes.length + 8) expect(err.code).toBe('BAD_SIGNATURE');
    }
  });

  test('verify: false skips verification; signatureChecks hands the work out', () => {
    const bad = packet.slice();
    bad[bad.length - 10]! ^= 0x01;
    const m = v2.decode(bad, { verify: false });
    expect(m.verified).toBe(false);
    const [check] = signatureChecks(m);
    expect(check!.publicKey.verify(check!.data, check!.signature)).toBe(false);
    expect(verifyMessageSignatures(m)).toBe(false);
  });

  test('an empty signature is EMPTY_SIGNATURE unless allowed (verify on or off)', () => {
    const empty = v2.encode('full-sync-text', { members: [alice.publicKey], globalTime: 3, payload: { text } });
    expect(isEmptySignature(empty.subarray(empty.length - 64))).toBe(true);
    expect(decodeError(() => v2.decode(empty)).code).toBe('EMPTY_SIGNATURE');
    expect(decodeError(() => v2.decode(empty, { verify: false })).code).toBe('EMPTY_SIGNATURE');
    const m = v2.decode(empty, { allowEmptySignature: true });
    expect(isEmptySignature(m.signatures[0]!)).toBe(true);
    expect(signatureChecks(m)).toEqual([]);
  });

  test('a packet too short for its signature is TRUNCATED', () => {
    expect(decodeError(() => v2.decode(packet.subarray(0, 25 + alice.publicKey.bytes.length + 20))).code).toBe('TRUNCATED');
  });
});

describe('double signatures', () => {
  const encode = (conversion: typeof v2, name: string, members = [alice, bob] as const) =>
    conversion.decode(conversion.encode(name, { members: [...members], globalTime: 9, payload: { text } }));

  test("default 'whole': both members sign the whole unsigned packet", () => {
    const m = encode(v2, 'double-signed-text');
    expect(m.meta.authentication).toMatchObject({ kind: 'double-member', split: 'whole' });
    expect(alice.publicKey.verify(unsigned(m), m.signatures[0]!)).toBe(true);
    expect(bob.publicKey.verify(unsigned(m), m.signatures[1]!)).toBe(true);
    expect(m.signatures[0]!.length + m.signatures[1]!.length).toBe(m.packet.length - m.signatureOffset);
  });

  test("'original-one-byte' (quirk 1): member i signs byte i of the packet", () => {
    const original = createConversion({
      cid: TEST_CID,
      communityVersion: 2,
      metas: createDebugCommunityMessages({ doubleSplit: 'original-one-byte' }),
    });
    const m = encode(original, 'double-signed-text');
    expect(alice.publicKey.verify(m.packet.subarray(0, 1), m.signatures[0]!)).toBe(true);
    expect(bob.publicKey.verify(m.packet.subarray(1, 2), m.signatures[1]!)).toBe(true);
    expect(alice.publicKey.verify(unsigned(m), m.signatures[0]!)).toBe(false);
    // So the rest of the packet is not protected: change the text, keep the signatures, still valid.
    const forged = m.packet.slice();
    forged[m.payloadOffset]! ^= 1;
    expect(original.decode(forged).verified).toBe(true);
    expect(decodeError(() => v2.decode(m.packet)).code).toBe('BAD_SIGNATURE');
  });

  test('double-signed-text-split: member 0 signs up to the last comma, member 1 everything', () => {
    const m = encode(v2, 'double-signed-text-split');
    const comma = unsigned(m).lastIndexOf(0x2c);
    expect(alice.publicKey.verify(unsigned(m).subarray(0, comma), m.signatures[0]!)).toBe(true);
    expect(bob.publicKey.verify(unsigned(m), m.signatures[1]!)).toBe(true);
    const [a, b] = splitAtLastComma(Uint8Array.of(1, 0x2c, 2, 0x2c, 3));
    expect([...a]).toEqual([1, 0x2c, 2]);
    expect([...b]).toEqual([1, 0x2c, 2, 0x2c, 3]);
    expect([...splitAtLastComma(Uint8Array.of(1, 2))[0]]).toEqual([1, 2]);
  });

  test('a custom split function that returns garbage is a TypeError', () => {
    expect(() => signedRegions({ kind: 'double-member', encoding: 'bin', split: () => [] as never }, new Uint8Array(3))).toThrow(TypeError);
    expect(signedRegions({ kind: 'none' }, new Uint8Array(3))).toEqual([]);
  });

  test('a half-signed message (second member as public key) has an empty second signature', () => {
    const packet = v2.encode('double-signed-text', { members: [alice, bob.publicKey], globalTime: 9, payload: { text } });
    expect(decodeError(() => v2.decode(packet)).code).toBe('EMPTY_SIGNATURE');
    const m = v2.decode(packet, { allowEmptySignature: true });
    expect(isEmptySignature(m.signatures[1]!)).toBe(true);
    expect(signatureChecks(m).map((c) => c.index)).toEqual([0]);
  });

  test('cosign fills the empty signature of the given member (the signature-request flow)', () => {
    const half = v2.decode(v2.encode('double-signed-text', { members: [alice, bob.publicKey], globalTime: 9, payload: { text } }), {
      allowEmptySignature: true,
    });
    const full = v2.cosign(half, bob);
    const m = v2.decode(full);
    expect(m.verified).toBe(true);
    expect(full.subarray(0, half.signatureOffset + 64)).toEqual(half.packet.subarray(0, half.signatureOffset + 64));
    expect(() => v2.cosign(m, bob)).toThrow(RangeError); // already signed
    expect(() => v2.cosign(half, KEYS[1]!)).toThrow(RangeError); // not a member
    expect(() => v2.cosign(half, bob.publicKey as never)).toThrow(TypeError);
  });

  test('a v1 (sha1) double-signed message decodes with the lookup', () => {
    const v1 = debugConversion(1, lookupOf(PUBLIC_KEYS));
    expect(encode(v1, 'last-1-doublemember-text').members).toHaveLength(2);
  });

  test('the encoder needs exactly two members', () => {
    expect(() => v2.encode('double-signed-text', { signer: alice, globalTime: 9, payload: { text } })).toThrow(TypeError);
    expect(() => v2.encode('double-signed-text', { members: [alice, 'bob' as never], globalTime: 9, payload: { text } })).toThrow(TypeError);
  });
});
