import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { classifyConnection, DEFAULT_MAX_VOTED_ADDRESSES, DEFAULT_MAX_VOTERS, WanVoting, type WanChange } from '../src/index.ts';
import { addr, makeWalker } from './helpers.ts';

const LAN = addr('192.168.1.2', 6421);

describe('WanVoting basics (spec §7.9)', () => {
  it('starts with WAN = LAN, unknown; a vote switches the WAN only with STRICTLY more votes', () => {
    const v = new WanVoting({ lan: LAN });
    expect([v.wan, v.connectionType]).toEqual([LAN, 'unknown']);
    expect(v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1))).toMatchObject({ accepted: true, wanChanged: true });
    expect(v.wan).toEqual(addr('1.1.1.1', 1));
    // one vote for another address: a tie, no switch
    expect(v.vote(addr('2.2.2.2', 1), addr('140.0.0.2', 1)).wanChanged).toBe(false);
    expect(v.wan).toEqual(addr('1.1.1.1', 1));
    // a second vote for it: 2 > 1, switch
    expect(v.vote(addr('2.2.2.2', 1), addr('140.0.0.3', 1)).wanChanged).toBe(true);
    expect(v.wan).toEqual(addr('2.2.2.2', 1));
  });

  it("a voter's new vote replaces its previous one", () => {
    const v = new WanVoting({ lan: LAN });
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    v.vote(addr('1.1.1.1', 2), addr('140.0.0.1', 1));
    expect([v.votesFor(addr('1.1.1.1', 1)), v.votesFor(addr('1.1.1.1', 2)), v.voterCount, v.addressCount]).toEqual([0, 1, 1, 1]);
  });

  it('ignores invalid addresses and voters inside my LAN (but still withdraws their previous vote)', () => {
    const v = new WanVoting({ lan: LAN });
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    expect(v.vote(addr('0.0.0.0', 0), addr('140.0.0.1', 1))).toMatchObject({ accepted: false, ignored: 'INVALID_ADDRESS' });
    expect(v.voterCount).toBe(0);
    expect(v.vote(addr('1.1.1.1', 1), addr('192.168.1.7', 1))).toMatchObject({ accepted: false, ignored: 'VOTER_IN_LAN' });
    expect(v.vote(addr('1.1.1.1', 1), addr('10.9.9.9', 1)).ignored).toBe('VOTER_IN_LAN'); // RFC 1918 fallback
    expect(v.votesFor(addr('1.1.1.1', 1))).toBe(0);
  });

  it('withdraw returns the withdrawn address; clear forgets everything', () => {
    const v = new WanVoting({ lan: LAN });
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    expect(v.withdraw(addr('140.0.0.1', 1))).toEqual(addr('1.1.1.1', 1));
    expect(v.withdraw(addr('140.0.0.1', 1))).toBeUndefined();
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    v.clear();
    expect([v.voterCount, v.addressCount]).toEqual([0, 0]);
  });

  it('re-reads the LAN IP on a WAN change (keeping the port), falling back to the WAN IP', () => {
    const reads: string[] = [];
    const v = new WanVoting({ lan: LAN, refreshLan: (wan) => (reads.push(wan.host), '192.168.1.99') });
    const r = v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    expect(reads).toEqual(['1.1.1.1']);
    expect(r.lanChanged).toBe(true);
    expect(v.lan).toEqual(addr('192.168.1.99', 6421));
    const w = new WanVoting({ lan: LAN, refreshLan: () => '0.0.0.0' });
    w.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    expect(w.lan).toEqual(addr('1.1.1.1', 6421));
  });

  it('notifies listeners of changes', () => {
    const v = new WanVoting({ lan: LAN });
    const changes: WanChange[] = [];
    const off = v.onChange((c) => changes.push(c));
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.2', 1)); // no change
    off();
    v.vote(addr('2.2.2.2', 1), addr('140.0.0.3', 1));
    v.vote(addr('2.2.2.2', 1), addr('140.0.0.4', 1));
    v.vote(addr('2.2.2.2', 1), addr('140.0.0.5', 1));
    expect(changes.length).toBe(1);
    expect(changes[0]).toMatchObject({ wanChanged: true, previousWan: LAN, wan: addr('1.1.1.1', 1) });
  });

  it('validates its options', () => {
    expect(() => new WanVoting({ lan: addr('0.0.0.0', 0) })).toThrow(RangeError);
    expect(() => new WanVoting({ lan: LAN, maxVoters: 0 })).toThrow(RangeError);
    expect(() => new WanVoting({ lan: LAN }).setLan(addr('1.1.1.1', 0))).toThrow(RangeError);
  });
});

describe('connection type (test_nat_detection)', () => {
  it('classifyConnection: public / unknown / symmetric-NAT', () => {
    const wan = addr('1.1.1.1', 1);
    expect(classifyConnection([{ address: LAN, voters: [addr('140.0.0.1', 1)] }], LAN, LAN)).toBe('public');
    expect(classifyConnection([{ address: wan, voters: [addr('140.0.0.1', 1)] }], LAN, wan)).toBe('unknown');
    const two = (a: string, b: string) => [
      { address: wan, voters: [addr(a, 1)] },
      { address: addr('1.1.1.1', 2), voters: [addr(b, 2)] },
    ];
    expect(classifyConnection(two('140.0.0.4', '140.0.0.4'), LAN, wan)).toBe('symmetric-NAT');
    expect(classifyConnection(two('140.0.0.4', '140.0.0.5'), LAN, wan)).toBe('symmetric-NAT');
    expect(
      classifyConnection([{ address: wan, voters: [addr('140.0.0.4', 1), addr('140.0.0.5', 1)] }, { address: addr('1.1.1.1', 2), voters: [addr('140.0.0.6', 1)] }], LAN, wan),
    ).toBe('unknown');
    expect(classifyConnection([], LAN, LAN)).toBe('unknown');
  });

  it('test_connection_type: public, unknown, public, symmetric, unknown, symmetric, public with cleanups between', () => {
    const { walker, clock } = makeWalker({ lanAddress: LAN });
    const now = () => clock.now();
    const create = (host: string, port: number) => walker.table.create({ address: addr(host, port) }, now());
    const clear = () => {
      expect(walker.table.cleanup(now()).removed.length).toBeGreaterThan(0);
      expect(walker.votes.voterCount).toBe(0);
      expect(walker.votes.addressCount).toBe(0);
    };
    const publicPhase = () => {
      for (let i = 1; i <= 5; i++) {
        const c = create('140.0.0.3', i);
        walker.votes.vote(walker.lan, c.address);
        expect(c.category(now())).toBe('none');
        expect(walker.wan).toEqual(walker.lan);
        expect(walker.connectionType).toBe('public');
      }
    };
    const unknownPhase = () => {
      const c = create('140.0.0.2', 1);
      walker.votes.vote(addr('1.1.1.1', 1), c.address);
      expect(walker.lan).not.toEqual(walker.wan);
      expect(walker.connectionType).toBe('unknown');
    };
    const symmetricPhase = () => {
      for (let i = 1; i <= 5; i++) {
        const c = create('140.0.0.4', i);
        walker.votes.vote(addr('1.1.1.2', i), c.address);
        if (i > 1) {
          expect(walker.lan).not.toEqual(walker.wan);
          expect(walker.connectionType).toBe('symmetric-NAT');
        }
      }
    };
    publicPhase();
    clear();
    unknownPhase();
    clear();
    publicPhase();
    clear();
    symmetricPhase();
    clear();
    unknownPhase();
    clear();
    symmetricPhase();
    clear();
    publicPhase();
  });

  it('test_symmetric_vote: two ports from one voter IP → symmetric-NAT; after cleanup, two votes for one address → unknown', () => {
    const { walker, clock } = makeWalker({ lanAddress: LAN });
    for (let i = 1; i <= 2; i++) {
      const c = walker.table.create({ address: addr('140.0.0.2', i) }, clock.now());
      walker.votes.vote(addr('1.0.0.1', i), c.address);
    }
    expect(walker.connectionType).toBe('symmetric-NAT');
    expect(walker.table.cleanup(clock.now()).removed.length).toBe(2);
    for (let i = 1; i <= 2; i++) {
      const c = walker.table.create({ address: addr('140.0.0.3', i) }, clock.now());
      walker.votes.vote(addr('1.0.0.1', 1), c.address);
    }
    expect(walker.connectionType).toBe('unknown');
  });
});

describe('bounds', () => {
  it('defaults', () => {
    expect([DEFAULT_MAX_VOTERS, DEFAULT_MAX_VOTED_ADDRESSES]).toEqual([256, 64]);
  });

  it('a new voter beyond the bound evicts the oldest vote', () => {
    const v = new WanVoting({ lan: LAN, maxVoters: 3 });
    for (let i = 1; i <= 4; i++) v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', i));
    expect(v.voterCount).toBe(3);
    expect(v.votesFor(addr('1.1.1.1', 1))).toBe(3);
    expect(v.withdraw(addr('140.0.0.1', 1))).toBeUndefined(); // evicted
    // re-voting refreshes a voter's age
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 2));
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 5));
    expect(v.withdraw(addr('140.0.0.1', 2))).toBeDefined();
  });

  it('evicting the last voter of the address being voted for keeps the new vote counted', () => {
    const v = new WanVoting({ lan: LAN, maxVoters: 1 });
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.2', 1));
    expect([v.voterCount, v.addressCount, v.votesFor(addr('1.1.1.1', 1))]).toEqual([1, 1, 1]);
    expect(v.samples()).toEqual([{ address: addr('1.1.1.1', 1), voters: [addr('140.0.0.2', 1)] }]);
  });

  it('a new address beyond the bound evicts the least-voted one (never the current WAN)', () => {
    const v = new WanVoting({ lan: LAN, maxAddresses: 2 });
    v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1)); // WAN
    v.vote(addr('2.2.2.2', 1), addr('140.0.0.2', 1));
    v.vote(addr('3.3.3.3', 1), addr('140.0.0.3', 1)); // evicts 2.2.2.2 (fewest, oldest, not the WAN)
    expect(v.addressCount).toBe(2);
    expect(v.votesFor(addr('2.2.2.2', 1))).toBe(0);
    expect(v.votesFor(addr('1.1.1.1', 1))).toBe(1);
    expect(v.withdraw(addr('140.0.0.2', 1))).toBeUndefined();
  });

  test.prop([
    fc.array(fc.record({ a: fc.integer({ min: 1, max: 20 }), v: fc.integer({ min: 1, max: 40 }), h: fc.integer({ min: 1, max: 4 }) }), { maxLength: 200 }),
  ])('never exceeds its bounds; the connection type is the classifier of the current votes', (votes) => {
    const v = new WanVoting({ lan: LAN, maxVoters: 4, maxAddresses: 3 });
    for (const { a, v: voter, h } of votes) {
      v.vote(addr('1.1.1.1', a), addr(`140.0.0.${h}`, voter));
      expect(v.voterCount).toBeLessThanOrEqual(4);
      expect(v.addressCount).toBeLessThanOrEqual(3);
      expect(v.connectionType).toBe(classifyConnection(v.samples(), v.lan, v.wan));
      expect(v.samples().reduce((n, s) => n + s.voters.length, 0)).toBe(v.voterCount);
    }
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 30 })])(
    'votes for one address from voters on ≥ 2 IPs are never classified symmetric-NAT, whatever is added to it',
    (ports) => {
      const v = new WanVoting({ lan: LAN });
      v.vote(addr('1.1.1.1', 1), addr('140.0.0.1', 1));
      v.vote(addr('1.1.1.1', 1), addr('140.0.0.2', 1));
      for (const p of ports) {
        v.vote(addr('1.1.1.1', 1 + (p % 3)), addr('150.0.0.1', p));
        expect(v.connectionType).not.toBe('symmetric-NAT');
      }
    },
  );
});
