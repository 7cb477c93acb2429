import { createSeededRandom, NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { canIntroduce, CandidateTable, IntroduceSelector, isStrictCandidate, RoundRobinCursor, WalkCandidate } from '../src/index.ts';
import { addr, applyFlags, local } from './helpers.ts';

const T = 1000;

function setup(flags: readonly string[], seed = 1) {
  const table = new CandidateTable();
  const cs = flags.map((f, i) => {
    const c = table.create({ address: local(i + 1), tunnel: f.includes('t') }, T);
    applyFlags(c, f, T);
    return c;
  });
  return { table, cs, selector: new IntroduceSelector(table, createSeededRandom(seed)) };
}

describe('test_get_introduce_candidate', () => {
  it('5 candidates stumble in turn: [None, c1, c2, c3, c4]', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { cs, selector } = setup(['', '', '', '', ''], seed);
      const got = cs.map((c) => {
        c.stumble(T);
        return selector.select(T, c)?.address.port ?? null;
      });
      expect(got).toEqual([null, 1, 2, 3, 4]);
    }
  });

  it('test_tracker_get_introduce_candidate: the second round gives [c5, c1, c2, c3, c4]', () => {
    const { cs, selector } = setup(['', '', '', '', '']);
    for (const c of cs) {
      c.stumble(T);
      selector.select(T, c);
    }
    const got = cs.map((c) => {
      c.stumble(T);
      return selector.select(T, c)?.address.port ?? null;
    });
    expect(got).toEqual([5, 1, 2, 3, 4]);
  });
});

describe('test_introduction_probabilities', () => {
  it('walked vs stumbled ≈ 50/50: 4,500–5,500 of 10,000', () => {
    for (const seed of [1, 2, 3]) {
      const { selector } = setup(['wr', 's'], seed);
      let walked = 0;
      for (let i = 0; i < 10_000; i++) if (selector.select(T)?.address.port === 1) walked++;
      expect(walked).toBeGreaterThanOrEqual(4500);
      expect(walked).toBeLessThanOrEqual(5500);
    }
  });
});

describe('round robin cursors', () => {
  it('cycles in insertion order, yields null after an empty pass, and skips non-strict candidates', () => {
    const table = new CandidateTable();
    const a = table.create({ address: local(1) }, T);
    const b = table.create({ address: local(2), wan: NO_ADDRESS }, T);
    const c = table.create({ address: local(3) }, T);
    for (const x of [a, b, c]) x.stumble(T);
    const cursor = new RoundRobinCursor(table, 'stumble');
    expect([cursor.next(T), cursor.next(T), cursor.next(T)]).toEqual([a, c, a]);
    expect(new RoundRobinCursor(table, 'walk').next(T)).toBeNull();
    // after a candidate is removed, the cursor continues from where it was
    table.remove(a);
    expect(cursor.next(T)).toBe(c);
    expect(isStrictCandidate(b)).toBe(false);
    // all expire: a full pass finds nothing
    expect(cursor.next(T + 60)).toBeNull();
    expect(cursor.next(T + 60)).toBeNull();
  });
});

describe('exclusion rules', () => {
  it('never the requester itself', () => {
    const { cs, selector } = setup(['s']);
    for (let i = 0; i < 10; i++) expect(selector.select(T, cs[0])).toBeNull();
  });

  it('a tunnelled candidate is never introduced to a non-tunnelled requester; tunnelled requesters get anyone', () => {
    const { cs, selector } = setup(['ts', 's', 'ts']);
    const [t1, plain, t3] = cs as [WalkCandidate, WalkCandidate, WalkCandidate];
    for (let i = 0; i < 20; i++) expect(selector.select(T, plain)).toBeNull();
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add(selector.select(T, t1)?.address.port ?? 0);
    expect([...seen].sort()).toEqual([2, 3]);
    void t3;
  });

  it('two symmetric-NAT peers with different WAN IPs are not introduced; same WAN IP is fine', () => {
    const table = new CandidateTable();
    const requester = table.create({ address: addr('5.5.5.5', 1), connectionType: 'symmetric-NAT' }, T);
    const other = table.create({ address: addr('6.6.6.6', 1), connectionType: 'symmetric-NAT' }, T);
    const sameNat = table.create({ address: addr('5.5.5.5', 2), lan: addr('10.0.0.2', 1), connectionType: 'symmetric-NAT' }, T);
    const open = table.create({ address: addr('7.7.7.7', 1), connectionType: 'public' }, T);
    expect(canIntroduce(other, requester)).toBe(false);
    expect(canIntroduce(sameNat, requester)).toBe(true);
    expect(canIntroduce(open, requester)).toBe(true);
    expect(canIntroduce(requester, requester)).toBe(false);
    expect(canIntroduce(other, open)).toBe(true);
    for (const c of [requester, other, sameNat, open]) c.stumble(T);
    const selector = new IntroduceSelector(table, createSeededRandom(9));
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(selector.select(T, requester)?.key ?? 'none');
    expect([...seen].sort()).toEqual(['5.5.5.5:2', '7.7.7.7:1']);
  });

  it('equality by member: a candidate with the requester’s member is excluded', () => {
    const a = new WalkCandidate({ address: local(1), memberId: 'aa' });
    const b = new WalkCandidate({ address: local(2), memberId: 'aa' });
    expect(canIntroduce(b, a)).toBe(false);
  });

  it('the loop is bounded even when everything is rejected', () => {
    const { cs, selector } = setup(['ts', 'ts', 'twr', 'twr', 's']);
    const plain = cs[4] as WalkCandidate;
    for (let i = 0; i < 50; i++) expect(selector.select(T, plain)).toBeNull();
  });
});
