import { NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { CANDIDATE_LIFETIME, WalkCandidate } from '../src/index.ts';
import { addr } from './helpers.ts';

const T = 1000;
const sock = addr('1.2.3.4', 6421);

describe('WalkCandidate construction', () => {
  it('defaults LAN and WAN to the socket address, connection type unknown, all timestamps 0', () => {
    const c = new WalkCandidate({ address: sock });
    expect([c.lan, c.wan, c.connectionType, c.tunnel]).toEqual([sock, sock, 'unknown', false]);
    expect([c.lastWalk, c.lastWalkReply, c.lastStumble, c.lastIntro, c.lastDiscovered, c.globalTime]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c.key).toBe('1.2.3.4:6421');
    expect(c.category(T)).toBe('none');
    expect(String(c)).toBe('{1.2.3.4:6421}');
  });
  it('rejects invalid socket addresses and invalid (non-zero) LAN/WAN', () => {
    expect(() => new WalkCandidate({ address: NO_ADDRESS })).toThrow(RangeError);
    expect(() => new WalkCandidate({ address: addr('1.2.3.4', 0) })).toThrow(RangeError);
    expect(() => new WalkCandidate({ address: sock, lan: addr('1.2.3.4', 0) })).toThrow(RangeError);
    expect(new WalkCandidate({ address: sock, wan: NO_ADDRESS }).wan).toEqual(NO_ADDRESS);
  });
  it('rejects non-finite times', () => {
    const c = new WalkCandidate({ address: sock });
    expect(() => c.walk(Number.NaN)).toThrow(RangeError);
    expect(() => c.stumble(Infinity)).toThrow(RangeError);
  });
});

describe('WalkCandidate.update (quirk 5 fixed)', () => {
  it('a reported valid address replaces the stored one', () => {
    const c = new WalkCandidate({ address: sock, lan: NO_ADDRESS });
    c.update(false, addr('192.168.1.2', 7), addr('1.2.3.4', 6421), 'unknown');
    expect(c.lan).toEqual(addr('192.168.1.2', 7));
  });
  it('a reported 0.0.0.0:0 (or garbage) keeps what we know', () => {
    const c = new WalkCandidate({ address: sock, lan: addr('192.168.1.2', 7) });
    c.update(true, NO_ADDRESS, addr('9.9.9.9', 0), 'symmetric-NAT');
    expect([c.lan, c.wan, c.tunnel, c.connectionType]).toEqual([addr('192.168.1.2', 7), sock, true, 'symmetric-NAT']);
  });
  it('unknown with a valid LAN equal to the WAN becomes public; a known type may be reset to unknown', () => {
    const c = new WalkCandidate({ address: sock });
    c.update(false, sock, sock, 'unknown');
    expect(c.connectionType).toBe('public');
    c.update(false, addr('10.0.0.1', 1), sock, 'unknown');
    expect(c.connectionType).toBe('unknown');
    c.update(false, NO_ADDRESS, NO_ADDRESS, 'unknown');
    expect(c.connectionType).toBe('unknown'); // zeros are not "LAN == WAN"
  });
});

describe('WalkCandidate.merge', () => {
  it('takes the other member and the maximum of every timestamp and the global time', () => {
    const a = new WalkCandidate({ address: sock });
    const b = new WalkCandidate({ address: addr('1.2.3.4', 6422), memberId: 'ab' });
    a.walk(10);
    a.walkResponse(20);
    a.stumble(5);
    a.reportGlobalTime(7);
    b.walk(1);
    b.walkResponse(30);
    b.stumble(50);
    b.intro(60);
    b.discovered(70);
    b.reportGlobalTime(9);
    b.keepAlive = true;
    a.merge(b);
    expect([a.lastWalk, a.lastWalkReply, a.lastStumble, a.lastIntro, a.lastDiscovered, a.globalTime]).toEqual([10, 30, 50, 60, 70, 9]);
    expect(a.memberId).toBe('ab');
    expect(a.keepAlive).toBe(true);
  });
  it('keeps its own member when the other has none; global time keeps the maximum', () => {
    const a = new WalkCandidate({ address: sock, memberId: 'aa' });
    a.merge(new WalkCandidate({ address: addr('1.2.3.4', 9) }));
    expect(a.memberId).toBe('aa');
    a.reportGlobalTime(5);
    a.reportGlobalTime(3);
    expect(a.globalTime).toBe(5);
  });
});

describe('WalkCandidate timestamps', () => {
  it('walkTimeout sets lastWalkReply to −1 (never walk category)', () => {
    const c = new WalkCandidate({ address: sock });
    c.walkResponse(T);
    expect(c.category(T)).toBe('walk');
    c.walkTimeout();
    expect(c.lastWalkReply).toBe(-1);
    expect(c.category(T)).toBe('none');
  });
  it('verified = walk or stumble', () => {
    const c = new WalkCandidate({ address: sock });
    c.intro(T);
    expect(c.isVerified(T)).toBe(false);
    c.stumble(T);
    expect(c.isVerified(T)).toBe(true);
  });
  it('equality: by member when both have one, else by address', () => {
    const a = new WalkCandidate({ address: sock, memberId: 'aa' });
    const b = new WalkCandidate({ address: addr('5.5.5.5', 1), memberId: 'aa' });
    const c = new WalkCandidate({ address: sock, memberId: 'cc' });
    const d = new WalkCandidate({ address: sock });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.equals(d)).toBe(true);
  });
  it('snapshot and toString', () => {
    const c = new WalkCandidate({ address: sock, lan: addr('192.168.0.2', 1), memberId: 'ff' });
    c.stumble(T);
    expect(c.snapshot(T)).toMatchObject({ address: sock, category: 'stumble', memberId: 'ff', connectionType: 'unknown' });
    expect(String(c)).toBe('{1.2.3.4:6421 192.168.0.2:1 1.2.3.4:6421}');
  });
});

describe('keep-alive life support (test_keep_alive_candidate[_timeout])', () => {
  it('a keep-alive candidate stays in its category after its lifetime, once', () => {
    const c = new WalkCandidate({ address: sock });
    c.keepAlive = true;
    c.walkResponse(T);
    expect(c.category(T)).toBe('walk');
    const later = T + CANDIDATE_LIFETIME + 1;
    expect(c.category(later)).toBe('none');
    expect(c.enterLifeSupport(later)).toBe('walk');
    expect(c.onLifeSupport).toBe(true);
    expect(c.category(later)).toBe('walk');
    expect(c.lastWalkReply).toBeGreaterThan(-1);
    // timeout again: no second life support
    expect(c.enterLifeSupport(later + CANDIDATE_LIFETIME + 1)).toBe('none');
    expect(c.category(later + CANDIDATE_LIFETIME + 1)).toBe('none');
  });
  it('an accepted response ends life support', () => {
    const c = new WalkCandidate({ address: sock });
    c.keepAlive = true;
    c.stumble(T);
    expect(c.enterLifeSupport(T + 60)).toBe('stumble');
    expect(c.category(T + 60)).toBe('stumble'); // keeps its category (not promoted to walk)
    c.leaveLifeSupport();
    expect(c.enterLifeSupport(T + 200)).toBe('stumble');
  });
  it('a timed-out request does not make it forget that it was a walk candidate', () => {
    const c = new WalkCandidate({ address: sock });
    c.keepAlive = true;
    c.walkResponse(T);
    c.discovered(T - 1);
    c.walkTimeout();
    expect(c.enterLifeSupport(T + 60)).toBe('walk');
    expect(c.lastWalkReply).toBe(T + 60);
  });
  it('does not apply without keep-alive or without any category ever', () => {
    const c = new WalkCandidate({ address: sock });
    c.stumble(T);
    expect(c.enterLifeSupport(T + 60)).toBe('none');
    const d = new WalkCandidate({ address: sock });
    d.keepAlive = true;
    expect(d.enterLifeSupport(T)).toBe('none');
    expect(d.onLifeSupport).toBe(false);
  });
});
