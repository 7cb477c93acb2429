/**
 * The outgoing path (spec §1 "Outgoing", §4.5, §4.6 create phase, §12.2 steps 5–6): claim the global time (and
 * sequence number), encode and sign, store (sync metas), handle, forward to the destination's candidates.
 *
 * Forwarding: CandidateDestination → the explicit destinations; CommunityDestination / NHop → the explicit ones
 * plus random VERIFIED candidates until `nodeCount + explicit` destinations are reached. An NHop message whose
 * remaining depth is 0 is not sent. Quirk 14 decided: a forwarded packet keeps its original bytes — the depth
 * byte is covered by the signature, so it cannot be decremented without re-signing; receivers decrement in
 * memory, which is what stops the spread.
 */
import { conversionForMessage, conversionForPacket, HEADER_LENGTH, type MemberKey } from '@dispersy/codec';
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import type { Address, PacketSource } from '@dispersy/interfaces';
import type { CandidateLike } from './candidates.ts';
import type { Community } from './community.ts';
import { isSyncMeta } from './community-meta.ts';
import { bytesEqual } from './distribution.ts';
import { toMessage, type Message } from './message.ts';
import { resumeDelayed, storeMessages } from './pipeline-messages.ts';
import type { RuntimeMeta } from './runtime-meta.ts';

/** A destination: an address, a candidate, or the source of a received packet (tunnel flag included). */
export type Destination = Address | CandidateLike | PacketSource;

/** Options of `community.create`. */
export interface CreateOptions {
  /** Use this global time instead of claiming one (sync) or taking the current one (direct). */
  readonly globalTime?: number;
  /** Use this sequence number instead of claiming one. */
  readonly sequenceNumber?: number;
  /** The signer (MemberAuthentication). @default myMember */
  readonly signer?: PrivateKey;
  /** Sign with the master member's private key (only where the community was created). */
  readonly signWithMaster?: boolean;
  /** DoubleMemberAuthentication: both members; a public key leaves an empty signature to be requested. */
  readonly members?: readonly MemberKey[];
  /** DynamicResolution: the policy index written on the wire. */
  readonly resolutionIndex?: number;
  /** NHop: the depth byte. @default the meta's depth */
  readonly depth?: number;
  /** Explicit destinations. */
  readonly destinations?: readonly Destination[];
  /** Store it (sync metas). @default true */
  readonly store?: boolean;
  /** Call the handle callback. @default true */
  readonly update?: boolean;
  /** Send it to its destinations. @default true */
  readonly forward?: boolean;
}

/** Options of `community.storeUpdateForward`. */
export interface StoreUpdateForwardOptions {
  /** @default true */
  readonly store?: boolean;
  /** @default true */
  readonly update?: boolean;
  /** @default true */
  readonly forward?: boolean;
  /** Explicit destinations. */
  readonly destinations?: readonly Destination[];
}

/** What `community.encode` takes. */
export interface EncodeMessageInput {
  readonly globalTime: number;
  readonly payload: unknown;
  readonly sequenceNumber?: number;
  readonly signer?: PrivateKey;
  readonly members?: readonly MemberKey[];
  readonly resolutionIndex?: number;
  readonly depth?: number;
}

function requireMeta(c: Community, name: string): RuntimeMeta {
  const rt = c.metas.get(name);
  if (rt === undefined) throw new RangeError(`unknown meta-message ${JSON.stringify(name)}`);
  return rt;
}

function publicOf(key: MemberKey): PublicKey {
  return 'publicKey' in key ? key.publicKey : key;
}

/**
 * Encodes and signs a message without side effects, and decodes it back into a {@link Message}.
 * @param c the community
 * @param name the meta name
 * @param input section values, members and payload
 * @returns the message (no source)
 * @throws RangeError / TypeError for an unknown meta or bad input
 * @example `encodeMessage(community, 'full-sync-text', { globalTime: 10, payload: { text } })`
 */
export function encodeMessage(c: Community, name: string, input: EncodeMessageInput): Message {
  const rt = requireMeta(c, name);
  const conversion = conversionForMessage(c.conversions, name);
  if (conversion === undefined) throw new RangeError(`no conversion encodes ${name}`);
  const count = rt.meta.authentication.kind === 'none' ? 0 : rt.meta.authentication.kind === 'member' ? 1 : 2;
  const members: readonly MemberKey[] = count === 0 ? [] : (input.members ?? [input.signer ?? c.myMember]);
  const packet = conversion.encode(rt.meta, {
    ...(count === 0 ? {} : { members }),
    globalTime: input.globalTime,
    payload: input.payload,
    ...(input.sequenceNumber === undefined ? {} : { sequenceNumber: input.sequenceNumber }),
    ...(input.resolutionIndex === undefined ? {} : { resolutionIndex: input.resolutionIndex }),
    ...(input.depth === undefined ? {} : { depth: input.depth }),
  });
  const keys = members.map(publicOf);
  const decoded = conversion.decode(packet, {
    verify: false,
    allowEmptySignature: true,
    lookupMember: (mid) => keys.find((k) => bytesEqual(k.mid, mid)) ?? c.getMember(mid),
  });
  return toMessage(decoded, undefined);
}

/**
 * `community.create`: see {@link CreateOptions}.
 * @param c the community
 * @param name the meta name
 * @param payload the payload
 * @param options see {@link CreateOptions}
 * @returns the message
 * @throws RangeError for an unknown meta or a master signature without the master's private key
 * @example `createMessage(community, 'post', { text: 'hi' }, { forward: false })`
 */
export function createMessage(c: Community, name: string, payload: unknown, options: CreateOptions): Message {
  const rt = requireMeta(c, name);
  const meta = rt.meta;
  let signer = options.signer;
  if (options.signWithMaster === true) {
    if (c.masterPrivateKey === undefined) throw new RangeError('this node does not hold the master private key');
    signer = c.masterPrivateKey;
  }
  signer ??= c.myMember;
  const globalTime = options.globalTime ?? (isSyncMeta(meta) ? c.claimGlobalTime() : c.globalTime);
  let sequenceNumber: number | undefined;
  if (meta.distribution.kind === 'full-sync' && meta.distribution.sequenceNumbers) {
    sequenceNumber = options.sequenceNumber ?? c.claimSequenceNumber(name, signer);
    if (options.sequenceNumber !== undefined && c.isMyMember(signer)) c.noteSequenceNumber(name, sequenceNumber);
  } else if (options.sequenceNumber !== undefined) sequenceNumber = options.sequenceNumber;
  const message = encodeMessage(c, name, {
    globalTime,
    payload,
    ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
    ...(options.members === undefined ? { signer } : { members: options.members }),
    ...(options.resolutionIndex === undefined ? {} : { resolutionIndex: options.resolutionIndex }),
    ...(options.depth === undefined ? {} : { depth: options.depth }),
  });
  c.statistics.created(name);
  storeUpdateForward(c, [message], {
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.update === undefined ? {} : { update: options.update }),
    ...(options.forward === undefined ? {} : { forward: options.forward }),
    ...(options.destinations === undefined ? {} : { destinations: options.destinations }),
  });
  return message;
}

/**
 * `store_update_forward` for messages made here: stores them (sync metas, one transaction), calls the handle
 * callback with the stored ones, resumes delayed items waiting for them, and forwards all of them.
 * @param c the community
 * @param messages messages of one meta
 * @param options the steps and explicit destinations
 * @throws what the store or the handle callback throws (local API: errors reach the caller)
 * @example `storeUpdateForward(community, [message], { forward: false })`
 */
export function storeUpdateForward(c: Community, messages: readonly Message[], options: StoreUpdateForwardOptions): void {
  const first = messages[0];
  if (first === undefined) return;
  const rt = requireMeta(c, first.name);
  const stored = options.store === false || !isSyncMeta(rt.meta) ? messages : storeMessages(c, rt, messages);
  if (options.update !== false && rt.handle !== undefined && stored.length > 0) rt.handle(stored, c);
  if (options.store !== false && isSyncMeta(rt.meta)) resumeDelayed(c, stored);
  if (options.forward !== false) forwardMessages(c, messages, options.destinations ?? []);
}

/** Fisher–Yates with the community's (seeded) random source. */
function shuffled<T>(items: readonly T[], c: Community): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(c.random.next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface Target {
  readonly address: Address;
  readonly tunnel: boolean;
}

function targetOf(c: Community, destination: Destination): Target {
  if ('address' in destination) return { address: destination.address, tunnel: destination.tunnel };
  return { address: destination, tunnel: c.candidates.get(destination)?.tunnel ?? false };
}

function keyOf(address: Address): string {
  return `${address.host}:${address.port}`;
}

/**
 * Forwards messages (spec §12.2 step 6); see the module comment.
 * @param c the community
 * @param messages the messages
 * @param destinations explicit destinations
 * @returns how many datagrams were sent
 * @example `forwardMessages(community, [message], [candidate.address])`
 */
export function forwardMessages(c: Community, messages: readonly Message[], destinations: readonly Destination[]): number {
  let sent = 0;
  for (const message of messages) {
    const destination = message.meta.destination;
    if (destination.kind === 'nhop' && message.remainingDepth === 0) continue;
    const targets = new Map<string, Target>();
    for (const d of destinations) {
      const target = targetOf(c, d);
      targets.set(keyOf(target.address), target);
    }
    if (destination.kind !== 'candidate' && destination.nodeCount > 0) {
      const max = destination.nodeCount + targets.size;
      for (const candidate of shuffled(c.candidates.verifiedCandidates(c.clock.now()), c)) {
        if (targets.size >= max) break;
        if (!targets.has(candidate.key)) targets.set(candidate.key, { address: candidate.address, tunnel: candidate.tunnel });
      }
    }
    sendPackets(c, [message.packet], [...targets.values()].map((t) => ({ address: t.address, tunnel: t.tunnel })));
    sent += targets.size;
  }
  return sent;
}

/**
 * Sends packets to destinations through the node's endpoint, counting them per message name.
 * @param c the community
 * @param packets the packets
 * @param destinations where to
 * @example `sendPackets(community, [packet], [message.source!])`
 */
export function sendPackets(c: Community, packets: readonly Uint8Array[], destinations: readonly Destination[]): void {
  if (packets.length === 0 || destinations.length === 0) return;
  const targets = destinations.map((d) => targetOf(c, d));
  for (const packet of packets) {
    const name = packet.length >= HEADER_LENGTH
      ? conversionForPacket(c.conversions, packet)?.metaById(packet[HEADER_LENGTH - 1] as number)?.name ?? 'unknown'
      : 'unknown';
    for (const target of targets) {
      c.node.sendPacket(target.address, packet, target.tunnel);
      c.statistics.packetOut(name, packet.length);
    }
  }
}
