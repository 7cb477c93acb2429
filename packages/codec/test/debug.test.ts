/** The DebugCommunity metas (spec §14): ids 101–119, their policies, raw-text payloads. */
import { describe, expect, test } from 'vitest';
import { createDebugCommunityMessages, DEBUG_COMMUNITY_VERSION, debugCommunityMessages, splitAtLastComma, textPayload } from '../src/debug.ts';

const byId = new Map(debugCommunityMessages.map((m) => [m.id, m]));

/** id → name, auth, resolution, distribution summary, destination, undoable (spec §14). */
const TABLE: [number, string, string, string, string, string, boolean][] = [
  [101, 'last-1-test', 'member', 'public', 'last-sync ASC 128 h1', 'community 10', false],
  [102, 'last-9-test', 'member', 'public', 'last-sync ASC 128 h9', 'community 10', false],
  [103, 'double-signed-text', 'double-member', 'public', 'direct', 'nhop 10 42', false],
  [104, 'double-signed-text-split', 'double-member', 'public', 'direct', 'nhop 10 42', false],
  [105, 'full-sync-text', 'member', 'public', 'full-sync ASC 128', 'community 10', true],
  [106, 'n-hop-sync-text', 'member', 'public', 'full-sync ASC 128', 'nhop 1 1', true],
  [107, 'ASC-text', 'member', 'public', 'full-sync ASC 128', 'community 10', false],
  [108, 'DESC-text', 'member', 'public', 'full-sync DESC 128', 'community 10', false],
  [109, 'last-1-doublemember-text', 'double-member', 'public', 'last-sync ASC 128 h1', 'nhop 10 42', false],
  [110, 'protected-full-sync-text', 'member', 'linear', 'full-sync ASC 128', 'community 10', true],
  [111, 'dynamic-resolution-text', 'member', 'dynamic public,linear', 'full-sync ASC 128', 'community 10', true],
  [112, 'sequence-text', 'member', 'public', 'full-sync ASC 128 seq', 'community 10', true],
  [113, 'full-sync-global-time-pruning-text', 'member', 'public', 'full-sync ASC 128 prune 10/20', 'community 10', true],
  [114, 'high-priority-text', 'member', 'public', 'full-sync ASC 200', 'community 10', false],
  [115, 'low-priority-text', 'member', 'public', 'full-sync ASC 100', 'community 10', false],
  [116, 'medium-priority-text', 'member', 'public', 'full-sync ASC 150', 'community 10', false],
  [117, 'RANDOM-text', 'member', 'public', 'full-sync RANDOM 128', 'community 10', false],
  [118, 'batched-text', 'member', 'public', 'full-sync ASC 128', 'community 10', false],
  [119, 'bin-key-text', 'member', 'public', 'full-sync ASC 128', 'community 10', true],
];

describe('DebugCommunity (spec §14)', () => {
  test('version 0x01, 19 metas with ids 101–119, all raw-text payloads', () => {
    expect(DEBUG_COMMUNITY_VERSION).toBe(1);
    expect(debugCommunityMessages.map((m) => m.id)).toEqual(TABLE.map((r) => r[0]));
    expect(debugCommunityMessages.every((m) => m.payload === textPayload)).toBe(true);
  });

  test.each(TABLE)('%i %s', (id, name, auth, resolution, distribution, destination, undoable) => {
    const m = byId.get(id)!;
    expect(m.name).toBe(name);
    expect(m.authentication.kind).toBe(auth);
    const r = m.resolution;
    expect(r.kind === 'dynamic' ? `dynamic ${r.policies.join(',')}` : r.kind).toBe(resolution);
    const d = m.distribution;
    const summary =
      d.kind === 'direct'
        ? 'direct'
        : d.kind === 'last-sync'
          ? `last-sync ${d.direction} ${d.priority} h${d.historySize}`
          : `full-sync ${d.direction} ${d.priority}${d.sequenceNumbers ? ' seq' : ''}${d.pruning?.kind === 'global-time' ? ` prune ${d.pruning.inactive}/${d.pruning.pruned}` : ''}`;
    expect(summary).toBe(distribution);
    const t = m.destination;
    expect(t.kind === 'candidate' ? 'candidate' : t.kind === 'community' ? `community ${t.nodeCount}` : `nhop ${t.nodeCount} ${t.depth}`).toBe(destination);
    expect(m.undoable).toBe(undoable);
  });

  test('member encodings: default everywhere except bin-key-text; batched-text has a 5 s window', () => {
    expect(byId.get(119)!.authentication).toEqual({ kind: 'member', encoding: 'bin' });
    expect(byId.get(105)!.authentication).toEqual({ kind: 'member', encoding: 'default' });
    expect(byId.get(118)!.batchWindow).toBe(5);
  });

  test('double-signed splits: whole by default, the original one-byte split on request, the comma split for 104', () => {
    expect(byId.get(103)!.authentication).toMatchObject({ split: 'whole' });
    expect(byId.get(104)!.authentication).toMatchObject({ split: splitAtLastComma });
    const original = createDebugCommunityMessages({ doubleSplit: 'original-one-byte' });
    expect(original.find((m) => m.id === 103)!.authentication).toMatchObject({ split: 'original-one-byte' });
    expect(original.find((m) => m.id === 109)!.authentication).toMatchObject({ split: 'original-one-byte' });
    expect(original.find((m) => m.id === 104)!.authentication).toMatchObject({ split: splitAtLastComma });
    expect(() => createDebugCommunityMessages({ doubleSplit: 'half' as never })).toThrow(TypeError);
    expect(() => createDebugCommunityMessages(5 as never)).toThrow(TypeError);
  });
});
