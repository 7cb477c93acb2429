/**
 * Candidate categories, lifetimes and walk eligibility (spec §7.2, original `candidate.py`).
 *
 * A candidate is in the first of these categories whose timestamp is recent enough (precedence
 * walk > stumble > intro > discovered), otherwise `'none'` (obsolete, removed by the next cleanup):
 *
 * | category | while | set by |
 * | --- | --- | --- |
 * | walk | `now < lastWalkReply + 57.5` | an introduction-response from it |
 * | stumble | `now < lastStumble + 57.5` | an introduction-request from it |
 * | intro | `now < lastIntro + 27.5` | an introduction naming it, or its puncture |
 * | discovered | `now < lastDiscovered + 57.5` | bootstrap / discovery |
 *
 * The lifetimes are 2.5 s below the ~60 s / ~30 s a NAT keeps a UDP mapping open, leaving room for the 5 s walk
 * cycle and round trips.
 *
 * Timestamps ≤ 0 mean "never" (the original starts every timestamp at 0.0 and marks a timed-out walk with −1.0; it
 * relies on epoch time being large). Treating them as "never" keeps the rules correct for clocks that start near 0.
 */

/** Seconds a candidate stays in the walk category after its introduction-response (`CANDIDATE_WALK_LIFETIME`). */
export const CANDIDATE_WALK_LIFETIME = 57.5;
/** Seconds a candidate stays in the stumble category after its introduction-request (`CANDIDATE_STUMBLE_LIFETIME`). */
export const CANDIDATE_STUMBLE_LIFETIME = 57.5;
/** Seconds a candidate stays in the intro category after an introduction or puncture (`CANDIDATE_INTRO_LIFETIME`). */
export const CANDIDATE_INTRO_LIFETIME = 27.5;
/** Seconds a candidate stays in the discovered category (`CANDIDATE_DISCOVERED_LIFETIME`). */
export const CANDIDATE_DISCOVERED_LIFETIME = 57.5;
/** A candidate may be walked to again only `CANDIDATE_ELIGIBLE_DELAY` seconds after the previous walk. */
export const CANDIDATE_ELIGIBLE_DELAY = 27.5;
/**
 * Defined by the original but **unused** in its code (spec §15 quirk 10; the docs claim trackers use it). Exported
 * for reference only: this package does not use it either.
 */
export const CANDIDATE_ELIGIBLE_BOOTSTRAP_DELAY = 57.5;
/**
 * The original's 3-minute candidate lifetime: **unused** in its code (spec §15 quirk 10; only tests reference it).
 * Obsolescence is decided by the category lifetimes above. Exported for reference only.
 */
export const CANDIDATE_LIFETIME = 180.0;
/** The value `lastWalkReply` takes when an introduction-request times out (spec §7.2, §11.1). */
export const WALK_REPLY_TIMED_OUT = -1;

/** A candidate's category; `'none'` means obsolete (the original's `None`). */
export type CandidateCategory = 'walk' | 'stumble' | 'intro' | 'discovered' | 'none';

/** The four live categories in precedence order. */
export const CATEGORY_PRECEDENCE: readonly ['walk', 'stumble', 'intro', 'discovered'] = Object.freeze([
  'walk',
  'stumble',
  'intro',
  'discovered',
] as const);

/** The timestamps that decide a candidate's category and eligibility (seconds, ≤ 0 = never). */
export interface CategoryTimestamps {
  /** When we last sent it an introduction-request. */
  readonly lastWalk: number;
  /** When its last introduction-response arrived; −1 after a timeout. */
  readonly lastWalkReply: number;
  /** When its last introduction-request arrived. */
  readonly lastStumble: number;
  /** When it was last introduced to us (or its puncture arrived). */
  readonly lastIntro: number;
  /** When it was last discovered (bootstrap, discovery community). */
  readonly lastDiscovered: number;
}

/**
 * The lifetime of a live category.
 *
 * @param category a live category
 * @returns seconds
 * @example
 * ```ts
 * lifetimeOf('intro'); // 27.5
 * ```
 */
export function lifetimeOf(category: Exclude<CandidateCategory, 'none'>): number {
  switch (category) {
    case 'walk':
      return CANDIDATE_WALK_LIFETIME;
    case 'stumble':
      return CANDIDATE_STUMBLE_LIFETIME;
    case 'intro':
      return CANDIDATE_INTRO_LIFETIME;
    case 'discovered':
      return CANDIDATE_DISCOVERED_LIFETIME;
  }
}

/**
 * The timestamp that puts a candidate in `category` (walk: `lastWalkReply`, stumble: `lastStumble`, …).
 *
 * @param ts the candidate's timestamps
 * @param category a live category
 * @returns that timestamp
 * @example
 * ```ts
 * categoryStamp(candidate, 'walk') === candidate.lastWalkReply; // true
 * ```
 */
export function categoryStamp(ts: CategoryTimestamps, category: Exclude<CandidateCategory, 'none'>): number {
  switch (category) {
    case 'walk':
      return ts.lastWalkReply;
    case 'stumble':
      return ts.lastStumble;
    case 'intro':
      return ts.lastIntro;
    case 'discovered':
      return ts.lastDiscovered;
  }
}

/**
 * The timestamp walk selection orders a category by (spec §7.4 step 2): the OLDEST is chosen. Note that the walk
 * category is ordered by `lastWalk` (when we last walked to it), not by `lastWalkReply`.
 *
 * @param ts the candidate's timestamps
 * @param category a live category
 * @returns the ordering timestamp
 * @example
 * ```ts
 * selectionStamp(candidate, 'walk') === candidate.lastWalk; // true
 * ```
 */
export function selectionStamp(ts: CategoryTimestamps, category: Exclude<CandidateCategory, 'none'>): number {
  return category === 'walk' ? ts.lastWalk : categoryStamp(ts, category);
}

/**
 * Whether `category` is active at `now`: its timestamp is set (> 0) and `now < stamp + lifetime`.
 *
 * @param ts the candidate's timestamps
 * @param category a live category
 * @param now current time in seconds
 * @returns whether the candidate qualifies for that category (ignoring precedence)
 * @example
 * ```ts
 * inCategory({ ...zero, lastIntro: 1000 }, 'intro', 1027.4); // true
 * ```
 */
export function inCategory(ts: CategoryTimestamps, category: Exclude<CandidateCategory, 'none'>, now: number): boolean {
  const stamp = categoryStamp(ts, category);
  return stamp > 0 && now < stamp + lifetimeOf(category);
}

/**
 * The category at `now` (spec §7.2): the first active one in precedence order, else `'none'`.
 *
 * @param ts the candidate's timestamps
 * @param now current time in seconds
 * @returns the category
 * @example
 * ```ts
 * categoryAt({ lastWalk: 0, lastWalkReply: 1000, lastStumble: 1000, lastIntro: 0, lastDiscovered: 0 }, 1057.4); // 'walk'
 * categoryAt({ lastWalk: 0, lastWalkReply: 1000, lastStumble: 0, lastIntro: 0, lastDiscovered: 0 }, 1057.5); // 'none'
 * ```
 */
export function categoryAt(ts: CategoryTimestamps, now: number): CandidateCategory {
  for (const category of CATEGORY_PRECEDENCE) {
    if (inCategory(ts, category, now)) return category;
  }
  return 'none';
}

/**
 * Walk eligibility (spec §7.2): `lastWalk + 27.5 ≤ now` **and** the category is not `'none'`.
 *
 * Quirk 4 (spec §15): the original compares the category with the string `"none"` while `get_category` returns
 * `None`, so its second condition never excludes anything; it does not matter there because obsolete candidates are
 * removed before selection. We implement the intended check, which gives the same results and is also correct
 * when called without a cleanup first. A candidate never walked to (`lastWalk ≤ 0`) passes the delay check.
 *
 * @param ts the candidate's timestamps
 * @param now current time in seconds (the fast walker passes a time in the future)
 * @returns whether we may send it an introduction-request now
 * @example
 * ```ts
 * isEligibleForWalk({ ...stumbled, lastWalk: 1000 }, 1027.4); // false
 * isEligibleForWalk({ ...stumbled, lastWalk: 1000 }, 1027.5); // true
 * ```
 */
export function isEligibleForWalk(ts: CategoryTimestamps, now: number): boolean {
  return (ts.lastWalk <= 0 || ts.lastWalk + CANDIDATE_ELIGIBLE_DELAY <= now) && categoryAt(ts, now) !== 'none';
}

/**
 * Whether a category counts as verified (walk or stumble: we exchanged packets both ways), as
 * `dispersy_yield_verified_candidates` does.
 *
 * @param category a category
 * @returns true for walk and stumble
 * @example
 * ```ts
 * isVerifiedCategory('intro'); // false
 * ```
 */
export function isVerifiedCategory(category: CandidateCategory): boolean {
  return category === 'walk' || category === 'stumble';
}

/**
 * The category a candidate had just before it became obsolete: the live category whose timestamp expires last
 * (ties by precedence), or `'none'` when no category timestamp was ever set. Used by the keep-alive life support.
 *
 * @param ts the candidate's timestamps
 * @returns the last category it was in
 * @example
 * ```ts
 * lastLiveCategory({ lastWalk: 0, lastWalkReply: 1000, lastStumble: 1010, lastIntro: 0, lastDiscovered: 0 }); // 'stumble'
 * ```
 */
export function lastLiveCategory(ts: CategoryTimestamps): CandidateCategory {
  let best: CandidateCategory = 'none';
  let bestExpiry = -Infinity;
  for (const category of CATEGORY_PRECEDENCE) {
    const stamp = categoryStamp(ts, category);
    if (stamp <= 0) continue;
    const expiry = stamp + lifetimeOf(category);
    if (expiry > bestExpiry) {
      best = category;
      bestExpiry = expiry;
    }
  }
  return best;
}
