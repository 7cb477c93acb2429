/**
 * Reading stored messages back and checking them against the permission timeline: the original's
 * `timeline.check(message)` for ANY message (spec §6.1), which the missing-proof answer (§8.5), the destroy chain
 * (§6.5) and the undo check (§6.4) need —
 * - dispersy-authorize / -revoke: the container check (the signer holds the granted permissions);
 * - dispersy-undo-other: the signer holds `undo` on the TARGET message's meta (read from the store);
 * - NoAuthentication: always allowed, no proofs;
 * - anything else: `permit` on its own meta under its resolution, for every signer.
 */
import { conversionForPacket, type UndoOtherPayload } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { Community } from '../community.ts';
import { toHex } from '../internal/bytes.ts';
import { toMessage, type Message } from '../message.ts';
import type { CheckResult } from '../timeline.ts';
import { timelineRecordOf, type TimelineProof } from '../timeline-records.ts';

/**
 * Decodes a stored packet of this community (signatures are not verified again; sha1 members resolve through the
 * community's known identities).
 * @param c the community
 * @param packet a stored packet
 * @returns the message (no source), or undefined when it does not decode here
 * @example `const message = decodeStoredPacket(community, row.packet);`
 */
export function decodeStoredPacket(c: Community, packet: Uint8Array): Message | undefined {
  const conversion = conversionForPacket(c.conversions, packet);
  if (conversion === undefined) return undefined;
  try {
    return toMessage(conversion.decode(packet, { verify: false, lookupMember: (mid) => c.getMember(mid) }), undefined);
  } catch {
    return undefined;
  }
}

/**
 * The database id of a member, without creating a row for an unknown key (requests from the network name
 * arbitrary keys).
 * @param c the community
 * @param key the member's public key
 * @returns its id, or undefined when the store does not know it
 * @example `const id = knownMemberId(community, payload.member); if (id === undefined) return;`
 */
export function knownMemberId(c: Community, key: PublicKey): number | undefined {
  return c.storage.store.members.getByPublicKey(key.bytes)?.id;
}

/**
 * The meta name of the stored message an undo points at.
 * @param c the community
 * @param member the target's creator
 * @param globalTime the target's global time
 * @returns the target's meta name, or undefined when it is not stored
 * @example `undoTargetMeta(community, payload.member, payload.globalTime) // 'full-sync-text'`
 */
export function undoTargetMeta(c: Community, member: PublicKey, globalTime: number): string | undefined {
  const id = knownMemberId(c, member);
  const row = id === undefined ? undefined : c.storage.get(id, globalTime);
  return row === undefined ? undefined : c.storage.metaName(row.meta);
}

/**
 * The original's `timeline.check(message)` for any message (see the module comment).
 * @param c the community
 * @param message a decoded message of this community
 * @returns whether it is permitted, and the proofs (authorize / revoke / dynamic-settings messages) it rests on
 * @throws RangeError when a meta named by the message is unknown to the timeline (not for decoded messages)
 * @example
 * ```ts
 * const { allowed, proofs } = checkTimeline(community, message);
 * if (allowed) community.send(proofs.map((p) => p.packet), [source]);
 * ```
 */
export function checkTimeline(c: Community, message: Message): CheckResult<TimelineProof> {
  const signer = message.members[0];
  if (message.meta.authentication.kind === 'none' || signer === undefined) return { allowed: true, proofs: [] };
  const record = timelineRecordOf(message);
  if (record !== undefined && record.kind !== 'dynamic-settings') {
    return c.timeline.checkPermissionContainer(record.signer, record.globalTime, record.grants);
  }
  if (message.name === 'dispersy-undo-other') {
    const payload = message.payload as UndoOtherPayload;
    const target = undoTargetMeta(c, payload.member, payload.globalTime);
    if (target === undefined) return { allowed: false, proofs: [] };
    return c.timeline.checkUndoOther(toHex(signer.mid), message.globalTime, target);
  }
  const options = message.resolutionIndex === undefined ? {} : { claimedPolicyIndex: message.resolutionIndex };
  return c.timeline.checkMessage(
    message.members.map((k) => toHex(k.mid)), message.globalTime, message.name, message.meta.resolution, 'permit', options,
  );
}
