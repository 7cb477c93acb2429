/**
 * The order in which a list of received packets is processed (spec §12.2 step 1, quirk 20). The original sorted by
 * (cid, community version, message id) with dispersy-identity mapped to an integer key — relying on Python 2
 * ordering integers before strings — so that identities come before the messages that need them. Here the order
 * is total and explicit: (cid, community version, message id with dispersy-identity (248) first), stable for
 * equal keys (arrival order).
 */
import { HEADER_LENGTH, MESSAGE_IDS } from '@dispersy/codec';
import { toHex } from './internal/bytes.ts';
import type { IncomingPacket } from './pipeline.ts';

const IDENTITY_ID = MESSAGE_IDS['dispersy-identity'];

/** Packets of one community, in processing order. */
export interface CommunityPackets {
  /** Lowercase hex of the cid. */
  readonly cid: string;
  readonly items: IncomingPacket[];
}

/** The result of {@link orderPackets}. */
export interface OrderedPackets {
  /** Per community, in (cid) order; inside, in (version, identity-first id, arrival) order. */
  readonly communities: CommunityPackets[];
  /** Packets shorter than the 23-byte header (to drop). */
  readonly short: IncomingPacket[];
}

/**
 * Sorts and groups received packets by community (see the module comment).
 * @param items the packets
 * @returns the groups and the too-short packets
 * @example `for (const { cid, items } of orderPackets(received).communities) deliver(cid, items);`
 */
export function orderPackets(items: readonly IncomingPacket[]): OrderedPackets {
  const short: IncomingPacket[] = [];
  const keyed: { item: IncomingPacket; cid: string; version: number; id: number; index: number }[] = [];
  items.forEach((item, index) => {
    if (!(item.packet instanceof Uint8Array) || item.packet.length < HEADER_LENGTH) {
      short.push(item);
      return;
    }
    const id = item.packet[HEADER_LENGTH - 1] as number;
    keyed.push({ item, cid: toHex(item.packet.subarray(2, HEADER_LENGTH - 1)), version: item.packet[1] as number, id: id === IDENTITY_ID ? -1 : id, index });
  });
  keyed.sort((a, b) => (a.cid < b.cid ? -1 : a.cid > b.cid ? 1 : a.version - b.version || a.id - b.id || a.index - b.index));
  const communities: CommunityPackets[] = [];
  for (const entry of keyed) {
    const last = communities.at(-1);
    if (last !== undefined && last.cid === entry.cid) last.items.push(entry.item);
    else communities.push({ cid: entry.cid, items: [entry.item] });
  }
  return { communities, short };
}
