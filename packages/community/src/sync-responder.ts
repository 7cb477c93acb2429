/**
 * The sync RESPONDER (spec §8.4, the Bloom part of `on_introduction_request`): for an introduction-request that
 * carries a sync section, stream the stored packets the requester's filter lacks — metas with priority > 32 by
 * priority descending, rows in the meta's direction (ASC, DESC or seeded RANDOM), `undone = 0`, in
 * [time_low, time_high or my global time], in the modulo class, and for GlobalTimePruning metas only active rows —
 * and send them until 5 KiB are used (the packet that crosses the limit is included). The requester's range is not
 * checked against anything else (as the original).
 *
 * The incoming filter is validated before anything is answered: {@link loadRequestFilter} turns the wire fields
 * into a {@link BloomFilter}; a malformed one (see `BloomError`) makes the whole request a counted drop.
 */
import { BloomFilter, WIRE_MAX_FILTER_BITS } from '@dispersy/bloom';
import type { IntroductionRequestPayload, SyncRange } from '@dispersy/codec';
import { withinByteBudget, type ResponderMeta } from '@dispersy/store';
import type { Community } from './community.ts';
import { MAX_GLOBAL_TIME } from './global-time.ts';
import type { Message } from './message.ts';
import { SYNC_PRIORITY } from './sync-filter.ts';

/**
 * The requester's filter as a {@link BloomFilter}.
 * @param sync the request's sync section
 * @returns the filter
 * @throws BloomError when the size, function count or hash layout is invalid (e.g. `HASH_BITS_EXCEEDED`)
 * @example `const filter = loadRequestFilter(message.payload.sync!);`
 */
export function loadRequestFilter(sync: SyncRange): BloomFilter {
  const { bytes, functions, prefix } = sync.bloom;
  return BloomFilter.fromBytes(bytes, functions, Uint8Array.of(prefix), { bits: bytes.length * 8, maxBits: WIRE_MAX_FILTER_BITS });
}

/**
 * The community's syncable metas as the store's responder query wants them, with the pruning floor
 * (`global time − inactive + 1`) of GlobalTimePruning metas.
 * @param c the community
 * @returns one entry per meta with priority > 32
 * @example `store.selection.responderRows({ metas: responderMetas(community), timeLow, timeHigh })`
 */
export function responderMetas(c: Community): ResponderMeta[] {
  const out: ResponderMeta[] = [];
  for (const rt of c.metas.values()) {
    const d = rt.meta.distribution;
    if (d.kind === 'direct' || d.priority <= SYNC_PRIORITY) continue;
    const floor = d.pruning?.kind === 'global-time' ? Math.max(0, c.globalTime - d.pruning.inactive + 1) : undefined;
    out.push({ id: c.storage.metaId(rt.name), priority: d.priority, direction: d.direction, ...(floor === undefined ? {} : { minGlobalTime: floor }) });
  }
  return out;
}

/**
 * The packets that answer one sync request: what its filter lacks, within `syncResponseLimit` bytes.
 * @param c the community
 * @param sync the request's sync section
 * @param filter the loaded requester filter
 * @returns the packets, in sending order
 * @example `const packets = syncResponse(community, payload.sync, loadRequestFilter(payload.sync));`
 */
export function syncResponse(c: Community, sync: SyncRange, filter: BloomFilter): Uint8Array[] {
  const timeLow = Math.min(sync.timeLow, MAX_GLOBAL_TIME);
  const timeHigh = Math.min(sync.timeHigh > 0 ? sync.timeHigh : c.globalTime, MAX_GLOBAL_TIME);
  const metas = responderMetas(c);
  if (metas.length === 0) return [];
  const rows = c.storage.store.selection.responderRows({ metas, timeLow, timeHigh, modulo: sync.modulo, offset: sync.offset, random: c.random });
  const packets: Uint8Array[] = [];
  for (const row of withinByteBudget(filter.notFilter(rows, (r) => r.packet), c.knobs.syncResponseLimit)) packets.push(row.packet);
  return packets;
}

/**
 * Answers the sync part of introduction-requests: sends each requester what its filter lacks (spec §8.4).
 * @param c the community
 * @param messages accepted introduction-requests (their filters were validated by the check)
 * @returns how many packets were sent
 * @example `answerSyncRequests(community, requests)` after the responses and puncture-requests went out
 */
export function answerSyncRequests(c: Community, messages: readonly Message<IntroductionRequestPayload>[]): number {
  let sent = 0;
  for (const m of messages) {
    const sync = m.payload.sync;
    if (sync === undefined || m.source === undefined) continue;
    const packets = syncResponse(c, sync, loadRequestFilter(sync));
    c.send(packets, [m.source]);
    sent += packets.length;
  }
  return sent;
}
