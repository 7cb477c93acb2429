/**
 * The runtime's side of the timeline (spec §6.2): the proof type it records (the stored permission messages),
 * turning decoded dispersy-authorize / -revoke / -dynamic-settings messages into timeline records, and the replay
 * of the stored ones at community load, in (global time, packet) order.
 */
import {
  permissionTriplets,
  type DecodedMessage,
  type DynamicSettingsPayload,
  type PermissionsPayload,
} from '@dispersy/codec';
import { compareBytes } from './distribution.ts';
import { toHex } from './internal/bytes.ts';
import type { Timeline, TimelineRecord } from './timeline.ts';

/** Meta names whose stored messages the timeline replays at load. */
export const TIMELINE_METAS: readonly string[] = Object.freeze(['dispersy-authorize', 'dispersy-revoke', 'dispersy-dynamic-settings']);

/** What the community's timeline records as proof: the permission message itself. */
export interface TimelineProof {
  /** Meta name (dispersy-authorize, dispersy-revoke or dispersy-dynamic-settings). */
  readonly name: string;
  readonly globalTime: number;
  /** The packet: what a missing-proof request gets back. */
  readonly packet: Uint8Array;
}

/**
 * Orders proofs by packet bytes (the original's (global_time, packet) order within one global time).
 * @param a a proof
 * @param b another
 * @returns negative, 0 or positive
 * @example `new Timeline({ masterMid, resolutionOf, compareProofs })`
 */
export function compareProofs(a: TimelineProof, b: TimelineProof): number {
  return compareBytes(a.packet, b.packet);
}

/**
 * Converts a decoded permission message into a timeline record (`undefined` for any other message).
 * @param message a decoded dispersy-authorize, -revoke or -dynamic-settings message
 * @returns the record, with the message as its proof
 * @example `const record = timelineRecordOf(message); if (record) timeline.replay([record]);`
 */
export function timelineRecordOf(message: DecodedMessage): TimelineRecord<TimelineProof> | undefined {
  const proof: TimelineProof = { name: message.name, globalTime: message.globalTime, packet: message.packet };
  const signer = message.members[0];
  if ((message.name === 'dispersy-authorize' || message.name === 'dispersy-revoke') && signer !== undefined) {
    const grants = permissionTriplets(message.payload as PermissionsPayload).map((t) => ({
      member: toHex(t.member.mid),
      meta: t.meta,
      permission: t.permission,
    }));
    const kind = message.name === 'dispersy-authorize' ? 'authorize' : 'revoke';
    return { kind, signer: toHex(signer.mid), globalTime: message.globalTime, grants, proof };
  }
  if (message.name === 'dispersy-dynamic-settings') {
    const settings = (message.payload as DynamicSettingsPayload).settings.map((s) => ({ meta: s.meta, policyIndex: s.index }));
    return { kind: 'dynamic-settings', globalTime: message.globalTime, settings, proof };
  }
  return undefined;
}

/**
 * Applies one record to a live timeline (outside of replay): authorize / revoke / policy change.
 * @param timeline the community's timeline
 * @param record the record
 * @returns whether it was applied (a signer without the permission applies nothing)
 * @example `applyTimelineRecord(community.timeline, timelineRecordOf(message)!)`
 */
export function applyTimelineRecord(timeline: Timeline<TimelineProof>, record: TimelineRecord<TimelineProof>): boolean {
  if (record.kind === 'dynamic-settings') {
    for (const s of record.settings) timeline.changeResolutionPolicy(s.meta, record.globalTime, s.policyIndex, record.proof);
    return true;
  }
  const apply = record.kind === 'authorize' ? timeline.authorize.bind(timeline) : timeline.revoke.bind(timeline);
  return apply(record.signer, record.globalTime, record.grants, record.proof).applied;
}
