import { textPayload } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import { DEFAULT_KNOBS, defineCommunity } from '../src/community-definition.ts';
import { defineCommunityMeta, isSyncMeta, withCallbacks } from '../src/community-meta.ts';

const base = {
  name: 'text',
  id: 1,
  authentication: { kind: 'member', encoding: 'default' },
  resolution: { kind: 'public' },
  distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 },
  destination: { kind: 'community', nodeCount: 10 },
  payload: textPayload,
} as const;

describe('defineCommunityMeta (spec §4.1 at definition time)', () => {
  test('keeps the callbacks and derives undoable from the undo callback', () => {
    const handle = (): void => undefined;
    const meta = defineCommunityMeta({ ...base, handle, undo: () => undefined });
    expect(meta.handle).toBe(handle);
    expect(meta.undoable).toBe(true);
    expect(defineCommunityMeta(base).undoable).toBe(false);
    expect(Object.isFrozen(meta)).toBe(true);
    expect(isSyncMeta(meta)).toBe(true);
  });

  test.each([
    [{ authentication: { kind: 'none' } }, 'NoAuthentication allows only PublicResolution', { resolution: { kind: 'linear' } }],
    [{ authentication: { kind: 'none' } }, 'NoAuthentication allows only DirectDistribution', {}],
    [{ destination: { kind: 'candidate' } }, 'FullSync/LastSync require a community destination', {}],
    [
      { authentication: { kind: 'double-member', encoding: 'default' } },
      'FullSync with DoubleMemberAuthentication cannot enable sequence numbers',
      { distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 } },
    ],
    [{ resolution: { kind: 'dynamic', policies: ['public', 'linear'] } }, 'DynamicResolution requires an undoable meta', {}],
  ])('rejects %j with a TypeError naming the rule (%s)', (override, rule, more) => {
    expect(() => defineCommunityMeta({ ...base, ...override, ...more } as never)).toThrow(new RegExp(rule.replace(/[/()]/g, '.')));
  });

  test('an undoable meta needs an undo callback; callbacks must be functions', () => {
    expect(() => defineCommunityMeta({ ...base, undoable: true })).toThrow(/no undo callback/);
    expect(() => defineCommunityMeta({ ...base, handle: 5 as never })).toThrow(TypeError);
  });

  test('withCallbacks keeps the codec policies', () => {
    const plain = defineCommunityMeta(base);
    const meta = withCallbacks(plain, { undo: () => undefined });
    expect(meta.distribution).toEqual(plain.distribution);
    expect(meta.undoable).toBe(true);
  });
});

describe('defineCommunity', () => {
  test('default knobs are the original\'s (spec §12.1)', () => {
    const def = defineCommunity({ classification: 'X', communityVersion: 2, metas: [defineCommunityMeta(base)] });
    expect(def.knobs).toEqual(DEFAULT_KNOBS);
    expect(def.knobs.acceptableGlobalTimeRange).toBe(10_000);
    expect(def.knobs.syncResponseLimit).toBe(5120);
    expect(def.knobs.missingSequenceResponseLimit).toBe(10_240);
    expect(def.acceptDefaultConversion).toBe(true);
  });

  test('walker off turns walker responses off unless given', () => {
    expect(defineCommunity({ classification: 'X', communityVersion: 1, metas: [], knobs: { enableCandidateWalker: false } }).knobs.enableCandidateWalkerResponses).toBe(false);
    expect(
      defineCommunity({ classification: 'X', communityVersion: 1, metas: [], knobs: { enableCandidateWalker: false, enableCandidateWalkerResponses: true } }).knobs
        .enableCandidateWalkerResponses,
    ).toBe(true);
  });

  test('rejects duplicate names and ids (also against built-ins), bad versions and knobs', () => {
    const meta = defineCommunityMeta(base);
    expect(() => defineCommunity({ classification: 'X', communityVersion: 1, metas: [meta, meta] })).toThrow(/share the name/);
    expect(() => defineCommunity({ classification: 'X', communityVersion: 1, metas: [defineCommunityMeta({ ...base, id: 248 })] })).toThrow(/share id 248/);
    expect(() => defineCommunity({ classification: 'X', communityVersion: 0, metas: [] })).toThrow(RangeError);
    expect(() => defineCommunity({ classification: '', communityVersion: 1, metas: [] })).toThrow(TypeError);
    expect(() => defineCommunity({ classification: 'X', communityVersion: 1, metas: [], knobs: { maxCandidates: 0 } })).toThrow(RangeError);
    expect(() => defineCommunity({ classification: 'X', communityVersion: 1, metas: [], knobs: { syncBloomFilterBits: 12 } })).toThrow(RangeError);
  });
});
