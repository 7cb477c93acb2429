/**
 * The Conversion: construction, header checks (spec §2.1), encode argument checks, and the robustness properties:
 * any bytes — random, or mutations of valid packets — either decode or throw a DecodeError.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  createConversion,
  DecodeError,
  defineMeta,
  describeMessage,
  dispersyMessages,
  introductionRequest,
  isMessageOf,
  textPayload,
  type Conversion,
} from '../src/index.ts';
import { debugCommunityMessages } from '../src/debug.ts';
import { KEYS, PUBLIC_KEYS } from './arbitraries.ts';
import { craft, debugConversion, decodeError, hex, loadVectors, lookupOf, TEST_CID, vectorIndex } from './helpers.ts';

const [alice, bob] = [KEYS[0]!, KEYS[2]!];
const v1 = debugConversion(1, lookupOf(PUBLIC_KEYS));
const v2 = debugConversion(2);
const text = new TextEncoder().encode('hello');
const good = v2.encode('full-sync-text', { signer: alice, globalTime: 5, payload: { text } });

describe('construction', () => {
  test('includes the built-ins by default, ordered by id, with a cached 22-byte prefix', () => {
    expect(v2.metas).toHaveLength(17 + 19);
    expect(v2.metas.map((m) => m.id)).toEqual([...v2.metas.map((m) => m.id)].sort((a, b) => a - b));
    expect(hex(v2.prefix)).toBe(`0002${hex(TEST_CID)}`);
    expect(v2.metaById(246)).toBe(introductionRequest);
    expect(v2.metaByName('full-sync-text')?.id).toBe(105);
    expect(v2.metaById(240)).toBeUndefined();
    expect(v1.defaultMemberEncoding).toBe('sha1');
    expect(v2.defaultMemberEncoding).toBe('bin');
  });

  test('copies the cid', () => {
    const cid = new Uint8Array(20);
    const c = createConversion({ cid, communityVersion: 1, metas: [] });
    cid[0] = 9;
    expect(c.cid[0]).toBe(0);
  });

  test('includeBuiltins: false leaves the dispersy-* ids undefined', () => {
    const bare = createConversion({ cid: TEST_CID, communityVersion: 1, metas: debugCommunityMessages, includeBuiltins: false });
    expect(bare.metas).toHaveLength(19);
    const packet = v2.encode('dispersy-missing-identity', { globalTime: 1, payload: { mid: new Uint8Array(20) } });
    expect(decodeError(() => createConversion({ cid: TEST_CID, communityVersion: 2, metas: [], includeBuiltins: false }).decode(packet)).code).toBe(
      'UNKNOWN_MESSAGE',
    );
  });

  test('a community meta named like a built-in replaces it', () => {
    const replaced = defineMeta({ ...introductionRequest, payload: textPayload });
    const c = createConversion({ cid: TEST_CID, communityVersion: 2, metas: [replaced] });
    expect(c.metaById(246)).toBe(replaced);
    expect(c.metas).toHaveLength(dispersyMessages.length);
  });

  test('refuses duplicate ids and names, bad versions and malformed metas', () => {
    const clash = defineMeta({ ...debugCommunityMessages[0]!, name: 'other' });
    expect(() => createConversion({ cid: TEST_CID, communityVersion: 1, metas: [...debugCommunityMessages, clash] })).toThrow(TypeError);
    const twin = defineMeta({ ...debugCommunityMessages[0]!, id: 1 });
    expect(() => createConversion({ cid: TEST_CID, communityVersion: 1, metas: [...debugCommunityMessages, twin] })).toThrow(TypeError);
    expect(() => createConversion({ cid: TEST_CID, communityVersion: 255, metas: [] })).toThrow(RangeError);
    expect(() => createConversion({ cid: new Uint8Array(19), communityVersion: 1, metas: [] })).toThrow(RangeError);
    expect(() => createConversion({ cid: TEST_CID, communityVersion: 1, metas: [{ name: 'x', id: 0 }] as never })).toThrow(TypeError);
    expect(() => createConversion({ cid: TEST_CID, communityVersion: 1, metas: [], lookupMember: 5 as never })).toThrow(TypeError);
  });
});

describe('header (spec §2.1)', () => {
  test('canDecode needs ≥ 23 bytes, the prefix and a defined id', () => {
    expect(v2.canDecode(good)).toBe(true);
    expect(v2.canDecode(good.subarray(0, 22))).toBe(false);
    expect(v1.canDecode(good)).toBe(false);
    const unknown = good.slice();
    unknown[22] = 200;
    expect(v2.canDecode(unknown)).toBe(false);
  });

  test.each([
    ['fewer than 23 bytes', (p: Uint8Array) => p.subarray(0, 22), 'TRUNCATED', 0],
    ['dispersy version 0x01', (p: Uint8Array) => ((p[0] = 1), p), 'BAD_HEADER', 0],
    ['another community version', (p: Uint8Array) => ((p[1] = 1), p), 'BAD_HEADER', 1],
    ['another cid', (p: Uint8Array) => ((p[21]! ^= 1), p), 'UNKNOWN_COMMUNITY', 2],
    ['an undefined message id', (p: Uint8Array) => ((p[22] = 200), p), 'UNKNOWN_MESSAGE', 22],
    ['the reserved id 255', (p: Uint8Array) => ((p[22] = 255), p), 'UNKNOWN_MESSAGE', 22],
    ['an obsolete id (241)', (p: Uint8Array) => ((p[22] = 241), p), 'UNKNOWN_MESSAGE', 22],
    ['a tunnel prefix left on', (p: Uint8Array) => Uint8Array.from([255, 255, 255, 255, ...p]), 'BAD_HEADER', 0],
  ] as const)('%s is %s', (_name, mutate, code, offset) => {
    const err = decodeError(() => v2.decode(mutate(good.slice())));
    expect(err.code).toBe(code);
    expect(err.offset).toBe(offset);
  });
});

describe('decoded message', () => {
  test('carries the header, the sections, offsets and views into the packet', () => {
    const m = v2.decode(good);
    expect(m).toMatchObject({ name: 'full-sync-text', messageId: 105, dispersyVersion: 0, communityVersion: 2, globalTime: 5 });
    expect(m.packet).toBe(good);
    expect(m.cid.buffer).toBe(good.buffer);
    expect(m.signatures[0]!.buffer).toBe(good.buffer);
    expect(hex(good.subarray(m.payloadOffset, m.signatureOffset))).toBe(hex(text));
    expect(isMessageOf(m, v2.metaByName('full-sync-text')!)).toBe(true);
    expect(isMessageOf(m, introductionRequest)).toBe(false);
    expect(describeMessage(m)).toBe(`full-sync-text gt=5 by ${hex(alice.publicKey.mid).slice(0, 8)}`);
  });
});

describe('encode argument checks', () => {
  test('meta by name or definition, of this conversion only', () => {
    expect(() => v2.encode('nope', { signer: alice, globalTime: 1, payload: { text } })).toThrow(RangeError);
    const foreign = defineMeta({ ...debugCommunityMessages[4]!, id: 1 });
    expect(() => v2.encode(foreign, { signer: alice, globalTime: 1, payload: { text } })).toThrow(RangeError);
    expect(v2.encode(v2.metaByName('full-sync-text')!, { signer: alice, globalTime: 5, payload: { text } })).toEqual(good);
  });

  test('members must match the authentication policy', () => {
    expect(() => v2.encode('full-sync-text', { globalTime: 1, payload: { text } })).toThrow(TypeError);
    expect(() => v2.encode('full-sync-text', { signer: alice, members: [alice], globalTime: 1, payload: { text } })).toThrow(TypeError);
    expect(() => v2.encode('full-sync-text', { members: [alice, bob], globalTime: 1, payload: { text } })).toThrow(TypeError);
    expect(() => v2.encode('dispersy-missing-identity', { signer: alice, globalTime: 1, payload: { mid: new Uint8Array(20) } })).toThrow(TypeError);
    expect(() => v2.encode('full-sync-text', { signer: {} as never, globalTime: 1, payload: { text } })).toThrow(TypeError);
  });

  test('a payload codec that lies about its size is caught', () => {
    const liar = defineMeta({ ...debugCommunityMessages[4]!, payload: { ...textPayload, size: () => 3 } });
    const c = createConversion({ cid: TEST_CID, communityVersion: 2, metas: [liar] });
    expect(() => c.encode(liar, { signer: alice, globalTime: 1, payload: { text } })).toThrow(Error);
  });

  test('sha1 encoding writes the mid, bin the key', () => {
    expect(v1.encode('full-sync-text', { signer: alice, globalTime: 5, payload: { text } }).length).toBe(23 + 20 + 8 + 5 + 64);
    expect(good.length).toBe(23 + 2 + alice.publicKey.bytes.length + 8 + 5 + 64);
  });
});

/** Valid packets to mutate: every golden vector and a few generated ones (double-signed, NHop, EC keys). */
const corpus: { conversion: Conversion; packet: Uint8Array }[] = [
  ...loadVectors().map((v) => ({ conversion: vectorIndex(v.label).conversion, packet: v.packet })),
  { conversion: v2, packet: v2.encode('double-signed-text', { members: [alice, bob], globalTime: 3, payload: { text } }) },
  { conversion: v1, packet: v1.encode('last-1-doublemember-text', { members: [alice, bob.publicKey], globalTime: 3, payload: { text } }) },
  { conversion: v2, packet: v2.encode('n-hop-sync-text', { signer: bob, globalTime: 3, payload: { text } }) },
];

function decodesOrDecodeError(conversion: Conversion, bytes: Uint8Array, options: { verify: boolean; allowEmptySignature: boolean }): void {
  try {
    conversion.decode(bytes, options);
  } catch (err) {
    if (!DecodeError.is(err)) throw err;
  }
}

const arbOptions = fc.record({ verify: fc.boolean(), allowEmptySignature: fc.boolean() });
const arbMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), extra: fc.uint8Array({ maxLength: 8 }) }),
);

interface Mutation {
  kind: string;
  at?: number;
  bit?: number;
  value?: number;
  extra?: Uint8Array;
}

function mutate(packet: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let p = packet.slice();
  for (const m of mutations) {
    const at = p.length === 0 ? 0 : (m.at ?? 0) % p.length;
    if (m.kind === 'flip' && p.length > 0) p[at]! ^= 1 << (m.bit ?? 0);
    else if (m.kind === 'set' && p.length > 0) p[at] = m.value ?? 0;
    else if (m.kind === 'truncate') p = p.slice(0, at);
    else if (m.kind === 'extend') p = Uint8Array.from([...p, ...(m.extra ?? [])]);
    else if (m.kind === 'splice') p = Uint8Array.from([...p.subarray(0, at), ...(m.extra ?? []), ...p.subarray(at)]);
  }
  return p;
}

describe('properties', () => {
  test.prop([fc.uint8Array({ maxLength: 300 }), arbOptions])('random bytes decode or throw DecodeError', (bytes, options) => {
    decodesOrDecodeError(v2, bytes, options);
  });

  test.prop([fc.constantFrom(...v2.metas.map((m) => m.id)), fc.uint8Array({ maxLength: 300 }), arbOptions, fc.boolean()], { numRuns: Number(process.env.FUZZ_RUNS ?? 300) })(
    'random bodies after a valid header decode or throw DecodeError',
    (id, body, options, version1) => {
      const conversion = version1 ? v1 : v2;
      decodesOrDecodeError(conversion, Uint8Array.from([...conversion.prefix, id, ...body]), options);
    },
  );

  test.prop([fc.nat(corpus.length - 1), fc.array(arbMutation, { minLength: 1, maxLength: 4 }), arbOptions], { numRuns: Number(process.env.FUZZ_RUNS ?? 500) })(
    'mutated valid packets (bit flips, truncation, extension) decode or throw DecodeError',
    (index, mutations, options) => {
      const { conversion, packet } = corpus[index]!;
      decodesOrDecodeError(conversion, mutate(packet, mutations), options);
    },
  );

  test.prop([fc.nat(corpus.length - 1), fc.nat()])('every strict prefix of a valid packet is rejected', (index, cut) => {
    const { conversion, packet } = corpus[index]!;
    const bytes = packet.subarray(0, cut % packet.length);
    expect(() => conversion.decode(bytes)).toThrow(DecodeError);
  });

  test.prop(
    [fc.constantFrom(...v2.metas.map((m) => m.name)), fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.constantFrom(...KEYS)],
    { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
  )('validly signed packets with random payload bytes decode or throw DecodeError', (name, payload, version1, signer) => {
    const conversion = version1 ? v1 : v2;
    const meta = conversion.metaByName(name)!;
    const members = meta.authentication.kind === 'none' ? [] : meta.authentication.kind === 'member' ? [signer] : [signer, bob];
    const input = {
      members,
      globalTime: 1_000,
      ...(meta.distribution.kind === 'full-sync' && meta.distribution.sequenceNumbers ? { sequenceNumber: 1 } : {}),
    };
    decodesOrDecodeError(conversion, craft(conversion, name, payload, input), { verify: true, allowEmptySignature: false });
  });

  test('every corpus packet is valid to start with', () => {
    for (const { conversion, packet } of corpus) expect(() => conversion.decode(packet, { allowEmptySignature: true })).not.toThrow();
  });
});
