/**
 * The sync REQUESTER's memory (spec §8.3, `dispersy_claim_sync_bloom_filter`): the sync cache (the last filter
 * sent, how often it was used and how many packets came back since), the skip curve, and the hook that adds every
 * newly stored syncable packet inside the cached range to the cached filter (`dispersy_store`), counting those that
 * came from the peer the filter was last sent to.
 *
 * - A cache that brought responses is reused while it has been used fewer than 100 times (its filter now holds
 *   what arrived, so the peer sends the next packets).
 * - A fresh filter that brought nothing raises the skip counter one notch (at most 11); with counter s > 0 a round
 *   is skipped (no sync at all) with probability `[0, 0, .1, .2, …, .9][s − 1]`. Responses reset it.
 * - Otherwise a new filter is built by the community's strategy (`'largest'` or `'modulo'`, ./sync-filter.ts).
 *
 * The state lives beside the community (a WeakMap), created on first use; its stored-listener goes with the
 * community object at unload.
 */
import type { BloomFilter } from '@dispersy/bloom';
import type { SyncRange } from '@dispersy/codec';
import { sameAddress, type Address } from '@dispersy/interfaces';
import type { CandidateLike } from './candidates.ts';
import type { Community } from './community.ts';
import type { Message } from './message.ts';
import { claimLargest, claimModulo, SYNC_PRIORITY, type StrategyState } from './sync-filter.ts';

/** A sync cache is reused while it has been used fewer than this many times. */
export const SYNC_CACHE_MAX_USES = 100;
/** The probability of skipping a round at skip counter s (index s − 1) (`_SKIP_CURVE_STEPS`). */
export const SKIP_CURVE: readonly number[] = Object.freeze([0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);

/** The last filter sent (the original's `SyncCache`). */
export interface SyncCache {
  readonly timeLow: number;
  readonly timeHigh: number;
  readonly modulo: number;
  readonly offset: number;
  /** Grows with every stored syncable packet in the range. */
  readonly filter: BloomFilter;
  /** Reuses so far (0 for a fresh filter). */
  timesUsed: number;
  /** Packets stored from {@link candidate} since the last send. */
  responsesReceived: number;
  /** The peer it was last sent to. */
  candidate: Address | undefined;
}

/** The requester state of one community. */
export interface SyncRequesterState extends StrategyState {
  /** The cached filter, if any. */
  cache: SyncCache | undefined;
  /** The skip counter, 0..11. */
  skipCount: number;
}

const STATES = new WeakMap<Community, SyncRequesterState>();

/**
 * The requester state of a community, created (and hooked to `onStored`) on first use.
 * @param c the community
 * @returns its state (mutable: tests may inspect it)
 * @example `syncRequesterState(community).cache?.timesUsed`
 */
export function syncRequesterState(c: Community): SyncRequesterState {
  let state = STATES.get(c);
  if (state === undefined) {
    const created: SyncRequesterState = { cache: undefined, skipCount: 0, nrSyncPackets: 0 };
    state = created;
    STATES.set(c, created);
    c.onStored((messages) => feedSyncCache(created, messages));
  }
  return state;
}

/**
 * `dispersy_store`: adds the stored syncable packets inside the cached range and modulo class to the cached filter;
 * those that came from the cache's peer count as responses.
 * @param state the requester state
 * @param messages a stored batch
 * @example `community.onStored((messages) => feedSyncCache(state, messages));`
 */
export function feedSyncCache(state: SyncRequesterState, messages: readonly Message[]): void {
  const cache = state.cache;
  if (cache === undefined) return;
  for (const m of messages) {
    const d = m.meta.distribution;
    if (d.kind === 'direct' || d.priority <= SYNC_PRIORITY) continue;
    if (m.globalTime < cache.timeLow || m.globalTime > cache.timeHigh || (m.globalTime + cache.offset) % cache.modulo !== 0) continue;
    cache.filter.add(m.packet);
    if (cache.candidate !== undefined && m.source !== undefined && sameAddress(cache.candidate, m.source.address)) cache.responsesReceived++;
  }
}

/**
 * The wire form of a cache (the filter's current bytes).
 * @param cache a sync cache or claim
 * @returns the introduction-request's sync section
 * @example `payload.sync = syncRangeOf(cache);`
 */
export function syncRangeOf(cache: Pick<SyncCache, 'timeLow' | 'timeHigh' | 'modulo' | 'offset' | 'filter'>): SyncRange {
  const filter = cache.filter;
  return {
    timeLow: cache.timeLow,
    timeHigh: cache.timeHigh,
    modulo: cache.modulo,
    offset: cache.offset,
    bloom: { functions: filter.functions, prefix: filter.prefix[0] ?? 0, bytes: filter.toBytes() },
  };
}

/**
 * `dispersy_claim_sync_bloom_filter`: the sync section of the next introduction-request to `destination`, or
 * undefined when this round is skipped (see the module comment). Counts `sync_bloom` reuse / new / send / skip.
 * @param c the community
 * @param destination the peer the request goes to
 * @returns the sync section, or undefined
 * @example `const sync = claimSyncFilter(community, candidate);`
 */
export function claimSyncFilter(c: Community, destination: CandidateLike): SyncRange | undefined {
  const state = syncRequesterState(c);
  const cache = state.cache;
  if (cache !== undefined) {
    if (cache.responsesReceived > 0) {
      state.skipCount = 0;
      if (c.knobs.syncCacheEnable && cache.timesUsed < SYNC_CACHE_MAX_USES) {
        cache.timesUsed++;
        cache.responsesReceived = 0;
        cache.candidate = destination.address;
        c.statistics.syncBloom('reuse');
        c.statistics.syncBloom('send');
        return syncRangeOf(cache);
      }
    } else if (cache.timesUsed === 0) {
      state.skipCount = Math.min(state.skipCount + 1, SKIP_CURVE.length);
    }
  }
  if (c.knobs.syncSkipEnable && state.skipCount > 0 && c.random.next() < (SKIP_CURVE[state.skipCount - 1] ?? 0)) {
    c.statistics.syncBloom('skip');
    state.cache = undefined;
    return undefined;
  }
  const claim = c.knobs.syncBloomFilterStrategy === 'modulo' ? claimModulo(c, state) : claimLargest(c, state);
  state.cache = { ...claim, timesUsed: 0, responsesReceived: 0, candidate: destination.address };
  c.statistics.syncBloom('new');
  c.statistics.syncBloom('send');
  return syncRangeOf(claim);
}
