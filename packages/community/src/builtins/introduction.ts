/**
 * dispersy-introduction-request and dispersy-introduction-response (spec §7.5–7.8, §8.4, §9), run by the
 * community's `@dispersy/walker` {@link Walker}:
 * - request (B): check — walker responses enabled, a valid source address, not signed by my own member, a valid
 *   sync filter (a malformed one is a counted drop with its `BloomError` code); handle — the walker takes the whole
 *   batch (every requester becomes a stumble candidate, votes for my WAN address, is merged with its duplicates;
 *   then each gets its introduction-response, introducing someone by the §7.7 round robin), the runtime sends the
 *   responses, then the puncture-requests, then the sync answers (../sync-responder.ts).
 * - response (A): check — the §7.8 checks in the walker's order: a valid source, an outstanding request with that
 *   identifier (else the counted `invalid_response_identifier`), unique per batch, valid introduced addresses that
 *   are not mine; handle — the walker: the responder enters the walk category, votes, is merged with duplicates;
 *   the introduced peer becomes an intro candidate; a walk success.
 *
 * The checks are the walker's pure functions, so a rejected message is a counted drop (stage `message`, reasons in
 * `WALKER_DROP_REASONS`) before anything changes; the handlers then run the walker's state machine.
 */
import type { IntroductionRequestPayload, IntroductionResponsePayload } from '@dispersy/codec';
import { BloomError } from '@dispersy/bloom';
import type { PacketSource } from '@dispersy/interfaces';
import { checkIntroductionResponse, isValidAddress, type OutgoingMessage, type RejectionReason } from '@dispersy/walker';
import type { Community } from '../community.ts';
import { ACCEPT, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import { answerSyncRequests, loadRequestFilter } from '../sync-responder.ts';
import { incomingOf, recordDiscovered, sendWalkerMessages, walkerDropReason } from '../walker-setup.ts';
import type { BuiltinBehaviour } from './behaviour.ts';

/** Drop reason when the community does not answer walker messages (`enableCandidateWalkerResponses` off). */
export const WALKER_RESPONSES_DISABLED = 'walker_responses_disabled';

/**
 * The received messages of a batch, with their sources (messages without one are ours: never handled).
 * @param messages a batch
 * @returns the messages that have a source, with it
 * @example `c.walker.onPunctures(received(messages).map(({ message, source }) => incomingOf(message, source)))`
 */
export function received<P>(messages: readonly Message<P>[]): { message: Message<P>; source: PacketSource }[] {
  const out: { message: Message<P>; source: PacketSource }[] = [];
  for (const message of messages) if (message.source !== undefined) out.push({ message, source: message.source });
  return out;
}

/**
 * The checks every walker message shares: walker responses on, a usable source address.
 * @param m the message
 * @param c the community
 * @returns the drop verdict, or undefined to go on
 * @example `const common = commonWalkerCheck(m, c); if (common !== undefined) return common;`
 */
export function commonWalkerCheck(m: Message, c: Community): CheckVerdict | undefined {
  if (!c.knobs.enableCandidateWalkerResponses) return dropVerdict(WALKER_RESPONSES_DISABLED);
  if (m.source !== undefined && !isValidAddress(m.source.address)) return dropVerdict(walkerDropReason('INVALID_SOURCE'));
  return undefined;
}

/**
 * Counts a message the walker rejected in the handle phase (its state changed since the check, e.g. a WAN change
 * earlier in the batch made an introduced address mine).
 * @param c the community
 * @param reason the walker's reason
 * @param kind which message
 * @example `if (!outcome.accepted) countRejected(c, outcome.reason, 'response');`
 */
export function countRejected(c: Community, reason: RejectionReason, kind: 'response' | 'puncture' | 'other'): void {
  if (kind === 'response' && (reason === 'UNKNOWN_IDENTIFIER' || reason === 'DUPLICATE_IDENTIFIER')) c.statistics.invalidResponseIdentifier();
  c.statistics.drop('message', walkerDropReason(reason, kind));
}

function checkRequest(m: Message<IntroductionRequestPayload>, c: Community): CheckVerdict {
  const common = commonWalkerCheck(m, c);
  if (common !== undefined) return common;
  const signer = m.members[0];
  if (signer !== undefined && c.isMyMember(signer)) return dropVerdict(walkerDropReason('OWN_MEMBER'));
  if (m.payload.sync !== undefined) {
    try {
      loadRequestFilter(m.payload.sync);
    } catch (err) {
      if (BloomError.is(err)) return dropVerdict(err.code);
      throw err;
    }
  }
  return ACCEPT;
}

/** dispersy-introduction-request: `check_introduction_request` → `on_introduction_request`. */
export const introductionRequestBehaviour: BuiltinBehaviour = {
  check: (messages: readonly Message<IntroductionRequestPayload>[], c: Community) => messages.map((m) => checkRequest(m, c)),
  handle(messages: readonly Message<IntroductionRequestPayload>[], c: Community): void {
    const batch = received(messages);
    const outcomes = c.walker.onIntroductionRequests(batch.map(({ message, source }) => incomingOf(message, source)));
    const responses: OutgoingMessage[] = [];
    const punctureRequests: OutgoingMessage[] = [];
    const answered: Message<IntroductionRequestPayload>[] = [];
    outcomes.forEach((outcome, i) => {
      if (!outcome.accepted) {
        countRejected(c, outcome.reason, 'other');
        return;
      }
      answered.push((batch[i] as (typeof batch)[number]).message);
      for (const out of outcome.send) (out.kind === 'introduction-response' ? responses : punctureRequests).push(out);
    });
    // spec §7.6: every response before any puncture-request
    sendWalkerMessages(c, [...responses, ...punctureRequests]);
    recordDiscovered(c);
    answerSyncRequests(c, answered);
  },
};

/** dispersy-introduction-response: `check_introduction_response` → `on_introduction_response`. */
export const introductionResponseBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<IntroductionResponsePayload>[], c: Community): CheckVerdict[] {
    const seen = new Set<number>();
    const now = c.clock.now();
    return messages.map((m) => {
      const common = commonWalkerCheck(m, c);
      if (common !== undefined) return common;
      const identifier = m.payload.identifier;
      if (!c.walker.requests.isOutstanding(identifier, now) || seen.has(identifier)) {
        c.statistics.invalidResponseIdentifier();
        return dropVerdict(walkerDropReason(seen.has(identifier) ? 'DUPLICATE_IDENTIFIER' : 'UNKNOWN_IDENTIFIER', 'response'));
      }
      const wrong = checkIntroductionResponse(m.payload, c.walker.votes);
      if (wrong !== undefined) return dropVerdict(walkerDropReason(wrong, 'response'));
      seen.add(identifier);
      return ACCEPT;
    });
  },
  handle(messages: readonly Message<IntroductionResponsePayload>[], c: Community): void {
    const batch = received(messages);
    const outcomes = c.walker.onIntroductionResponses(batch.map(({ message, source }) => incomingOf(message, source)));
    let successes = 0;
    for (const outcome of outcomes) {
      if (outcome.accepted) successes++;
      else countRejected(c, outcome.reason, 'response');
    }
    if (successes > 0) c.statistics.walk('success', successes);
    recordDiscovered(c);
  },
};
