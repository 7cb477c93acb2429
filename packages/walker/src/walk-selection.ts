/**
 * Choosing whom to walk to (spec §7.4, the original's `dispersy_get_walk_candidate`).
 *
 * 1. Obsolete candidates are removed first (the table's cleanup).
 * 2. Among the eligible candidates, each category offers its OLDEST member: walk by `lastWalk`, stumble by
 *    `lastStumble`, intro by `lastIntro`, discovered by `lastDiscovered` (ties: first in insertion order).
 * 3. Draws `r1, r2` until a candidate comes out (at least one category is non-empty):
 *    - `r1 ≤ 0.475`: walk; else stumble-or-intro (stumble first when `r2 < 0.5`); else discovered;
 *    - `0.475 < r1 ≤ 0.95`: stumble-or-intro (stumble first when `r2 < 0.5`, falling back to the other); else walk;
 *      else discovered;
 *    - `r1 > 0.95`: discovered only (none → draw again).
 *
 * With all four categories present the odds are walk 47.5 %, stumble 23.75 %, intro 23.75 %, discovered 5 % (the
 * original's docs give older figures; the code wins).
 */
import type { Random } from '@dispersy/interfaces';
import type { WalkCandidate } from './candidate.ts';
import type { CandidateTable, CleanupResult } from './candidate-table.ts';
import type { ExpiredRequest } from './introduction-requests.ts';
import type { OutgoingIntroductionRequest } from './outgoing.ts';
import { selectionStamp } from './categories.ts';

/** `r1` at or below this picks the walk category first. */
export const WALK_THRESHOLD = 0.475;
/** `r1` at or below this (and above {@link WALK_THRESHOLD}) picks stumble/intro first; above it, discovered. */
export const STUMBLE_INTRO_THRESHOLD = 0.95;
/** `r2` below this tries stumble before intro. */
export const STUMBLE_FIRST_BELOW = 0.5;

/** The oldest eligible candidate of each category (`null` when the category has none). */
export interface WalkOptions {
  readonly walk: WalkCandidate | null;
  readonly stumble: WalkCandidate | null;
  readonly intro: WalkCandidate | null;
  readonly discovered: WalkCandidate | null;
}

/**
 * Step 2: the oldest eligible candidate per category.
 *
 * @param candidates the candidates, in insertion order
 * @param now current time in seconds
 * @returns one option per category
 * @example
 * ```ts
 * walkOptions(table, now).stumble; // the stumbled candidate we heard from longest ago, if eligible
 * ```
 */
export function walkOptions(candidates: Iterable<WalkCandidate>, now: number): WalkOptions {
  const best = { walk: null, stumble: null, intro: null, discovered: null } as Record<keyof WalkOptions, WalkCandidate | null>;
  const stamps = { walk: Infinity, stumble: Infinity, intro: Infinity, discovered: Infinity };
  for (const candidate of candidates) {
    if (!candidate.isEligibleForWalk(now)) continue;
    const category = candidate.category(now);
    if (category === 'none') continue;
    const stamp = selectionStamp(candidate, category);
    if (best[category] === null || stamp < stamps[category]) {
      best[category] = candidate;
      stamps[category] = stamp;
    }
  }
  return best;
}

/**
 * Step 3: the weighted draw over the options, exactly as the original.
 *
 * @param options the per-category options
 * @param random the injected random source (two draws per round)
 * @returns the chosen candidate, or null when every option is null
 * @example
 * ```ts
 * drawWalkCandidate({ walk: a, stumble: b, intro: null, discovered: null }, rng); // a or b, 50/50
 * ```
 */
export function drawWalkCandidate(options: WalkOptions, random: Random): WalkCandidate | null {
  const { walk, stumble, intro, discovered } = options;
  if (walk === null && stumble === null && intro === null && discovered === null) return null;
  for (;;) {
    const r1 = random.next();
    const r2 = random.next();
    const stumbleOrIntro = r2 < STUMBLE_FIRST_BELOW ? (stumble ?? intro) : (intro ?? stumble);
    let candidate: WalkCandidate | null;
    if (r1 <= WALK_THRESHOLD) candidate = walk ?? stumbleOrIntro ?? discovered;
    else if (r1 <= STUMBLE_INTRO_THRESHOLD) candidate = stumbleOrIntro ?? walk ?? discovered;
    else candidate = discovered;
    if (candidate !== null) return candidate;
  }
}

/**
 * Steps 2–3 without the cleanup: the candidate to walk to among `candidates`.
 *
 * @param candidates the candidates (obsolete ones are skipped)
 * @param now current time in seconds
 * @param random the injected random source
 * @returns the chosen candidate or null
 * @example
 * ```ts
 * selectWalkCandidate(table, clock.now(), rng);
 * ```
 */
export function selectWalkCandidate(candidates: Iterable<WalkCandidate>, now: number, random: Random): WalkCandidate | null {
  return drawWalkCandidate(walkOptions(candidates, now), random);
}

/** The result of {@link takeStep}. */
export interface StepDecision extends CleanupResult {
  /** Whom to send the introduction-request to, or null. */
  readonly candidate: WalkCandidate | null;
}

/**
 * The walker's step decision (spec §7.3–7.4): cleanup, then the weighted choice. Marks nothing: the caller sends
 * the request and calls `candidate.walk(now)` (the {@link Walker} does both).
 *
 * @param table the community's candidate table
 * @param now current time in seconds
 * @param random the injected random source
 * @returns the chosen candidate (or null), the removed candidates and those put on life support
 * @example
 * ```ts
 * const { candidate, keepAlive } = takeStep(table, clock.now(), rng);
 * ```
 */
export function takeStep(table: CandidateTable, now: number, random: Random): StepDecision {
  const cleanup = table.cleanup(now);
  return { ...cleanup, candidate: selectWalkCandidate(table, now, random) };
}

/** What a normal step of the {@link Walker} decided and asks to send. */
export interface WalkStep {
  /** The candidate walked to, or null. */
  readonly target: WalkCandidate | null;
  /** Keep-alive requests first, then the walk's request. */
  readonly send: OutgoingIntroductionRequest[];
  /** Requests that expired since the last call. */
  readonly expired: ExpiredRequest[];
  /** Obsolete candidates removed by the cleanup. */
  readonly removed: WalkCandidate[];
}
