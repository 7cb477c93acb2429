/**
 * Walk scheduling constants and the fast walker's decision (spec §7.3).
 *
 * The normal walker takes one step every {@link TAKE_STEP_INTERVAL} seconds (see `takeStep` in walk-selection.ts).
 * The optional fast walker (`dispersy_enable_fast_candidate_walker`, default off) runs first: every
 * {@link FAST_WALKER_STEP_INTERVAL} seconds, for at most {@link FAST_WALKER_STEPS} steps, while there are at most
 * {@link FAST_WALKER_CANDIDATE_TARGET} verified candidates, it sends introduction-requests (without sync) to ALL
 * candidates that would be eligible a little in the future (`now + uniform(20, 27.5)`, drawn per candidate), then
 * hands over to the normal walker. The runtime owns the timers; this module only decides.
 */
import type { Random } from '@dispersy/interfaces';
import type { WalkCandidate } from './candidate.ts';
import type { ExpiredRequest } from './introduction-requests.ts';
import type { OutgoingIntroductionRequest } from './outgoing.ts';

/** Seconds between two normal walker steps (`TAKE_STEP_INTERVAL`). */
export const TAKE_STEP_INTERVAL = 5;
/** Seconds between two fast walker steps. */
export const FAST_WALKER_STEP_INTERVAL = 2.0;
/** Number of fast walker steps before switching to the normal walker. */
export const FAST_WALKER_STEPS = 15;
/** The fast walker stops once there are MORE than this many verified candidates. */
export const FAST_WALKER_CANDIDATE_TARGET = 15;
/** Defined by the original but unused there (spec §7.3); exported for reference only. */
export const FAST_WALKER_MAX_NEW_ELIGIBLE_CANDIDATES = 10;
/** The eligibility look-ahead of the fast walker: `uniform(min, max)` seconds. */
export const FAST_WALKER_LOOKAHEAD: readonly [number, number] = Object.freeze([20, 27.5] as const) as readonly [number, number];

/**
 * When a community starts walking after it is loaded (spec §7.3): `database_id mod 3` seconds, spreading the
 * first steps of a node's communities over three seconds.
 *
 * @param databaseId the community's database row id (a non-negative integer)
 * @returns the delay in seconds: 0, 1 or 2
 * @throws RangeError when `databaseId` is not a non-negative integer
 * @example
 * ```ts
 * walkerStartDelay(7); // 1
 * ```
 */
export function walkerStartDelay(databaseId: number): number {
  if (!Number.isInteger(databaseId) || databaseId < 0) throw new RangeError(`databaseId must be a non-negative integer, got ${databaseId}`);
  return databaseId % 3;
}

/** The fast walker's progress. */
export interface FastWalkerState {
  /** Fast steps taken so far. */
  readonly stepsTaken: number;
}

/** The decision of one fast walker step. */
export interface FastWalkerDecision {
  /** Send an introduction-request (no sync) to each of these. */
  readonly targets: WalkCandidate[];
  /** The state after this step. */
  readonly state: FastWalkerState;
  /** True when the fast walker is finished: switch to the normal walker (from now on, or after this step). */
  readonly done: boolean;
}

/**
 * One fast walker step (spec §7.3), pure.
 *
 * If more than {@link FAST_WALKER_CANDIDATE_TARGET} candidates are verified, the step does nothing and reports
 * `done`. Otherwise every candidate eligible at `now + uniform(20, 27.5)` (one draw per candidate, as the original)
 * is a target, the step counter advances, and `done` is reported after the {@link FAST_WALKER_STEPS}-th step.
 *
 * @param now current time in seconds
 * @param candidates the community's candidates
 * @param verifiedCount the number of verified (walk or stumble) candidates now
 * @param random the injected random source
 * @param state the progress so far @default { stepsTaken: 0 }
 * @returns the targets, the new state and whether to switch to the normal walker
 * @example
 * ```ts
 * let state = { stepsTaken: 0 };
 * const step = fastWalkerTargets(clock.now(), table, table.verifiedCandidates(clock.now()).length, rng, state);
 * state = step.state; // schedule the next step in 2 s unless step.done
 * ```
 */
export function fastWalkerTargets(
  now: number,
  candidates: Iterable<WalkCandidate>,
  verifiedCount: number,
  random: Random,
  state: FastWalkerState = { stepsTaken: 0 },
): FastWalkerDecision {
  if (verifiedCount > FAST_WALKER_CANDIDATE_TARGET || state.stepsTaken >= FAST_WALKER_STEPS) {
    return { targets: [], state, done: true };
  }
  const [low, high] = FAST_WALKER_LOOKAHEAD;
  const targets: WalkCandidate[] = [];
  for (const candidate of candidates) {
    const lookahead = low + random.next() * (high - low);
    if (candidate.isEligibleForWalk(now + lookahead)) targets.push(candidate);
  }
  const stepsTaken = state.stepsTaken + 1;
  return { targets, state: { stepsTaken }, done: stepsTaken >= FAST_WALKER_STEPS };
}

/** What a fast-walker step decided. */
export interface FastWalkStep {
  readonly targets: WalkCandidate[];
  readonly send: OutgoingIntroductionRequest[];
  readonly expired: ExpiredRequest[];
  /** The fast walker has finished; the normal walker takes over. */
  readonly done: boolean;
}

/** What {@link Walker.step} did. */
export interface StepResult {
  readonly mode: 'fast' | 'normal';
  readonly send: OutgoingIntroductionRequest[];
  readonly expired: ExpiredRequest[];
  /** Seconds until the runtime should call {@link Walker.step} again (2 while fast, then 5). */
  readonly nextStepIn: number;
}
