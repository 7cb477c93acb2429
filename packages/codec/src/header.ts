/**
 * Datagram framing (spec §2.1): the optional `FF FF FF FF` tunnel prefix, and the 23-byte header — dispersy
 * version (0x00), community version, 20-byte cid, message id. The first 22 bytes are the community's *prefix*.
 */
import { DecodeError } from './errors.ts';
import { assertBytes, assertInteger } from './internal/assert.ts';

/** The only implemented dispersy version byte (`BinaryConversion`). */
export const DISPERSY_VERSION = 0x00;
/** Length of the community prefix: dispersy version + community version + cid. */
export const PREFIX_LENGTH = 22;
/** Length of the header: the prefix plus the message id byte. */
export const HEADER_LENGTH = 23;
/** Length of a community id (= the master member's mid, a SHA-1). */
export const CID_LENGTH = 20;
/** Length of a member id (SHA-1 of the public key binary). */
export const MID_LENGTH = 20;
/** The largest datagram an endpoint sends or accepts, 2^16 − 60 (spec §2.1). */
export const MAX_DATAGRAM_SIZE = 65_476;
/** The tunnel prefix, present iff the peer is tunnelled; not part of the signed packet. */
export const TUNNEL_PREFIX: Uint8Array = Uint8Array.of(0xff, 0xff, 0xff, 0xff);

/**
 * Whether a datagram starts with the tunnel prefix.
 * @param datagram a received UDP payload
 * @returns true if its first 4 bytes are `FF FF FF FF`
 * @throws TypeError if not a Uint8Array
 * @example `hasTunnelPrefix(Uint8Array.of(255, 255, 255, 255, 0)) // true`
 */
export function hasTunnelPrefix(datagram: Uint8Array): boolean {
  assertBytes(datagram, 'datagram');
  return datagram.length >= 4 && datagram[0] === 0xff && datagram[1] === 0xff && datagram[2] === 0xff && datagram[3] === 0xff;
}

/** A datagram with its tunnel prefix removed. */
export interface UntunnelledDatagram {
  /** The packet (a view into the datagram, without the prefix). */
  readonly packet: Uint8Array;
  /** Whether the prefix was present (the sender is a tunnelled candidate). */
  readonly tunnel: boolean;
}

/**
 * Strips the tunnel prefix if present (the receiver then marks the source as tunnelled).
 * @param datagram a received UDP payload
 * @returns the packet (a view) and whether it was tunnelled
 * @throws TypeError if not a Uint8Array
 * @example `stripTunnelPrefix(datagram).tunnel`
 */
export function stripTunnelPrefix(datagram: Uint8Array): UntunnelledDatagram {
  return hasTunnelPrefix(datagram) ? { packet: datagram.subarray(4), tunnel: true } : { packet: datagram, tunnel: false };
}

/**
 * Prepends the tunnel prefix (for a candidate with `tunnel = true`).
 * @param packet an encoded packet
 * @returns a new buffer: `FF FF FF FF` + packet
 * @throws TypeError if not a Uint8Array
 * @example `addTunnelPrefix(packet).length === packet.length + 4`
 */
export function addTunnelPrefix(packet: Uint8Array): Uint8Array<ArrayBuffer> {
  assertBytes(packet, 'packet');
  const out = new Uint8Array(packet.length + 4);
  out.set(TUNNEL_PREFIX, 0);
  out.set(packet, 4);
  return out;
}

/** The fields of the 23-byte header. */
export interface PacketHeader {
  readonly dispersyVersion: number;
  readonly communityVersion: number;
  /** The community id (a view into the packet). */
  readonly cid: Uint8Array;
  readonly messageId: number;
}

/**
 * Reads the 23-byte header without checking it against any community (the node's demux step).
 * @param packet a packet without tunnel prefix
 * @returns its header fields
 * @throws DecodeError TRUNCATED if shorter than 23 bytes; TypeError if not a Uint8Array
 * @example `readHeader(packet).cid`
 */
export function readHeader(packet: Uint8Array): PacketHeader {
  assertBytes(packet, 'packet');
  if (packet.length < HEADER_LENGTH) {
    throw new DecodeError('TRUNCATED', `a packet needs at least ${HEADER_LENGTH} bytes, got ${packet.length}`, { offset: 0 });
  }
  return {
    dispersyVersion: packet[0] as number,
    communityVersion: packet[1] as number,
    cid: packet.subarray(2, PREFIX_LENGTH),
    messageId: packet[PREFIX_LENGTH] as number,
  };
}

/**
 * Builds a community's 22-byte prefix.
 * @param cid the 20-byte community id
 * @param communityVersion the community version byte (0..254; 0xFF is reserved)
 * @returns dispersy version 0x00 ‖ community version ‖ cid
 * @throws TypeError / RangeError for a wrong cid or version
 * @example `communityPrefix(cid, 1)`
 */
export function communityPrefix(cid: Uint8Array, communityVersion: number): Uint8Array<ArrayBuffer> {
  assertBytes(cid, 'cid', CID_LENGTH);
  assertInteger(communityVersion, 'communityVersion', 0, 254);
  const out = new Uint8Array(PREFIX_LENGTH);
  out[0] = DISPERSY_VERSION;
  out[1] = communityVersion;
  out.set(cid, 2);
  return out;
}
