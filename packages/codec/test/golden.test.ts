/**
 * Golden vectors (spec §18; packages/codec/test/vectors/wire, captured from three original Dispersy peers running
 * the DebugCommunity): every packet decodes — v1 with the index's keys as the sha1 lookup — to exactly what the
 * original's decoder reported, section by section, and re-encodes to the same bytes (Ed25519 is deterministic).
 */
import { describe, expect, test } from 'vitest';
import {
  formatAddress,
  messageLayout,
  permissionTriplets,
  type Address,
  type DecodedMessage,
  type EncodeInput,
  type IntroductionRequestPayload,
  type IntroductionResponsePayload,
  type PermissionsPayload,
} from '../src/index.ts';
import { hex, loadVectors, vectorIndex, type Vector } from './helpers.ts';

const vectors = loadVectors();

const AUTH_TYPES: Record<string, string> = {
  NoAuthentication: 'none',
  MemberAuthentication: 'member',
  DoubleMemberAuthentication: 'double-member',
};
const RESOLUTION_TYPES: Record<string, string> = { PublicResolution: 'public', LinearResolution: 'linear', DynamicResolution: 'dynamic' };
const DISTRIBUTION_TYPES: Record<string, string> = {
  DirectDistribution: 'direct',
  FullSyncDistribution: 'full-sync',
  LastSyncDistribution: 'last-sync',
};
const DESTINATION_TYPES: Record<string, string> = {
  CandidateDestination: 'candidate',
  CommunityDestination: 'community',
  NHopCommunityDestination: 'nhop',
};
/** The original's decoder expands permission bits in this order (Python 2 dict order). */
const ORIGINAL_PERMISSION_ORDER = ['authorize', 'revoke', 'undo', 'permit'];
/** Payload keys that are runtime state of the original's payload objects, not wire fields. */
const RUNTIME_ONLY = new Set(['packet', 'process_undo']);

const addr = (a: Address): string => formatAddress(a);
const member = (k: { mid: Uint8Array; bytes: Uint8Array }): { mid: string; public_key: string } => ({ mid: hex(k.mid), public_key: hex(k.bytes) });
const bitCount = (bytes: Uint8Array): number => bytes.reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);

/** What our decoded payload says, in the original JSON's terms, for the keys its JSON lists. */
function payloadView(m: DecodedMessage): Record<string, unknown> {
  const p = m.payload as Record<string, unknown>;
  switch (m.name) {
    case 'dispersy-introduction-request': {
      const q = m.payload as IntroductionRequestPayload;
      const s = q.sync;
      return {
        destination_address: addr(q.destinationAddress),
        source_lan_address: addr(q.sourceLanAddress),
        source_wan_address: addr(q.sourceWanAddress),
        advice: q.advice,
        connection_type: q.connectionType,
        identifier: q.identifier,
        sync: s !== undefined,
        time_low: s?.timeLow ?? 0,
        time_high: s?.timeHigh ?? 0,
        has_time_high: (s?.timeHigh ?? 0) > 0,
        modulo: s?.modulo ?? 1,
        offset: s?.offset ?? 0,
        bloom_filter:
          s === undefined
            ? null
            : {
                bits_set: bitCount(s.bloom.bytes),
                bytes_len: s.bloom.bytes.length,
                functions: s.bloom.functions,
                prefix_hex: s.bloom.prefix.toString(16).padStart(2, '0'),
                size_bits: s.bloom.bytes.length * 8,
              },
      };
    }
    case 'dispersy-introduction-response': {
      const q = m.payload as IntroductionResponsePayload;
      return {
        destination_address: addr(q.destinationAddress),
        source_lan_address: addr(q.sourceLanAddress),
        source_wan_address: addr(q.sourceWanAddress),
        lan_introduction_address: addr(q.lanIntroductionAddress),
        wan_introduction_address: addr(q.wanIntroductionAddress),
        connection_type: q.connectionType,
        tunnel: q.tunnel,
        identifier: q.identifier,
      };
    }
    case 'dispersy-puncture-request':
      return { lan_walker_address: addr(p.lanWalkerAddress as Address), wan_walker_address: addr(p.wanWalkerAddress as Address), identifier: p.identifier };
    case 'dispersy-puncture':
      return { source_lan_address: addr(p.sourceLanAddress as Address), source_wan_address: addr(p.sourceWanAddress as Address), identifier: p.identifier };
    case 'dispersy-identity':
      return {};
    case 'dispersy-missing-identity':
      return { mid: { hex: hex(p.mid as Uint8Array) } };
    case 'dispersy-missing-proof':
      return { global_time: p.globalTime, member: member(p.member as never) };
    case 'dispersy-missing-sequence':
      return { member: member(p.member as never), message: { meta: p.meta }, missing_low: p.missingLow, missing_high: p.missingHigh };
    case 'dispersy-authorize':
    case 'dispersy-revoke': {
      const triplets = permissionTriplets(m.payload as PermissionsPayload);
      const rank = (t: (typeof triplets)[number]): number => ORIGINAL_PERMISSION_ORDER.indexOf(t.permission);
      // Within one (member, meta) pair the original lists permissions in its own order; groups keep wire order.
      const ordered = triplets
        .map((t, i) => ({ t, i }))
        .sort((a, b) => (a.t.meta === b.t.meta && a.t.member === b.t.member ? rank(a.t) - rank(b.t) : a.i - b.i))
        .map(({ t }) => [member(t.member), { meta: t.meta }, t.permission]);
      return { permission_triplets: ordered };
    }
    case 'dispersy-undo-own':
      return { global_time: p.globalTime, member: member(m.members[0] as never) };
    case 'dispersy-undo-other':
      return { global_time: p.globalTime, member: member(p.member as never) };
    case 'dispersy-dynamic-settings': {
      const settings = p.settings as { meta: string; index: number }[];
      return {
        policies: settings.map((s) => {
          const target = vectorMeta(m, s.meta);
          const kind = target.resolution.kind === 'dynamic' ? target.resolution.policies[s.index] : undefined;
          return [{ meta: s.meta }, { type: kind === 'linear' ? 'LinearResolution' : 'PublicResolution' }];
        }),
      };
    }
    default:
      // DebugCommunity text messages.
      return { text: { hex: hex(p.text as Uint8Array), utf8: new TextDecoder().decode(p.text as Uint8Array) } };
  }
}

function vectorMeta(m: DecodedMessage, name: string): DecodedMessage['meta'] {
  const conversion = vectorIndex(m.communityVersion === 1 ? 'v1' : 'v2').conversion;
  const meta = conversion.metaByName(name);
  if (meta === undefined) throw new Error(`no meta ${name}`);
  return meta;
}

function signerOf(v: Vector): EncodeInput<unknown>['signer'] {
  const by = v.json.authentication.signed_by as string | undefined;
  return by === undefined ? undefined : vectorIndex(v.label).signers[by];
}

describe('golden wire vectors', () => {
  test('all 50 captured packets are present', () => {
    expect(vectors).toHaveLength(50);
  });

  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const index = vectorIndex(v.label);
    const j = v.json;

    test('decodes to the fields the original decoder reported', () => {
      const m = index.conversion.decode(v.packet);
      expect(m.verified).toBe(true);
      expect(j.signature_verified).toBe(true);
      expect(v.packet.length).toBe(j.length);
      expect(m.name).toBe(j.message);
      expect(m.messageId).toBe(j.message_id);
      expect(m.meta.id).toBe(j.message_id);
      expect(hex(m.cid)).toBe(j.cid);
      expect(hex(index.cid)).toBe(j.cid);
      expect(m.dispersyVersion.toString(16).padStart(2, '0')).toBe(j.dispersy_version);
      expect(m.communityVersion.toString(16).padStart(2, '0')).toBe(j.community_version);

      // Authentication.
      expect(m.meta.authentication.kind).toBe(AUTH_TYPES[j.authentication.type]);
      if (j.authentication.type === 'NoAuthentication') {
        expect(m.members).toHaveLength(0);
        expect(m.signatures).toHaveLength(0);
        expect(m.memberEncoding).toBeUndefined();
      } else {
        expect(m.members).toHaveLength(1);
        expect(m.memberEncoding).toBe(j.authentication.encoding);
        expect(hex(m.members[0]!.mid)).toBe(j.authentication.member_mid);
        expect(hex(m.members[0]!.bytes)).toBe(j.authentication.member_public_key);
        expect(m.signatures[0]).toHaveLength(64);
      }

      // Resolution.
      expect(m.meta.resolution.kind).toBe(RESOLUTION_TYPES[j.resolution.type]);
      if (j.resolution.type === 'DynamicResolution') {
        const r = m.meta.resolution;
        expect(r.kind === 'dynamic' && RESOLUTION_TYPES[j.resolution.policy] === r.policies[m.resolutionIndex!]).toBe(true);
      } else expect(m.resolutionIndex).toBeUndefined();

      // Distribution.
      const d = m.meta.distribution;
      expect(d.kind).toBe(DISTRIBUTION_TYPES[j.distribution.type]);
      expect(m.globalTime).toBe(j.distribution.global_time);
      if ('sequence_number' in j.distribution) {
        // The original reports 0 for FullSync without sequence numbers.
        expect(m.sequenceNumber ?? 0).toBe(j.distribution.sequence_number);
      } else expect(m.sequenceNumber).toBeUndefined();
      if (d.kind !== 'direct') {
        expect(d.priority).toBe(j.distribution.priority);
        expect(d.direction).toBe(j.distribution.synchronization_direction);
      } else {
        expect(j.distribution.priority).toBeUndefined();
      }

      // Destination.
      expect(m.meta.destination.kind).toBe(DESTINATION_TYPES[j.destination.type]);

      // Payload: every key the JSON lists (minus runtime-only state), and nothing it does not.
      const expected = Object.fromEntries(Object.entries(j.payload as Record<string, unknown>).filter(([k]) => !RUNTIME_ONLY.has(k)));
      const view = payloadView(m);
      expect(Object.keys(view).sort()).toEqual(Object.keys(expected).sort());
      expect(view).toEqual(expected);
      if ('packet' in j.payload) expect(j.payload.packet).toBeNull();
      if ('process_undo' in j.payload) expect(j.payload.process_undo).toBe(true);
    });

    test('every layout section has the offset, length and bytes the original reported', () => {
      const m = index.conversion.decode(v.packet);
      const ours = messageLayout(m).map((s) => ({ field: s.field, offset: s.offset, length: s.length, hex: hex(v.packet.subarray(s.offset, s.offset + s.length)) }));
      expect(ours).toEqual(j.layout);
    });

    if (j.bloom_filter_check) {
      test('the sync fields agree with the bloom_filter_check', () => {
        const q = index.conversion.decode(v.packet).payload as IntroductionRequestPayload;
        const c = j.bloom_filter_check;
        expect(c.rebuilt_from_those_packets_equals_captured_bytes).toBe(true);
        expect(q.sync).toBeDefined();
        expect(q.sync!.timeLow).toBe(c.time_low);
        expect(q.sync!.timeHigh).toBe(c.time_high);
        expect(q.sync!.modulo).toBe(c.modulo);
        expect(q.sync!.offset).toBe(c.offset);
        expect(q.sync!.bloom.functions).toBe(c.functions);
        expect(q.sync!.bloom.bytes.length * 8).toBe(c.size_bits);
        expect(q.sync!.bloom.prefix.toString(16).padStart(2, '0')).toBe(c.prefix_hex);
        // Every packet the original put in the filter decodes with the same conversion.
        for (const p of c.packets_in_filter as { packet_hex: string; message: string; global_time: number }[]) {
          const inner = index.conversion.decode(new Uint8Array(Buffer.from(p.packet_hex, 'hex')));
          expect(inner.name).toBe(p.message);
          expect(inner.globalTime).toBe(p.global_time);
        }
      });
    }

    test('re-encodes to the same bytes with the signer key from the index', () => {
      const m = index.conversion.decode(v.packet);
      const signer = signerOf(v);
      const packet = index.conversion.encode(m.meta, {
        ...(signer === undefined ? {} : { signer }),
        globalTime: m.globalTime,
        ...(m.sequenceNumber === undefined ? {} : { sequenceNumber: m.sequenceNumber }),
        ...(m.resolutionIndex === undefined ? {} : { resolutionIndex: m.resolutionIndex }),
        ...(m.depth === undefined ? {} : { depth: m.depth }),
        payload: m.payload,
      });
      expect(hex(packet)).toBe(hex(v.packet));
    });
  });
});
