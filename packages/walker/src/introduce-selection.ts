/**
 * Choosing whom to introduce to a requester (spec §7.7, the original's `dispersy_get_introduce_candidate`).
 *
 * Two endless round-robin cursors run over the candidate table in insertion order: one over the walk category
 * ("walked") and one over the stumble category ("stumbled"). Both are strict: they skip candidates whose LAN or
 * WAN address is unknown (`0.0.0.0:0`), because such a peer cannot be punctured. A cursor yields "nothing" after a
 * full pass without a result. Within one selection, the first value each cursor produced is remembered and meeting
 * it again counts as "nothing", so a selection never loops forever over rejected candidates.
 *
 * Each attempt draws `r`: the walked cursor first when `r ≤ 0.5`, else the stumbled one, then the other if the
 * first gave nothing. A result is rejected (and the loop retried) when it is the requester, when it is tunnelled
 * while the requester is not, or when both are behind symmetric NATs with different WAN IPs.
 */
import type { Random } from '@dispersy/interfaces';
import { isZeroAddress } from './address.ts';
import type { WalkCandidate } from './candidate.ts';
import type { CandidateTable } from './candidate-table.ts';

/** The probability that the walked cursor is tried first (spec §17 "introduce odds"). */
export const INTRODUCE_WALKED_PROBABILITY = 0.5;

/**
 * Strict: both LAN and WAN addresses are known.
 *
 * @param candidate a candidate
 * @returns whether it may be introduced at all
 * @example
 * ```ts
 * isStrictCandidate(new WalkCandidate({ address, wan: NO_ADDRESS })); // false
 * ```
 */
export function isStrictCandidate(candidate: WalkCandidate): boolean {
  return !isZeroAddress(candidate.lan) && !isZeroAddress(candidate.wan);
}

/**
 * The exclusion rules of spec §7.7: `candidate` may be introduced to `requester` unless it is the requester, or it
 * is tunnelled and the requester is not (a non-tunnelled peer could not reach it), or both are behind symmetric
 * NATs with different WAN IPs (their NATs cannot be punctured towards each other).
 *
 * The original's docs also claim "both behind NAT and not in the same LAN" is excluded; the code does not check
 * that, and neither do we.
 *
 * @param candidate the candidate to introduce
 * @param requester the peer asking for an introduction
 * @returns whether the introduction is allowed
 * @example
 * ```ts
 * canIntroduce(tunnelledPeer, plainRequester); // false
 * ```
 */
export function canIntroduce(candidate: WalkCandidate, requester: WalkCandidate): boolean {
  if (candidate === requester || candidate.equals(requester)) return false;
  if (!requester.tunnel && candidate.tunnel) return false;
  if (
    requester.connectionType === 'symmetric-NAT' &&
    candidate.connectionType === 'symmetric-NAT' &&
    requester.wan.host !== candidate.wan.host
  ) {
    return false;
  }
  return true;
}

/**
 * An endless round-robin cursor over the candidates of one category (the original's `_iter_category`, strict).
 *
 * @example
 * ```ts
 * const walked = new RoundRobinCursor(table, 'walk');
 * walked.next(now); // the next walk candidate after the previous one, or null after an empty pass
 * ```
 */
export class RoundRobinCursor {
  readonly #table: CandidateTable;
  readonly #category: 'walk' | 'stumble';
  #last: WalkCandidate | undefined;
  #index = 0;
  #hasResult = false;

  /**
   * @param table the candidate table
   * @param category the category to cycle through
   */
  constructor(table: CandidateTable, category: 'walk' | 'stumble') {
    this.#table = table;
    this.#category = category;
  }

  /**
   * The next candidate of the category in insertion order, wrapping around; null when a full pass found nothing
   * (the next call starts a new pass).
   * @param now current time in seconds
   * @returns a candidate or null
   */
  next(now: number): WalkCandidate | null {
    const list = this.#table.list();
    let start = this.#index;
    if (this.#last !== undefined) {
      const at = list.indexOf(this.#last);
      if (at >= 0) start = at + 1;
    }
    for (let pass = 0; pass < 2; pass++) {
      for (let i = start; i < list.length; i++) {
        const candidate = list[i] as WalkCandidate;
        if (candidate.category(now) === this.#category && isStrictCandidate(candidate)) {
          this.#last = candidate;
          this.#index = i + 1;
          this.#hasResult = true;
          return candidate;
        }
      }
      // end of a pass
      this.#last = undefined;
      this.#index = 0;
      start = 0;
      if (!this.#hasResult) return null;
      this.#hasResult = false;
    }
    return null;
  }
}

/**
 * The introduce selection of one community: the two cursors and the loop of spec §7.7.
 *
 * @example
 * ```ts
 * const selector = new IntroduceSelector(table, random);
 * const introduced = selector.select(now, requester); // WalkCandidate | null
 * ```
 */
export class IntroduceSelector {
  readonly #table: CandidateTable;
  readonly #random: Random;
  readonly #walked: RoundRobinCursor;
  readonly #stumbled: RoundRobinCursor;

  /**
   * @param table the candidate table
   * @param random the injected random source
   */
  constructor(table: CandidateTable, random: Random) {
    this.#table = table;
    this.#random = random;
    this.#walked = new RoundRobinCursor(table, 'walk');
    this.#stumbled = new RoundRobinCursor(table, 'stumble');
  }

  /**
   * Chooses a walk or stumble candidate to introduce, round robin, ≈50 % from each category.
   *
   * Hardening: the original's loop relies on the first-value memory to end; with an adversarial interleaving of the
   * two cursors it could in theory run long, so the attempts are capped at `4 · (table size + 2)` (far above what
   * the round robin needs), after which the answer is null.
   *
   * @param now current time in seconds
   * @param exclude the requester (exclusion rules apply when given)
   * @returns the candidate to introduce, or null
   */
  select(now: number, exclude?: WalkCandidate): WalkCandidate | null {
    let firstWalked: WalkCandidate | null = null;
    let firstStumbled: WalkCandidate | null = null;
    const fromWalked = (): WalkCandidate | null => {
      let result = this.#walked.next(now);
      if (result !== null && result === firstWalked) result = null;
      if (firstWalked === null) firstWalked = result;
      return result;
    };
    const fromStumbled = (): WalkCandidate | null => {
      let result = this.#stumbled.next(now);
      if (result !== null && result === firstStumbled) result = null;
      if (firstStumbled === null) firstStumbled = result;
      return result;
    };
    const maxAttempts = 4 * (this.#table.size + 2);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const walkedFirst = this.#random.next() <= INTRODUCE_WALKED_PROBABILITY;
      let result = walkedFirst ? fromWalked() : fromStumbled();
      if (result === null) result = walkedFirst ? fromStumbled() : fromWalked();
      if (result !== null && exclude !== undefined && !canIntroduce(result, exclude)) continue;
      return result;
    }
    return null;
  }
}
