import { createSeededRandom } from '@dispersy/interfaces';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type NewSyncRow,
  type ResponderMeta,
  type ResponderQuery,
  StoreError,
  UNDONE_BY_POLICY,
  firstModuloTime,
  withinByteBudget,
} from '../src/index.ts';
import { open, packet, seed, type Seeded } from './helpers.ts';

type MetaName = Parameters<Seeded['meta']>[0];

/** The original test_sync.py fixture: 30 messages of one meta by OTHER at global times 10–39. */
function thirty(s: Seeded, name: MetaName, creator = s.alice.id): number {
  const meta = s.meta(name);
  s.store.sync.insertBatch(
    Array.from({ length: 30 }, (_, i) => ({
      community: s.community,
      member: creator,
      globalTime: 10 + i,
      meta,
      packet: packet(creator, 10 + i),
    })),
  );
  return meta;
}

function responderMeta(s: Seeded, name: MetaName, extra: Partial<ResponderMeta> = {}): ResponderMeta {
  const record = s.metas.get(name);
  if (record === undefined) throw new Error(name);
  return { ...record, ...extra };
}

function times(s: Seeded, query: ResponderQuery): number[] {
  return [...s.store.selection.responderRows(query)].map((row) => row.globalTime);
}

const range = (low: number, high: number): number[] => Array.from({ length: high - low + 1 }, (_, i) => low + i);
const isSorted = (xs: readonly number[], dir: 1 | -1): boolean =>
  xs.every((x, i) => i === 0 || (x - (xs[i - 1] ?? 0)) * dir > 0);

describe('responder (spec §8.4, the original test_sync.py)', () => {
  it('test_modulo: exactly the global times with (gt + offset) % modulo = 0', () => {
    const s = seed();
    thirty(s, 'ASC-text');
    const metas = [responderMeta(s, 'ASC-text')];
    for (let modulo = 1; modulo < 10; modulo++) {
      for (let offset = 0; offset < modulo; offset++) {
        const expected = range(10, 39).filter((t) => (t + offset) % modulo === 0);
        expect(times(s, { metas, timeLow: 1, timeHigh: 100, modulo, offset })).toEqual(expected);
      }
    }
  });

  it('test_range: exactly the global times in [time_low, time_high]', () => {
    const s = seed();
    thirty(s, 'ASC-text');
    const metas = [responderMeta(s, 'ASC-text')];
    for (let low = 1; low <= 10; low++) {
      for (let high = 20; high < 30; high++) {
        expect(times(s, { metas, timeLow: low, timeHigh: high })).toEqual(range(Math.max(low, 10), high));
      }
    }
  });

  it('test_in_order / test_out_order: ASC metas ascending, DESC metas descending', () => {
    const s = seed();
    thirty(s, 'ASC-text');
    thirty(s, 'DESC-text', s.bob.id);
    expect(times(s, { metas: [responderMeta(s, 'ASC-text')], timeLow: 1, timeHigh: 100 })).toEqual(range(10, 39));
    expect(times(s, { metas: [responderMeta(s, 'DESC-text')], timeLow: 1, timeHigh: 100 })).toEqual(
      range(10, 39).reverse(),
    );
  });

  it('test_random_order: a RANDOM meta comes in a random order, reproducible from a seeded Random', () => {
    const s = seed();
    thirty(s, 'RANDOM-text');
    const metas = [responderMeta(s, 'RANDOM-text')];
    const first = times(s, { metas, timeLow: 1, timeHigh: 100, random: createSeededRandom(7) });
    expect([...first].sort((a, b) => a - b)).toEqual(range(10, 39));
    expect(isSorted(first, 1) || isSorted(first, -1)).toBe(false);
    expect(times(s, { metas, timeLow: 1, timeHigh: 100, random: createSeededRandom(7) })).toEqual(first);
    expect(times(s, { metas, timeLow: 1, timeHigh: 100, random: createSeededRandom(8) })).not.toEqual(first);
  });

  it('test_mixed_order and test_priority_order: metas by priority descending, each in its own order', () => {
    const s = seed();
    const p = (name: MetaName, creator: number, t: number): NewSyncRow => ({
      community: s.community,
      member: creator,
      globalTime: t,
      meta: s.meta(name),
      packet: packet(creator, t),
    });
    s.store.sync.insertBatch([
      ...[1, 2, 3].map((t) => p('low-priority-text', s.alice.id, t)), // 100
      ...[4, 5, 6].map((t) => p('ASC-text', s.alice.id, t)), // 128
      ...[7, 8, 9].map((t) => p('DESC-text', s.alice.id, t)), // 128
      ...[10, 11, 12].map((t) => p('high-priority-text', s.alice.id, t)), // 200
      ...[13, 14, 15].map((t) => p('dispersy-dynamic-settings', s.alice.id, t)), // 191, DESC
    ]);
    const metas = (
      ['low-priority-text', 'ASC-text', 'DESC-text', 'high-priority-text', 'dispersy-dynamic-settings'] as const
    ).map((n) => responderMeta(s, n));
    const rows = [...s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 100 })];
    expect(rows.map((r) => r.globalTime)).toEqual([10, 11, 12, 15, 14, 13, 4, 5, 6, 9, 8, 7, 1, 2, 3]);
    expect(rows.map((r) => r.meta)).toEqual(
      ['high-priority-text', 'dispersy-dynamic-settings', 'ASC-text', 'DESC-text', 'low-priority-text'].flatMap((n) =>
        Array<number>(3).fill(s.meta(n as MetaName)),
      ),
    );
    expect(rows[0]?.packet).toEqual(packet(s.alice.id, 10));
  });

  it('skips undone rows, metas with priority ≤ 32, duplicate metas, and rows below a pruning floor', () => {
    const s = seed();
    const text = thirty(s, 'ASC-text');
    s.store.sync.insert({
      community: s.community,
      member: s.bob.id,
      globalTime: 50,
      meta: s.meta('dispersy-identity'),
      packet: packet(2, 50),
    });
    const ids = [...s.store.sync.iterateByMeta(text)].map((r) => r.id);
    s.store.undo.markUndoneByPolicy(ids[0] ?? 0);
    s.store.undo.markUndone(ids[1] ?? 0, ids[29] ?? 0);
    const metas = [responderMeta(s, 'ASC-text'), responderMeta(s, 'dispersy-identity'), responderMeta(s, 'ASC-text')];
    expect(times(s, { metas, timeLow: 1, timeHigh: 100 })).toEqual(range(12, 39));
    const pruned = [responderMeta(s, 'ASC-text', { minGlobalTime: 35 })];
    expect(times(s, { metas: pruned, timeLow: 1, timeHigh: 100 })).toEqual(range(35, 39));
    expect(times(s, { metas: pruned, timeLow: 37, timeHigh: 38 })).toEqual([37, 38]);
    expect(
      times(s, { metas: [responderMeta(s, 'ASC-text', { minGlobalTime: 200 })], timeLow: 1, timeHigh: 100 }),
    ).toEqual([]);
  });

  it('yields the same rows for every chunk size, and stops at the total limit', () => {
    const s = seed();
    thirty(s, 'ASC-text');
    thirty(s, 'ASC-text', s.bob.id); // two rows per global time: ties across chunk boundaries
    thirty(s, 'DESC-text', s.me.id);
    const metas = [responderMeta(s, 'ASC-text'), responderMeta(s, 'DESC-text')];
    const all = [...s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 100, chunkSize: 1000 })].map(
      (r) => r.id,
    );
    expect(all).toHaveLength(90);
    for (const chunkSize of [1, 2, 3, 7, 64]) {
      expect(
        [...s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 100, chunkSize })].map((r) => r.id),
      ).toEqual(all);
    }
    expect(
      [...s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 100, limit: 5, chunkSize: 2 })].map(
        (r) => r.id,
      ),
    ).toEqual(all.slice(0, 5));
  });

  it('lets the caller use the store while streaming, and stop at any time', () => {
    const s = seed();
    const text = thirty(s, 'ASC-text');
    const rows = s.store.selection.responderRows({
      metas: [responderMeta(s, 'ASC-text')],
      timeLow: 1,
      timeHigh: 100,
      chunkSize: 4,
    });
    const seen: number[] = [];
    for (const row of rows) {
      seen.push(row.globalTime);
      if (row.globalTime === 11) s.store.undo.markUndoneByPolicy(row.id + 5); // gt 16 disappears before its chunk
      s.store.sync.insert({
        community: s.community,
        member: s.bob.id,
        globalTime: 100 + row.globalTime,
        meta: text,
        packet: packet(2, 1),
      });
      if (seen.length === 20) break;
    }
    expect(seen).toEqual([...range(10, 15), ...range(17, 30)]);
    expect(s.store.sync.maxGlobalTime(s.community)).toBe(130);
  });

  it('throws CLOSED when resumed after the store was closed', () => {
    const s = seed(open());
    thirty(s, 'ASC-text');
    const rows = s.store.selection.responderRows({
      metas: [responderMeta(s, 'ASC-text')],
      timeLow: 1,
      timeHigh: 100,
      chunkSize: 2,
    });
    rows.next();
    rows.next();
    s.store.close();
    expect(() => rows.next()).toThrow(StoreError);
  });

  it('samples at most maxRandomRows rows of a RANDOM meta, without repeats', () => {
    const s = seed();
    thirty(s, 'RANDOM-text');
    const metas = [responderMeta(s, 'RANDOM-text')];
    const sample = times(s, {
      metas,
      timeLow: 1,
      timeHigh: 100,
      maxRandomRows: 8,
      chunkSize: 3,
      random: createSeededRandom(1),
    });
    expect(sample).toHaveLength(8);
    expect(new Set(sample).size).toBe(8);
    expect(sample.every((t) => t >= 10 && t <= 39)).toBe(true);
    // Over many seeds every row is picked about equally often: the sample covers the whole range, not a prefix.
    const picked = new Map<number, number>();
    for (let seed = 0; seed < 300; seed++) {
      for (const t of times(s, {
        metas,
        timeLow: 1,
        timeHigh: 100,
        maxRandomRows: 3,
        random: createSeededRandom(seed),
      })) {
        picked.set(t, (picked.get(t) ?? 0) + 1);
      }
    }
    expect(picked.size).toBe(30); // 900 picks, 30 expected per row
    expect(Math.min(...picked.values())).toBeGreaterThanOrEqual(12);
    expect(Math.max(...picked.values())).toBeLessThanOrEqual(50);
  });

  it('skips sampled RANDOM rows that were undone before their chunk was read', () => {
    const s = seed();
    const meta = thirty(s, 'RANDOM-text');
    const rows = s.store.selection.responderRows({
      metas: [responderMeta(s, 'RANDOM-text')],
      timeLow: 1,
      timeHigh: 100,
      chunkSize: 1,
    });
    const first = rows.next();
    expect(first.done).toBe(false);
    for (const row of s.store.sync.iterateByMeta(meta)) s.store.undo.markUndoneByPolicy(row.id);
    expect([...rows]).toEqual([]);
  });

  it('validates the request eagerly', () => {
    const s = seed();
    const metas = [responderMeta(s, 'ASC-text')];
    expect(() => s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 2, modulo: 0 })).toThrow(RangeError);
    expect(() => s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 2, modulo: 65_536 })).toThrow(
      RangeError,
    );
    expect(() => s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 2, modulo: 4, offset: 4 })).toThrow(
      RangeError,
    );
    expect(() => s.store.selection.responderRows({ metas, timeLow: 2 ** 53, timeHigh: 2 })).toThrow(RangeError);
    expect(() => s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 2, chunkSize: 0 })).toThrow(RangeError);
    expect(() =>
      s.store.selection.responderRows({
        metas: [{ id: 1, priority: 128, direction: 'UP' as 'ASC' }],
        timeLow: 1,
        timeHigh: 2,
      }),
    ).toThrow(RangeError);
    expect(() => s.store.selection.responderRows({ metas, timeLow: 1, timeHigh: 2, random: {} as never })).toThrow(
      TypeError,
    );
    expect(times(s, { metas, timeLow: 5, timeHigh: 4 })).toEqual([]);
  });
});

describe('withinByteBudget', () => {
  it('yields until the budget is reached, including the crossing row, and stops the source', () => {
    let pulled = 0;
    let returned = false;
    function* source(): Generator<{ packet: Uint8Array }> {
      try {
        for (let i = 0; i < 100; i++) {
          pulled += 1;
          yield { packet: new Uint8Array(1000) };
        }
      } finally {
        returned = true;
      }
    }
    expect([...withinByteBudget(source(), 5120)]).toHaveLength(6);
    expect(pulled).toBe(6);
    expect(returned).toBe(true);
    expect([...withinByteBudget([{ packet: new Uint8Array(10) }], 5120)]).toHaveLength(1);
    expect([...withinByteBudget([{ packet: new Uint8Array(5120) }, { packet: new Uint8Array(1) }], 5120)]).toHaveLength(
      1,
    );
    expect(() => [...withinByteBudget([], 0)]).toThrow(RangeError);
  });
});

describe('requester (spec §8.3)', () => {
  function population(s: Seeded): void {
    const rows: NewSyncRow[] = [];
    for (let t = 1; t <= 40; t++) {
      const row = (who: number, name: MetaName): NewSyncRow => ({
        community: s.community,
        member: who,
        globalTime: t,
        meta: s.meta(name),
        packet: packet(who, t),
      });
      rows.push(row(s.alice.id, t % 2 ? 'ASC-text' : 'DESC-text'));
      if (t % 10 === 0) rows.push(row(s.bob.id, 'high-priority-text'));
      if (t % 7 === 0) rows.push(row(s.me.id, 'dispersy-identity')); // priority 16: never syncable
    }
    s.store.sync.insertBatch(rows);
    s.store.undo.markUndoneByPolicy(
      s.store.sync.get({ community: s.community, member: s.alice.id, globalTime: 5 })?.id ?? 0,
    );
  }

  it('selects syncable rows from a pivot upwards and downwards, with a limit', () => {
    const s = seed();
    population(s);
    const up = s.store.selection.requesterRange({ community: s.community, order: 'ASC', from: 3, limit: 6 });
    expect(up.map((r) => r.globalTime)).toEqual([3, 4, 6, 7, 8, 9]); // 5 undone, 7 has one syncable row (identity is 16)
    expect(up[0]?.packet).toEqual(packet(s.alice.id, 3));
    const down = s.store.selection.requesterRange({ community: s.community, order: 'DESC', from: 11, limit: 4 });
    expect(down.map((r) => r.globalTime)).toEqual([11, 10, 10, 9]);
    expect(s.store.selection.requesterRange({ community: s.community, order: 'ASC', from: 41, limit: 5 })).toEqual([]);
    expect(s.store.selection.requesterRange({ community: s.community, order: 'DESC', from: 0, limit: 5 })).toEqual([]);
  });

  it('counts the syncable rows of a community', () => {
    const s = seed();
    expect(s.store.selection.countSyncable(s.community)).toBe(0);
    population(s);
    expect(s.store.selection.countSyncable(s.community)).toBe(40 + 4 - 1);
  });

  it('selects the modulo variant within a range', () => {
    const s = seed();
    population(s);
    const rows = s.store.selection.requesterModulo({
      community: s.community,
      low: 1,
      high: 40,
      modulo: 10,
      offset: 3,
      limit: 100,
    });
    expect(rows.map((r) => r.globalTime)).toEqual([7, 17, 27, 37]);
    const tens = s.store.selection.requesterModulo({
      community: s.community,
      high: 40,
      modulo: 10,
      offset: 0,
      limit: 100,
    });
    expect(tens.map((r) => r.globalTime)).toEqual([10, 10, 20, 20, 30, 30, 40, 40]);
    expect(
      s.store.selection.requesterModulo({ community: s.community, low: 38, high: 39, modulo: 10, offset: 0, limit: 9 }),
    ).toEqual([]);
  });

  it('finds the first global time that passes the modulo without overflowing', () => {
    expect(firstModuloTime(1, 10, 3)).toBe(7);
    expect(firstModuloTime(7, 10, 3)).toBe(7);
    expect(firstModuloTime(8, 10, 3)).toBe(17);
    expect(firstModuloTime(5, 1, 0)).toBe(5);
    expect(firstModuloTime(Number.MAX_SAFE_INTEGER - 5, 65_535, 65_534)).toBeGreaterThan(Number.MAX_SAFE_INTEGER - 5);
  });

  test.prop([
    fc.array(
      fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 })),
      { maxLength: 120 },
    ),
    fc.integer({ min: 1, max: 40 }),
    fc.nat(),
    fc.integer({ min: 0, max: 320 }),
    fc.integer({ min: 0, max: 320 }),
    fc.integer({ min: 1, max: 50 }),
  ])('enumerate, scan and a brute-force filter agree', (entries, modulo, offsetSeed, a, b, limit) => {
    const s = seed();
    const offset = offsetSeed % modulo;
    const [low, high] = a <= b ? [a, b] : [b, a];
    const members = [s.alice.id, s.bob.id, s.me.id];
    const names = ['ASC-text', 'DESC-text', 'dispersy-identity'] as const;
    const model: { gt: number; live: boolean }[] = [];
    for (const [gt, who, kind] of entries) {
      const m = members[who] ?? s.alice.id;
      const name = names[kind % 3] ?? 'ASC-text';
      const result = s.store.sync.insert({
        community: s.community,
        member: m,
        globalTime: gt,
        meta: s.meta(name),
        packet: packet(m, gt),
      });
      if (!result.inserted) continue;
      const undone = kind === 9;
      if (undone) s.store.undo.markUndone(result.id, 1);
      model.push({ gt, live: name !== 'dispersy-identity' && !undone });
    }
    const expected = model
      .filter((r) => r.live && r.gt >= Math.max(low, 0) && r.gt <= high && (r.gt + offset) % modulo === 0)
      .map((r) => r.gt)
      .sort((x, y) => x - y)
      .slice(0, limit);
    const query = { community: s.community, low, high, modulo, offset, limit };
    const enumerate = s.store.selection.requesterModulo({ ...query, strategy: 'enumerate' }).map((r) => r.globalTime);
    const scan = s.store.selection.requesterModulo({ ...query, strategy: 'scan' }).map((r) => r.globalTime);
    const auto = s.store.selection.requesterModulo(query).map((r) => r.globalTime);
    expect(enumerate).toEqual(expected);
    expect(scan).toEqual(expected);
    expect(auto).toEqual(expected);
    s.store.close();
  });

  it('validates arguments', () => {
    const store = open();
    expect(() => store.selection.requesterRange({ community: 1, order: 'UP' as 'ASC', from: 1, limit: 1 })).toThrow(
      RangeError,
    );
    expect(() => store.selection.requesterRange({ community: 1, order: 'ASC', from: -1, limit: 1 })).toThrow(
      RangeError,
    );
    expect(() => store.selection.requesterRange({ community: 1, order: 'ASC', from: 1, limit: 100_001 })).toThrow(
      RangeError,
    );
    expect(() => store.selection.requesterModulo({ community: 1, high: 5, modulo: 0, offset: 0, limit: 1 })).toThrow(
      RangeError,
    );
    expect(() => store.selection.requesterModulo({ community: 1, high: 5, modulo: 2, offset: 2, limit: 1 })).toThrow(
      RangeError,
    );
    expect(() =>
      store.selection.requesterModulo({
        community: 1,
        high: 5,
        modulo: 2,
        offset: 0,
        limit: 1,
        strategy: 'x' as 'scan',
      }),
    ).toThrow(RangeError);
    expect(() => store.selection.countSyncable(0)).toThrow(RangeError);
  });
});

describe('UNDONE_BY_POLICY', () => {
  it('is negative, so it can never name a sync row', () => {
    expect(UNDONE_BY_POLICY).toBeLessThan(0);
  });
});
