/**
 * How runtime objects appear in the HTTP API and its events: stored rows and messages (meta, creator mid, global
 * time, sequence number, decoded payload, undone flag, packet), candidates, and payloads. Binary values are
 * lowercase hex; a payload that is only a `text` byte string (the DebugCommunity's) is shown as `{ text, hex }`
 * with the text decoded as UTF-8.
 */
import { decodeStoredPacket, undoTarget, type Community, type Message, type WalkCandidate } from '@dispersy/community';
import { isPublicKey } from '@dispersy/crypto';
import { formatAddress } from '@dispersy/interfaces';
import type { SyncRow } from '@dispersy/store';

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * @param bytes any bytes
 * @returns lowercase hex
 */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A message as the API shows it. */
export interface MessageJson {
  readonly meta: string;
  /** The creator's mid (hex). */
  readonly member: string | null;
  /** Both members' mids, for double-signed messages only. */
  readonly members?: readonly string[];
  readonly globalTime: number;
  readonly sequence: number | null;
  /** The decoded payload; `null` when the stored packet no longer decodes here. */
  readonly payload: unknown;
  /** Stored rows only: whether an undo or a policy change undid it. */
  readonly undone?: boolean;
  readonly packet: string;
}

function jsonValue(value: unknown, depth: number): unknown {
  if (depth > 8) return null;
  if (value instanceof Uint8Array) return hex(value);
  if (isPublicKey(value)) return hex(value.bytes);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, depth + 1));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonValue(v, depth + 1)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = jsonValue(v, depth + 1);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return value;
}

/**
 * A decoded payload as JSON: `{ text, hex }` for a text payload, otherwise every field with bytes and keys as hex
 * and bigints as decimal strings.
 * @param payload a decoded payload
 * @returns JSON-ready data
 * @example `payloadToJson({ text: new TextEncoder().encode('hi') }) // { text: 'hi', hex: '6869' }`
 */
export function payloadToJson(payload: unknown): unknown {
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const keys = Object.keys(payload);
    const text = (payload as { text?: unknown }).text;
    if (keys.length === 1 && text instanceof Uint8Array) return { text: UTF8.decode(text), hex: hex(text) };
  }
  return jsonValue(payload, 0) ?? null;
}

/**
 * A runtime message (created here or received) as JSON.
 * @param message the message
 * @returns its JSON form (without `undone`)
 */
export function messageToJson(message: Message): MessageJson {
  const creator = message.members[0];
  return {
    meta: message.name,
    member: creator === undefined ? null : hex(creator.mid),
    ...(message.members.length > 1 ? { members: message.members.map((m) => hex(m.mid)) } : {}),
    globalTime: message.globalTime,
    sequence: message.sequenceNumber ?? null,
    payload: payloadToJson(message.payload),
    packet: hex(message.packet),
  };
}

/**
 * A stored row as JSON (meta and creator from the store; payload decoded from the packet).
 * @param community the row's community
 * @param row the row
 * @returns its JSON form
 */
export function rowToJson(community: Community, row: SyncRow): MessageJson {
  const decoded = decodeStoredPacket(community, row.packet);
  const creator = community.node.store.members.getById(row.member);
  return {
    meta: community.storage.metaName(row.meta) ?? decoded?.name ?? 'unknown',
    member: creator === undefined ? null : hex(creator.mid),
    ...(decoded !== undefined && decoded.members.length > 1 ? { members: decoded.members.map((m) => hex(m.mid)) } : {}),
    globalTime: row.globalTime,
    sequence: row.sequence,
    payload: decoded === undefined ? null : payloadToJson(decoded.payload),
    undone: row.undone !== 0,
    packet: hex(row.packet),
  };
}

/**
 * The `undo` event of a stored dispersy-undo-own / dispersy-undo-other.
 * @param community its community
 * @param message the undo message
 * @returns the event data
 */
export function undoEventJson(community: Community, message: Message): Record<string, unknown> {
  const target = undoTarget(message);
  const undoer = message.members[0];
  return {
    cid: community.cidHex,
    meta: message.name,
    member: undoer === undefined ? null : hex(undoer.mid),
    globalTime: message.globalTime,
    target: { member: hex(target.member.mid), globalTime: target.globalTime },
  };
}

/** A candidate as the API shows it. */
export interface CandidateJson {
  readonly address: string;
  readonly lan: string;
  readonly wan: string;
  readonly category: string;
  readonly connectionType: string;
  readonly tunnel: boolean;
  /** The highest global time it reported. */
  readonly globalTime: number;
  /** The associated member's mid, when known. */
  readonly mid?: string;
}

/**
 * A candidate as JSON: the walker's {@link WalkCandidate} carries the socket address, the LAN and WAN addresses
 * the peer reported (or that were estimated, `0.0.0.0:0` when unknown) and its connection type.
 * @param candidate a candidate of a community's table
 * @param now the community clock's time
 * @returns its JSON form
 */
export function candidateToJson(candidate: WalkCandidate, now: number): CandidateJson {
  return {
    address: candidate.key,
    lan: formatAddress(candidate.lan),
    wan: formatAddress(candidate.wan),
    category: candidate.category(now),
    connectionType: candidate.connectionType,
    tunnel: candidate.tunnel,
    globalTime: candidate.globalTime,
    ...(candidate.memberId === undefined ? {} : { mid: candidate.memberId }),
  };
}
