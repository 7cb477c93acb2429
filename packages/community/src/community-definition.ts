/**
 * A community definition: classification, community version, its own meta-messages and the overridable knobs of
 * spec §12.1 (same defaults), plus the bounds this project adds (architecture.md "Bounded resources").
 */
import { dispersyMessages, type AnyMeta } from '@dispersy/codec';
import type { Community, CommunityInit } from './community.ts';
import type { AnyCommunityMeta } from './community-meta.ts';

/** The overridable settings of a community (spec §12.1 and the bounds of this runtime). */
export interface CommunityKnobs {
  /** `dispersy_enable_candidate_walker`. @default true */
  readonly enableCandidateWalker: boolean;
  /** `dispersy_enable_candidate_walker_responses`. @default enableCandidateWalker */
  readonly enableCandidateWalkerResponses: boolean;
  /** `dispersy_enable_fast_candidate_walker`. @default false */
  readonly enableFastCandidateWalker: boolean;
  /** `dispersy_enable_bloom_filter_sync` (off: every global time is acceptable). @default true */
  readonly enableBloomFilterSync: boolean;
  /** `dispersy_sync_bloom_filter_error_rate`. @default 0.01 */
  readonly syncBloomFilterErrorRate: number;
  /** `dispersy_sync_bloom_filter_bits`; undefined → sized per `syncFilterSizing` for my key. @default undefined */
  readonly syncBloomFilterBits: number | undefined;
  /**
   * How sync filters are sized when `syncBloomFilterBits` is not set: `'mtu'` counts the introduction-request's
   * real header, authentication and signature lengths so every request fits a 1,500-byte MTU with a 20-byte IP
   * and an 8-byte UDP header (and a tunnel prefix); `'original'` keeps the original's formula (spec §8.2), which
   * assumed a 20-byte member id. @default 'mtu'
   */
  readonly syncFilterSizing: 'mtu' | 'original';
  /** `dispersy_sync_bloom_filter_strategy`. @default 'largest' */
  readonly syncBloomFilterStrategy: 'largest' | 'modulo';
  /** `dispersy_sync_skip_enable`. @default true */
  readonly syncSkipEnable: boolean;
  /** `dispersy_sync_cache_enable`. @default true */
  readonly syncCacheEnable: boolean;
  /** `dispersy_sync_response_limit` in bytes. @default 5120 */
  readonly syncResponseLimit: number;
  /** `dispersy_missing_sequence_response_limit` in bytes. @default 10240 */
  readonly missingSequenceResponseLimit: number;
  /** `dispersy_acceptable_global_time_range`. @default 10000 */
  readonly acceptableGlobalTimeRange: number;
  /** `dispersy_auto_download_master_member`: ask verified candidates for the master's identity every 15 s. @default true */
  readonly autoDownloadMasterMember: boolean;
  /** The community row's auto-load flag when first stored. @default true */
  readonly autoLoad: boolean;
  /** Bound of the candidate table. @default 1000 */
  readonly maxCandidates: number;
  /** Bound of delayed items per source address. @default 64 */
  readonly maxDelayedPerSource: number;
  /** Bound of delayed items in the community. @default 1024 */
  readonly maxDelayed: number;
  /** Bound of outstanding request-cache entries. @default 10000 */
  readonly maxRequestCaches: number;
  /** Bound of the per-community cache of members whose identity is known. @default 4096 */
  readonly identityCacheSize: number;
  /** Bound of packets waiting in one meta's batch window; a full batch is processed at once. @default 10000 */
  readonly maxBatchSize: number;
}

/** The defaults of {@link CommunityKnobs}. */
export const DEFAULT_KNOBS: CommunityKnobs = Object.freeze({
  enableCandidateWalker: true,
  enableCandidateWalkerResponses: true,
  enableFastCandidateWalker: false,
  enableBloomFilterSync: true,
  syncBloomFilterErrorRate: 0.01,
  syncBloomFilterBits: undefined,
  syncFilterSizing: 'mtu',
  syncBloomFilterStrategy: 'largest',
  syncSkipEnable: true,
  syncCacheEnable: true,
  syncResponseLimit: 5 * 1024,
  missingSequenceResponseLimit: 10 * 1024,
  acceptableGlobalTimeRange: 10_000,
  autoDownloadMasterMember: true,
  autoLoad: true,
  maxCandidates: 1000,
  maxDelayedPerSource: 64,
  maxDelayed: 1024,
  maxRequestCaches: 10_000,
  identityCacheSize: 4096,
  maxBatchSize: 10_000,
});

/**
 * A community type: how to build, load and run communities of one classification.
 * @typeParam C the community class (a subclass of {@link Community} when the definition has a `create` factory)
 */
export interface CommunityDefinition<C extends Community = Community> {
  /** Stored in the community row; picks the definition when loading (the original's class name). */
  readonly classification: string;
  /** The community version byte of the conversion, 1..254 (0 is the original's DefaultConversion). */
  readonly communityVersion: number;
  /**
   * The community's own meta-messages. A meta named like a built-in dispersy-* meta replaces it; the other
   * built-ins are always present.
   */
  readonly metas: readonly AnyCommunityMeta[];
  /** Knob overrides. */
  readonly knobs: CommunityKnobs;
  /**
   * Also decode community version 0x00 packets (the original's `DefaultConversion`, built-ins only, sha1 member
   * encoding). Outgoing messages always use `communityVersion` (spec §2.2). @default true
   */
  readonly acceptDefaultConversion: boolean;
  /** Builds the community object (a subclass); the default builds a plain {@link Community}. */
  readonly create?: (init: CommunityInit) => C;
}

/** What {@link defineCommunity} accepts. */
export interface CommunityDefinitionInit<C extends Community = Community> {
  readonly classification: string;
  readonly communityVersion: number;
  readonly metas: readonly AnyCommunityMeta[];
  readonly knobs?: Partial<CommunityKnobs>;
  readonly acceptDefaultConversion?: boolean;
  readonly create?: (init: CommunityInit) => C;
}

/**
 * Validates a community definition.
 * @param init classification, version, metas, knobs, factory
 * @returns the frozen definition
 * @throws TypeError for a malformed field or two metas sharing a name or an id (own or built-in);
 *   RangeError for a community version outside 1..254 or a knob out of range
 * @example
 * ```ts
 * const Feed = defineCommunity({ classification: 'FeedCommunity', communityVersion: 2, metas: [post] });
 * const community = node.createCommunity(Feed);
 * ```
 */
export function defineCommunity<C extends Community = Community>(init: CommunityDefinitionInit<C>): CommunityDefinition<C> {
  if (typeof init !== 'object' || init === null) throw new TypeError('definition must be an object');
  if (typeof init.classification !== 'string' || init.classification.length === 0) {
    throw new TypeError('classification must be a non-empty string');
  }
  if (!Number.isInteger(init.communityVersion) || init.communityVersion < 1 || init.communityVersion > 254) {
    throw new RangeError(`communityVersion must be an integer in 1..254, got ${String(init.communityVersion)}`);
  }
  if (!Array.isArray(init.metas)) throw new TypeError('metas must be an array');
  const own = new Set(init.metas.map((m) => m.name));
  const all: AnyMeta[] = [...dispersyMessages.filter((m) => !own.has(m.name)), ...init.metas];
  const names = new Set<string>();
  const ids = new Map<number, string>();
  for (const meta of all) {
    if (names.has(meta.name)) throw new TypeError(`two metas share the name ${meta.name}`);
    const other = ids.get(meta.id);
    if (other !== undefined) throw new TypeError(`metas ${other} and ${meta.name} share id ${meta.id}`);
    names.add(meta.name);
    ids.set(meta.id, meta.name);
  }
  if (init.create !== undefined && typeof init.create !== 'function') throw new TypeError('create must be a function');
  // `dispersy_enable_candidate_walker_responses` defaults to `dispersy_enable_candidate_walker`.
  const walker = init.knobs?.enableCandidateWalker ?? DEFAULT_KNOBS.enableCandidateWalker;
  const knobs = { ...DEFAULT_KNOBS, enableCandidateWalkerResponses: walker, ...init.knobs };
  checkKnobs(knobs);
  return Object.freeze({
    classification: init.classification,
    communityVersion: init.communityVersion,
    metas: Object.freeze([...init.metas]),
    knobs: Object.freeze(knobs),
    acceptDefaultConversion: init.acceptDefaultConversion ?? true,
    ...(init.create === undefined ? {} : { create: init.create }),
  });
}

function checkKnobs(knobs: CommunityKnobs): void {
  const positive: (keyof CommunityKnobs)[] = [
    'syncResponseLimit', 'missingSequenceResponseLimit', 'maxCandidates', 'maxDelayedPerSource', 'maxDelayed',
    'maxRequestCaches', 'identityCacheSize', 'maxBatchSize',
  ];
  for (const key of positive) {
    const value = knobs[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new RangeError(`knobs.${key} must be a positive integer, got ${String(value)}`);
  }
  if (!Number.isSafeInteger(knobs.acceptableGlobalTimeRange) || knobs.acceptableGlobalTimeRange < 0) {
    throw new RangeError(`knobs.acceptableGlobalTimeRange must be a safe integer ≥ 0, got ${knobs.acceptableGlobalTimeRange}`);
  }
  if (!(knobs.syncBloomFilterErrorRate > 0 && knobs.syncBloomFilterErrorRate < 1)) {
    throw new RangeError(`knobs.syncBloomFilterErrorRate must be in (0, 1), got ${knobs.syncBloomFilterErrorRate}`);
  }
  if (knobs.syncFilterSizing !== 'mtu' && knobs.syncFilterSizing !== 'original') {
    throw new RangeError(`knobs.syncFilterSizing must be 'mtu' or 'original', got ${String(knobs.syncFilterSizing)}`);
  }
  if (knobs.syncBloomFilterStrategy !== 'largest' && knobs.syncBloomFilterStrategy !== 'modulo') {
    throw new RangeError(`knobs.syncBloomFilterStrategy must be 'largest' or 'modulo', got ${String(knobs.syncBloomFilterStrategy)}`);
  }
  if (knobs.syncBloomFilterBits !== undefined && (!Number.isSafeInteger(knobs.syncBloomFilterBits) || knobs.syncBloomFilterBits < 8 || knobs.syncBloomFilterBits > 65_528 || knobs.syncBloomFilterBits % 8 !== 0)) {
    throw new RangeError(`knobs.syncBloomFilterBits must be a multiple of 8 in 8..65528 (the wire's uint16 size field), got ${knobs.syncBloomFilterBits}`);
  }
}
