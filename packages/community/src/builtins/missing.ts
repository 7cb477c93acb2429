/**
 * Answering dispersy-missing-proof and dispersy-missing-message (spec §8.5, §9):
 * - missing-proof(member, global time): load that stored message, run the timeline check on it
 *   ({@link checkTimeline}) and, when it is allowed and rests on proofs, send the proof packets (authorize /
 *   dynamic-settings messages) to the requester. For an authorize message the proof is the authorize that
 *   empowered its signer (test_missing_authorize_proof).
 * - missing-message(member, [global times]): send each stored packet of (member, global time) to the requester,
 *   in the order asked, up to {@link MISSING_MESSAGE_RESPONSE_LIMIT} bytes per request (the packet crossing the
 *   limit is still sent).
 *
 * Requests naming a key the store does not know are ignored without creating a member row. A request that finds
 * nothing is still a processed message (no drop is counted: each packet has exactly one outcome).
 */
import type { MissingMessagePayload, MissingProofPayload } from '@dispersy/codec';
import type { Community } from '../community.ts';
import type { Message } from '../message.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { checkTimeline, decodeStoredPacket, knownMemberId } from './timeline-check.ts';

/** Bytes of stored packets sent back for one missing-message request (as missing-sequence's 10 KiB). */
export const MISSING_MESSAGE_RESPONSE_LIMIT = 10 * 1024;

/**
 * The proof packets that permit the stored message of (member, global time), as a missing-proof answer sends them.
 * @param c the community
 * @param payload the request's member and global time
 * @returns the packets (empty when the message is unknown, not allowed, or needs no proof)
 * @example `community.send(proofPackets(community, request.payload), [request.source])`
 */
export function proofPackets(c: Community, payload: MissingProofPayload): Uint8Array[] {
  const member = payload.globalTime >= 1 ? knownMemberId(c, payload.member) : undefined;
  const row = member === undefined ? undefined : c.storage.get(member, payload.globalTime);
  const message = row === undefined ? undefined : decodeStoredPacket(c, row.packet);
  if (message === undefined) return [];
  const { allowed, proofs } = checkTimeline(c, message);
  return allowed ? proofs.map((p) => p.packet) : [];
}

/** dispersy-missing-proof: `on_missing_proof`. */
export const missingProofBehaviour: BuiltinBehaviour = {
  handle(messages: readonly Message<MissingProofPayload>[], community: Community): void {
    for (const message of messages) {
      if (message.source === undefined) continue;
      const packets = proofPackets(community, message.payload);
      if (packets.length > 0) community.send(packets, [message.source]);
    }
  },
};

/**
 * The stored packets of (member, global times), as a missing-message answer sends them.
 * @param c the community
 * @param payload the request's member and global times
 * @param maxBytes the byte budget @default MISSING_MESSAGE_RESPONSE_LIMIT
 * @returns the packets found, in the order asked
 * @example `missingMessagePackets(community, { member, globalTimes: [12, 13] })`
 */
export function missingMessagePackets(c: Community, payload: MissingMessagePayload, maxBytes = MISSING_MESSAGE_RESPONSE_LIMIT): Uint8Array[] {
  const member = knownMemberId(c, payload.member);
  if (member === undefined) return [];
  const packets: Uint8Array[] = [];
  let budget = maxBytes;
  const times = payload.globalTimes.filter((t) => t >= 1);
  for (const row of c.storage.store.sync.getByGlobalTimes(c.storage.id, member, times)) {
    packets.push(row.packet);
    budget -= row.packet.length;
    if (budget <= 0) break;
  }
  return packets;
}

/** dispersy-missing-message: `on_missing_message`. */
export const missingMessageBehaviour: BuiltinBehaviour = {
  handle(messages: readonly Message<MissingMessagePayload>[], community: Community): void {
    for (const message of messages) {
      if (message.source === undefined) continue;
      const packets = missingMessagePackets(community, message.payload);
      if (packets.length > 0) community.send(packets, [message.source]);
    }
  },
};
