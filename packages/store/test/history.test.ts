import { describe, expect, it } from 'vitest';
import { open, packet, seed } from './helpers.ts';

describe('LastSync per member', () => {
  it('lists stored global times, returns the newest, and trims the oldest beyond the window', () => {
    const s = seed();
    const meta = s.meta('last-1-text');
    for (const t of [12, 3, 30, 17])
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: t, meta, packet: packet(1, t) });
    s.store.sync.insert({ community: s.community, member: s.bob.id, globalTime: 5, meta, packet: packet(2, 5) });
    s.store.sync.insert({
      community: s.community,
      member: s.alice.id,
      globalTime: 40,
      meta: s.meta('ASC-text'),
      packet: packet(1, 40),
    });
    expect(s.store.history.globalTimes(meta, s.alice.id)).toEqual([3, 12, 17, 30]);
    expect(s.store.history.globalTimes(meta, s.alice.id, 2)).toEqual([3, 12]);
    expect(s.store.history.newest(meta, s.alice.id)?.globalTime).toBe(30);
    expect(s.store.history.newest(meta, s.me.id)).toBeUndefined();
    expect(s.store.history.trim(meta, s.alice.id, 2)).toBe(2);
    expect(s.store.history.globalTimes(meta, s.alice.id)).toEqual([17, 30]);
    expect(s.store.history.trim(meta, s.alice.id, 2)).toBe(0);
    expect(s.store.history.trim(meta, s.alice.id, 1)).toBe(1);
    expect(s.store.history.globalTimes(meta, s.alice.id)).toEqual([30]);
    expect(s.store.history.globalTimes(meta, s.bob.id)).toEqual([5]); // other members untouched
    expect(s.store.sync.exists({ community: s.community, member: s.alice.id, globalTime: 40 })).toBe(true); // other metas too
  });
});

describe('LastSync per member pair (double-signed)', () => {
  it('keeps windows per unordered pair, ordered by (global time, packet)', () => {
    const s = seed();
    const meta = s.meta('double-signed-text');
    const ab = [s.alice.id, s.bob.id] as const;
    const insert = (creator: number, globalTime: number, members: readonly [number, number], first: number) =>
      s.store.sync.insert({
        community: s.community,
        member: creator,
        globalTime,
        meta,
        packet: new Uint8Array([first, globalTime]),
        members,
      });
    insert(s.alice.id, 5, ab, 2);
    insert(s.bob.id, 5, [s.bob.id, s.alice.id], 1); // same pair, same global time, other creator: packet decides
    insert(s.alice.id, 9, ab, 0);
    insert(s.alice.id, 7, [s.alice.id, s.me.id], 0); // another pair
    const rows = s.store.history.pairRows(meta, s.bob.id, s.alice.id);
    expect(rows.map((r) => [r.globalTime, r.packet[0]])).toEqual([
      [5, 1],
      [5, 2],
      [9, 0],
    ]);
    expect(s.store.history.pairRows(meta, s.alice.id, s.bob.id, 1)).toHaveLength(1);
    expect(s.store.history.trimPair(meta, s.alice.id, s.bob.id, 2)).toBe(1);
    expect(s.store.history.pairRows(meta, s.alice.id, s.bob.id).map((r) => [r.globalTime, r.packet[0]])).toEqual([
      [5, 2],
      [9, 0],
    ]);
    expect(s.store.history.trimPair(meta, s.bob.id, s.alice.id, 1)).toBe(1);
    expect(s.store.history.pairRows(meta, s.alice.id, s.bob.id).map((r) => r.globalTime)).toEqual([9]);
    expect(s.store.history.pairRows(meta, s.alice.id, s.me.id).map((r) => r.globalTime)).toEqual([7]);
  });

  it('rejects bad arguments', () => {
    const store = open();
    expect(() => store.history.trim(1, 1, 0)).toThrow(RangeError);
    expect(() => store.history.trimPair(1, 1, 2, 0)).toThrow(RangeError);
    expect(() => store.history.pairRows(1, 0, 2)).toThrow(RangeError);
    expect(() => store.history.globalTimes(1, 1, 0)).toThrow(RangeError);
  });
});
