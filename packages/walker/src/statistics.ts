/**
 * The walker's counters (spec §11.3: `walk_attempt_count`, `walk_success_count`, `walk_failure_count`,
 * `invalid_response_identifier_count`, `total_candidates_discovered`, plus the incoming message counts and the
 * drop reasons).
 */
import type { RejectionReason } from './errors.ts';

/** A snapshot of the walker's counters. */
export interface WalkerStatistics {
  /** Introduction-requests created (normal, fast walker and keep-alive). */
  readonly walkAttempts: number;
  /** Introduction-responses accepted. */
  readonly walkSuccess: number;
  /** Introduction-requests that expired (or were evicted) without a response. */
  readonly walkFailure: number;
  /** Responses dropped for an unknown or repeated identifier. */
  readonly invalidResponseIdentifier: number;
  /** Candidates added to the table. */
  readonly candidatesDiscovered: number;
  /** Keep-alive introduction-requests created. */
  readonly keepAliveRequests: number;
  /** Fast-walker introduction-requests created. */
  readonly fastWalkerRequests: number;
  /** Introduction-requests accepted from others (we were walked to). */
  readonly incomingIntroductionRequests: number;
  /** Introductions made in our responses. */
  readonly introductionsMade: number;
  /** Puncture-requests accepted (a puncture was sent). */
  readonly punctureRequestsReceived: number;
  /** Punctures accepted. */
  readonly puncturesReceived: number;
  /** Dropped walker messages per reason. */
  readonly dropped: Readonly<Partial<Record<RejectionReason, number>>>;
}

/**
 * Mutable counters behind {@link WalkerStatistics} (the {@link Walker} owns one; handlers increment it).
 *
 * @example
 * ```ts
 * const counters = new WalkerCounters();
 * counters.drop('UNKNOWN_IDENTIFIER');
 * counters.snapshot().dropped; // { UNKNOWN_IDENTIFIER: 1 }
 * ```
 */
export class WalkerCounters {
  walkAttempts = 0;
  walkSuccess = 0;
  walkFailure = 0;
  invalidResponseIdentifier = 0;
  candidatesDiscovered = 0;
  keepAliveRequests = 0;
  fastWalkerRequests = 0;
  incomingIntroductionRequests = 0;
  introductionsMade = 0;
  punctureRequestsReceived = 0;
  puncturesReceived = 0;
  readonly dropped: Partial<Record<RejectionReason, number>> = {};

  /**
   * Counts a dropped message.
   * @param reason why it was dropped
   */
  drop(reason: RejectionReason): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  /** @returns a frozen copy */
  snapshot(): WalkerStatistics {
    return Object.freeze({
      walkAttempts: this.walkAttempts,
      walkSuccess: this.walkSuccess,
      walkFailure: this.walkFailure,
      invalidResponseIdentifier: this.invalidResponseIdentifier,
      candidatesDiscovered: this.candidatesDiscovered,
      keepAliveRequests: this.keepAliveRequests,
      fastWalkerRequests: this.fastWalkerRequests,
      incomingIntroductionRequests: this.incomingIntroductionRequests,
      introductionsMade: this.introductionsMade,
      punctureRequestsReceived: this.punctureRequestsReceived,
      puncturesReceived: this.puncturesReceived,
      dropped: Object.freeze({ ...this.dropped }),
    });
  }
}
