/**
 * The shapes going in and out of a conversion: decode options, the decoded message, the encode input, and the
 * section layout of a decoded packet (spec §2.1).
 */
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import type { AnyMeta, MetaDefinition } from './meta.ts';
import { HEADER_LENGTH, MID_LENGTH } from './header.ts';
import { assertArray, assertBytes, assertObject, toHex } from './internal/assert.ts';

/**
 * Throws a TypeError unless `value` looks like a {@link DecodedMessage}.
 * @param value the value to check
 * @throws TypeError
 */
export function assertDecodedMessage(value: unknown): asserts value is DecodedMessage {
  assertObject(value, 'message');
  assertBytes(value.packet, 'message.packet');
  assertObject(value.meta, 'message.meta');
  assertArray(value.members, 'message.members');
  assertArray(value.signatures, 'message.signatures');
}

/** Resolves a 20-byte member id to a known public key (for the `sha1` member encoding), or `undefined`. */
export type MemberLookup = (mid: Uint8Array) => PublicKey | undefined;

/** Parses a public key binary; throws (e.g. the crypto package's KeyFormatError) if malformed. */
export type KeyParser = (bytes: Uint8Array) => PublicKey;

/** Options of `Conversion.decode`. */
export interface DecodeOptions {
  /**
   * Verify signatures. Turn off to verify elsewhere (e.g. a worker pool, with `signatureChecks`).
   * Empty signatures are still rejected unless allowed. @default true
   */
  readonly verify?: boolean;
  /** Accept all-zero (empty) signatures, as for a message embedded in a signature request. @default false */
  readonly allowEmptySignature?: boolean;
  /** Member lookup for this call, overriding the conversion's. */
  readonly lookupMember?: MemberLookup;
}

/** A decoded packet. Byte fields are views into `packet`; do not mutate it while the message is in use. */
export interface DecodedMessage<T = unknown> {
  /** The packet as received (without tunnel prefix). */
  readonly packet: Uint8Array;
  /** The meta-message definition it was decoded with. */
  readonly meta: MetaDefinition<T, unknown>;
  /** The meta's name (e.g. `'dispersy-introduction-request'`). */
  readonly name: string;
  /** The message id byte. */
  readonly messageId: number;
  /** Always 0x00. */
  readonly dispersyVersion: number;
  readonly communityVersion: number;
  /** The community id (view). */
  readonly cid: Uint8Array;
  /** The member encoding used in the authentication section, `undefined` for NoAuthentication. */
  readonly memberEncoding: 'sha1' | 'bin' | undefined;
  /** The authenticating members (0, 1 or 2), first = creator. */
  readonly members: readonly PublicKey[];
  /** Their signatures (views), in member order; an all-zero one is empty (see `isEmptySignature`). */
  readonly signatures: readonly Uint8Array[];
  /** DynamicResolution: the policy index on the wire; otherwise `undefined`. */
  readonly resolutionIndex: number | undefined;
  /** NHop destination: the signed depth byte as on the wire (the runtime forwards while depth − 1 > 0). */
  readonly depth: number | undefined;
  /** Lamport time of the message (> 0). */
  readonly globalTime: number;
  /** FullSync with sequence numbers: the sequence number (> 0); otherwise `undefined`. */
  readonly sequenceNumber: number | undefined;
  /** The decoded payload. */
  readonly payload: T;
  /** Offset of the payload in `packet`. */
  readonly payloadOffset: number;
  /** Offset of the first signature = length of the signed (unsigned) part of the packet. */
  readonly signatureOffset: number;
  /** Whether the non-empty signatures were verified during decoding. */
  readonly verified: boolean;
}

/** A member of a message being encoded: a private key signs; a public key leaves an empty (zero) signature. */
export type MemberKey = PrivateKey | PublicKey;

/** What `Conversion.encode` needs besides the meta. */
export interface EncodeInput<TInput = unknown> {
  /** Shorthand for `members: [signer]` (MemberAuthentication). */
  readonly signer?: PrivateKey;
  /** The members in order (1 for MemberAuthentication, 2 for DoubleMemberAuthentication). */
  readonly members?: readonly MemberKey[];
  /** DynamicResolution: index of the creator's chosen policy. @default 0 */
  readonly resolutionIndex?: number;
  /** NHop destination: the depth byte. @default the meta's `destination.depth` */
  readonly depth?: number;
  /** Lamport time, 1..2^53−1. */
  readonly globalTime: number;
  /** Required for FullSync with sequence numbers (1..2^32−1); must be absent otherwise. */
  readonly sequenceNumber?: number;
  /** The payload. */
  readonly payload: TInput;
}

/** One section of a packet layout (as the golden vectors list them). */
export interface LayoutSection {
  readonly field:
    | 'dispersy_version'
    | 'community_version'
    | 'cid'
    | 'message_id'
    | 'authentication'
    | 'resolution'
    | 'destination'
    | 'distribution'
    | 'payload'
    | 'signature';
  readonly offset: number;
  readonly length: number;
}

/**
 * The sections of a decoded packet with their offsets and lengths, as the golden vectors list them: the
 * payload always (even when empty), the other policy sections only when they take bytes, and the signatures as
 * one `signature` section.
 * @param message a decoded message
 * @returns the sections in wire order
 * @example `messageLayout(msg).find((s) => s.field === 'payload')`
 */
export function messageLayout(message: DecodedMessage): LayoutSection[] {
  assertDecodedMessage(message);
  const out: LayoutSection[] = [
    { field: 'dispersy_version', offset: 0, length: 1 },
    { field: 'community_version', offset: 1, length: 1 },
    { field: 'cid', offset: 2, length: 20 },
    { field: 'message_id', offset: 22, length: 1 },
  ];
  let offset = HEADER_LENGTH;
  const push = (field: LayoutSection['field'], length: number): void => {
    if (length > 0 || field === 'payload') out.push({ field, offset, length });
    offset += length;
  };
  let auth = 0;
  for (const m of message.members) auth += message.memberEncoding === 'sha1' ? MID_LENGTH : 2 + m.bytes.length;
  push('authentication', auth);
  push('resolution', message.resolutionIndex === undefined ? 0 : 1);
  push('destination', message.depth === undefined ? 0 : 1);
  push('distribution', message.sequenceNumber === undefined ? 8 : 12);
  push('payload', message.signatureOffset - message.payloadOffset);
  push('signature', message.packet.length - message.signatureOffset);
  return out;
}

/**
 * Whether a decoded message is of a given meta (narrows its payload type).
 * @param message a decoded message
 * @param meta a meta definition
 * @returns true if the message was decoded with that meta (same id and name)
 * @example `if (isMessageOf(msg, introductionRequest)) msg.payload.identifier;`
 */
export function isMessageOf<T>(message: DecodedMessage, meta: MetaDefinition<T, unknown> | AnyMeta): message is DecodedMessage<T> {
  assertDecodedMessage(message);
  assertObject(meta, 'meta');
  return message.meta === meta || (message.meta.id === meta.id && message.meta.name === meta.name);
}

/**
 * A compact description of a decoded message for logs.
 * @param message a decoded message
 * @returns e.g. `'full-sync-text gt=5 by 7ac9bbe1'`
 * @example `log.debug(describeMessage(msg))`
 */
export function describeMessage(message: DecodedMessage): string {
  assertDecodedMessage(message);
  const by = message.members.map((m) => toHex(m.mid).slice(0, 8)).join('+');
  const seq = message.sequenceNumber === undefined ? '' : ` seq=${message.sequenceNumber}`;
  return `${message.name} gt=${message.globalTime}${seq}${by ? ` by ${by}` : ''}`;
}
