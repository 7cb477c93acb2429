/**
 * The Dispersy community runtime (spec §1, §4–§6, §11, §12): the node ({@link Dispersy}) with its endpoint, store,
 * member cache and communities; community definitions and meta-messages with check / handle / undo callbacks; the
 * incoming pipeline (decode → distribution rules → check → store → handle → resume delayed items); the outgoing
 * path (claim global time and sequence number → sign → store → handle → forward); global time, candidates, the
 * permission timeline, delays, the request cache and statistics. Built-in dispersy-* messages are implemented as
 * {@link BuiltinBehaviour}s (a built-in without one is a counted drop); the walker messages, run by each
 * community's `@dispersy/walker` {@link Walker} with the node's shared {@link WanVoting}, carry Bloom-filter sync
 * (`community.takeStep()`, spec §7–§8); tracker mode is {@link createTracker} (§13.2). Test fixtures:
 * `@dispersy/community/testing`.
 *
 * @example
 * ```ts
 * import { Dispersy, defineCommunity, defineCommunityMeta } from '@dispersy/community';
 * import { struct, utf8ToEnd } from '@dispersy/codec';
 *
 * const post = defineCommunityMeta({
 *   name: 'post', id: 1,
 *   authentication: { kind: 'member', encoding: 'default' },
 *   resolution: { kind: 'public' },
 *   distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 },
 *   destination: { kind: 'community', nodeCount: 10 },
 *   payload: struct({ text: utf8ToEnd }),
 *   handle: (messages) => messages.forEach((m) => console.log(m.payload.text)),
 * });
 * const Feed = defineCommunity({ classification: 'FeedCommunity', communityVersion: 2, metas: [post] });
 *
 * const node = new Dispersy({ endpoint, databasePath: 'dispersy.db' });
 * await node.start();
 * const community = node.createCommunity(Feed);
 * community.create('post', { text: 'hello' });
 * await node.stop();
 * ```
 * @packageDocumentation
 */
export { Dispersy } from './node.ts';
export type { CommunityExtension, DispersyInit, VerificationOutcomeCache } from './node-options.ts';
export {
  communityRow,
  storedCommunities,
  type CreateCommunityOptions,
  type JoinCommunityOptions,
  type StoredCommunity,
} from './node-communities.ts';
export { Community, type CommunityInit, type StoredListener } from './community.ts';
export {
  DEFAULT_KNOBS,
  defineCommunity,
  type CommunityDefinition,
  type CommunityDefinitionInit,
  type CommunityKnobs,
} from './community-definition.ts';
export {
  defineCommunityMeta,
  isSyncMeta,
  withCallbacks,
  type AllowSignatureCallback,
  type AnyCommunityMeta,
  type CheckCallback,
  type CommunityMeta,
  type CommunityMetaInit,
  type HandleCallback,
  type MetaCallbacks,
  type UndoCallback,
} from './community-meta.ts';
export { ACCEPT, delayVerdict, dropVerdict, toMessage, type CheckVerdict, type Message, type UndoRecord } from './message.ts';
export type { CreateOptions, Destination, EncodeMessageInput, StoreUpdateForwardOptions } from './outgoing.ts';
export type { IncomingPacket, ReceiveOptions } from './pipeline.ts';
export { createIdentity } from './community-load.ts';
export {
  createAuthorize,
  createDestroyCommunity,
  createDynamicSettings,
  createRevoke,
  createUndo,
  PermissionDeniedError,
  setDynamicResolution,
  type PermissionCreateOptions,
  type UndoTarget,
} from './permission-api.ts';
export {
  authorizeBehaviour,
  checkPermissionMessages,
  checkTimeline,
  checkUndo,
  decodeStoredPacket,
  destroyCommunityBehaviour,
  destroyedPacketOf,
  dynamicSettingsBehaviour,
  handleDynamicSettings,
  handleUndo,
  HARD_KILLED_CLASSIFICATION,
  hardKill,
  hardKilledDefinition,
  hardKillKeep,
  knownMemberId,
  MISSING_MESSAGE_RESPONSE_LIMIT,
  missingMessageBehaviour,
  missingMessagePackets,
  missingProofBehaviour,
  proofPackets,
  revokeBehaviour,
  TIMERANGE_CHUNK,
  undoBehaviour,
  undoMessageOf,
  undoTarget,
  undoTargetMeta,
  updateTimerange,
  type TimerangeOutcome,
} from './builtins/index.ts';
export {
  introductionRequestBehaviour,
  introductionResponseBehaviour,
  mergeRanges,
  missingSequenceBehaviour,
  punctureBehaviour,
  punctureRequestBehaviour,
  WALKER_RESPONSES_DISABLED,
} from './builtins/index.ts';
export {
  createIntroductionRequest,
  noteExpired,
  outstandingRequest,
  scheduleExpiry,
  startWalker,
  takeStep,
  WALKER_EXPIRY_TASK,
  WALKER_TASK,
  type IntroductionRequestOptions,
} from './walk.ts';
export {
  createCommunityWalker,
  INVALID_PUNCTURE_IDENTIFIER,
  localAddresses,
  nodeLanTest,
  rehomeSources,
  WALKER_DROP_REASONS,
  walkerDropReason,
} from './walker-setup.ts';
export {
  TAKE_STEP_INTERVAL,
  Walker,
  WanVoting,
  type ConnectionType,
  type LocalAddresses,
  type NetworkInterface,
  type OutstandingRequest,
} from '@dispersy/walker';
export {
  createTracker,
  DEFAULT_TRACKER_MAX_COMMUNITIES,
  DEFAULT_TRACKER_MAX_IDENTITIES,
  TRACKER_CLASSIFICATION,
  TRACKER_SWEEP_INTERVAL,
  TRACKER_SWEEP_STRIKES,
  TRACKER_UNSUPPORTED,
  TrackerCommunity,
  trackerDefinition,
  type TrackerInit,
} from './tracker.ts';
export {
  claimLargest,
  claimModulo,
  MTU_IP_HEADER,
  newSyncFilter,
  SYNC_PRIORITY,
  syncableMetas,
  syncFilterSize,
  type StrategyState,
  type SyncClaim,
} from './sync-filter.ts';
export {
  claimSyncFilter,
  feedSyncCache,
  SKIP_CURVE,
  SYNC_CACHE_MAX_USES,
  syncRangeOf,
  syncRequesterState,
  type SyncCache,
  type SyncRequesterState,
} from './sync-requester.ts';
export { answerSyncRequests, loadRequestFilter, responderMetas, syncResponse } from './sync-responder.ts';
export { isBuiltinName, runtimeMetas, type RuntimeMeta } from './runtime-meta.ts';
export {
  BUILTIN_BEHAVIOURS,
  DOWNLOAD_MASTER_INTERVAL,
  downloadMasterIdentity,
  genericTimelineCheck,
  identityBehaviour,
  MISSING_IDENTITY_MEMBERS,
  missingIdentityBehaviour,
  sendRequest,
  signatureRequestBehaviour,
  signatureResponseBehaviour,
  type BuiltinBehaviour,
} from './builtins/index.ts';
export {
  completeDoubleSigned,
  createSignatureRequest,
  DEFAULT_SIGNATURE_TIMEOUT,
  SIGNATURE_REQUEST_PREFIX,
  SignatureRequestEntry,
  signatureResponseChanged,
  type SignatureRequestOptions,
  type SignatureResponseCallback,
} from './signature-request.ts';
export { allSignatureChecks, embeddedMessage, verifyAllSignatures } from './embedded-signatures.ts';
export { signRegion, verifyRegion } from './member-region.ts';
export {
  CANDIDATE_DISCOVERED_LIFETIME,
  CANDIDATE_ELIGIBLE_DELAY,
  CANDIDATE_INTRO_LIFETIME,
  CANDIDATE_STUMBLE_LIFETIME,
  CANDIDATE_WALK_LIFETIME,
  DEFAULT_MAX_CANDIDATES,
  WalkCandidate,
  WalkerCandidates,
  type AddCandidateOptions,
  type CandidateCategory,
  type CandidateLike,
  type CandidateSet,
  type CandidateConnectionType,
} from './candidates.ts';
export {
  ACCEPTABLE_GLOBAL_TIME_CACHE,
  DEFAULT_ACCEPTABLE_GLOBAL_TIME_RANGE,
  GlobalTime,
  MAX_GLOBAL_TIME,
  MEDIAN_OPINIONS_NEEDED,
  upperMedian,
  type GlobalTimeInit,
} from './global-time.ts';
export {
  bytesEqual,
  checkBatch,
  compareBytes,
  DISTRIBUTION_DROP_REASONS,
  pruningState,
  type DeletedRow,
  type DistributionContext,
  type DistributionDropReason,
  type DistributionMessage,
  type DistributionOutcome,
  type DistributionStore,
  type DistributionVerdict,
  type StoredRow,
} from './distribution.ts';
export { CommunityStorage, type NewStoredMessage } from './storage.ts';
export { DEFAULT_MEMBER_CACHE_SIZE, MemberDirectory, type MemberEntry } from './members.ts';
export { LruMap } from './lru.ts';
export { Tasks } from './tasks.ts';
export {
  initialGrants,
  reevaluateTimerange,
  Timeline,
  type ApplyResult,
  type CheckOptions,
  type CheckResult,
  type GrantableMeta,
  type MemberId,
  type MetaPermission,
  type PermissionPair,
  type PolicyAt,
  type ProofComparator,
  type TimelineGrant,
  type TimelineInit,
  type TimelineRecord,
  type TimerangeDecision,
  type TimerangeRow,
  type UndoneByMessage,
} from './timeline.ts';
export { applyTimelineRecord, compareProofs, TIMELINE_METAS, timelineRecordOf, type TimelineProof } from './timeline-records.ts';
export {
  DEFAULT_CACHE_TIMEOUT,
  DEFAULT_MAX_CACHES,
  INTRODUCTION_REQUEST_TIMEOUT,
  RANDOM_NUMBER_ATTEMPTS,
  RANDOM_NUMBER_RANGE,
  RequestCache,
  RequestCacheError,
  type RequestCacheComponents,
  type RequestCacheEntry,
  type RequestCacheErrorCode,
  type RequestCacheInit,
} from './request-cache.ts';
export {
  AUTHORIZE_META,
  DEFAULT_MAX_DELAYED,
  DEFAULT_MAX_DELAYED_PER_SOURCE,
  DELAY_EXPIRY,
  DELAY_SWEEP_INTERVAL,
  DelayRegistry,
  DYNAMIC_SETTINGS_META,
  IDENTITY_META,
  type DelayCause,
  type DelayDropReason,
  type DelayedMessage,
  type DelayedPacket,
  type DelayEntry,
  type DelayItem,
  type DelayOutcome,
  type DelayRegistryComponents,
  type DelayRegistryInit,
  type ProcessedRecord,
  type Resumed,
} from './delays.ts';
export {
  DELAY_EVENTS,
  DROP_STAGES,
  Statistics,
  SYNC_BLOOM_EVENTS,
  WALK_EVENTS,
  type DelayEvent,
  type DropStage,
  type StatisticsInit,
  type StatisticsSample,
  type StatisticsSnapshot,
  type SyncBloomEvent,
  type WalkEvent,
} from './statistics.ts';
export { DEFAULT_RECEIVE_BUFFER, EndpointError, MAX_DATAGRAM_BYTES, openUdpEndpoint, type UdpEndpointInit } from './udp-endpoint.ts';
export { BLACKLISTED_ADDRESSES, detectLanAddress, ipv4Interfaces, type NetworkInterfaceLister } from './lan-address.ts';
