/**
 * Loading and unloading a community (spec §12.1 `initialize`, §5, §6.2): meta-message rows, conversions (the
 * community version, plus version 0x00 for built-ins like the original's DefaultConversion), global time from the
 * highest stored message, my sequence counters from the store, pruning on every global-time increase, the timeline
 * replay of stored authorize / revoke / dynamic-settings in (global time, packet) order, the delay sweeper, the
 * master-download task while the master's key is unknown, the extensions, and my dispersy-identity (global time
 * ≥ 2) if it is not stored yet.
 */
import { conversionForPacket, createConversion, DecodeError, type Conversion } from '@dispersy/codec';
import { downloadMasterIdentity, DOWNLOAD_MASTER_INTERVAL } from './builtins/identity.ts';
import type { Community } from './community.ts';
import type { Message } from './message.ts';
import { unexpected } from './pipeline.ts';
import { startWalker } from './walk.ts';
import { isBuiltinName } from './runtime-meta.ts';
import { CommunityStorage } from './storage.ts';
import { TIMELINE_METAS, timelineRecordOf, type TimelineProof } from './timeline-records.ts';
import type { TimelineRecord } from './timeline.ts';

/** What a loaded community keeps beyond its managers. */
export interface LoadedState {
  readonly storage: CommunityStorage;
  /** The conversion of the community version (outgoing messages). */
  readonly conversion: Conversion;
  /** Oldest first. */
  readonly conversions: readonly Conversion[];
  readonly myMemberId: number;
  /** My next-to-last sequence number per FullSync-with-sequence meta. */
  readonly sequenceCounters: Map<string, number>;
  /** Removes the pruning listener. */
  readonly stopPruning: () => void;
}

/**
 * First phase of loading: everything the community's getters need (storage, conversions, counters).
 * @param c the community
 * @returns the loaded state
 * @throws StoreError when the store fails
 * @example `this.#state = prepareCommunity(this);`
 */
export function prepareCommunity(c: Community): LoadedState {
  const store = c.node.store;
  const runtime = [...c.metas.values()];
  const rows = store.metas.ensure(
    c.databaseId,
    runtime.map((rt) => {
      const d = rt.meta.distribution;
      return d.kind === 'direct' ? { name: rt.name } : { name: rt.name, priority: d.priority, direction: d.direction };
    }),
  );
  const storage = new CommunityStorage(store, c.node.members, c.databaseId, new Map([...rows].map(([name, row]) => [name, row.id])));
  const lookupMember = (mid: Uint8Array) => c.getMember(mid);
  const conversion = createConversion({ cid: c.cid, communityVersion: c.definition.communityVersion, metas: c.definition.metas, lookupMember });
  const conversions = c.definition.acceptDefaultConversion
    ? [createConversion({ cid: c.cid, communityVersion: 0, metas: c.definition.metas.filter((m) => isBuiltinName(m.name)), lookupMember }), conversion]
    : [conversion];
  const myMemberId = c.node.members.idOf(c.myMember.publicKey);
  const sequenceCounters = new Map<string, number>();
  for (const rt of runtime) {
    const d = rt.meta.distribution;
    if (d.kind === 'full-sync' && d.sequenceNumbers) sequenceCounters.set(rt.name, store.sequences.maxSequence(storage.metaId(rt.name), myMemberId));
  }
  c.globalTimeClock.update(storage.maxGlobalTime());
  const stopPruning = c.globalTimeClock.onIncrease((value) => prune(c, storage, value));
  return { storage, conversion, conversions, myMemberId, sequenceCounters, stopPruning };
}

/**
 * Deletes rows of GlobalTimePruning metas that became pruned (global time ≤ new global time − pruned), spec §4.4.
 * @param c the community
 * @param storage its storage
 * @param globalTime the new global time
 */
function prune(c: Community, storage: CommunityStorage, globalTime: number): void {
  for (const rt of c.metas.values()) {
    const d = rt.meta.distribution;
    if (d.kind === 'direct' || d.pruning?.kind !== 'global-time') continue;
    const threshold = globalTime - d.pruning.pruned;
    if (threshold >= 1) storage.store.sync.prune(storage.metaId(rt.name), threshold);
  }
}

/**
 * Second phase of loading: timeline replay, timers, extensions and my identity.
 * @param c the community (its state is set)
 * @throws StoreError when the store fails; what creating my identity throws
 * @example `initializeCommunity(this);`
 */
export function initializeCommunity(c: Community): void {
  replayTimeline(c);
  c.delays.start(c.clock);
  if (c.master === undefined && c.knobs.autoDownloadMasterMember) {
    downloadMasterIdentity(c);
    c.tasks.repeat('download-master', DOWNLOAD_MASTER_INTERVAL, () => downloadMasterIdentity(c));
  }
  for (const extension of c.node.extensionsFor(c)) extension.onLoad?.(c);
  startWalker(c);
  if (!c.storage.hasIdentity(c.myMemberId)) createIdentity(c);
}

/**
 * Creates a dispersy-identity with a global time of at least 2 (spec §5: the original claims until ≥ 2).
 * @param c the community
 * @param signWithMaster sign with the master key (create_community's master identity)
 * @returns the identity message
 * @example `createIdentity(community, true) // the master's identity`
 */
export function createIdentity(c: Community, signWithMaster = false): Message {
  let globalTime = c.claimGlobalTime();
  while (globalTime < 2) globalTime = c.claimGlobalTime();
  return c.create('dispersy-identity', {}, { globalTime, ...(signWithMaster ? { signWithMaster } : {}) });
}

/** Spec §6.2 `_initialize_timeline`: replay in (global time, packet) order without re-evaluating stored rows. */
function replayTimeline(c: Community): void {
  const metaIds = TIMELINE_METAS.filter((name) => c.metas.has(name)).map((name) => c.storage.metaId(name));
  if (metaIds.length === 0) return;
  const records: TimelineRecord<TimelineProof>[] = [];
  for (const row of c.storage.store.sync.iterateReplay(metaIds)) {
    try {
      const conversion = conversionForPacket(c.conversions, row.packet);
      const record = conversion === undefined ? undefined : timelineRecordOf(conversion.decode(row.packet, { verify: false }));
      if (record === undefined) c.statistics.drop('message', 'replay_failed');
      else records.push(record);
    } catch (err) {
      if (DecodeError.is(err)) c.statistics.drop('message', 'replay_failed');
      else unexpected(c, err, 'message', 'replay_failed');
    }
  }
  c.timeline.replay(records);
}

/**
 * Unloads: processes waiting batches, tells the extensions, cancels timers, clears delays and request cache.
 * @param c the community
 * @param state its loaded state
 * @example `unloadCommunity(this, state);`
 */
export function unloadCommunity(c: Community, state: LoadedState): void {
  c.flushBatches();
  for (const extension of c.node.extensionsFor(c)) {
    try {
      extension.onUnload?.(c);
    } catch (err) {
      unexpected(c, err, 'message', 'extension_failed');
    }
  }
  c.tasks.cancelAll();
  c.walker.dispose(); // stop listening to the node's shared WAN voting
  c.delays.stop();
  c.delays.clear();
  c.requestCache.clear();
  state.stopPruning();
}
