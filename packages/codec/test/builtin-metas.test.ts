/**
 * The built-in dispersy-* metas: ids of spec §2.6, policies of spec §9, and decode(encode(x)) = x for every one of
 * them, at a sha1 community version (1) and a bin one (2).
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  createConversion,
  dispersyMessages,
  MESSAGE_IDS,
  type AnyMeta,
  type Conversion,
  type EncodeInput,
  type MemberKey,
} from '../src/index.ts';
import { debugCommunityMessages } from '../src/debug.ts';
import {
  arbAddress,
  arbGlobalTime,
  arbIntroductionRequest,
  arbIntroductionResponse,
  arbKey,
  arbPermissions,
  arbPublicKey,
  arbSafe,
  arbU16,
  KEYS,
  normalise,
  PUBLIC_KEYS,
} from './arbitraries.ts';
import { hex } from './helpers.ts';

const CID = new Uint8Array(20).fill(7);
const byMid = new Map(PUBLIC_KEYS.map((k) => [hex(k.mid), k]));
const conversions: Record<1 | 2, Conversion> = {
  1: createConversion({ cid: CID, communityVersion: 1, metas: debugCommunityMessages, lookupMember: (mid) => byMid.get(hex(mid)) }),
  2: createConversion({ cid: CID, communityVersion: 2, metas: debugCommunityMessages, lookupMember: (mid) => byMid.get(hex(mid)) }),
};
const arbVersion = fc.constantFrom<1 | 2>(1, 2);

/** name → [auth, encoding, resolution, distribution, direction, priority, seq/history, destination, nodeCount] per spec §9. */
const CATALOGUE: Record<string, [string, string | undefined, string, string, string | undefined, number | undefined, boolean | number | undefined, string, number | undefined]> = {
  'dispersy-identity': ['member', 'bin', 'public', 'last-sync', 'ASC', 16, 1, 'community', 0],
  'dispersy-signature-request': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-signature-response': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-authorize': ['member', 'default', 'public', 'full-sync', 'ASC', 128, true, 'community', 10],
  'dispersy-revoke': ['member', 'default', 'public', 'full-sync', 'ASC', 128, true, 'community', 10],
  'dispersy-undo-own': ['member', 'default', 'public', 'full-sync', 'ASC', 128, true, 'community', 10],
  'dispersy-undo-other': ['member', 'default', 'linear', 'full-sync', 'ASC', 128, true, 'community', 10],
  'dispersy-destroy-community': ['member', 'default', 'linear', 'full-sync', 'ASC', 192, false, 'community', 50],
  'dispersy-dynamic-settings': ['member', 'default', 'linear', 'full-sync', 'DESC', 191, true, 'community', 10],
  'dispersy-missing-identity': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-missing-sequence': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-missing-message': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-missing-proof': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-introduction-request': ['member', 'default', 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-introduction-response': ['member', 'default', 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-puncture-request': ['none', undefined, 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
  'dispersy-puncture': ['member', 'default', 'public', 'direct', undefined, undefined, undefined, 'candidate', undefined],
};

describe('catalogue (spec §2.6, §9)', () => {
  test('there are 17 built-ins, ordered by id, none undoable', () => {
    expect(dispersyMessages).toHaveLength(17);
    expect(dispersyMessages.map((m) => m.id)).toEqual([...dispersyMessages.map((m) => m.id)].sort((a, b) => a - b));
    expect(dispersyMessages.every((m) => !m.undoable)).toBe(true);
    expect(Object.keys(CATALOGUE).sort()).toEqual(dispersyMessages.map((m) => m.name).sort());
  });

  test.each(dispersyMessages.map((m) => [m.name, m] as const))('%s has its id and policies', (name, meta: AnyMeta) => {
    const [auth, enc, res, dist, dir, prio, extra, dest, nodes] = CATALOGUE[name]!;
    expect(meta.id).toBe(MESSAGE_IDS[name as keyof typeof MESSAGE_IDS]);
    expect(meta.authentication.kind).toBe(auth);
    expect(meta.authentication.kind === 'none' ? undefined : meta.authentication.encoding).toBe(enc);
    expect(meta.resolution.kind).toBe(res);
    const d = meta.distribution;
    expect(d.kind).toBe(dist);
    expect(d.kind === 'direct' ? undefined : d.direction).toBe(dir);
    expect(d.kind === 'direct' ? undefined : d.priority).toBe(prio);
    expect(d.kind === 'full-sync' ? d.sequenceNumbers : d.kind === 'last-sync' ? d.historySize : undefined).toBe(extra);
    expect(meta.destination.kind).toBe(dest);
    expect(meta.destination.kind === 'candidate' ? undefined : meta.destination.nodeCount).toBe(nodes);
  });

  test('missing-sequence has the 0.1 s batch window', () => {
    expect(dispersyMessages.find((m) => m.name === 'dispersy-missing-sequence')?.batchWindow).toBe(0.1);
  });
});

function roundTrip(version: 1 | 2, name: string, input: Omit<EncodeInput<unknown>, 'globalTime'> & { globalTime: number }): void {
  const conversion = conversions[version];
  const packet = conversion.encode(name, input);
  const m = conversion.decode(packet, { allowEmptySignature: true });
  expect(m.name).toBe(name);
  expect(m.globalTime).toBe(input.globalTime);
  expect(m.sequenceNumber).toBe(input.sequenceNumber);
  const keys: readonly MemberKey[] = input.signer ? [input.signer] : (input.members ?? []);
  expect(m.members.map((k) => hex(k.bytes))).toEqual(keys.map((k) => hex('publicKey' in k ? k.publicKey.bytes : k.bytes)));
  expect(normalise(m.payload)).toEqual(normalise(input.payload));
  // And the packet is stable: encoding the decoded message again gives the same signed bytes (ECDSA signatures
  // are randomised, so only the unsigned part is compared).
  const again = conversion.encode(name, { ...input, payload: m.payload });
  expect(hex(again.subarray(0, m.signatureOffset))).toBe(hex(packet.subarray(0, m.signatureOffset)));
  expect(again.length).toBe(packet.length);
}

const arbSeq = fc.integer({ min: 1, max: 0xffff_ffff });
/** Metas of the debug conversion with member authentication, and the undoable ones. */
const memberMetas = conversions[1].metas.filter((m) => m.authentication.kind !== 'none').map((m) => m.name);
const undoableMetas = conversions[1].metas.filter((m) => m.undoable).map((m) => m.name);
const arbGrant = (authorize: boolean): fc.Arbitrary<{ meta: string; permissions: string[] }> =>
  fc.oneof(
    fc.record({ meta: fc.constantFrom(...memberMetas), permissions: arbPermissions.map((p) => p.filter((x) => x !== 'undo' || !authorize)) }),
    fc.record({ meta: fc.constantFrom(...undoableMetas), permissions: arbPermissions }),
  );
const arbGroups = (authorize: boolean) =>
  fc.array(fc.record({ member: arbPublicKey, grants: fc.array(arbGrant(authorize), { maxLength: 5 }) }), { maxLength: 4 });

describe('properties: decode(encode(x)) = x for every built-in message', () => {
  test.prop([arbVersion, arbKey, arbGlobalTime, arbIntroductionRequest])('dispersy-introduction-request', (v, signer, globalTime, payload) => {
    roundTrip(v, 'dispersy-introduction-request', { signer, globalTime, payload });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime, arbIntroductionResponse])('dispersy-introduction-response', (v, signer, globalTime, payload) => {
    roundTrip(v, 'dispersy-introduction-response', { signer, globalTime, payload });
  });
  test.prop([arbVersion, arbGlobalTime, arbAddress, arbAddress, arbU16])('dispersy-puncture-request', (v, globalTime, lan, wan, identifier) => {
    roundTrip(v, 'dispersy-puncture-request', { globalTime, payload: { lanWalkerAddress: lan, wanWalkerAddress: wan, identifier } });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime, arbAddress, arbAddress, arbU16])('dispersy-puncture', (v, signer, globalTime, lan, wan, identifier) => {
    roundTrip(v, 'dispersy-puncture', { signer, globalTime, payload: { sourceLanAddress: lan, sourceWanAddress: wan, identifier } });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime])('dispersy-identity', (v, signer, globalTime) => {
    roundTrip(v, 'dispersy-identity', { signer, globalTime, payload: {} });
  });
  test.prop([arbVersion, arbGlobalTime, fc.uint8Array({ minLength: 20, maxLength: 20 })])('dispersy-missing-identity', (v, globalTime, mid) => {
    roundTrip(v, 'dispersy-missing-identity', { globalTime, payload: { mid } });
  });
  test.prop([arbVersion, arbGlobalTime, arbPublicKey, fc.constantFrom(...memberMetas), arbSeq, fc.nat()])(
    'dispersy-missing-sequence',
    (v, globalTime, member, meta, low, span) => {
      const missingHigh = Math.min(0xffff_ffff, low + span);
      roundTrip(v, 'dispersy-missing-sequence', { globalTime, payload: { member, meta, missingLow: low, missingHigh } });
    },
  );
  test.prop([arbVersion, arbGlobalTime, arbPublicKey, fc.array(arbSafe, { minLength: 1, maxLength: 20 })])(
    'dispersy-missing-message',
    (v, globalTime, member, globalTimes) => {
      roundTrip(v, 'dispersy-missing-message', { globalTime, payload: { member, globalTimes } });
    },
  );
  test.prop([arbVersion, arbGlobalTime, arbPublicKey, arbSafe])('dispersy-missing-proof', (v, globalTime, member, target) => {
    roundTrip(v, 'dispersy-missing-proof', { globalTime, payload: { member, globalTime: target } });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime, arbSeq, arbGroups(true)])('dispersy-authorize', (v, signer, globalTime, sequenceNumber, groups) => {
    roundTrip(v, 'dispersy-authorize', { signer, globalTime, sequenceNumber, payload: { groups } });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime, arbSeq, arbGroups(false)])('dispersy-revoke', (v, signer, globalTime, sequenceNumber, groups) => {
    roundTrip(v, 'dispersy-revoke', { signer, globalTime, sequenceNumber, payload: { groups } });
  });
  test.prop([arbVersion, arbKey, fc.integer({ min: 2, max: Number.MAX_SAFE_INTEGER }), arbSeq, fc.nat()])(
    'dispersy-undo-own',
    (v, signer, globalTime, sequenceNumber, seed) => {
      roundTrip(v, 'dispersy-undo-own', { signer, globalTime, sequenceNumber, payload: { globalTime: seed % globalTime } });
    },
  );
  test.prop([arbVersion, arbKey, fc.integer({ min: 2, max: Number.MAX_SAFE_INTEGER }), arbSeq, arbPublicKey, fc.nat()])(
    'dispersy-undo-other',
    (v, signer, globalTime, sequenceNumber, member, seed) => {
      roundTrip(v, 'dispersy-undo-other', { signer, globalTime, sequenceNumber, payload: { member, globalTime: seed % globalTime } });
    },
  );
  test.prop([arbVersion, arbKey, arbGlobalTime, fc.constantFrom('soft-kill', 'hard-kill')])('dispersy-destroy-community', (v, signer, globalTime, degree) => {
    roundTrip(v, 'dispersy-destroy-community', { signer, globalTime, payload: { degree } });
  });
  test.prop([arbVersion, arbKey, arbGlobalTime, arbSeq, fc.array(fc.nat(1), { minLength: 1, maxLength: 10 })])(
    'dispersy-dynamic-settings',
    (v, signer, globalTime, sequenceNumber, indexes) => {
      const settings = indexes.map((index) => ({ meta: 'dynamic-resolution-text', index }));
      roundTrip(v, 'dispersy-dynamic-settings', { signer, globalTime, sequenceNumber, payload: { settings } });
    },
  );
  test.prop([
    arbVersion,
    fc.constantFrom('dispersy-signature-request', 'dispersy-signature-response'),
    arbGlobalTime,
    arbU16,
    arbKey,
    arbPublicKey,
    fc.uint8Array({ maxLength: 40 }),
    fc.integer({ min: -128, max: 127 }),
  ])('dispersy-signature-request / -response', (v, name, globalTime, identifier, creator, other, text, depth) => {
    // The embedded message is a half-signed double-signed text, as a signature request carries it.
    const inner = conversions[v].encode('double-signed-text', { members: [creator, other], globalTime, depth, payload: { text } });
    roundTrip(v, name, { globalTime, payload: { identifier, message: { packet: inner, meta: {} } } });
    const decoded = conversions[v].decode(conversions[v].encode(name, { globalTime, payload: { identifier, message: { packet: inner } } }));
    const embedded = (decoded.payload as { message: { name: string; depth: number; signatures: Uint8Array[] } }).message;
    expect(embedded.name).toBe('double-signed-text');
    expect(embedded.depth).toBe(depth);
    expect(embedded.signatures[1]!.every((b) => b === 0)).toBe(true);
  });
});

test('the key pool covers two signature lengths', () => {
  expect(new Set(KEYS.map((k) => k.publicKey.signatureLength)).size).toBe(2);
});
