/**
 * dispersy-dynamic-settings (spec §4.3, §6.2, §9): switches a DynamicResolution meta's policy from the settings
 * message's global time + 1 on.
 * - check: the generic timeline check (the meta is Linear: the signer needs `permit` on dispersy-dynamic-settings;
 *   else delay by proof).
 * - handle (`on_dynamic_settings`): `Timeline.changeResolutionPolicy` for every record, then re-evaluate the stored
 *   rows of each changed meta in [lowest global time of the batch, current global time] ({@link updateTimerange}):
 *   messages rejected by the new policy are undone by policy, messages allowed again are re-done.
 *
 * The other half of DynamicResolution — a message rejected under the local policy sends the dynamic-settings proofs
 * back to its sender and waits for a proof — lives in the generic timeline check (generic-check.ts); every
 * processed dynamic-settings resumes the waiting proof delays.
 */
import type { DynamicSettingsPayload } from '@dispersy/codec';
import type { Community } from '../community.ts';
import type { Message } from '../message.ts';
import { applyTimelineRecord, timelineRecordOf } from '../timeline-records.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { updateTimerange } from './timerange.ts';

/**
 * `on_dynamic_settings`: applies the policy changes and re-evaluates the affected rows.
 * @param messages accepted dispersy-dynamic-settings messages
 * @param community their community
 * @example `dynamicSettingsBehaviour.handle!(messages, community)`
 */
export function handleDynamicSettings(messages: readonly Message<DynamicSettingsPayload>[], community: Community): void {
  const lowest = new Map<string, number>();
  for (const m of messages) {
    const record = timelineRecordOf(m);
    if (record?.kind !== 'dynamic-settings') continue;
    applyTimelineRecord(community.timeline, record);
    for (const s of record.settings) lowest.set(s.meta, Math.min(lowest.get(s.meta) ?? m.globalTime, m.globalTime));
  }
  const high = community.globalTime;
  for (const [meta, low] of lowest) updateTimerange(community, meta, low, high);
}

/** dispersy-dynamic-settings: generic check → `on_dynamic_settings`. */
export const dynamicSettingsBehaviour: BuiltinBehaviour = { handle: handleDynamicSettings };
