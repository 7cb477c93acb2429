import { describe, expect, test } from 'vitest';
import { Candidate, CandidateTable } from '../src/candidates.ts';

const at = (port: number) => ({ host: '10.0.0.1', port });

describe('Candidate categories (spec §7.2)', () => {
  test('walk 57.5 s, stumble 57.5 s, intro 27.5 s, discovered 57.5 s, with precedence', () => {
    const c = new Candidate(at(1));
    expect(c.category(1000)).toBe('none');
    c.touch('discovered', 1000);
    expect(c.category(1000)).toBe('discovered');
    c.touch('intro', 1000);
    expect(c.category(1027.4)).toBe('intro');
    expect(c.category(1027.5)).toBe('discovered');
    expect(c.category(1057.5)).toBe('none');
    c.touch('stumble', 2000);
    c.touch('intro', 2000);
    expect(c.category(2000)).toBe('stumble');
    expect(c.isVerified(2057.4)).toBe(true);
    expect(c.isVerified(2057.5)).toBe(false);
    c.touch('walk', 3000);
    expect(c.category(3000)).toBe('walk');
    expect(c.isEligibleForWalk(3027.4)).toBe(false);
    expect(c.isEligibleForWalk(3027.5)).toBe(true);
  });

  test('global time is a max; a member can be associated', () => {
    const c = new Candidate(at(1), true);
    c.reportGlobalTime(10);
    c.reportGlobalTime(5);
    expect(c.globalTime).toBe(10);
    expect(c.tunnel).toBe(true);
    expect(c.memberId).toBeUndefined();
    c.associate('ab');
    expect(c.memberId).toBe('ab');
  });
});

describe('CandidateTable', () => {
  test('add updates an existing candidate; verified lists walk and stumble', () => {
    const table = new CandidateTable();
    table.add(at(1), { category: 'walk' }, 1000);
    table.add(at(2), { category: 'intro' }, 1000);
    table.add(at(3), { category: 'stumble', globalTime: 7 }, 1000);
    table.add(at(3), { globalTime: 9 }, 1000);
    expect(table.size).toBe(3);
    expect(table.verifiedCandidates(1000).map((c) => c.address.port)).toEqual([1, 3]);
    expect(table.active(1000).length).toBe(3);
    expect(table.get(at(3))?.globalTime).toBe(9);
    expect(table.remove(at(3))?.address.port).toBe(3);
    expect(table.get(at(3))).toBeUndefined();
  });

  test('bounded: the oldest unverified candidate is evicted first', () => {
    const table = new CandidateTable({ maxSize: 3 });
    table.add(at(1), { category: 'walk' }, 1000);
    table.add(at(2), { category: 'discovered' }, 1001);
    table.add(at(3), { category: 'intro' }, 1002);
    table.add(at(4), { category: 'intro' }, 1003);
    expect(table.list().map((c) => c.address.port)).toEqual([1, 3, 4]);
    const full = new CandidateTable({ maxSize: 2 });
    full.add(at(1), { category: 'walk' }, 1000);
    full.add(at(2), { category: 'stumble' }, 1001);
    full.add(at(3), { category: 'stumble' }, 1002);
    expect(full.list().map((c) => c.address.port)).toEqual([2, 3]);
  });

  test('rejects the all-zero address', () => {
    expect(() => new CandidateTable().add({ host: '0.0.0.0', port: 0 }, {}, 0)).toThrow(RangeError);
    expect(() => new CandidateTable({ maxSize: 0 })).toThrow(RangeError);
  });
});
