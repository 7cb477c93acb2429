/**
 * A test node, like the original's DebugNode (spec §14): a {@link Dispersy} on a {@link MemoryNetwork} with a
 * `:memory:` store, joined to the environment's DebugCommunity. It injects packets as if another node sent them,
 * drains and decodes what was sent to it, builds messages with an explicit global time / sequence number (not
 * stored), and asserts on the store.
 */
import { conversionForPacket, type TextPayload } from '@dispersy/codec';
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import type { Address } from '@dispersy/interfaces';
import type { Community } from '../community.ts';
import type { Message } from '../message.ts';
import type { Dispersy } from '../node.ts';
import { toMessage } from '../message.ts';
import type { DebugCommunity } from './debug-community.ts';
import { unwrap, type DatagramPacket, type MemoryEndpoint, type MemoryNetwork } from './memory-network.ts';

const ENCODER = new TextEncoder();

/** Options of the `create*` builders. */
export interface BuildOptions {
  /** @default a freshly claimed global time of this node (not stored) */
  readonly globalTime?: number;
  readonly sequenceNumber?: number;
  /** Double-signed metas: both members (a public key leaves its signature empty). */
  readonly members?: readonly (PrivateKey | PublicKey)[];
  readonly resolutionIndex?: number;
  readonly depth?: number;
  /** Sign with this key instead of my member. */
  readonly signer?: PrivateKey;
}

/** Options of {@link DebugNode.givePackets}. */
export interface GiveOptions {
  /** Honour batch windows, as packets from the network do. @default false */
  readonly cache?: boolean;
}

/**
 * One test node. Create with `env.createNodes(n)`.
 *
 * @example
 * ```ts
 * const [node, other] = await env.createNodes(2);
 * node.giveMessage(other.createFullSyncText('hello', 10), other);
 * node.assertStored(message);
 * ```
 */
export class DebugNode {
  readonly dispersy: Dispersy;
  readonly endpoint: MemoryEndpoint;
  readonly network: MemoryNetwork;
  /** Whether packets to this node carry the tunnel prefix. */
  readonly tunnel: boolean;
  readonly #cid: Uint8Array;

  /**
   * @param dispersy the node
   * @param endpoint its endpoint
   * @param network the network
   * @param cid the DebugCommunity's cid
   * @param tunnel whether it is tunnelled
   */
  constructor(dispersy: Dispersy, endpoint: MemoryEndpoint, network: MemoryNetwork, cid: Uint8Array, tunnel = false) {
    this.dispersy = dispersy;
    this.endpoint = endpoint;
    this.network = network;
    this.#cid = cid;
    this.tunnel = tunnel;
  }

  /** The node's address. */
  get address(): Address {
    return this.endpoint.address;
  }

  /** The node's DebugCommunity (the current instance: reclassifying or reloading replaces it). */
  get community(): DebugCommunity {
    const community = this.dispersy.getCommunity(this.#cid, { autoLoad: false });
    if (community === undefined) throw new Error('the debug community is not loaded on this node');
    return community as DebugCommunity;
  }

  /** The node's signing identity in the community. */
  get myMember(): PrivateKey {
    return this.community.myMember;
  }

  /** Its public key. */
  get publicKey(): PublicKey {
    return this.myMember.publicKey;
  }

  /**
   * Processes packets as if `from` sent them (tunnel flag of `from`).
   * @param packets the packets
   * @param from the sending node (or an address)
   * @param options batch-window handling
   */
  givePackets(packets: readonly Uint8Array[], from: DebugNode | Address, options: GiveOptions = {}): void {
    const source = from instanceof DebugNode ? { address: from.address, tunnel: from.tunnel } : { address: from, tunnel: false };
    this.dispersy.receivePackets(packets.map((packet) => ({ packet, source })), { cache: options.cache ?? false });
  }

  /**
   * @param packet the packet
   * @param from the sender
   * @param options batch-window handling
   */
  givePacket(packet: Uint8Array, from: DebugNode | Address, options: GiveOptions = {}): void {
    this.givePackets([packet], from, options);
  }

  /**
   * @param messages messages (their packets are given)
   * @param from the sender
   * @param options batch-window handling
   */
  giveMessages(messages: readonly Message[], from: DebugNode | Address, options: GiveOptions = {}): void {
    this.givePackets(messages.map((m) => m.packet), from, options);
  }

  /**
   * @param message a message
   * @param from the sender
   * @param options batch-window handling
   */
  giveMessage(message: Message, from: DebugNode | Address, options: GiveOptions = {}): void {
    this.givePackets([message.packet], from, options);
  }

  /**
   * Takes the datagrams waiting on the network for this node (they will not be delivered).
   * @param from only from this node
   * @returns the datagrams with their packets
   */
  receivePackets(from?: DebugNode): DatagramPacket[] {
    return this.network.take(this.address, from?.address).map(unwrap);
  }

  /**
   * What this node sent so far (needs the environment's `recordSent` option), optionally only to `to`.
   * @param to only datagrams to this node
   * @returns the datagrams with their packets, oldest first
   */
  sentPackets(to?: DebugNode): DatagramPacket[] {
    return this.endpoint.sent.filter((d) => to === undefined || (d.to.host === to.address.host && d.to.port === to.address.port)).map(unwrap);
  }

  /**
   * Takes and decodes (verifying signatures) what was sent to this node, keeping only the given message names;
   * the others are discarded.
   * @param options `names` to keep, `from` one sender
   * @returns the messages, in arrival order
   * @throws DecodeError when a kept packet does not decode here
   */
  receive(options: { readonly names?: readonly string[]; readonly from?: DebugNode } = {}): Message[] {
    const community = this.community;
    const out: Message[] = [];
    for (const datagram of this.receivePackets(options.from)) {
      const conversion = conversionForPacket(community.conversions, datagram.packet);
      const name = conversion?.metaById(datagram.packet[22] as number)?.name;
      if (conversion === undefined || (options.names !== undefined && (name === undefined || !options.names.includes(name)))) continue;
      const decoded = conversion.decode(datagram.packet, { lookupMember: (mid) => community.getMember(mid) });
      out.push(toMessage(decoded, { address: datagram.from, tunnel: datagram.tunnel }));
    }
    return out;
  }

  /**
   * This node's stored dispersy-identity packet.
   * @returns the packet
   * @throws Error when it is not stored
   */
  identityPacket(): Uint8Array {
    const community = this.community;
    const row = community.storage.rowsOf('dispersy-identity', community.myMemberId, 1)[0];
    if (row === undefined) throw new Error('no stored identity');
    return row.packet;
  }

  /**
   * Exchanges identity packets with another node, both ways (processed directly, not through the network).
   * @param other the other node
   */
  sendIdentity(other: DebugNode): void {
    other.givePacket(this.identityPacket(), this);
    this.givePacket(other.identityPacket(), other);
  }

  /**
   * Builds a message of any meta (encoded and signed, NOT stored, nothing sent).
   * @param name the meta name
   * @param payload the payload
   * @param options global time (default: claimed now), sequence number, members, signer
   * @returns the message
   */
  build<T = unknown>(name: string, payload: unknown, options: BuildOptions = {}): Message<T> {
    const community = this.community;
    const globalTime = options.globalTime ?? community.claimGlobalTime();
    return community.encode<T>(name, {
      globalTime,
      payload,
      ...(options.sequenceNumber === undefined ? {} : { sequenceNumber: options.sequenceNumber }),
      ...(options.members === undefined ? {} : { members: options.members }),
      ...(options.signer === undefined ? {} : { signer: options.signer }),
      ...(options.resolutionIndex === undefined ? {} : { resolutionIndex: options.resolutionIndex }),
      ...(options.depth === undefined ? {} : { depth: options.depth }),
    });
  }

  /**
   * Builds a DebugCommunity text message (not stored).
   * @param name a debug meta name (`full-sync-text`, `last-1-test`, …)
   * @param text the text
   * @param options as {@link build}
   * @returns the message
   */
  createText(name: string, text: string, options: BuildOptions = {}): Message<TextPayload> {
    return this.build<TextPayload>(name, { text: ENCODER.encode(text) }, options);
  }

  /** @returns a `full-sync-text` message (not stored) @param text the text @param globalTime its global time */
  createFullSyncText(text: string, globalTime?: number): Message<TextPayload> {
    return this.createText('full-sync-text', text, globalTime === undefined ? {} : { globalTime });
  }

  /** @returns a `last-1-test` message @param text the text @param globalTime its global time */
  createLastSyncText(text: string, globalTime?: number): Message<TextPayload> {
    return this.createText('last-1-test', text, globalTime === undefined ? {} : { globalTime });
  }

  /** @returns a `last-9-test` message @param text the text @param globalTime its global time */
  createLast9Text(text: string, globalTime?: number): Message<TextPayload> {
    return this.createText('last-9-test', text, globalTime === undefined ? {} : { globalTime });
  }

  /** @returns a `sequence-text` message @param text the text @param globalTime its global time @param sequenceNumber its sequence number */
  createSequenceText(text: string, globalTime: number, sequenceNumber: number): Message<TextPayload> {
    return this.createText('sequence-text', text, { globalTime, sequenceNumber });
  }

  /** @returns a `batched-text` message @param text the text @param globalTime its global time */
  createBatchedText(text: string, globalTime?: number): Message<TextPayload> {
    return this.createText('batched-text', text, globalTime === undefined ? {} : { globalTime });
  }

  /** @returns a `full-sync-global-time-pruning-text` message @param text the text @param globalTime its global time */
  createPruningText(text: string, globalTime?: number): Message<TextPayload> {
    return this.createText('full-sync-global-time-pruning-text', text, globalTime === undefined ? {} : { globalTime });
  }

  /**
   * @param text the text
   * @param other the second signer (its private key signs too)
   * @param globalTime its global time
   * @returns a `last-1-doublemember-text` message signed by this node and `other` (not stored)
   */
  createLast1DoubleMemberText(text: string, other: DebugNode | PrivateKey, globalTime: number): Message<TextPayload> {
    const key = other instanceof DebugNode ? other.myMember : other;
    return this.createText('last-1-doublemember-text', text, { globalTime, members: [this.myMember, key] });
  }

  /**
   * The original's `create_double_signed_text`: a `double-signed-text` (103) signed by this node, with `other`'s
   * signature left empty (to be requested with `community.createSignatureRequest`). Not stored.
   * @param other the second member (its public key)
   * @param text the text (`Allow=True`, `Allow=Modify`, `Allow=Append`, `Allow=False` steer the co-signer)
   * @param options global time (default: claimed now), depth; `name` picks another double-signed meta
   * @returns the half-signed message
   */
  createDoubleSignedText(other: DebugNode | PublicKey, text: string, options: BuildOptions & { readonly name?: string } = {}): Message<TextPayload> {
    const key = other instanceof DebugNode ? other.publicKey : other;
    const { name = 'double-signed-text', ...rest } = options;
    return this.createText(name, text, { ...rest, members: [this.myMember, key] });
  }

  /**
   * The original's `create_double_signed_split_payload_text`: a `double-signed-text-split` (104), where this node
   * signs only up to the last `,` of the packet. Not stored.
   * @param other the second member
   * @param text the text
   * @param options global time, depth
   * @returns the half-signed message
   */
  createDoubleSignedSplitText(other: DebugNode | PublicKey, text: string, options: BuildOptions = {}): Message<TextPayload> {
    return this.createDoubleSignedText(other, text, { ...options, name: 'double-signed-text-split' });
  }

  /** @returns a `dispersy-missing-identity` request for `mid` @param mid the member id */
  createMissingIdentity(mid: Uint8Array): Message {
    return this.build('dispersy-missing-identity', { mid }, { globalTime: this.community.globalTime });
  }

  #row(message: Message): { packet: Uint8Array; undone: number; id: number } | undefined {
    const community = this.community;
    const creator = message.members[0];
    if (creator === undefined) return undefined;
    const member = community.node.members.idOf(creator);
    return community.storage.get(member, message.globalTime);
  }

  /**
   * @param message a message
   * @returns whether this exact packet is stored
   */
  isStored(message: Message): boolean {
    const row = this.#row(message);
    return row !== undefined && equal(row.packet, message.packet);
  }

  /**
   * Asserts that the message is stored, live (undone = 0) and byte-identical.
   * @param message the message
   * @throws Error otherwise
   */
  assertStored(message: Message): void {
    const row = this.#row(message);
    if (row === undefined) throw new Error(`${describe(message)} is not stored`);
    if (!equal(row.packet, message.packet)) throw new Error(`${describe(message)}: another packet is stored`);
    if (row.undone !== 0) throw new Error(`${describe(message)} is undone (${row.undone})`);
  }

  /**
   * Asserts that this exact packet is not stored.
   * @param message the message
   * @throws Error otherwise
   */
  assertNotStored(message: Message): void {
    if (this.isStored(message)) throw new Error(`${describe(message)} is stored`);
  }

  /**
   * Asserts that the message is stored and undone — by `undoneBy` when given.
   * @param message the message
   * @param undoneBy the undo message
   * @throws Error otherwise
   */
  assertUndone(message: Message, undoneBy?: Message): void {
    const row = this.#row(message);
    if (row === undefined || !equal(row.packet, message.packet)) throw new Error(`${describe(message)} is not stored`);
    if (row.undone === 0) throw new Error(`${describe(message)} is not undone`);
    if (undoneBy !== undefined) {
      const undo = this.#row(undoneBy);
      if (undo === undefined || row.undone !== undo.id) throw new Error(`${describe(message)} is not undone by ${describe(undoneBy)}`);
    }
  }

  /**
   * Asserts how many rows of a meta this node stores.
   * @param meta the meta name
   * @param count the expected count
   * @throws Error otherwise
   */
  assertCount(meta: string, count: number): void {
    const actual = this.storedPackets(meta).length;
    if (actual !== count) throw new Error(`expected ${count} ${meta} rows, found ${actual}`);
  }

  /**
   * @param meta the meta name
   * @returns the stored packets of that meta, by global time
   */
  storedPackets(meta: string): Uint8Array[] {
    const community = this.community;
    return [...community.storage.store.sync.iterateByMeta(community.storage.metaId(meta))].map((row) => row.packet);
  }

  /**
   * @param meta the meta name
   * @returns the stored messages of that meta, decoded, by global time
   */
  storedMessages<T = TextPayload>(meta: string): Message<T>[] {
    const community: Community = this.community;
    return this.storedPackets(meta).map((packet) => {
      const conversion = conversionForPacket(community.conversions, packet);
      if (conversion === undefined) throw new Error('stored packet of an unknown conversion');
      return toMessage(conversion.decode(packet, { verify: false }), undefined) as Message<T>;
    });
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function describe(message: Message): string {
  return `${message.name}@${message.globalTime}${message.sequenceNumber === undefined ? '' : `#${message.sequenceNumber}`}`;
}
