/**
 * dispersy-introduction-request and dispersy-introduction-response (spec §7.5–7.8, §8.4, §9):
 * - request (B): check — walker responses enabled, not signed by my own member, a valid sync filter (a malformed
 *   one is a counted drop with its `BloomError` code); handle — every requester becomes a stumble candidate, then
 *   each gets an introduction-response (the introduced peer, or zeros; never itself, see ../simple-walker.ts), then
 *   the introduced peers get puncture-requests, then the sync answers go out (../sync-responder.ts).
 * - response (A): check — an outstanding `introduction-request` cache with that identifier (else the counted drop
 *   `invalid_response_identifier`), unique per batch, introduced addresses valid and not mine; handle — the
 *   responder enters the walk category, the cache learns of the response, an introduced peer becomes an intro
 *   candidate.
 */
import type { IntroductionRequestPayload, IntroductionResponsePayload } from '@dispersy/codec';
import { BloomError } from '@dispersy/bloom';
import { NO_ADDRESS, sameAddress, type Address } from '@dispersy/interfaces';
import type { CandidateLike } from '../candidates.ts';
import type { Community } from '../community.ts';
import { toHex } from '../internal/bytes.ts';
import { ACCEPT, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import {
  candidateAddresses,
  chooseIntroduceCandidate,
  introducedCandidate,
  isNoAddress,
  isValidAddress,
  localAddresses,
  updateFromWalker,
} from '../simple-walker.ts';
import { answerSyncRequests, loadRequestFilter } from '../sync-responder.ts';
import { introductionRequestCache } from '../walk.ts';
import type { BuiltinBehaviour } from './behaviour.ts';

/** Drop reason when the community does not answer walker messages (`enableCandidateWalkerResponses` off). */
export const WALKER_RESPONSES_DISABLED = 'walker_responses_disabled';

/** Records the peer's global time and member on its candidate (the distribution phase only sees known ones). */
function noteSender(candidate: CandidateLike, message: Message): void {
  candidate.reportGlobalTime(message.globalTime);
  const member = message.members[0];
  if (member !== undefined) candidate.associate(toHex(member.mid));
}

function checkRequest(m: Message<IntroductionRequestPayload>, c: Community): CheckVerdict {
  if (!c.knobs.enableCandidateWalkerResponses) return dropVerdict(WALKER_RESPONSES_DISABLED);
  const signer = m.members[0];
  if (signer !== undefined && c.isMyMember(signer)) return dropVerdict('introduction_request_from_self');
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
    const requesters: { message: Message<IntroductionRequestPayload>; candidate: CandidateLike }[] = [];
    for (const m of messages) {
      if (m.source === undefined) continue; // our own request
      const p = m.payload;
      const candidate = updateFromWalker(c, m.source, p.sourceLanAddress, p.sourceWanAddress, p.connectionType, 'stumble');
      if (candidate === undefined) continue;
      noteSender(candidate, m);
      requesters.push({ message: m, candidate });
    }
    const local = localAddresses(c);
    const punctures: { to: CandidateLike; payload: unknown }[] = [];
    for (const { message, candidate } of requesters) {
      const p = message.payload;
      const introduced = p.advice ? chooseIntroduceCandidate(c, candidate) : undefined;
      const at = introduced === undefined ? { lan: NO_ADDRESS, wan: NO_ADDRESS } : candidateAddresses(introduced);
      const response: IntroductionResponsePayload = {
        destinationAddress: candidate.address,
        sourceLanAddress: local.lan,
        sourceWanAddress: local.wan,
        lanIntroductionAddress: at.lan,
        wanIntroductionAddress: at.wan,
        connectionType: local.connectionType,
        tunnel: introduced?.tunnel ?? false,
        identifier: p.identifier,
      };
      c.create('dispersy-introduction-response', response, { destinations: [message.source as NonNullable<typeof message.source>], update: false });
      if (introduced !== undefined) {
        punctures.push({ to: introduced, payload: { lanWalkerAddress: p.sourceLanAddress, wanWalkerAddress: p.sourceWanAddress, identifier: p.identifier } });
      }
    }
    for (const { to, payload } of punctures) c.create('dispersy-puncture-request', payload, { destinations: [to], update: false });
    answerSyncRequests(c, requesters.map((r) => r.message));
  },
};

function checkIntroduced(lan: Address, wan: Address, c: Community): string | undefined {
  const local = localAddresses(c);
  if (!isNoAddress(lan) && !isValidAddress(lan)) return 'invalid_introduction_address';
  if (!isNoAddress(wan)) {
    if (!isValidAddress(wan)) return 'invalid_introduction_address';
    if (sameAddress(wan, local.wan)) return 'introduced_to_myself';
    if (wan.host === local.wan.host && sameAddress(lan, local.lan)) return 'introduced_to_myself';
  } else if (sameAddress(lan, local.lan)) return 'introduced_to_myself';
  return undefined;
}

/** dispersy-introduction-response: `check_introduction_response` → `on_introduction_response`. */
export const introductionResponseBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<IntroductionResponsePayload>[], c: Community): CheckVerdict[] {
    const seen = new Set<number>();
    return messages.map((m) => {
      if (!c.knobs.enableCandidateWalkerResponses) return dropVerdict(WALKER_RESPONSES_DISABLED);
      const p = m.payload;
      if (introductionRequestCache(c, p.identifier) === undefined) {
        c.statistics.invalidResponseIdentifier();
        return dropVerdict('invalid_response_identifier');
      }
      if (seen.has(p.identifier)) return dropVerdict('duplicate_identifier');
      seen.add(p.identifier);
      const wrong = checkIntroduced(p.lanIntroductionAddress, p.wanIntroductionAddress, c);
      return wrong === undefined ? ACCEPT : dropVerdict(wrong);
    });
  },
  handle(messages: readonly Message<IntroductionResponsePayload>[], c: Community): void {
    for (const m of messages) {
      if (m.source === undefined) continue;
      const p = m.payload;
      const cache = introductionRequestCache(c, p.identifier);
      const responder = updateFromWalker(c, m.source, p.sourceLanAddress, p.sourceWanAddress, p.connectionType, 'walk');
      if (responder !== undefined) noteSender(responder, m);
      c.statistics.walk('success');
      if (!isNoAddress(p.lanIntroductionAddress) && !isNoAddress(p.wanIntroductionAddress)) {
        const introduced = introducedCandidate(c, p.lanIntroductionAddress, p.wanIntroductionAddress, p.tunnel);
        if (cache !== undefined) cache.responseCandidate = introduced;
      }
      cache?.onIntroductionResponse();
    }
  },
};
