/**
 * dispersy-authorize and dispersy-revoke (spec §6.1, §6.2, §9):
 * - check: the container check (`Timeline.checkPermissionContainer`): the signer holds the granted permissions for
 *   at least one group of triplets (master always); otherwise the message is delayed by proof (a
 *   dispersy-missing-proof goes to the sender, once). A payload without any triplet is dropped.
 * - handle (`on_authorize` / `on_revoke`): apply the triplets to the timeline. The timeline applies nothing when
 *   the signer lacks `authorize` / `revoke` on one of the metas; the message stays stored, as in the original
 *   (quirk 6, second half: kept). After a revoke, every affected meta's stored rows in [lowest global time of the
 *   batch, current global time] are re-evaluated ({@link updateTimerange}), undo-other targets included.
 *
 * The timeline replay at load (community-load.ts) applies stored messages without calling these handlers, so
 * "unless initializing" needs no flag here. Applying the same message twice is harmless (the timeline records a
 * proof once), which keeps create_community's master-signed initial authorize applied exactly once in effect.
 */
import type { PermissionsPayload } from '@dispersy/codec';
import type { Community } from '../community.ts';
import { ACCEPT, delayVerdict, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import { applyTimelineRecord, timelineRecordOf } from '../timeline-records.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { updateTimerange } from './timerange.ts';

/**
 * The check of dispersy-authorize and dispersy-revoke (see the module comment).
 * @param messages messages of one of the two metas
 * @param community their community
 * @returns one verdict per message
 * @example `checkPermissionMessages(messages, community).map((v) => v.kind)`
 */
export function checkPermissionMessages(messages: readonly Message<PermissionsPayload>[], community: Community): CheckVerdict[] {
  return messages.map((m) => {
    const record = timelineRecordOf(m);
    const signer = m.members[0];
    if (record === undefined || record.kind === 'dynamic-settings' || signer === undefined) return dropVerdict('not_a_permission_message');
    if (record.grants.length === 0) return dropVerdict('no_permission_triplets');
    const verdict = community.timeline.checkPermissionContainer(record.signer, record.globalTime, record.grants);
    return verdict.allowed ? ACCEPT : delayVerdict({ kind: 'proof', mid: signer.mid, globalTime: m.globalTime });
  });
}

/**
 * Applies authorize or revoke messages to the timeline.
 * @param messages accepted messages of one of the two metas
 * @param community their community
 * @returns per affected meta, the lowest global time of the batch
 */
function apply(messages: readonly Message<PermissionsPayload>[], community: Community): Map<string, number> {
  const lowest = new Map<string, number>();
  for (const m of messages) {
    const record = timelineRecordOf(m);
    if (record === undefined || record.kind === 'dynamic-settings') continue;
    applyTimelineRecord(community.timeline, record);
    for (const grant of record.grants) lowest.set(grant.meta, Math.min(lowest.get(grant.meta) ?? m.globalTime, m.globalTime));
  }
  return lowest;
}

/** dispersy-authorize: container check → `on_authorize`. */
export const authorizeBehaviour: BuiltinBehaviour = {
  check: checkPermissionMessages,
  handle(messages: readonly Message<PermissionsPayload>[], community: Community): void {
    apply(messages, community);
  },
};

/** dispersy-revoke: container check → `on_revoke` (then `_update_timerange` per affected meta). */
export const revokeBehaviour: BuiltinBehaviour = {
  check: checkPermissionMessages,
  handle(messages: readonly Message<PermissionsPayload>[], community: Community): void {
    const high = community.globalTime;
    for (const [meta, low] of apply(messages, community)) updateTimerange(community, meta, low, high, { undoOtherTargets: true });
  },
};
