import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  FAST_WALKER_CANDIDATE_TARGET,
  FAST_WALKER_LOOKAHEAD,
  FAST_WALKER_MAX_NEW_ELIGIBLE_CANDIDATES,
  FAST_WALKER_STEP_INTERVAL,
  FAST_WALKER_STEPS,
  fastWalkerTargets,
  TAKE_STEP_INTERVAL,
  WalkCandidate,
  walkerStartDelay,
} from '../src/index.ts';
import { local } from './helpers.ts';

const T = 1000;

describe('fastWalkerTargets (spec §7.3)', () => {
  it('constants', () => {
    expect([TAKE_STEP_INTERVAL, FAST_WALKER_STEP_INTERVAL, FAST_WALKER_STEPS, FAST_WALKER_CANDIDATE_TARGET, FAST_WALKER_MAX_NEW_ELIGIBLE_CANDIDATES]).toEqual([5, 2, 15, 15, 10]);
    expect(FAST_WALKER_LOOKAHEAD).toEqual([20, 27.5]);
  });

  it('targets every candidate eligible at now + uniform(20, 27.5)', () => {
    const fresh = new WalkCandidate({ address: local(1) });
    fresh.stumble(T);
    const walkedJustNow = new WalkCandidate({ address: local(2) });
    walkedJustNow.stumble(T);
    walkedJustNow.walk(T); // eligible again at T + 27.5 only
    const walked10sAgo = new WalkCandidate({ address: local(3) });
    walked10sAgo.stumble(T);
    walked10sAgo.walk(T - 10); // eligible from T + 17.5: inside the look-ahead
    const introExpiring = new WalkCandidate({ address: local(4) });
    introExpiring.intro(T - 10); // intro until T + 17.5: obsolete at the look-ahead
    const step = fastWalkerTargets(T, [fresh, walkedJustNow, walked10sAgo, introExpiring], 0, createSeededRandom(1));
    expect(step.targets).toEqual([fresh, walked10sAgo]);
    expect(step.state).toEqual({ stepsTaken: 1 });
    expect(step.done).toBe(false);
  });

  it('the look-ahead is drawn per candidate in [20, 27.5)', () => {
    const c = new WalkCandidate({ address: local(1) });
    c.stumble(T);
    c.walk(T - 4); // eligible from T + 23.5
    let hits = 0;
    const rng = createSeededRandom(5);
    for (let i = 0; i < 2000; i++) if (fastWalkerTargets(T, [c], 0, rng).targets.length === 1) hits++;
    // P(lookahead ≥ 23.5) = 4/7.5 ≈ 0.533
    expect(hits / 2000).toBeGreaterThan(0.48);
    expect(hits / 2000).toBeLessThan(0.59);
  });

  it('stops after 15 steps, or at once when more than 15 candidates are verified', () => {
    let state = { stepsTaken: 0 };
    const rng = createSeededRandom(1);
    const dones: boolean[] = [];
    for (let i = 0; i < 15; i++) {
      const step = fastWalkerTargets(T, [], 15, rng, state);
      state = step.state;
      dones.push(step.done);
    }
    expect(dones.indexOf(true)).toBe(14);
    expect(fastWalkerTargets(T, [], 0, rng, state)).toMatchObject({ targets: [], done: true });
    expect(fastWalkerTargets(T, [], 16, rng)).toMatchObject({ targets: [], done: true, state: { stepsTaken: 0 } });
  });
});

describe('walkerStartDelay', () => {
  it('is database_id mod 3', () => {
    expect([0, 1, 2, 3, 7].map(walkerStartDelay)).toEqual([0, 1, 2, 0, 1]);
    expect(() => walkerStartDelay(-1)).toThrow(RangeError);
    expect(() => walkerStartDelay(1.5)).toThrow(RangeError);
  });
});
