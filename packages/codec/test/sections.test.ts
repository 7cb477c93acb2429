/**
 * Resolution, destination and distribution sections (spec §2.3), including the two fixed quirks: a
 * DynamicResolution index equal to the number of policies (quirk 12) and a DirectDistribution global time of 0
 * (quirk 13) are DecodeErrors.
 */
import { describe, expect, test } from 'vitest';
import { sectionValues } from '../src/sections.ts';
import { KEYS } from './arbitraries.ts';
import { debugConversion, decodeError, resign } from './helpers.ts';

const conversion = debugConversion(2);
const signer = KEYS[0]!;
const text = new TextEncoder().encode('hello');
const AUTH = 23 + 2 + signer.publicKey.bytes.length; // offset just after a bin authentication section

describe('resolution (DynamicResolution index byte)', () => {
  const packet = (index: number): Uint8Array => {
    const p = conversion.encode('dynamic-resolution-text', { signer, globalTime: 5, resolutionIndex: 1, payload: { text } });
    p[AUTH] = index;
    return resign(p, signer);
  };

  test('indexes below the number of policies decode', () => {
    expect(conversion.decode(packet(0)).resolutionIndex).toBe(0);
    expect(conversion.decode(packet(1)).resolutionIndex).toBe(1);
  });

  test.each([2, 3, 255])('index %i (≥ 2 policies) is BAD_RESOLUTION (quirk 12 fixed)', (index) => {
    const err = decodeError(() => conversion.decode(packet(index)));
    expect(err.code).toBe('BAD_RESOLUTION');
    expect(err.offset).toBe(AUTH);
  });

  test('the encoder defaults to index 0 and refuses an index out of range or on a non-dynamic meta', () => {
    expect(conversion.decode(conversion.encode('dynamic-resolution-text', { signer, globalTime: 5, payload: { text } })).resolutionIndex).toBe(0);
    expect(() => conversion.encode('dynamic-resolution-text', { signer, globalTime: 5, resolutionIndex: 2, payload: { text } })).toThrow(RangeError);
    expect(() => conversion.encode('full-sync-text', { signer, globalTime: 5, resolutionIndex: 0, payload: { text } })).toThrow(TypeError);
  });
});

describe('destination (NHop signed depth byte, before the distribution)', () => {
  test.each([42, 0, -1, 127, -128])('depth %i round-trips as a signed byte', (depth) => {
    const p = conversion.encode('n-hop-sync-text', { signer, globalTime: 5, depth, payload: { text } });
    expect(p[AUTH]).toBe(depth & 0xff);
    const m = conversion.decode(p);
    expect(m.depth).toBe(depth);
    expect(m.globalTime).toBe(5);
  });

  test("the depth defaults to the meta's and is absent for other destinations", () => {
    expect(conversion.decode(conversion.encode('n-hop-sync-text', { signer, globalTime: 5, payload: { text } })).depth).toBe(1);
    expect(conversion.decode(conversion.encode('full-sync-text', { signer, globalTime: 5, payload: { text } })).depth).toBeUndefined();
    expect(() => conversion.encode('n-hop-sync-text', { signer, globalTime: 5, depth: 128, payload: { text } })).toThrow(RangeError);
    expect(() => conversion.encode('full-sync-text', { signer, globalTime: 5, depth: 1, payload: { text } })).toThrow(TypeError);
  });
});

describe('distribution', () => {
  const withTime = (name: string, time: number[], extra: Record<string, number> = {}): Uint8Array => {
    const p = conversion.encode(name, { signer, globalTime: 5, ...extra, payload: name.startsWith('dispersy') ? { globalTime: 1 } : { text } });
    p.set(time, AUTH);
    return resign(p, signer);
  };
  const ZERO = [0, 0, 0, 0, 0, 0, 0, 0];

  test.each([
    ['full-sync-text', 'FullSync without sequence numbers', {}],
    ['sequence-text', 'FullSync with sequence numbers', { sequenceNumber: 1 }],
    ['last-1-test', 'LastSync', {}],
  ])('%s (%s): global time 0 is ZERO_GLOBAL_TIME', (name, _kind, extra) => {
    expect(decodeError(() => conversion.decode(withTime(name, ZERO, extra))).code).toBe('ZERO_GLOBAL_TIME');
  });

  test('DirectDistribution: global time 0 is ZERO_GLOBAL_TIME too (quirk 13 fixed)', () => {
    const p = conversion.encode('dispersy-missing-identity', { globalTime: 5, payload: { mid: new Uint8Array(20) } });
    p.set(ZERO, 23);
    const err = decodeError(() => conversion.decode(p));
    expect(err.code).toBe('ZERO_GLOBAL_TIME');
    expect(err.offset).toBe(23);
  });

  test('sequence number 0 is ZERO_SEQUENCE_NUMBER', () => {
    const p = conversion.encode('sequence-text', { signer, globalTime: 5, sequenceNumber: 1, payload: { text } });
    p.set([0, 0, 0, 0], AUTH + 8);
    expect(decodeError(() => conversion.decode(resign(p, signer))).code).toBe('ZERO_SEQUENCE_NUMBER');
  });

  test('a global time of 2^53 or more is UNSAFE_INTEGER; 2^53 − 1 decodes', () => {
    expect(decodeError(() => conversion.decode(withTime('full-sync-text', [0, 0x20, 0, 0, 0, 0, 0, 0]))).code).toBe('UNSAFE_INTEGER');
    expect(conversion.decode(withTime('full-sync-text', [0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).globalTime).toBe(Number.MAX_SAFE_INTEGER);
  });

  test('sizes: 8 bytes, 12 with a sequence number', () => {
    const a = conversion.decode(conversion.encode('full-sync-text', { signer, globalTime: 5, payload: { text } }));
    const b = conversion.decode(conversion.encode('sequence-text', { signer, globalTime: 5, sequenceNumber: 7, payload: { text } }));
    expect(a.payloadOffset - AUTH).toBe(8);
    expect(b.payloadOffset - AUTH).toBe(12);
    expect(b.sequenceNumber).toBe(7);
  });

  test('the encoder requires a sequence number exactly where the meta has them', () => {
    expect(() => conversion.encode('sequence-text', { signer, globalTime: 5, payload: { text } })).toThrow(TypeError);
    expect(() => conversion.encode('sequence-text', { signer, globalTime: 5, sequenceNumber: 0, payload: { text } })).toThrow(RangeError);
    expect(() => conversion.encode('full-sync-text', { signer, globalTime: 5, sequenceNumber: 1, payload: { text } })).toThrow(TypeError);
    expect(() => conversion.encode('full-sync-text', { signer, globalTime: 0, payload: { text } })).toThrow(RangeError);
    expect(() => conversion.encode('full-sync-text', { signer, globalTime: 2 ** 53, payload: { text } })).toThrow(RangeError);
  });
});

test('sectionValues fills defaults', () => {
  expect(sectionValues({ kind: 'dynamic', policies: ['public'] }, { kind: 'nhop', nodeCount: 1, depth: -1 }, { kind: 'direct' }, { globalTime: 3 })).toEqual({
    resolutionIndex: 0,
    depth: -1,
    globalTime: 3,
    sequenceNumber: undefined,
  });
});
