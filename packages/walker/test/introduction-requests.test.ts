import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_OUTSTANDING_REQUESTS,
  IDENTIFIER_ATTEMPTS,
  INTRODUCTION_REQUEST_TIMEOUT,
  IntroductionRequests,
  randomIdentifiers,
  WalkCandidate,
  WalkerError,
} from '../src/index.ts';
import { addr } from './helpers.ts';

const T = 1000;
const helper = () => new WalkCandidate({ address: addr('7.7.7.7', 1) });

describe('IntroductionRequests', () => {
  it('constants', () => {
    expect([INTRODUCTION_REQUEST_TIMEOUT, DEFAULT_MAX_OUTSTANDING_REQUESTS, IDENTIFIER_ATTEMPTS]).toEqual([10.5, 1024, 1000]);
  });

  it('creates requests with fresh uint16 identifiers and the 10.5 s expiry as data', () => {
    const r = new IntroductionRequests({ random: createSeededRandom(1) });
    const h = helper();
    const a = r.create(h, T);
    const b = r.create(h, T, { keepAlive: true, fastWalker: true });
    expect(a.identifier).not.toBe(b.identifier);
    expect(a.identifier).toBeGreaterThanOrEqual(0);
    expect(a.identifier).toBeLessThan(65536);
    expect([a.createdAt, a.expiresAt, a.keepAlive, b.keepAlive, b.fastWalker]).toEqual([T, T + 10.5, false, true, true]);
    expect([r.size, r.has(a.identifier), r.get(b.identifier)]).toEqual([2, true, b]);
    expect(r.nextExpiry()).toBe(T + 10.5);
    expect(r.values()).toEqual([a, b]);
  });

  it('times out at exactly 10.5 s: a request without a response is a failure and the helper gets lastWalkReply = −1', () => {
    const r = new IntroductionRequests({ random: createSeededRandom(1) });
    const h = helper();
    h.walkResponse(T - 5);
    const req = r.create(h, T);
    expect(r.isOutstanding(req.identifier, T + 10.4)).toBe(true);
    expect(r.expire(T + 10.4)).toEqual([]);
    expect(r.isOutstanding(req.identifier, T + 10.5)).toBe(false); // due, even before expire() removed it
    expect(r.expire(T + 10.5)).toEqual([{ request: req, reason: 'timeout', failed: true }]);
    expect(h.lastWalkReply).toBe(-1);
    expect(r.size).toBe(0);
    expect(r.nextExpiry()).toBeUndefined();
  });

  it('a request with a response but no puncture times out without failing', () => {
    const r = new IntroductionRequests({ random: createSeededRandom(1) });
    const h = helper();
    const req = r.create(h, T);
    r.onResponse(req.identifier, T + 1);
    h.walkResponse(T + 1);
    const [expired] = r.expire(T + 11);
    expect(expired?.failed).toBe(false);
    expect(h.lastWalkReply).toBe(T + 1);
  });

  it('completes (is removed) once both the response and the puncture arrived, in either order', () => {
    const r = new IntroductionRequests({ random: createSeededRandom(1) });
    const intro = helper();
    const a = r.create(helper(), T);
    expect(r.onResponse(a.identifier, T + 1, intro)).toBe(a);
    expect(r.has(a.identifier)).toBe(true);
    expect(r.onPuncture(a.identifier, T + 2, intro)?.punctured).toBe(intro);
    expect(r.has(a.identifier)).toBe(false);
    expect([a.responseAt, a.punctureAt, a.introduced]).toEqual([T + 1, T + 2, intro]);
    const b = r.create(helper(), T);
    r.onPuncture(b.identifier, T + 1);
    r.onResponse(b.identifier, T + 2);
    expect(r.has(b.identifier)).toBe(false);
    expect(r.onResponse(12345, T)).toBeUndefined();
    expect(r.onPuncture(12345, T)).toBeUndefined();
  });

  it('is bounded: the oldest is evicted and reported by the next expire() as a failure', () => {
    const r = new IntroductionRequests({ random: createSeededRandom(1) }, { maxOutstanding: 2 });
    const h1 = helper();
    const first = r.create(h1, T);
    r.create(helper(), T);
    r.create(helper(), T);
    expect(r.size).toBe(2);
    expect(r.has(first.identifier)).toBe(false);
    expect(r.expire(T)).toEqual([{ request: first, reason: 'evicted', failed: true }]);
    expect(h1.lastWalkReply).toBe(-1);
    expect(r.expire(T)).toEqual([]);
  });

  it('uses an injected identifier source; throws when it is exhausted or returns an outstanding identifier', () => {
    const fixed = new IntroductionRequests({ random: createSeededRandom(1), identifiers: { next: () => 7 } });
    expect(fixed.create(helper(), T).identifier).toBe(7);
    try {
      fixed.create(helper(), T);
      expect.unreachable();
    } catch (err) {
      expect(WalkerError.is(err) && err.code).toBe('DUPLICATE_IDENTIFIER');
    }
    const ids = randomIdentifiers({ next: () => 0.5 });
    expect(ids.next(() => false)).toBe(32768);
    expect(() => ids.next(() => true)).toThrow(WalkerError);
    expect(() => new IntroductionRequests({ random: createSeededRandom(1) }, { timeout: 0 })).toThrow(RangeError);
    expect(() => new IntroductionRequests({ random: createSeededRandom(1) }, { maxOutstanding: 0 })).toThrow(RangeError);
  });
});
