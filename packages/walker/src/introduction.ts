/**
 * The introduction state machine as data and pure functions (spec §7.5–7.8, §11.1).
 *
 * A walk is four messages: A → B introduction-request; B → A introduction-response naming C; B → C
 * puncture-request naming A; C → A puncture (which opens C's NAT towards A). This module holds the payload
 * fields (structurally identical to `@dispersy/codec`'s payloads, so decoded payloads can be passed in as they
 * are), the checks of spec §7.8 and the builders of outgoing payloads. A's outstanding requests live in
 * introduction-requests.ts; the {@link Walker} composes both.
 */
import type { Address } from '@dispersy/interfaces';
import { NO_ADDRESS } from '@dispersy/interfaces';
import { isValidAddress, isZeroAddress, sameHost } from './address.ts';
import type { ConnectionType, WalkCandidate } from './candidate.ts';
import type { RejectionReason } from './errors.ts';


/** dispersy-introduction-request fields the walker reads and writes (the sync range is the runtime's). */
export interface IntroductionRequestFields {
  /** The receiver's address as the sender sees it: a WAN vote. */
  readonly destinationAddress: Address;
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  /** The requester wants an introduction. */
  readonly advice: boolean;
  readonly connectionType: ConnectionType;
  readonly identifier: number;
}

/** dispersy-introduction-response fields. */
export interface IntroductionResponseFields {
  /** The requester's address as the responder sees it: a WAN vote. */
  readonly destinationAddress: Address;
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  /** The introduced peer's LAN address, or `0.0.0.0:0`. */
  readonly lanIntroductionAddress: Address;
  /** The introduced peer's WAN address, or `0.0.0.0:0`. */
  readonly wanIntroductionAddress: Address;
  readonly connectionType: ConnectionType;
  /** The introduced peer is tunnelled. */
  readonly tunnel: boolean;
  readonly identifier: number;
}

/** dispersy-puncture-request fields: the walker (requester) as it reported itself. */
export interface PunctureRequestFields {
  readonly lanWalkerAddress: Address;
  readonly wanWalkerAddress: Address;
  readonly identifier: number;
}

/** dispersy-puncture fields. */
export interface PunctureFields {
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  readonly identifier: number;
}

/** My addresses and connection type, as put into outgoing payloads. */
export interface LocalAddresses {
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
}

/**
 * The address checks of A's `check_introduction_response` (spec §7.8; the identifier checks are the tracker's).
 *
 * @param payload the response
 * @param me my LAN and WAN addresses
 * @returns the failed check, or undefined when the response may be processed
 * @example
 * ```ts
 * checkIntroductionResponse({ ...response, wanIntroductionAddress: me.wan }, me); // 'INTRODUCED_MY_WAN'
 * ```
 */
export function checkIntroductionResponse(
  payload: Pick<IntroductionResponseFields, 'lanIntroductionAddress' | 'wanIntroductionAddress'>,
  me: Pick<LocalAddresses, 'lan' | 'wan'>,
): RejectionReason | undefined {
  const lan = payload.lanIntroductionAddress;
  const wan = payload.wanIntroductionAddress;
  if (!isZeroAddress(lan) && !isValidAddress(lan)) return 'INVALID_LAN_INTRODUCTION';
  if (!isZeroAddress(wan)) {
    if (!isValidAddress(wan)) return 'INVALID_WAN_INTRODUCTION';
    if (wan.host === me.wan.host && wan.port === me.wan.port) return 'INTRODUCED_MY_WAN';
    if (sameHost(wan, me.wan) && lan.host === me.lan.host && lan.port === me.lan.port) return 'INTRODUCED_MY_LAN';
  } else if (!isZeroAddress(lan) && lan.host === me.lan.host && lan.port === me.lan.port) {
    return 'INTRODUCED_MY_LAN';
  }
  return undefined;
}

/**
 * C's `check_puncture_request` (spec §7.8).
 *
 * @param source the puncture-request's UDP source (B)
 * @param payload the request
 * @param me my LAN and WAN addresses
 * @returns the failed check, or undefined when C should puncture
 * @example
 * ```ts
 * checkPunctureRequest(b, { lanWalkerAddress: b, wanWalkerAddress: a, identifier: 1 }, me); // 'PUNCTURE_HERSELF_LAN'
 * ```
 */
export function checkPunctureRequest(
  source: Address,
  payload: PunctureRequestFields,
  me: Pick<LocalAddresses, 'lan' | 'wan'>,
): RejectionReason | undefined {
  const lan = payload.lanWalkerAddress;
  const wan = payload.wanWalkerAddress;
  const is = (a: Address, b: Address): boolean => a.host === b.host && a.port === b.port;
  if (is(lan, source)) return 'PUNCTURE_HERSELF_LAN';
  if (is(wan, source)) return 'PUNCTURE_HERSELF_WAN';
  if (!isValidAddress(lan)) return 'INVALID_LAN_WALKER';
  if (!isValidAddress(wan)) return 'INVALID_WAN_WALKER';
  if (is(wan, me.wan)) return 'PUNCTURE_MYSELF_WAN';
  if (sameHost(wan, me.wan) && is(lan, me.lan)) return 'PUNCTURE_MYSELF_LAN';
  return undefined;
}

/**
 * Which of a peer's two addresses to use: its LAN address when its WAN IP is mine (we are behind the same NAT),
 * else its WAN address. Used for the introduced candidate (spec §7.8 A) and the puncture target (§7.8 C).
 *
 * @param lan the peer's LAN address
 * @param wan the peer's WAN address
 * @param myWan my WAN address
 * @returns the address to reach it at
 * @example
 * ```ts
 * reachableAddress(lan, { host: myWan.host, port: 9 }, myWan) === lan; // true
 * ```
 */
export function reachableAddress(lan: Address, wan: Address, myWan: Address): Address {
  return sameHost(wan, myWan) ? lan : wan;
}

/**
 * The fields of an introduction-request (spec §7.5): destination = the candidate's socket address, my LAN/WAN and
 * connection type, advice (always true for walks, false for keep-alives), the request's identifier.
 *
 * @param destination the candidate walked to
 * @param me my addresses and connection type
 * @param identifier the outstanding request's identifier
 * @param advice whether to ask for an introduction @default true
 * @returns the payload fields
 * @example
 * ```ts
 * buildIntroductionRequest(candidate, walker.local, request.identifier);
 * ```
 */
export function buildIntroductionRequest(destination: WalkCandidate, me: LocalAddresses, identifier: number, advice = true): IntroductionRequestFields {
  return {
    destinationAddress: destination.address,
    sourceLanAddress: me.lan,
    sourceWanAddress: me.wan,
    advice,
    connectionType: me.connectionType,
    identifier,
  };
}

/**
 * B's introduction-response (spec §7.6): to the requester's socket address, my LAN/WAN and connection type, the
 * introduced candidate's LAN/WAN and tunnel flag (zeros and false when nobody is introduced), the identifier.
 *
 * @param requester the requesting candidate
 * @param me my addresses and connection type
 * @param introduced the candidate introduced, or null
 * @param identifier the request's identifier
 * @returns the payload fields
 * @example
 * ```ts
 * buildIntroductionResponse(requester, me, null, 42).lanIntroductionAddress; // 0.0.0.0:0
 * ```
 */
export function buildIntroductionResponse(
  requester: WalkCandidate,
  me: LocalAddresses,
  introduced: WalkCandidate | null,
  identifier: number,
): IntroductionResponseFields {
  return {
    destinationAddress: requester.address,
    sourceLanAddress: me.lan,
    sourceWanAddress: me.wan,
    lanIntroductionAddress: introduced?.lan ?? NO_ADDRESS,
    wanIntroductionAddress: introduced?.wan ?? NO_ADDRESS,
    connectionType: me.connectionType,
    tunnel: introduced?.tunnel ?? false,
    identifier,
  };
}
