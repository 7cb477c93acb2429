// The runtime's CandidateSet over the community's @dispersy/walker table (src/candidates.ts). The category rules
// themselves (lifetimes, precedence, eligibility) are the walker's and tested there (its categories and candidate
// tests); these tests check what the runtime relies on: add/update, verified candidates, removal with the vote
// withdrawn, the bound, and one table shared by the walker and the runtime.
import { describe, expect, test } from 'vitest';
import { createSeededRandom, ManualClock } from '@dispersy/interfaces';
import { Walker } from '@dispersy/walker';
import { CANDIDATE_INTRO_LIFETIME, CANDIDATE_WALK_LIFETIME, WalkerCandidates } from '../src/candidates.ts';

const at = (port: number) => ({ host: '10.0.0.1', port });

function setup(maxCandidates?: number): { clock: ManualClock; walker: Walker; set: WalkerCandidates } {
  const clock = new ManualClock();
  const walker = new Walker({ clock, random: createSeededRandom(1) }, { lanAddress: { host: '10.0.0.99', port: 6421 }, ...(maxCandidates === undefined ? {} : { maxCandidates }) });
  return { clock, walker, set: new WalkerCandidates(walker) };
}

describe('WalkerCandidates (the CandidateSet over the walker table)', () => {
  test('categories as the walker defines them: walk 57.5 s (and walked now), intro 27.5 s, precedence', () => {
    const { clock, set } = setup();
    const now = clock.now();
    const c = set.add(at(1), { category: 'intro' }, now);
    expect(c.category(now)).toBe('intro');
    expect(c.category(now + CANDIDATE_INTRO_LIFETIME)).toBe('none');
    set.add(at(1), { category: 'walk' }, now);
    expect(c.category(now)).toBe('walk');
    expect(c.isVerified(now + CANDIDATE_WALK_LIFETIME - 0.1)).toBe(true);
    expect(c.isEligibleForWalk(now)).toBe(false); // the walk category marks it walked to now
    expect(c.isEligibleForWalk(now + 27.5)).toBe(true);
  });

  test('add updates an existing candidate (tunnel, addresses, connection type, global time, member); verified lists walk and stumble', () => {
    const { clock, set } = setup();
    const now = clock.now();
    set.add(at(1), { category: 'walk' }, now);
    set.add(at(2), { category: 'intro' }, now);
    set.add(at(3), { category: 'stumble', globalTime: 7 }, now);
    const updated = set.add(at(3), { globalTime: 9, memberId: 'ab', tunnel: true, lanAddress: { host: '192.168.1.3', port: 1 }, connectionType: 'symmetric-NAT' }, now);
    expect(set.size).toBe(3);
    expect(set.verifiedCandidates(now).map((c) => c.address.port)).toEqual([1, 3]);
    expect(set.active(now)).toHaveLength(3);
    expect(updated).toBe(set.get(at(3)));
    expect([updated.globalTime, updated.memberId, updated.tunnel, updated.lan.host, updated.connectionType]).toEqual([9, 'ab', true, '192.168.1.3', 'symmetric-NAT']);
    expect(set.remove(at(3))?.address.port).toBe(3);
    expect(set.get(at(3))).toBeUndefined();
    set.clear();
    expect(set.size).toBe(0);
  });

  test('one table: what the runtime adds is what the walker walks to', () => {
    const { walker, set, clock } = setup();
    set.add(at(5), { category: 'stumble' }, clock.now());
    const step = walker.takeStep();
    expect(step.target?.address).toEqual(at(5));
    expect(walker.table.size).toBe(1);
  });

  test('bounded by the walker rule: an obsolete candidate first, then the oldest discovered, then intro, then verified', () => {
    const { clock, set } = setup(3);
    const now = clock.now();
    set.add(at(1), { category: 'walk' }, now);
    set.add(at(2), { category: 'discovered' }, now + 1);
    set.add(at(3), { category: 'intro' }, now + 2);
    set.add(at(4), { category: 'intro' }, now + 3);
    expect(set.list().map((c) => c.address.port)).toEqual([1, 3, 4]);
    set.add(at(5), { category: 'stumble' }, now + 4);
    expect(set.list().map((c) => c.address.port)).toEqual([1, 4, 5]);
  });

  test('rejects invalid addresses', () => {
    const { clock, set } = setup();
    expect(() => set.add({ host: '0.0.0.0', port: 0 }, {}, clock.now())).toThrow(RangeError);
    expect(() => set.add({ host: '10.0.0.1', port: 70_000 }, {}, clock.now())).toThrow(RangeError);
  });
});
