import { describe, expect, it } from 'vitest';
import { open, packet, seed, type Seeded } from './helpers.ts';

/** The fixture of the original's test_sequence.py: 10 messages, sequence 1–10 at global times 11–20. */
function chain(s: Seeded = seed(), size = 40): { s: Seeded; meta: number } {
  const meta = s.meta('sequence-text');
  s.store.sync.insertBatch(
    Array.from({ length: 10 }, (_, i) => ({
      community: s.community,
      member: s.alice.id,
      globalTime: 11 + i,
      meta,
      packet: packet(s.alice.id, 11 + i, size),
      sequence: i + 1,
    })),
  );
  return { s, meta };
}

describe('chain heads', () => {
  it('reports (max global time, max sequence) per member, zeros when none', () => {
    const { s, meta } = chain();
    expect(s.store.sequences.head(meta, s.alice.id)).toEqual({ globalTime: 20, sequence: 10 });
    expect(s.store.sequences.head(meta, s.bob.id)).toEqual({ globalTime: 0, sequence: 0 });
    expect(s.store.sequences.maxSequence(meta, s.alice.id)).toBe(10);
    expect(s.store.sequences.maxSequence(meta, s.bob.id)).toBe(0);
    expect(s.store.sequences.maxSequence(s.meta('ASC-text'), s.alice.id)).toBe(0);
    const heads = s.store.sequences.heads(meta, [s.alice.id, s.bob.id, s.alice.id]);
    expect([...heads]).toEqual([
      [s.alice.id, { globalTime: 20, sequence: 10 }],
      [s.bob.id, { globalTime: 0, sequence: 0 }],
    ]);
  });

  it('counts a member’s rows of a meta (the master’s next sequence number is count + 1)', () => {
    const { s, meta } = chain();
    expect(s.store.sequences.count(meta, s.alice.id)).toBe(10);
    expect(s.store.sequences.count(meta, s.bob.id)).toBe(0);
  });
});

describe('rowAt (spec §4.6 step 2)', () => {
  it('returns the n-th stored row by global time', () => {
    const { s, meta } = chain();
    expect(s.store.sequences.rowAt(meta, s.alice.id, 1)?.globalTime).toBe(11);
    expect(s.store.sequences.rowAt(meta, s.alice.id, 4)).toMatchObject({ globalTime: 14, sequence: 4 });
    expect(s.store.sequences.rowAt(meta, s.alice.id, 10)?.globalTime).toBe(20);
    expect(s.store.sequences.rowAt(meta, s.alice.id, 11)).toBeUndefined();
    expect(s.store.sequences.rowAt(meta, s.bob.id, 1)).toBeUndefined();
    expect(() => s.store.sequences.rowAt(meta, s.alice.id, 0)).toThrow(RangeError);
  });

  it('counts positions by global time, not by the stored sequence numbers', () => {
    const s = seed();
    const meta = s.meta('sequence-text');
    // A (broken) chain whose numbers disagree with the global-time order: the position still follows global time.
    s.store.sync.insertBatch([
      { community: s.community, member: s.bob.id, globalTime: 30, meta, packet: packet(2, 30), sequence: 1 },
      { community: s.community, member: s.bob.id, globalTime: 5, meta, packet: packet(2, 5), sequence: 2 },
    ]);
    expect(s.store.sequences.rowAt(meta, s.bob.id, 1)?.globalTime).toBe(5);
  });
});

describe('deleteFrom (the sequence "replace" path)', () => {
  it('deletes the conflicting row and every later one of that member and meta', () => {
    const { s, meta } = chain();
    s.store.sync.insert({
      community: s.community,
      member: s.bob.id,
      globalTime: 15,
      meta,
      packet: packet(2, 15),
      sequence: 1,
    });
    s.store.sync.insert({
      community: s.community,
      member: s.alice.id,
      globalTime: 25,
      meta: s.meta('ASC-text'),
      packet: packet(1, 25),
    });
    expect(s.store.sequences.deleteFrom(meta, s.alice.id, 14)).toBe(7);
    expect(s.store.sequences.head(meta, s.alice.id)).toEqual({ globalTime: 13, sequence: 3 });
    expect(s.store.sequences.head(meta, s.bob.id)).toEqual({ globalTime: 15, sequence: 1 });
    expect(s.store.sync.exists({ community: s.community, member: s.alice.id, globalTime: 25 })).toBe(true);
    expect(s.store.sequences.deleteFrom(meta, s.alice.id, 100)).toBe(0);
  });
});

describe('range (dispersy-missing-sequence)', () => {
  // The single-range cases of the original's TestIncomingMissingSequence.
  it.each([
    [1, 1, [1]],
    [10, 10, [10]],
    [1, 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    [3, 10, [3, 4, 5, 6, 7, 8, 9, 10]],
    [1, 7, [1, 2, 3, 4, 5, 6, 7]],
    [3, 7, [3, 4, 5, 6, 7]],
    [10, 11, [10]],
    [11, 11, []],
    [11, 50, []],
    [100, 200, []],
    [5, 4, []],
  ])('sequence %i to %i → %j', (low, high, expected) => {
    const { s, meta } = chain();
    expect(s.store.sequences.range(meta, s.alice.id, low, high).map((r) => r.sequence)).toEqual(expected);
  });

  it('stops at the byte budget, including the packet that crosses it', () => {
    const { s, meta } = chain(undefined, 1000);
    expect(s.store.sequences.range(meta, s.alice.id, 1, 10, { maxBytes: 10_240 })).toHaveLength(10);
    expect(s.store.sequences.range(meta, s.alice.id, 1, 10, { maxBytes: 3000 }).map((r) => r.sequence)).toEqual([
      1, 2, 3,
    ]);
    expect(s.store.sequences.range(meta, s.alice.id, 1, 10, { maxBytes: 2999 }).map((r) => r.sequence)).toEqual([
      1, 2, 3,
    ]);
    expect(s.store.sequences.range(meta, s.alice.id, 1, 10, { maxBytes: 1 }).map((r) => r.sequence)).toEqual([1]);
    // The store stays usable after an early stop (the statement was reset).
    expect(s.store.sequences.range(meta, s.alice.id, 4, 5).map((r) => r.sequence)).toEqual([4, 5]);
  });

  it('stops at the row limit', () => {
    const { s, meta } = chain();
    expect(s.store.sequences.range(meta, s.alice.id, 1, 10, { limit: 4 }).map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad bounds', () => {
    const store = open();
    expect(() => store.sequences.range(1, 1, 0, 5)).toThrow(RangeError);
    expect(() => store.sequences.range(1, 1, 1, 2 ** 32)).toThrow(RangeError);
    expect(() => store.sequences.range(1, 1, 1, 5, { maxBytes: 0 })).toThrow(RangeError);
    expect(() => store.sequences.range(1, 1, 1, 5, { limit: 0 })).toThrow(RangeError);
    expect(() => store.sequences.heads(1, [0])).toThrow(RangeError);
    expect(() => store.sequences.deleteFrom(1, 1, -5)).toThrow(RangeError);
  });
});
