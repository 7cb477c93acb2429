/**
 * Answering dispersy-missing-sequence (spec §8.5, §9 `on_missing_sequence`). The meta has a 0.1 s batch window,
 * so requests arriving together are answered together: per requesting peer and per (member, meta) the ranges are
 * sorted and merged (a range merges into the current one when its low ≤ the current high), so each sequence
 * number is sent at most once per batch; the stored rows with those sequence numbers go back in sequence order,
 * within `missingSequenceResponseLimit` bytes per peer (the packet that crosses the limit is included).
 *
 * A request naming a member whose identity is unknown here never reaches this behaviour: the codec raises
 * `MissingMemberError` with section `payload`, which the pipeline counts as an `UNKNOWN_MEMBER` packet drop
 * without asking for the identity (the original's "Unknown member" drop).
 */
import type { MissingSequencePayload } from '@dispersy/codec';
import { formatAddress, type PacketSource } from '@dispersy/interfaces';
import type { Community } from '../community.ts';
import type { Message } from '../message.ts';
import type { BuiltinBehaviour } from './behaviour.ts';

/** Rows read at most for one merged range. */
const MAX_ROWS_PER_RANGE = 10_000;

/**
 * Sorts ranges and merges those that overlap the current one (`low ≤ current high`), as the original's
 * `merge_ranges`; ranges that only touch (4..5 after 1..3) stay separate.
 * @param ranges `[low, high]` pairs
 * @returns the merged ranges, ascending
 * @example `mergeRanges([[4, 5], [1, 2], [2, 3]]) // [[1, 3], [4, 5]]`
 */
export function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const current = out.at(-1);
    if (current !== undefined && low <= current[1]) current[1] = Math.max(current[1], high);
    else out.push([low, high]);
  }
  return out;
}

interface PeerRequests {
  readonly source: PacketSource;
  /** `${member id}:${meta id}` → the member, meta and requested ranges. */
  readonly groups: Map<string, { member: number; meta: number; ranges: [number, number][] }>;
}

/**
 * Groups a batch of requests per requesting peer (in arrival order) and per (member, meta).
 * @param c the community
 * @param messages missing-sequence requests
 * @returns the requests per peer
 */
function groupRequests(c: Community, messages: readonly Message<MissingSequencePayload>[]): PeerRequests[] {
  const peers = new Map<string, PeerRequests>();
  for (const m of messages) {
    if (m.source === undefined) continue; // our own request
    const p = m.payload;
    let meta: number;
    try {
      meta = c.storage.metaId(p.meta);
    } catch {
      continue; // cannot happen: the codec only decodes metas of this community
    }
    const key = `${formatAddress(m.source.address)}/${m.source.tunnel ? 't' : ''}`;
    let peer = peers.get(key);
    if (peer === undefined) peers.set(key, (peer = { source: m.source, groups: new Map() }));
    const member = c.node.members.idOf(p.member);
    const groupKey = `${member}:${meta}`;
    const group = peer.groups.get(groupKey);
    if (group === undefined) peer.groups.set(groupKey, { member, meta, ranges: [[p.missingLow, p.missingHigh]] });
    else group.ranges.push([p.missingLow, p.missingHigh]);
  }
  return [...peers.values()];
}

/**
 * The packets answering one peer's requests, within the byte budget.
 * @param c the community
 * @param peer its grouped requests
 * @returns the packets, in sending order
 */
function answerPeer(c: Community, peer: PeerRequests): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let budget = c.knobs.missingSequenceResponseLimit;
  for (const { member, meta, ranges } of peer.groups.values()) {
    for (const [low, high] of mergeRanges(ranges)) {
      const rows = c.storage.store.sequences.range(meta, member, low, high, { limit: MAX_ROWS_PER_RANGE, maxBytes: budget });
      for (const row of rows) {
        packets.push(row.packet);
        budget -= row.packet.length;
      }
      if (budget <= 0) return packets;
    }
  }
  return packets;
}

/** dispersy-missing-sequence: `on_missing_sequence` (the check is the generic one: NoAuthentication passes). */
export const missingSequenceBehaviour: BuiltinBehaviour = {
  handle(messages: readonly Message<MissingSequencePayload>[], c: Community): void {
    for (const peer of groupRequests(c, messages)) {
      const packets = answerPeer(c, peer);
      if (packets.length > 0) c.send(packets, [peer.source]);
    }
  },
};
