/**
 * The Dispersy candidate walker as pure logic (spec §7): candidates and their categories, the candidate table,
 * whom to walk to and whom to introduce, the introduction / puncture state machine, LAN/WAN estimation, WAN voting
 * and NAT classification, and the fast walker. No sockets, no codec, no timers: the community runtime feeds events
 * in, asks for decisions, and sends what it is told to, with an injected {@link Clock} and {@link Random}.
 *
 * @example
 * ```ts
 * import { Walker } from '@dispersy/walker';
 * import { createSeededRandom, systemClock } from '@dispersy/interfaces';
 *
 * const walker = new Walker({ clock: systemClock, random: createSeededRandom(7) }, { lanAddress: endpoint.address });
 * walker.addDiscovered({ host: '130.161.119.206', port: 6421 });
 * const { send, nextStepIn } = walker.step(); // introduction-requests to send; call again in nextStepIn seconds
 * // on a received introduction-request: walker.onIntroductionRequest(source, payload, { memberId })
 * ```
 * @packageDocumentation
 */
export {
  addressKey,
  freezeAddress,
  isValidAddress,
  isZeroAddress,
  parseIPv4,
  sameHost,
  sanitizeAddress,
} from './address.ts';
export {
  CANDIDATE_DISCOVERED_LIFETIME,
  CANDIDATE_ELIGIBLE_BOOTSTRAP_DELAY,
  CANDIDATE_ELIGIBLE_DELAY,
  CANDIDATE_INTRO_LIFETIME,
  CANDIDATE_LIFETIME,
  CANDIDATE_STUMBLE_LIFETIME,
  CANDIDATE_WALK_LIFETIME,
  CATEGORY_PRECEDENCE,
  categoryAt,
  categoryStamp,
  inCategory,
  isEligibleForWalk,
  isVerifiedCategory,
  lastLiveCategory,
  lifetimeOf,
  selectionStamp,
  WALK_REPLY_TIMED_OUT,
  type CandidateCategory,
  type CategoryTimestamps,
} from './categories.ts';
export { WalkCandidate, type CandidateSnapshot, type ConnectionType, type WalkCandidateInit } from './candidate.ts';
export {
  CandidateTable,
  DEFAULT_MAX_CANDIDATES,
  type CandidateReport,
  type CandidateTableInit,
  type CleanupResult,
  type GetCandidateOptions,
  type RemovalReason,
} from './candidate-table.ts';
export {
  drawWalkCandidate,
  selectWalkCandidate,
  STUMBLE_FIRST_BELOW,
  STUMBLE_INTRO_THRESHOLD,
  takeStep,
  WALK_THRESHOLD,
  walkOptions,
  type StepDecision,
  type WalkOptions,
  type WalkStep,
} from './walk-selection.ts';
export {
  canIntroduce,
  INTRODUCE_WALKED_PROBABILITY,
  IntroduceSelector,
  isStrictCandidate,
  RoundRobinCursor,
} from './introduce-selection.ts';
export {
  buildIntroductionRequest,
  buildIntroductionResponse,
  checkIntroductionResponse,
  checkPunctureRequest,
  reachableAddress,
  type IntroductionRequestFields,
  type IntroductionResponseFields,
  type LocalAddresses,
  type PunctureFields,
  type PunctureRequestFields,
} from './introduction.ts';
export {
  DEFAULT_MAX_OUTSTANDING_REQUESTS,
  IDENTIFIER_ATTEMPTS,
  INTRODUCTION_REQUEST_TIMEOUT,
  IntroductionRequests,
  randomIdentifiers,
  type ExpiredRequest,
  type IdentifierSource,
  type IntroductionRequestsComponents,
  type IntroductionRequestsInit,
  type OutstandingRequest,
} from './introduction-requests.ts';
export {
  handleIntroductionRequests,
  handleIntroductionResponses,
  handlePunctureRequest,
  handlePunctures,
  type Incoming,
  type IntroductionRequestHandled,
  type IntroductionResponseHandled,
  type MessageContext,
  type PunctureHandled,
  type PunctureRequestHandled,
  type WalkerParts,
} from './handlers.ts';
export {
  BLACKLISTED_LAN_IPS,
  chooseLanInterface,
  createLanTest,
  estimateAddresses,
  isInLan,
  isRfc1918,
  RFC1918_RANGES,
  type EstimatedAddresses,
  type NetworkInterface,
} from './lan.ts';
export {
  classifyConnection,
  DEFAULT_MAX_VOTED_ADDRESSES,
  DEFAULT_MAX_VOTERS,
  WanVoting,
  type VoteResult,
  type VoteSample,
  type WanChange,
  type WanVotingInit,
} from './wan-voting.ts';
export {
  FAST_WALKER_CANDIDATE_TARGET,
  FAST_WALKER_LOOKAHEAD,
  FAST_WALKER_MAX_NEW_ELIGIBLE_CANDIDATES,
  FAST_WALKER_STEP_INTERVAL,
  FAST_WALKER_STEPS,
  fastWalkerTargets,
  TAKE_STEP_INTERVAL,
  walkerStartDelay,
  type FastWalkerDecision,
  type FastWalkerState,
  type FastWalkStep,
  type StepResult,
} from './fast-walker.ts';
export {
  BOOTSTRAP_FILE_ENV,
  DEFAULT_BOOTSTRAP_FILE,
  DEFAULT_TRACKERS,
  needsResolution,
  NO_WALK_CANDIDATE_RETRY_DELAY,
  parseBootstrapFile,
  TRACKER_INSERT_INTERVAL,
  TRACKER_RESOLVE_INTERVAL,
  type ParsedBootstrapFile,
  type TrackerAddress,
} from './bootstrap.ts';
export {
  isOutgoing,
  type OutgoingIntroductionRequest,
  type OutgoingIntroductionResponse,
  type OutgoingMessage,
  type OutgoingPuncture,
  type OutgoingPunctureRequest,
} from './outgoing.ts';
export { WalkerCounters, type WalkerStatistics } from './statistics.ts';
export { reject, WalkerError, type Rejected, type RejectionReason, type WalkerErrorCode } from './errors.ts';
export { Walker, type WalkerComponents, type WalkerInit } from './walker.ts';
