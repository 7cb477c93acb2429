/**
 * Handling the four received walker messages (spec §7.6–7.8), as functions over the walker's parts. The
 * {@link Walker} facade delegates its `on…` methods here; the functions are pure apart from the state they are given
 * (table, votes, outstanding requests, counters) and return what to send instead of sending it.
 */
import type { Address, PacketSource } from '@dispersy/interfaces';
import { isValidAddress, isZeroAddress, sanitizeAddress } from './address.ts';
import type { ConnectionType, WalkCandidate } from './candidate.ts';
import type { CandidateTable } from './candidate-table.ts';
import { reject, type Rejected, type RejectionReason } from './errors.ts';
import type { IntroduceSelector } from './introduce-selection.ts';
import {
  buildIntroductionResponse,
  checkIntroductionResponse,
  checkPunctureRequest,
  reachableAddress,
  type IntroductionRequestFields,
  type IntroductionResponseFields,
  type PunctureFields,
  type PunctureRequestFields,
} from './introduction.ts';
import type { IntroductionRequests, OutstandingRequest } from './introduction-requests.ts';
import { estimateAddresses } from './lan.ts';
import type { OutgoingMessage, OutgoingPuncture } from './outgoing.ts';
import type { WalkerCounters } from './statistics.ts';
import type { WanVoting } from './wan-voting.ts';

/** Facts about a received message besides its payload. */
export interface MessageContext {
  /** The signer's member id (hex), associated with the candidate. */
  readonly memberId?: string;
  /** The message's global time (the candidate keeps the maximum). */
  readonly globalTime?: number;
}

/** One received message of a batch. */
export interface Incoming<P> {
  readonly source: PacketSource;
  readonly payload: P;
  readonly context?: MessageContext;
}

/** An accepted introduction-request: whom we introduced and what to send (response, then puncture-request). */
export interface IntroductionRequestHandled {
  readonly accepted: true;
  readonly candidate: WalkCandidate;
  readonly introduced: WalkCandidate | null;
  readonly send: OutgoingMessage[];
}

/** An accepted introduction-response. */
export interface IntroductionResponseHandled {
  readonly accepted: true;
  readonly candidate: WalkCandidate;
  readonly introduced: WalkCandidate | null;
  readonly request: OutstandingRequest;
}

/** An accepted puncture-request: the puncture to send. */
export interface PunctureRequestHandled {
  readonly accepted: true;
  readonly send: [OutgoingPuncture];
}

/** An accepted puncture. */
export interface PunctureHandled {
  readonly accepted: true;
  readonly candidate: WalkCandidate | null;
  readonly request: OutstandingRequest;
}
/** The walker state a handler works on. */
export interface WalkerParts {
  readonly table: CandidateTable;
  readonly votes: WanVoting;
  readonly requests: IntroductionRequests;
  readonly introduce: IntroduceSelector;
  readonly counters: WalkerCounters;
  readonly isInMyLan: (host: string) => boolean;
  readonly myMemberId: string | undefined;
}

function drop(parts: WalkerParts, reason: RejectionReason): Rejected {
  parts.counters.drop(reason);
  return reject(reason);
}

/** The original's `create_or_update_walkcandidate`: estimate, look up (symmetric-NAT re-home), update or create. */
function observe(
  parts: WalkerParts,
  source: PacketSource,
  lan: Address,
  wan: Address,
  type: ConnectionType,
  context: MessageContext | undefined,
  now: number,
): WalkCandidate {
  const estimated = estimateAddresses(source.address, sanitizeAddress(lan), sanitizeAddress(wan), parts.isInMyLan);
  const candidate = parts.table.upsert({ address: source.address, tunnel: source.tunnel, ...estimated, connectionType: type }, now);
  if (context?.memberId !== undefined) candidate.associate(context.memberId);
  if (context?.globalTime !== undefined) candidate.reportGlobalTime(context.globalTime);
  return candidate;
}

/**
 * B handles a batch of introduction-requests (spec §7.6), like the original: first every requester becomes a
 * stumble candidate (and votes for my WAN address, and is de-duplicated), then each gets its response, so
 * requesters of one batch can be introduced to each other. Per request: the introduction-response to the
 * requester, then — when someone was introduced — the puncture-request to the introduced candidate, naming the
 * requester's SELF-REPORTED LAN/WAN addresses.
 *
 * @param parts the walker's state
 * @param batch the received requests
 * @param now current time in seconds
 * @returns one outcome per request, in order
 * @example
 * ```ts
 * const [outcome] = handleIntroductionRequests(parts, [{ source, payload }], clock.now());
 * ```
 */
export function handleIntroductionRequests(
  parts: WalkerParts,
  batch: readonly Incoming<IntroductionRequestFields>[],
  now: number,
): (IntroductionRequestHandled | Rejected)[] {
  const stage: (WalkCandidate | Rejected)[] = batch.map(({ source, payload, context }) => {
    if (!isValidAddress(source.address)) return drop(parts, 'INVALID_SOURCE');
    if (parts.myMemberId !== undefined && context?.memberId === parts.myMemberId) return drop(parts, 'OWN_MEMBER');
    const candidate = observe(parts, source, payload.sourceLanAddress, payload.sourceWanAddress, payload.connectionType, context, now);
    candidate.stumble(now);
    parts.votes.vote(payload.destinationAddress, candidate.address);
    parts.table.filterDuplicates(candidate, now);
    parts.counters.incomingIntroductionRequests++;
    return candidate;
  });
  const local = { lan: parts.votes.lan, wan: parts.votes.wan, connectionType: parts.votes.connectionType };
  return batch.map(({ payload }, i): IntroductionRequestHandled | Rejected => {
    const candidate = stage[i] as WalkCandidate | Rejected;
    if ('accepted' in candidate) return candidate;
    const introduced = payload.advice ? parts.introduce.select(now, candidate) : null;
    const send: OutgoingMessage[] = [
      {
        kind: 'introduction-response',
        to: candidate.address,
        tunnel: candidate.tunnel,
        payload: buildIntroductionResponse(candidate, local, introduced, payload.identifier),
      },
    ];
    if (introduced !== null) {
      parts.counters.introductionsMade++;
      const fields: PunctureRequestFields = {
        lanWalkerAddress: payload.sourceLanAddress,
        wanWalkerAddress: payload.sourceWanAddress,
        identifier: payload.identifier,
      };
      send.push({ kind: 'puncture-request', to: introduced.address, tunnel: introduced.tunnel, payload: fields });
    }
    return { accepted: true, candidate, introduced, send };
  });
}

/**
 * A handles a batch of introduction-responses (spec §7.8). Checks, in the original's order: the identifier is an
 * outstanding request (else `UNKNOWN_IDENTIFIER`, counted as an invalid response identifier), not used earlier in
 * the batch (`DUPLICATE_IDENTIFIER`, also counted), then the introduced addresses (see
 * `checkIntroductionResponse`). Then the responder becomes a walk candidate (life support ends), is de-duplicated
 * and votes; the introduced peer, when both its addresses are known, becomes an intro candidate at its LAN address
 * if it shares my WAN IP, else at its WAN address.
 *
 * @param parts the walker's state
 * @param batch the received responses
 * @param now current time in seconds
 * @returns one outcome per response, in order
 * @example
 * ```ts
 * const [outcome] = handleIntroductionResponses(parts, [{ source, payload }], clock.now());
 * ```
 */
export function handleIntroductionResponses(
  parts: WalkerParts,
  batch: readonly Incoming<IntroductionResponseFields>[],
  now: number,
): (IntroductionResponseHandled | Rejected)[] {
  const seen = new Set<number>();
  return batch.map(({ source, payload, context }): IntroductionResponseHandled | Rejected => {
    if (!isValidAddress(source.address)) return drop(parts, 'INVALID_SOURCE');
    if (!parts.requests.isOutstanding(payload.identifier, now) || seen.has(payload.identifier)) {
      parts.counters.invalidResponseIdentifier++;
      return drop(parts, seen.has(payload.identifier) ? 'DUPLICATE_IDENTIFIER' : 'UNKNOWN_IDENTIFIER');
    }
    const invalid = checkIntroductionResponse(payload, parts.votes);
    if (invalid !== undefined) return drop(parts, invalid);
    seen.add(payload.identifier);

    const candidate = observe(parts, source, payload.sourceLanAddress, payload.sourceWanAddress, payload.connectionType, context, now);
    candidate.walkResponse(now);
    candidate.leaveLifeSupport();
    parts.table.filterDuplicates(candidate, now);
    parts.votes.vote(payload.destinationAddress, candidate.address);
    parts.counters.walkSuccess++;

    let introduced: WalkCandidate | null = null;
    const lanIntro = payload.lanIntroductionAddress;
    const wanIntro = payload.wanIntroductionAddress;
    if (!isZeroAddress(lanIntro) && !isZeroAddress(wanIntro)) {
      const sock = reachableAddress(lanIntro, wanIntro, parts.votes.wan);
      const { lan, wan } = estimateAddresses(sock, lanIntro, wanIntro, parts.isInMyLan);
      introduced = parts.table.upsert({ address: sock, tunnel: payload.tunnel, lan, wan, connectionType: 'unknown' }, now);
      introduced.intro(now);
      parts.table.filterDuplicates(introduced, now);
    }
    const request = parts.requests.onResponse(payload.identifier, now, introduced ?? undefined) as OutstandingRequest;
    return { accepted: true, candidate, introduced, request };
  });
}

/**
 * C handles a puncture-request (spec §7.8): the checks of `checkPunctureRequest`, then a puncture to the walker's
 * LAN address if it shares my WAN IP, else to its WAN address — or to the known candidate there (symmetric-NAT
 * lookup without replace), with that candidate's tunnel flag (unknown targets: not tunnelled).
 *
 * @param parts the walker's state
 * @param source the packet's source (B)
 * @param payload the request
 * @returns the puncture to send, or the rejection
 * @example
 * ```ts
 * const outcome = handlePunctureRequest(parts, { address: b, tunnel: false }, payload);
 * ```
 */
export function handlePunctureRequest(parts: WalkerParts, source: PacketSource, payload: PunctureRequestFields): PunctureRequestHandled | Rejected {
  if (!isValidAddress(source.address)) return drop(parts, 'INVALID_SOURCE');
  const invalid = checkPunctureRequest(source.address, payload, parts.votes);
  if (invalid !== undefined) return drop(parts, invalid);
  const target = reachableAddress(payload.lanWalkerAddress, payload.wanWalkerAddress, parts.votes.wan);
  const known = parts.table.get(target, { replace: false, lanAddress: payload.lanWalkerAddress });
  const fields: PunctureFields = { sourceLanAddress: parts.votes.lan, sourceWanAddress: parts.votes.wan, identifier: payload.identifier };
  parts.counters.punctureRequestsReceived++;
  const puncture: OutgoingPuncture = { kind: 'puncture', to: known?.address ?? target, tunnel: known?.tunnel ?? false, payload: fields };
  return { accepted: true, send: [puncture] };
}

/**
 * A handles a batch of punctures (spec §7.8): the identifier must be an outstanding request and unique in the
 * batch; when both reported addresses are known, C becomes an intro candidate (connection type unknown).
 *
 * @param parts the walker's state
 * @param batch the received punctures
 * @param now current time in seconds
 * @returns one outcome per puncture, in order
 * @example
 * ```ts
 * const [outcome] = handlePunctures(parts, [{ source, payload }], clock.now());
 * ```
 */
export function handlePunctures(parts: WalkerParts, batch: readonly Incoming<PunctureFields>[], now: number): (PunctureHandled | Rejected)[] {
  const seen = new Set<number>();
  return batch.map(({ source, payload, context }): PunctureHandled | Rejected => {
    if (!isValidAddress(source.address)) return drop(parts, 'INVALID_SOURCE');
    if (seen.has(payload.identifier)) return drop(parts, 'DUPLICATE_IDENTIFIER');
    if (!parts.requests.isOutstanding(payload.identifier, now)) return drop(parts, 'UNKNOWN_IDENTIFIER');
    seen.add(payload.identifier);
    let candidate: WalkCandidate | null = null;
    const lan = sanitizeAddress(payload.sourceLanAddress);
    const wan = sanitizeAddress(payload.sourceWanAddress);
    if (!isZeroAddress(lan) && !isZeroAddress(wan)) {
      candidate = observe(parts, source, lan, wan, 'unknown', context, now);
      candidate.intro(now);
    }
    parts.counters.puncturesReceived++;
    const request = parts.requests.onPuncture(payload.identifier, now, candidate ?? undefined) as OutstandingRequest;
    return { accepted: true, candidate, request };
  });
}
