import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_DISCOVERED_LIFETIME,
  CANDIDATE_ELIGIBLE_BOOTSTRAP_DELAY,
  CANDIDATE_ELIGIBLE_DELAY,
  CANDIDATE_INTRO_LIFETIME,
  CANDIDATE_LIFETIME,
  CANDIDATE_STUMBLE_LIFETIME,
  CANDIDATE_WALK_LIFETIME,
  CATEGORY_PRECEDENCE,
  categoryAt,
  isEligibleForWalk,
  isVerifiedCategory,
  lastLiveCategory,
  lifetimeOf,
  selectionStamp,
  type CategoryTimestamps,
} from '../src/index.ts';

const zero: CategoryTimestamps = { lastWalk: 0, lastWalkReply: 0, lastStumble: 0, lastIntro: 0, lastDiscovered: 0 };
const T = 1000;

describe('constants (spec §7.2, §17)', () => {
  it('has the original values', () => {
    expect([CANDIDATE_WALK_LIFETIME, CANDIDATE_STUMBLE_LIFETIME, CANDIDATE_INTRO_LIFETIME, CANDIDATE_DISCOVERED_LIFETIME]).toEqual([
      57.5, 57.5, 27.5, 57.5,
    ]);
    expect(CANDIDATE_ELIGIBLE_DELAY).toBe(27.5);
    // quirk 10: defined, unused
    expect([CANDIDATE_ELIGIBLE_BOOTSTRAP_DELAY, CANDIDATE_LIFETIME]).toEqual([57.5, 180]);
    expect(CATEGORY_PRECEDENCE).toEqual(['walk', 'stumble', 'intro', 'discovered']);
    expect(CATEGORY_PRECEDENCE.map(lifetimeOf)).toEqual([57.5, 57.5, 27.5, 57.5]);
  });
});

describe('categoryAt: lifetimes at the boundaries', () => {
  const cases = [
    ['walk', { ...zero, lastWalkReply: T }, 57.5],
    ['stumble', { ...zero, lastStumble: T }, 57.5],
    ['intro', { ...zero, lastIntro: T }, 27.5],
    ['discovered', { ...zero, lastDiscovered: T }, 57.5],
  ] as const;
  for (const [category, ts, lifetime] of cases) {
    it(`${category}: in at +${lifetime - 0.1}, out at +${lifetime}`, () => {
      expect(categoryAt(ts, T)).toBe(category);
      expect(categoryAt(ts, T + lifetime - 0.1)).toBe(category);
      expect(categoryAt(ts, T + lifetime)).toBe('none');
      expect(categoryAt(ts, T + lifetime + 100)).toBe('none');
    });
  }

  it('57.4 vs 57.5 for walk, 27.4 vs 27.5 for intro', () => {
    expect(categoryAt({ ...zero, lastWalkReply: T }, T + 57.4)).toBe('walk');
    expect(categoryAt({ ...zero, lastWalkReply: T }, T + 57.5)).toBe('none');
    expect(categoryAt({ ...zero, lastIntro: T }, T + 27.4)).toBe('intro');
    expect(categoryAt({ ...zero, lastIntro: T }, T + 27.5)).toBe('none');
  });

  it('precedence walk > stumble > intro > discovered', () => {
    const all = { lastWalk: T, lastWalkReply: T, lastStumble: T, lastIntro: T, lastDiscovered: T };
    expect(categoryAt(all, T)).toBe('walk');
    expect(categoryAt({ ...all, lastWalkReply: 0 }, T)).toBe('stumble');
    expect(categoryAt({ ...all, lastWalkReply: 0, lastStumble: 0 }, T)).toBe('intro');
    expect(categoryAt({ ...all, lastWalkReply: 0, lastStumble: 0, lastIntro: 0 }, T)).toBe('discovered');
    // the intro lifetime is shorter: after 27.5 s an intro+discovered candidate is discovered
    expect(categoryAt({ ...zero, lastIntro: T, lastDiscovered: T }, T + 30)).toBe('discovered');
  });

  it('a walk without a reply is no category; a timed-out reply (−1) is never walk', () => {
    expect(categoryAt({ ...zero, lastWalk: T }, T)).toBe('none');
    expect(categoryAt({ ...zero, lastWalkReply: -1 }, 0)).toBe('none');
    expect(categoryAt({ ...zero, lastWalkReply: -1, lastStumble: T }, T)).toBe('stumble');
  });

  it('timestamps ≤ 0 mean never, also with a clock near 0', () => {
    expect(categoryAt(zero, 0)).toBe('none');
    expect(categoryAt(zero, 10)).toBe('none');
    expect(categoryAt({ ...zero, lastStumble: 0.5 }, 10)).toBe('stumble');
  });
});

describe('isEligibleForWalk (quirk 4: the intended check)', () => {
  const stumbled = { ...zero, lastStumble: T };
  it('needs 27.5 s since the last walk: 27.4 no, 27.5 yes', () => {
    expect(isEligibleForWalk({ ...stumbled, lastWalk: T }, T + 27.4)).toBe(false);
    expect(isEligibleForWalk({ ...stumbled, lastWalk: T }, T + 27.5)).toBe(true);
  });
  it('a candidate never walked to is eligible', () => {
    expect(isEligibleForWalk(stumbled, T)).toBe(true);
    expect(isEligibleForWalk({ ...zero, lastStumble: 1 }, 1)).toBe(true);
  });
  it('an obsolete candidate is not eligible (the original never excluded it here; cleanup did)', () => {
    expect(isEligibleForWalk({ ...zero, lastWalk: T - 100 }, T)).toBe(false);
    expect(isEligibleForWalk({ ...zero, lastStumble: T }, T + 57.5)).toBe(false);
  });
});

describe('helpers', () => {
  it('selectionStamp orders walk by lastWalk, others by their category stamp', () => {
    const ts = { lastWalk: 1, lastWalkReply: 2, lastStumble: 3, lastIntro: 4, lastDiscovered: 5 };
    expect(CATEGORY_PRECEDENCE.map((c) => selectionStamp(ts, c))).toEqual([1, 3, 4, 5]);
  });
  it('isVerifiedCategory', () => {
    expect((['walk', 'stumble', 'intro', 'discovered', 'none'] as const).map(isVerifiedCategory)).toEqual([true, true, false, false, false]);
  });
  it('lastLiveCategory is the category that expires last', () => {
    expect(lastLiveCategory(zero)).toBe('none');
    expect(lastLiveCategory({ ...zero, lastWalkReply: T })).toBe('walk');
    expect(lastLiveCategory({ ...zero, lastWalkReply: T, lastStumble: T + 1 })).toBe('stumble');
    expect(lastLiveCategory({ ...zero, lastWalkReply: T, lastIntro: T + 20 })).toBe('walk'); // 1057.5 > 1047.5
    expect(lastLiveCategory({ ...zero, lastWalkReply: T, lastStumble: T })).toBe('walk'); // tie: precedence
    expect(lastLiveCategory({ ...zero, lastWalkReply: -1, lastDiscovered: T })).toBe('discovered');
  });
});
