/** Test helpers: addresses, candidates and walkers on a manual clock with a seeded random source. */
import { createSeededRandom, ManualClock, type Address } from '@dispersy/interfaces';
import { expect } from 'vitest';
import {
  CANDIDATE_ELIGIBLE_DELAY,
  isOutgoing,
  Walker,
  type OutgoingIntroductionRequest,
  type OutgoingMessage,
  type Rejected,
  type WalkCandidate,
  type WalkerInit,
} from '../src/index.ts';

/** `{ host, port }`, frozen. */
export function addr(host: string, port: number): Address {
  return Object.freeze({ host, port });
}

/** `127.0.0.1:port`, the original test_candidates addresses. */
export function local(port: number): Address {
  return addr('127.0.0.1', port);
}

/** A walker on a ManualClock (t = 1000) with a seeded random source. */
export function makeWalker(init: WalkerInit = {}, seed = 1): { walker: Walker; clock: ManualClock } {
  const clock = new ManualClock();
  const walker = new Walker({ clock, random: createSeededRandom(seed) }, { lanAddress: addr('1.1.1.1', 6421), ...init });
  return { walker, clock };
}

/**
 * Applies the original test_candidates flags to a candidate at `now`: w walked, r reply, e walked 27.5 s ago with
 * a reply now, s stumbled, i introduced, d discovered (t is the tunnel flag, set at creation).
 */
export function applyFlags(candidate: WalkCandidate, flags: string, now: number): void {
  if (flags.includes('w')) candidate.walk(now);
  if (flags.includes('r')) candidate.walkResponse(now);
  if (flags.includes('e')) {
    candidate.walk(now - CANDIDATE_ELIGIBLE_DELAY);
    candidate.walkResponse(now);
  }
  if (flags.includes('s')) candidate.stumble(now);
  if (flags.includes('i')) candidate.intro(now);
  if (flags.includes('d')) candidate.discovered(now);
}

/** Keys of candidates (or `null`s) as a sorted list, for set comparisons. */
export function keys(items: Iterable<WalkCandidate | null>): (string | null)[] {
  return [...new Set([...items].map((c) => (c === null ? null : c.key)))].sort((a, b) => String(a).localeCompare(String(b)));
}

/* Three public walkers for state-machine tests: A 1.0.0.1:6421, B 2.0.0.2:6421, C 3.0.0.3:6421. */
export const A = addr('1.0.0.1', 6421);
export const B = addr('2.0.0.2', 6421);
export const C = addr('3.0.0.3', 6421);

export function world(seed = 1) {
  const clock = new ManualClock();
  const make = (lanAddress: Address, i: number, extra: Partial<ConstructorParameters<typeof Walker>[1]> = {}) =>
    new Walker({ clock, random: createSeededRandom(seed + i) }, { lanAddress, ...extra });
  return { clock, make, a: make(A, 0), b: make(B, 1), c: make(C, 2) };
}

export const from = (address: Address, tunnel = false) => ({ address, tunnel });
export const only = <K extends OutgoingMessage['kind']>(send: readonly OutgoingMessage[], kind: K) =>
  send.filter((m): m is Extract<OutgoingMessage, { kind: K }> => isOutgoing(m, kind));
export const rejected = (outcome: { accepted: boolean }) => (outcome as Rejected).reason;

/** A walks to B (B known to A as discovered); returns A's request. */
export function walkAtoB(a: Walker): OutgoingIntroductionRequest {
  a.addDiscovered(B);
  const step = a.takeStep();
  expect(step.target?.address).toEqual(B);
  return step.send[0] as OutgoingIntroductionRequest;
}

/** C stumbles at B (so B has a verified, strict candidate to introduce). */
export function stumbleCAtB(b: Walker, cLan = C, cWan = C): void {
  const ok = b.onIntroductionRequest(from(C), {
    destinationAddress: B,
    sourceLanAddress: cLan,
    sourceWanAddress: cWan,
    advice: false,
    connectionType: 'unknown',
    identifier: 1,
  });
  expect(ok.accepted).toBe(true);
}
