/** defineMeta: field checks and the policy combination rules of spec §4.1. */
import { describe, expect, test } from 'vitest';
import { checkPolicyCombination, defineMeta, struct, utf8ToEnd, type MetaInit } from '../src/index.ts';

const base: MetaInit<{ text: string }> = {
  name: 'post',
  id: 1,
  authentication: { kind: 'member', encoding: 'default' },
  resolution: { kind: 'public' },
  distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 },
  destination: { kind: 'community', nodeCount: 10 },
  payload: struct({ text: utf8ToEnd }),
};

describe('defineMeta', () => {
  test('returns a frozen copy with undoable defaulting to false', () => {
    const meta = defineMeta(base);
    expect(meta.undoable).toBe(false);
    expect(Object.isFrozen(meta)).toBe(true);
    expect(Object.isFrozen(meta.distribution)).toBe(true);
    expect(meta.distribution).not.toBe(base.distribution);
    expect(meta).not.toHaveProperty('batchWindow');
    expect(defineMeta({ ...base, batchWindow: 5 }).batchWindow).toBe(5);
  });

  test.each([
    ['id 0', { id: 0 }, RangeError],
    ['id 255', { id: 255 }, RangeError],
    ['id 1.5', { id: 1.5 }, TypeError],
    ['an empty name', { name: '' }, RangeError],
    ['a non-string name', { name: 5 }, TypeError],
    ['an unknown authentication', { authentication: { kind: 'triple' } }, TypeError],
    ['an unknown encoding', { authentication: { kind: 'member', encoding: 'hex' } }, TypeError],
    ['an unknown split', { authentication: { kind: 'double-member', encoding: 'bin', split: 'half' } }, TypeError],
    ['an empty dynamic policy list', { resolution: { kind: 'dynamic', policies: [] }, undoable: true }, RangeError],
    ['a bad dynamic policy', { resolution: { kind: 'dynamic', policies: ['open'] }, undoable: true }, TypeError],
    ['priority 256', { distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 256 } }, RangeError],
    ['a bad direction', { distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'UP', priority: 1 } }, TypeError],
    ['history size 0', { distribution: { kind: 'last-sync', historySize: 0, direction: 'ASC', priority: 1 } }, RangeError],
    [
      'pruning with pruned ≤ inactive',
      { distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 1, pruning: { kind: 'global-time', inactive: 5, pruned: 5 } } },
      RangeError,
    ],
    ['relay distribution', { distribution: { kind: 'relay' } }, TypeError],
    ['a negative node count', { destination: { kind: 'community', nodeCount: -1 } }, RangeError],
    ['an NHop depth of 128', { destination: { kind: 'nhop', nodeCount: 1, depth: 128 } }, RangeError],
    ['a payload without decode', { payload: { size: () => 0, encode: () => undefined } }, TypeError],
    ['a non-boolean undoable', { undoable: 1 }, TypeError],
    ['a negative batch window', { batchWindow: -1 }, TypeError],
  ] as const)('refuses %s', (_name, patch, error) => {
    expect(() => defineMeta({ ...base, ...patch } as never)).toThrow(error);
  });
});

describe('policy combinations (spec §4.1)', () => {
  test.each([
    ['NoAuthentication with LinearResolution', { authentication: { kind: 'none' }, resolution: { kind: 'linear' }, distribution: { kind: 'direct' } }],
    ['NoAuthentication with FullSync', { authentication: { kind: 'none' } }],
    ['FullSync to a candidate destination', { destination: { kind: 'candidate' } }],
    ['LastSync to a candidate destination', { distribution: { kind: 'last-sync', historySize: 1, direction: 'ASC', priority: 1 }, destination: { kind: 'candidate' } }],
    ['DoubleMember FullSync with sequence numbers', { authentication: { kind: 'double-member', encoding: 'default' } }],
    ['DynamicResolution without an undo callback', { resolution: { kind: 'dynamic', policies: ['public', 'linear'] } }],
  ] as const)('%s is refused', (_name, patch) => {
    expect(() => defineMeta({ ...base, ...patch } as never)).toThrow(/invalid policy combination/);
  });

  test.each([
    ['NoAuthentication, Public, Direct, Candidate', { authentication: { kind: 'none' }, distribution: { kind: 'direct' }, destination: { kind: 'candidate' } }],
    ['NoAuthentication, Public, Direct, Community', { authentication: { kind: 'none' }, distribution: { kind: 'direct' } }],
    ['Member, Linear, FullSync, NHop', { resolution: { kind: 'linear' }, destination: { kind: 'nhop', nodeCount: 1, depth: -1 } }],
    ['DoubleMember, Public, LastSync, NHop', { authentication: { kind: 'double-member', encoding: 'bin' }, distribution: { kind: 'last-sync', historySize: 1, direction: 'DESC', priority: 9 } }],
    ['Member, Dynamic (undoable), FullSync', { resolution: { kind: 'dynamic', policies: ['linear'] }, undoable: true }],
  ] as const)('%s is allowed', (_name, patch) => {
    const meta = defineMeta({ ...base, ...patch } as never);
    expect(() => checkPolicyCombination(meta)).not.toThrow();
  });
});
