import { NO_ADDRESS, type Address } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { CandidateTable, DEFAULT_MAX_CANDIDATES, WalkCandidate, type RemovalReason } from '../src/index.ts';
import { addr, keys } from './helpers.ts';

const T = 1000;

function tracked(maxSize?: number): { table: CandidateTable; removed: [string, RemovalReason, string][]; added: string[] } {
  const removed: [string, RemovalReason, string][] = [];
  const added: string[] = [];
  const table = new CandidateTable({
    ...(maxSize === undefined ? {} : { maxSize }),
    onRemove: (c, reason, address: Address) => removed.push([c.key, reason, `${address.host}:${address.port}`]),
    onAdd: (c) => added.push(c.key),
  });
  return { table, removed, added };
}

describe('CandidateTable basics', () => {
  it('is insertion ordered, looks up by address, counts additions', () => {
    const { table, added } = tracked();
    const a = table.create({ address: addr('1.1.1.1', 1) }, T);
    const b = table.create({ address: addr('2.2.2.2', 2) }, T);
    expect(table.list()).toEqual([a, b]);
    expect([...table]).toEqual([a, b]);
    expect(table.getExact(addr('2.2.2.2', 2))).toBe(b);
    expect(table.has(addr('1.1.1.1', 1))).toBe(true);
    expect(table.size).toBe(2);
    expect(table.maxSize).toBe(DEFAULT_MAX_CANDIDATES);
    expect(added).toEqual(['1.1.1.1:1', '2.2.2.2:2']);
    expect(() => table.create({ address: addr('1.1.1.1', 1) }, T)).toThrow(RangeError);
    expect(table.add(new WalkCandidate({ address: addr('1.1.1.1', 1) }), T)).toBe(false);
    expect(() => new CandidateTable({ maxSize: 0 })).toThrow(RangeError);
  });

  it('remove and removeAddresses report to onRemove (vote withdrawal)', () => {
    const { table, removed } = tracked();
    const a = table.create({ address: addr('1.1.1.1', 1) }, T);
    table.create({ address: addr('2.2.2.2', 2) }, T);
    expect(table.remove(a)).toBe(a);
    expect(table.remove(a)).toBeUndefined();
    expect(table.removeAddresses([addr('2.2.2.2', 2), addr('3.3.3.3', 3)]).length).toBe(1);
    expect(removed).toEqual([
      ['1.1.1.1:1', 'removed', '1.1.1.1:1'],
      ['2.2.2.2:2', 'own-address', '2.2.2.2:2'],
    ]);
    // removing by candidate object only removes that object
    const c = table.create({ address: addr('4.4.4.4', 4) }, T);
    expect(table.remove(new WalkCandidate({ address: c.address }))).toBeUndefined();
    expect(table.size).toBe(1);
  });
});

describe('symmetric-NAT port-change lookup (get with replace)', () => {
  it('exact match first', () => {
    const { table } = tracked();
    const a = table.create({ address: addr('5.5.5.5', 1000), connectionType: 'symmetric-NAT' }, T);
    expect(table.get(addr('5.5.5.5', 1000), { replace: true })).toBe(a);
  });

  it('a symmetric-NAT candidate on the same IP with unknown or equal LAN matches; replace re-homes it', () => {
    const { table, removed } = tracked();
    const other = table.create({ address: addr('9.9.9.9', 1) }, T);
    const a = table.create({ address: addr('5.5.5.5', 1000), lan: addr('192.168.0.5', 7), connectionType: 'symmetric-NAT' }, T);
    a.stumble(T);
    // different LAN: no match
    expect(table.get(addr('5.5.5.5', 2000), { lanAddress: addr('192.168.0.6', 7) })).toBeUndefined();
    // same LAN, no replace: found, not moved
    expect(table.get(addr('5.5.5.5', 2000), { lanAddress: addr('192.168.0.5', 7) })).toBe(a);
    expect(a.address).toEqual(addr('5.5.5.5', 1000));
    // replace: moved to the new port, the WAN side follows, timestamps kept, old vote withdrawn
    expect(table.get(addr('5.5.5.5', 2000), { replace: true, lanAddress: addr('192.168.0.5', 7) })).toBe(a);
    expect(a.address).toEqual(addr('5.5.5.5', 2000));
    expect(a.wan).toEqual(addr('5.5.5.5', 2000));
    expect(a.lastStumble).toBe(T);
    expect(table.getExact(addr('5.5.5.5', 1000))).toBeUndefined();
    expect(table.getExact(addr('5.5.5.5', 2000))).toBe(a);
    expect(table.list()).toEqual([other, a]);
    expect(removed).toEqual([['5.5.5.5:2000', 'rehomed', '5.5.5.5:1000']]);
  });

  it('unknown LAN matches any reported LAN; non-symmetric candidates never match', () => {
    const { table } = tracked();
    const a = table.create({ address: addr('5.5.5.5', 1000), lan: NO_ADDRESS, connectionType: 'symmetric-NAT' }, T);
    table.create({ address: addr('6.6.6.6', 1000), connectionType: 'unknown' }, T);
    expect(table.get(addr('5.5.5.5', 3000), { lanAddress: addr('10.0.0.1', 1) })).toBe(a);
    expect(table.get(addr('5.5.5.5', 3000))).toBe(a);
    expect(table.get(addr('6.6.6.6', 3000))).toBeUndefined();
  });

  it('upsert re-homes, updates or creates', () => {
    const { table } = tracked();
    const a = table.create({ address: addr('5.5.5.5', 1000), lan: NO_ADDRESS, connectionType: 'symmetric-NAT' }, T);
    const moved = table.upsert({ address: addr('5.5.5.5', 1001), tunnel: false, lan: NO_ADDRESS, wan: addr('5.5.5.5', 1001), connectionType: 'symmetric-NAT' }, T);
    expect(moved).toBe(a);
    const created = table.upsert({ address: addr('7.7.7.7', 1), tunnel: true, lan: addr('10.0.0.7', 1), wan: addr('7.7.7.7', 1), connectionType: 'unknown' }, T);
    expect([created.tunnel, created.lan, created.connectionType]).toEqual([true, addr('10.0.0.7', 1), 'unknown']);
    const same = table.upsert({ address: addr('7.7.7.7', 1), tunnel: true, lan: addr('7.7.7.7', 1), wan: addr('7.7.7.7', 1), connectionType: 'unknown' }, T);
    expect(same).toBe(created);
    expect(same.connectionType).toBe('public');
  });
});

describe('filterDuplicates (test_merge_candidates)', () => {
  it('four candidates with the same WAN IP and LAN 192.168.0.1:1 merge into the first', () => {
    const { table, removed } = tracked();
    const lan = addr('192.168.0.1', 1);
    const cs = [
      table.create({ address: addr('1.1.1.1', 1), lan, wan: addr('1.1.1.1', 1), connectionType: 'unknown' }, T),
      table.create({ address: addr('1.1.1.1', 2), lan, wan: addr('1.1.1.1', 2), connectionType: 'symmetric-NAT' }, T),
      table.create({ address: addr('1.1.1.1', 3), lan, wan: addr('1.1.1.1', 3), connectionType: 'symmetric-NAT' }, T),
      table.create({ address: addr('1.1.1.1', 4), lan, wan: addr('1.1.1.1', 4), connectionType: 'unknown' }, T),
    ];
    cs[2]?.stumble(T + 5);
    const merged = table.filterDuplicates(cs[0] as WalkCandidate, T);
    expect(merged.length).toBe(3);
    expect(table.list().map((c) => c.wan)).toEqual([addr('1.1.1.1', 1)]);
    expect(cs[0]?.lastStumble).toBe(T + 5); // merged timestamps
    expect(removed.map((r) => r[1])).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('does not merge a different LAN, a different WAN IP, or when the LAN is unknown', () => {
    const { table } = tracked();
    const a = table.create({ address: addr('1.1.1.1', 1), lan: addr('192.168.0.1', 1) }, T);
    table.create({ address: addr('1.1.1.1', 2), lan: addr('192.168.0.2', 1) }, T);
    table.create({ address: addr('2.2.2.2', 2), lan: addr('192.168.0.1', 1) }, T);
    expect(table.filterDuplicates(a, T)).toEqual([]);
    const u = table.create({ address: addr('3.3.3.3', 1), lan: NO_ADDRESS }, T);
    table.create({ address: addr('3.3.3.3', 2), lan: NO_ADDRESS }, T);
    expect(table.filterDuplicates(u, T)).toEqual([]);
    expect(table.size).toBe(5);
  });
});

describe('addDiscovered, cleanup, yields', () => {
  it('addDiscovered creates LAN = WAN = address, unknown, discovered(now); reuses a known candidate', () => {
    const { table } = tracked();
    const d = table.addDiscovered(addr('130.161.119.206', 6421), T);
    expect([d.lan, d.wan, d.connectionType, d.lastDiscovered, d.category(T)]).toEqual([
      addr('130.161.119.206', 6421),
      addr('130.161.119.206', 6421),
      'unknown',
      T,
      'discovered',
    ]);
    expect(table.addDiscovered(addr('130.161.119.206', 6421), T + 1)).toBe(d);
    expect(d.lastDiscovered).toBe(T + 1);
    expect(() => table.addDiscovered(NO_ADDRESS, T)).toThrow(RangeError);
  });

  it('cleanup removes obsolete candidates (withdrawing votes) and puts keep-alive candidates on life support', () => {
    const { table, removed } = tracked();
    const old = table.create({ address: addr('1.1.1.1', 1) }, T);
    old.stumble(T - 60);
    const live = table.create({ address: addr('2.2.2.2', 1) }, T);
    live.stumble(T);
    const kept = table.create({ address: addr('3.3.3.3', 1) }, T);
    kept.walkResponse(T - 60);
    kept.keepAlive = true;
    const result = table.cleanup(T);
    expect(result.removed).toEqual([old]);
    expect(result.keepAlive).toEqual([kept]);
    expect(kept.category(T)).toBe('walk');
    expect(removed).toEqual([['1.1.1.1:1', 'obsolete', '1.1.1.1:1']]);
    // a lifetime later without a response it goes
    expect(table.cleanup(T + 57.5).removed).toEqual([live, kept]);
  });

  it('candidates() = walk/stumble/intro, verifiedCandidates() = walk/stumble; shuffle with a random source', () => {
    const { table } = tracked();
    const w = table.create({ address: addr('1.1.1.1', 1) }, T);
    w.walkResponse(T);
    const s = table.create({ address: addr('1.1.1.1', 2) }, T);
    s.stumble(T);
    const i = table.create({ address: addr('1.1.1.1', 3) }, T);
    i.intro(T);
    table.addDiscovered(addr('1.1.1.1', 4), T);
    table.create({ address: addr('1.1.1.1', 5) }, T);
    expect(table.candidates(T)).toEqual([w, s, i]);
    expect(table.verifiedCandidates(T)).toEqual([w, s]);
    expect(keys(table.candidates(T, { next: () => 0 }))).toEqual(keys([w, s, i]));
    expect(table.countByCategory(T)).toEqual({ walk: 1, stumble: 1, intro: 1, discovered: 1, none: 1 });
  });
});

describe('bounds and eviction', () => {
  it('evicts none first (oldest inserted), then the oldest discovered, then the oldest intro, then the least recent verified', () => {
    const { table, removed } = tracked(4);
    const v1 = table.create({ address: addr('1.0.0.1', 1) }, T);
    v1.stumble(T);
    const v2 = table.create({ address: addr('1.0.0.2', 1) }, T);
    v2.walkResponse(T + 1);
    const i1 = table.create({ address: addr('1.0.0.3', 1) }, T);
    i1.intro(T);
    const d1 = table.create({ address: addr('1.0.0.4', 1) }, T); // category none
    table.addDiscovered(addr('1.0.0.5', 1), T); // full: evicts d1 (none)
    expect(removed.map((r) => r[0])).toEqual(['1.0.0.4:1']);
    table.addDiscovered(addr('1.0.0.6', 1), T + 2); // evicts the discovered one (1.0.0.5)
    expect(removed.map((r) => r[0])).toEqual(['1.0.0.4:1', '1.0.0.5:1']);
    table.create({ address: addr('1.0.0.7', 1) }, T + 3).intro(T + 3); // evicts the discovered 1.0.0.6
    table.create({ address: addr('1.0.0.8', 1) }, T + 3).stumble(T + 3); // no none/discovered: evicts oldest intro i1
    expect(removed.map((r) => r[0])).toEqual(['1.0.0.4:1', '1.0.0.5:1', '1.0.0.6:1', '1.0.0.3:1']);
    expect(removed.every((r) => r[1] === 'evicted')).toBe(true);
    expect(table.size).toBe(4);
    void d1;
  });

  it('with only verified candidates the least recently heard one goes', () => {
    const { table, removed } = tracked(2);
    table.create({ address: addr('1.0.0.1', 1) }, T).stumble(T + 5);
    table.create({ address: addr('1.0.0.2', 1) }, T).walkResponse(T + 1);
    table.create({ address: addr('1.0.0.3', 1) }, T + 6).stumble(T + 6);
    expect(removed.map((r) => r[0])).toEqual(['1.0.0.2:1']);
  });

  it('never exceeds the bound', () => {
    const { table } = tracked(10);
    for (let i = 1; i <= 100; i++) table.addDiscovered(addr('10.1.0.1', i), T + i);
    expect(table.size).toBe(10);
    expect(table.list().map((c) => c.address.port)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
  });
});
