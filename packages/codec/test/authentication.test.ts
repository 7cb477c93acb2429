/** The authentication section (spec §2.3): none, member / double member, sha1 / bin, and member resolution. */
import { describe, expect, test } from 'vitest';
import { KeyFormatError } from '@dispersy/crypto';
import { authenticationSize } from '../src/authentication.ts';
import { createConversion, DecodeError, MissingMemberError, resolveMemberEncoding } from '../src/index.ts';
import { debugCommunityMessages } from '../src/debug.ts';
import { KEYS, PUBLIC_KEYS } from './arbitraries.ts';
import { debugConversion, decodeError, hex, lookupOf } from './helpers.ts';

const [alice, bob] = [KEYS[0]!, KEYS[2]!];
const text = new TextEncoder().encode('t');
const v1 = debugConversion(1, lookupOf(PUBLIC_KEYS));
const v2 = debugConversion(2);

describe('member encoding by community version (spec §2.2)', () => {
  test.each([
    [0, 'sha1'],
    [1, 'sha1'],
    [2, 'bin'],
    [254, 'bin'],
  ] as const)("'default' at version %i is %s", (version, encoding) => {
    expect(resolveMemberEncoding('default', version)).toBe(encoding);
  });

  test('an explicit sha1 / bin wins', () => {
    expect(resolveMemberEncoding('bin', 1)).toBe('bin');
    expect(resolveMemberEncoding('sha1', 2)).toBe('sha1');
    expect(v1.memberEncodingOf(v1.metaByName('bin-key-text')!)).toBe('bin');
    expect(v1.memberEncodingOf(v1.metaByName('full-sync-text')!)).toBe('sha1');
    expect(v2.memberEncodingOf(v2.metaByName('full-sync-text')!)).toBe('bin');
    expect(v2.memberEncodingOf(v2.metaByName('dispersy-missing-identity')!)).toBeUndefined();
  });
});

describe('single member', () => {
  test('sha1: the 20-byte mid, resolved through the lookup', () => {
    const p = v1.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    expect(hex(p.subarray(23, 43))).toBe(hex(alice.publicKey.mid));
    const m = v1.decode(p);
    expect(m.memberEncoding).toBe('sha1');
    expect(hex(m.members[0]!.bytes)).toBe(hex(alice.publicKey.bytes));
  });

  test('sha1: an unknown mid is UNKNOWN_MEMBER, a MissingMemberError carrying the mid', () => {
    const p = v1.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    const err = decodeError(() => debugConversion(1).decode(p));
    expect(err.code).toBe('UNKNOWN_MEMBER');
    expect(err).toBeInstanceOf(MissingMemberError);
    expect(MissingMemberError.is(err) && err.section).toBe('authentication');
    expect(hex((err as MissingMemberError).mid)).toBe(hex(alice.publicKey.mid));
    expect(err.offset).toBe(23);
  });

  test('sha1: a lookup given to decode overrides the conversion’s', () => {
    const p = v1.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    expect(decodeError(() => v1.decode(p, { lookupMember: () => undefined })).code).toBe('UNKNOWN_MEMBER');
    expect(debugConversion(1).decode(p, { lookupMember: lookupOf([alice.publicKey]) }).members).toHaveLength(1);
  });

  test('bin: uint16 length + key', () => {
    const p = v2.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    const n = alice.publicKey.bytes.length;
    expect((p[23]! << 8) | p[24]!).toBe(n);
    expect(hex(p.subarray(25, 25 + n))).toBe(hex(alice.publicKey.bytes));
    expect(authenticationSize('bin', [alice.publicKey])).toBe(2 + n);
  });

  test("bin: a key replaced by 'I's is BAD_KEY with the crypto error as cause (test_invalid_public_key)", () => {
    const p = v2.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    p.fill(0x49, 25, 25 + alice.publicKey.bytes.length);
    const err = decodeError(() => v2.decode(p));
    expect(err.code).toBe('BAD_KEY');
    expect(err.offset).toBe(25);
    expect(KeyFormatError.is(err.cause) || err.cause instanceof Error).toBe(true);
  });

  test('bin: a key length beyond the packet is TRUNCATED', () => {
    const p = v2.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } });
    p[23] = 0xff;
    expect(decodeError(() => v2.decode(p)).code).toBe('TRUNCATED');
  });

  test('a parser that throws anything becomes BAD_KEY', () => {
    const strict = createConversion({
      cid: v2.cid,
      communityVersion: 2,
      metas: debugCommunityMessages,
      parseKey: () => {
        throw new RangeError('nope');
      },
    });
    const err = decodeError(() => strict.decode(v2.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text } })));
    expect(err.code).toBe('BAD_KEY');
    expect(err.cause).toBeInstanceOf(RangeError);
    expect(DecodeError.is(err)).toBe(true);
  });
});

describe('double member', () => {
  test('sha1: mid1 ‖ mid2 (40 bytes)', () => {
    const p = v1.encode('double-signed-text', { members: [alice, bob], globalTime: 1, payload: { text } });
    expect(hex(p.subarray(23, 63))).toBe(hex(alice.publicKey.mid) + hex(bob.publicKey.mid));
    const m = v1.decode(p);
    expect(m.members.map((k) => hex(k.mid))).toEqual([hex(alice.publicKey.mid), hex(bob.publicKey.mid)]);
    expect(m.signatures.map((s) => s.length)).toEqual([alice.publicKey.signatureLength, bob.publicKey.signatureLength]);
  });

  test('bin: len1, len2, key1, key2', () => {
    const p = v2.encode('double-signed-text', { members: [alice, bob], globalTime: 1, payload: { text } });
    const [n1, n2] = [alice.publicKey.bytes.length, bob.publicKey.bytes.length];
    expect([(p[23]! << 8) | p[24]!, (p[25]! << 8) | p[26]!]).toEqual([n1, n2]);
    expect(hex(p.subarray(27, 27 + n1 + n2))).toBe(hex(alice.publicKey.bytes) + hex(bob.publicKey.bytes));
    expect(v2.decode(p).members.map((k) => hex(k.bytes))).toEqual([hex(alice.publicKey.bytes), hex(bob.publicKey.bytes)]);
  });

  test('an unknown second member is UNKNOWN_MEMBER too', () => {
    const p = v1.encode('double-signed-text', { members: [alice, bob], globalTime: 1, payload: { text } });
    const err = decodeError(() => v1.decode(p, { lookupMember: lookupOf([alice.publicKey]) }));
    expect(hex((err as MissingMemberError).mid)).toBe(hex(bob.publicKey.mid));
  });

  test('a malformed second bin key is BAD_KEY', () => {
    const p = v2.encode('double-signed-text', { members: [alice, bob], globalTime: 1, payload: { text } });
    p[27 + alice.publicKey.bytes.length]! ^= 0xff;
    expect(decodeError(() => v2.decode(p)).code).toBe('BAD_KEY');
  });
});

describe('none', () => {
  test('no section and no signature', () => {
    const m = v2.decode(v2.encode('dispersy-missing-identity', { globalTime: 1, payload: { mid: new Uint8Array(20) } }));
    expect(m.members).toEqual([]);
    expect(m.signatures).toEqual([]);
    expect(m.payloadOffset).toBe(31);
    expect(m.signatureOffset).toBe(m.packet.length);
  });
});
