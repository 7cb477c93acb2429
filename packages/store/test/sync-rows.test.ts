import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type NewSyncRow, UNDONE_BY_POLICY } from '../src/index.ts';
import { codeOf, open, packet, seed } from './helpers.ts';

describe('insert', () => {
  it('stores a batch and returns the new ids in order', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const results = s.store.sync.insertBatch([
      { community: s.community, member: s.alice.id, globalTime: 5, meta, packet: packet(1, 5) },
      { community: s.community, member: s.bob.id, globalTime: 5, meta, packet: packet(2, 5), sequence: null },
      {
        community: s.community,
        member: s.alice.id,
        globalTime: 6,
        meta: s.meta('sequence-text'),
        packet: packet(1, 6),
        sequence: 1,
      },
    ]);
    expect(results).toEqual([
      { id: 1, inserted: true },
      { id: 2, inserted: true },
      { id: 3, inserted: true },
    ]);
    expect(s.store.sync.getById(3)).toEqual({
      id: 3,
      community: s.community,
      member: s.alice.id,
      globalTime: 6,
      meta: s.meta('sequence-text'),
      undone: 0,
      packet: packet(1, 6),
      sequence: 1,
    });
    expect(s.store.sync.getById(1)?.sequence).toBeNull();
    expect(Object.getPrototypeOf(s.store.sync.getById(1)?.packet)).toBe(Uint8Array.prototype);
  });

  it('reports an already stored (community, member, global time) as not inserted, with the stored id', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const row = { community: s.community, member: s.alice.id, globalTime: 5, meta, packet: packet(1, 5) };
    expect(s.store.sync.insert(row)).toEqual({ id: 1, inserted: true });
    const results = s.store.sync.insertBatch([
      { ...row, packet: packet(9, 9) }, // same key, different packet: the stored one stays
      { ...row, globalTime: 6 },
      { ...row, globalTime: 6 }, // repeated inside the batch
    ]);
    // Ids are unique and increasing but may skip a value (SQLite draws one for the refused insert).
    const second = results[1]?.id ?? 0;
    expect(results).toEqual([
      { id: 1, inserted: false },
      { id: second, inserted: true },
      { id: second, inserted: false },
    ]);
    expect(second).toBeGreaterThan(1);
    expect(s.store.sync.getById(1)?.packet).toEqual(packet(1, 5));
  });

  it('stores all rows of a batch or none (one transaction)', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const good = { community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) };
    expect(codeOf(() => s.store.sync.insertBatch([good, { ...good, globalTime: 2, meta: 999 }]))).toBe('CONSTRAINT');
    expect(codeOf(() => s.store.sync.insertBatch([good, { ...good, globalTime: 2, member: 999 }]))).toBe('CONSTRAINT');
    expect(s.store.sync.exists(good)).toBe(false);
    expect(s.store.sync.insertBatch([])).toEqual([]);
  });

  it('stores the pair of a double-signed message with member1 ≤ member2', () => {
    const s = seed();
    const meta = s.meta('double-signed-text');
    s.store.sync.insert({
      community: s.community,
      member: s.bob.id,
      globalTime: 3,
      meta,
      packet: packet(2, 3),
      members: [s.bob.id, s.alice.id],
    });
    expect(s.store.history.pairRows(meta, s.alice.id, s.bob.id)).toHaveLength(1);
    expect(s.store.history.pairRows(meta, s.bob.id, s.alice.id)).toHaveLength(1);
  });

  it('rejects malformed rows with TypeError / RangeError before writing', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const row: NewSyncRow = { community: s.community, member: s.alice.id, globalTime: 1, meta, packet: packet(1, 1) };
    expect(() => s.store.sync.insert({ ...row, globalTime: 0 })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, globalTime: 2 ** 53 })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, globalTime: 1.5 })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, globalTime: 10n as unknown as number })).toThrow(TypeError);
    expect(() => s.store.sync.insert({ ...row, packet: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, packet: new Uint8Array(65_537) })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, sequence: 0 })).toThrow(RangeError);
    expect(() => s.store.sync.insert({ ...row, members: [1] as unknown as [number, number] })).toThrow(RangeError);
    expect(() => s.store.sync.insertBatch([row, { ...row, community: -1 }])).toThrow(RangeError);
    expect(() => s.store.sync.insertBatch('rows' as unknown as NewSyncRow[])).toThrow(TypeError);
    expect(s.store.sync.exists(row)).toBe(false);
  });

  it('accepts the largest safe global time', () => {
    const s = seed();
    const row = {
      community: s.community,
      member: s.alice.id,
      globalTime: Number.MAX_SAFE_INTEGER,
      meta: s.meta('ASC-text'),
      packet: packet(1, 1),
    };
    s.store.sync.insert(row);
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(Number.MAX_SAFE_INTEGER);
    expect(s.store.sync.get(row)?.globalTime).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('reads', () => {
  it('gets rows by key and id, and tells whether a key exists', () => {
    const s = seed();
    const key = { community: s.community, member: s.alice.id, globalTime: 9 };
    expect(s.store.sync.get(key)).toBeUndefined();
    expect(s.store.sync.exists(key)).toBe(false);
    const { id } = s.store.sync.insert({ ...key, meta: s.meta('ASC-text'), packet: packet(1, 9) });
    expect(s.store.sync.get(key)?.id).toBe(id);
    expect(s.store.sync.exists(key)).toBe(true);
    expect(s.store.sync.getById(id + 1)).toBeUndefined();
    expect(s.store.sync.exists({ ...key, member: s.bob.id })).toBe(false);
  });

  it('answers missing-message requests: rows at the asked global times, in the order asked, once each', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    for (const t of [3, 5, 7])
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: t, meta, packet: packet(1, t) });
    const rows = s.store.sync.getByGlobalTimes(s.community, s.alice.id, [7, 4, 3, 7]);
    expect(rows.map((r) => r.globalTime)).toEqual([7, 3]);
    expect(s.store.sync.getByGlobalTimes(s.community, s.bob.id, [3])).toEqual([]);
  });

  it('tracks the highest global time per community (0 when empty)', () => {
    const s = seed();
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(0);
    const other = s.store.communities.create({ master: s.alice.id, myMember: s.me.id, classification: 'B' });
    const otherMeta = s.store.metas.ensure(other.id, [{ name: 'x' }]).get('x')?.id ?? 0;
    s.store.sync.insertBatch([
      { community: s.community, member: s.alice.id, globalTime: 12, meta: s.meta('ASC-text'), packet: packet(1, 12) },
      {
        community: s.community,
        member: s.bob.id,
        globalTime: 30,
        meta: s.meta('dispersy-identity'),
        packet: packet(2, 30),
      },
      { community: other.id, member: s.alice.id, globalTime: 99, meta: otherMeta, packet: packet(1, 99) },
    ]);
    s.store.undo.markUndoneByPolicy(2);
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(30); // undone and non-syncable rows count too
    expect(s.store.sync.maxGlobalTime(other.id)).toBe(99);
  });

  it('lists a member’s rows of a meta by global time, within bounds and a limit', () => {
    const s = seed();
    const meta = s.meta('dispersy-undo-own');
    for (let t = 1; t <= 10; t++)
      s.store.sync.insert({ community: s.community, member: s.alice.id, globalTime: t, meta, packet: packet(1, t) });
    s.store.sync.insert({ community: s.community, member: s.bob.id, globalTime: 11, meta, packet: packet(2, 11) });
    expect(s.store.sync.listByMember(meta, s.alice.id).map((r) => r.globalTime)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(s.store.sync.listByMember(meta, s.alice.id, { low: 4, high: 8, limit: 3 }).map((r) => r.globalTime)).toEqual(
      [4, 5, 6],
    );
    expect(() => s.store.sync.listByMember(meta, s.alice.id, { limit: 100_001 })).toThrow(RangeError);
  });
});

describe('replacePacket', () => {
  it('replaces a packet in place, and optionally the creator', () => {
    const s = seed();
    const meta = s.meta('double-signed-text');
    const { id } = s.store.sync.insert({
      community: s.community,
      member: s.alice.id,
      globalTime: 4,
      meta,
      packet: packet(1, 4),
    });
    expect(s.store.sync.replacePacket(id, packet(9, 9))).toBe(true);
    expect(s.store.sync.getById(id)?.packet).toEqual(packet(9, 9));
    expect(s.store.sync.replacePacket(id, packet(8, 8), s.bob.id)).toBe(true);
    expect(s.store.sync.getById(id)).toMatchObject({ member: s.bob.id, packet: packet(8, 8), globalTime: 4 });
    expect(s.store.sync.replacePacket(id + 1, packet(1, 1))).toBe(false);
  });

  it('reports a creator change that collides with a stored key as DUPLICATE', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    s.store.sync.insert({ community: s.community, member: s.bob.id, globalTime: 4, meta, packet: packet(2, 4) });
    const { id } = s.store.sync.insert({
      community: s.community,
      member: s.alice.id,
      globalTime: 4,
      meta,
      packet: packet(1, 4),
    });
    expect(codeOf(() => s.store.sync.replacePacket(id, packet(3, 3), s.bob.id))).toBe('DUPLICATE');
    expect(s.store.sync.getById(id)?.packet).toEqual(packet(1, 4));
  });
});

describe('iterateByMeta (timeline range walk)', () => {
  it('yields live and undone rows of one meta in (global time, id) order across chunk boundaries', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const rows: NewSyncRow[] = [];
    for (let t = 1; t <= 12; t++) {
      for (const m of [s.alice.id, s.bob.id, s.me.id])
        rows.push({ community: s.community, member: m, globalTime: t, meta, packet: packet(m, t) });
    }
    rows.push({
      community: s.community,
      member: s.alice.id,
      globalTime: 13,
      meta: s.meta('DESC-text'),
      packet: packet(1, 13),
    });
    const ids = s.store.sync.insertBatch(rows).map((r) => r.id);
    s.store.undo.markUndoneByPolicy(ids[4] ?? 0);
    s.store.undo.markUndone(ids[7] ?? 0, ids[8] ?? 0);
    const all = [...s.store.sync.iterateByMeta(meta, { chunkSize: 4 })];
    expect(all.map((r) => r.id)).toEqual(ids.slice(0, 36));
    expect(all.filter((r) => r.undone !== 0).map((r) => r.undone)).toEqual([UNDONE_BY_POLICY, ids[8]]);
    const range = [...s.store.sync.iterateByMeta(meta, { low: 3, high: 4, chunkSize: 2 })];
    expect(range.map((r) => r.globalTime)).toEqual([3, 3, 3, 4, 4, 4]);
    expect([...s.store.sync.iterateByMeta(meta, { low: 20 })]).toEqual([]);
  });

  it('lets the caller write to the store between rows and stop early', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    s.store.sync.insertBatch(
      Array.from({ length: 20 }, (_, i) => ({
        community: s.community,
        member: s.alice.id,
        globalTime: i + 1,
        meta,
        packet: packet(1, i + 1),
      })),
    );
    const seen: number[] = [];
    for (const row of s.store.sync.iterateByMeta(meta, { chunkSize: 3 })) {
      seen.push(row.globalTime);
      s.store.undo.markUndoneByPolicy(row.id); // the _update_timerange pattern
      if (row.globalTime === 2) {
        s.store.sync.insert({ community: s.community, member: s.bob.id, globalTime: 25, meta, packet: packet(2, 25) });
      }
      if (seen.length === 15) break;
    }
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(s.store.selection.countSyncable(s.community)).toBe(6); // 5 untouched + the one inserted meanwhile
  });

  // (global time, creator index, mark: −1 policy, 0 live, > 0 undone by that row id)
  const entry = fc.tuple(
    fc.integer({ min: 1, max: 30 }),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: -1, max: 2 }),
  );
  test.prop([fc.array(entry, { maxLength: 60 }), fc.integer({ min: 1, max: 7 })])(
    'equals a full sort of the meta’s rows for any chunk size',
    (entries, chunkSize) => {
      const s = seed();
      const meta = s.meta('ASC-text');
      const members = [s.alice.id, s.bob.id, s.me.id];
      for (const [globalTime, who, undone] of entries) {
        const m = members[who] ?? s.alice.id;
        const result = s.store.sync.insert({
          community: s.community,
          member: m,
          globalTime,
          meta,
          packet: packet(m, globalTime),
        });
        if (result.inserted && undone === -1) s.store.undo.markUndoneByPolicy(result.id);
        if (result.inserted && undone > 0) s.store.undo.markUndone(result.id, undone);
      }
      const expected = [...s.store.sync.iterateByMeta(meta, { chunkSize: 1000 })]
        .map((r) => [r.globalTime, r.id])
        .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
      expect([...s.store.sync.iterateByMeta(meta, { chunkSize })].map((r) => [r.globalTime, r.id])).toEqual(expected);
      expect(expected.length).toBe(new Set(entries.map(([t, w]) => `${t}/${w}`)).size);
      s.store.close();
    },
  );
});

describe('iterateReplay (timeline replay order)', () => {
  it('yields every row of the given metas ordered by (global time, packet), in chunks', () => {
    const s = seed();
    const authorize = s.meta('dispersy-authorize');
    const revoke = s.meta('dispersy-revoke');
    const dynamic = s.meta('dispersy-dynamic-settings');
    const p = (first: number, t: number): Uint8Array => new Uint8Array([first, t, 1, 2, 3]);
    s.store.sync.insertBatch([
      { community: s.community, member: s.alice.id, globalTime: 5, meta: revoke, packet: p(9, 5) },
      { community: s.community, member: s.bob.id, globalTime: 5, meta: authorize, packet: p(3, 5) },
      { community: s.community, member: s.me.id, globalTime: 2, meta: dynamic, packet: p(7, 2) },
      { community: s.community, member: s.alice.id, globalTime: 1, meta: s.meta('ASC-text'), packet: p(1, 1) },
      { community: s.community, member: s.me.id, globalTime: 5, meta: authorize, packet: p(3, 4) },
    ]);
    s.store.undo.markUndoneByPolicy(1); // undone rows are replayed too
    for (const chunkSize of [1, 2, 256]) {
      const order = [...s.store.sync.iterateReplay([authorize, revoke, dynamic], { chunkSize })].map((r) => [
        ...r.packet.slice(0, 2),
      ]);
      expect(order).toEqual([
        [7, 2],
        [3, 4],
        [3, 5],
        [9, 5],
      ]);
    }
    expect([...s.store.sync.iterateReplay([])]).toEqual([]);
  });
});

describe('prune', () => {
  it('deletes the rows of one meta at or below the threshold, live or undone, with their pairs', () => {
    const s = seed();
    const pruned = s.meta('double-signed-text');
    const kept = s.meta('ASC-text');
    const rows: NewSyncRow[] = [];
    for (let t = 1; t <= 10; t++) {
      rows.push({
        community: s.community,
        member: s.alice.id,
        globalTime: t,
        meta: pruned,
        packet: packet(1, t),
        members: [s.alice.id, s.bob.id],
      });
      rows.push({ community: s.community, member: s.bob.id, globalTime: t, meta: kept, packet: packet(2, t) });
    }
    const ids = s.store.sync.insertBatch(rows).map((r) => r.id);
    s.store.undo.markUndoneByPolicy(ids[0] ?? 0); // gt 1
    s.store.undo.markUndone(ids[2] ?? 0, ids[19] ?? 0); // gt 2, undone by a row that survives
    s.store.undo.markUndone(ids[16] ?? 0, ids[3] ?? 0); // gt 9, above the threshold
    expect(s.store.sync.prune(pruned, 6)).toBe(6);
    expect([...s.store.sync.iterateByMeta(pruned)].map((r) => r.globalTime)).toEqual([7, 8, 9, 10]);
    expect([...s.store.sync.iterateByMeta(kept)]).toHaveLength(10);
    expect(s.store.history.pairRows(pruned, s.alice.id, s.bob.id).map((r) => r.globalTime)).toEqual([7, 8, 9, 10]);
    expect(s.store.sync.prune(pruned, 6)).toBe(0);
    expect(s.store.sync.prune(pruned, 0)).toBe(0);
  });
});

describe('deleteCommunityExcept (hard kill)', () => {
  it('deletes every row of the community except the kept ones', () => {
    const s = seed();
    const meta = s.meta('ASC-text');
    const ids = s.store.sync
      .insertBatch(
        Array.from({ length: 6 }, (_, i) => ({
          community: s.community,
          member: s.alice.id,
          globalTime: i + 1,
          meta,
          packet: packet(1, i + 1),
        })),
      )
      .map((r) => r.id);
    expect(s.store.sync.deleteCommunityExcept(s.community, [ids[1] ?? 0, ids[4] ?? 0])).toBe(4);
    expect([...s.store.sync.iterateByMeta(meta)].map((r) => r.id)).toEqual([ids[1], ids[4]]);
    expect(() => s.store.sync.deleteCommunityExcept(s.community, [0])).toThrow(RangeError);
  });
});

describe('bounds', () => {
  it('validates ids, times and limits', () => {
    const store = open();
    expect(() => store.sync.getById(0)).toThrow(RangeError);
    expect(() => store.sync.get({ community: 1, member: 1, globalTime: 0 })).toThrow(RangeError);
    expect(() => store.sync.get(null as unknown as { community: number; member: number; globalTime: number })).toThrow(
      TypeError,
    );
    expect(() => store.sync.getByGlobalTimes(1, 1, [2 ** 53])).toThrow(RangeError);
    expect(() => store.sync.iterateByMeta(1, { chunkSize: 0 })).toThrow(RangeError);
    expect(() => store.sync.iterateByMeta(1, { low: -1 })).toThrow(RangeError);
    expect(() => store.sync.iterateReplay(Array.from({ length: 1025 }, () => 1))).toThrow(RangeError);
    expect(() => store.sync.prune(1, -1)).toThrow(RangeError);
    expect(() => store.sync.replacePacket(1, new Uint8Array(0))).toThrow(RangeError);
  });
});
