/**
 * Wiring `@dispersy/walker` into the runtime (spec §7): the node's {@link WanVoting} (ONE per node, shared by the
 * walkers of all its communities, so a WAN change seen in one community reaches all of them), each community's
 * {@link Walker}, the symmetric-NAT port-change lookup on incoming packets (§12.2 step 2), sending what the walker
 * decides (signed and encoded by the community), and the drop reasons of the walker's checks (§7.8).
 *
 * My LAN address is the endpoint's address (the UDP endpoint's bound address; bound to 127.0.0.1 it is 127.0.0.1 —
 * the original blacklisted loopback and advertised an address nobody listened on). My WAN address starts equal to
 * it and follows the votes of peers outside my LAN.
 */
import type { Address, PacketSource } from '@dispersy/interfaces';
import {
  createLanTest,
  isValidAddress,
  Walker,
  WanVoting,
  type Incoming,
  type LocalAddresses,
  type MessageContext,
  type NetworkInterface,
  type OutgoingMessage,
  type RejectionReason,
} from '@dispersy/walker';
import type { Community } from './community.ts';
import { toHex } from './internal/bytes.ts';
import type { Message } from './message.ts';
import type { IncomingPacket } from './pipeline.ts';

/** The drop reason of each walker check (spec §7.6–7.8) as counted in `community.statistics` (stage `message`). */
export const WALKER_DROP_REASONS: Readonly<Record<RejectionReason, string>> = Object.freeze({
  OWN_MEMBER: 'introduction_request_from_self',
  UNKNOWN_IDENTIFIER: 'invalid_response_identifier',
  DUPLICATE_IDENTIFIER: 'duplicate_identifier',
  INVALID_LAN_INTRODUCTION: 'invalid_lan_introduction',
  INVALID_WAN_INTRODUCTION: 'invalid_wan_introduction',
  INTRODUCED_MY_WAN: 'introduced_my_wan',
  INTRODUCED_MY_LAN: 'introduced_my_lan',
  PUNCTURE_HERSELF_LAN: 'puncture_herself_lan',
  PUNCTURE_HERSELF_WAN: 'puncture_herself_wan',
  INVALID_LAN_WALKER: 'invalid_lan_walker',
  INVALID_WAN_WALKER: 'invalid_wan_walker',
  PUNCTURE_MYSELF_WAN: 'puncture_myself_wan',
  PUNCTURE_MYSELF_LAN: 'puncture_myself_lan',
  INVALID_SOURCE: 'invalid_source',
});

/** Drop reason of a puncture whose identifier is not an outstanding introduction-request. */
export const INVALID_PUNCTURE_IDENTIFIER = 'invalid_puncture_identifier';

/**
 * The counted drop reason of a walker rejection.
 * @param reason the walker's reason
 * @param kind the rejected message: an unknown identifier is `invalid_response_identifier` for a response (the
 *   original's statistic) and `invalid_puncture_identifier` for a puncture
 * @returns the reason label
 * @example `dropVerdict(walkerDropReason('INTRODUCED_MY_WAN')) // 'introduced_my_wan'`
 */
export function walkerDropReason(reason: RejectionReason, kind: 'response' | 'puncture' | 'other' = 'other'): string {
  if (reason === 'UNKNOWN_IDENTIFIER' && kind === 'puncture') return INVALID_PUNCTURE_IDENTIFIER;
  return WALKER_DROP_REASONS[reason];
}

/**
 * The node's WAN voting (spec §7.9): LAN = the endpoint's address, WAN = LAN until peers outside my LAN vote.
 * @param lan the endpoint's address
 * @param isInMyLan the LAN test
 * @returns the voting, shared by every community of the node
 * @throws RangeError when the endpoint's address is not a valid IPv4 address
 * @example `this.votes = createNodeVoting(endpoint.address, isInMyLan);`
 */
export function createNodeVoting(lan: Address, isInMyLan: (host: string) => boolean): WanVoting {
  return new WanVoting({ lan, isInMyLan });
}

/**
 * The "in my LAN" test of a node (spec §7.9): within a given interface's network, or — without an interface list —
 * the original's fallback rule (RFC 1918, or my own host).
 * @param lan my LAN address
 * @param interfaces the local IPv4 interfaces, if known
 * @returns the test
 * @example `nodeLanTest(endpoint.address, ipv4Interfaces())('192.168.1.7')`
 */
export function nodeLanTest(lan: Address, interfaces: readonly NetworkInterface[] = []): (host: string) => boolean {
  return createLanTest(interfaces, lan.host);
}

/**
 * The walker of a community: the node's shared voting, my member (its requests are dropped), the candidate bound
 * and the fast walker from the knobs. The community's runtime drives it (src/walk.ts, the walker behaviours).
 * @param c the community (constructed up to its clock, random source and knobs)
 * @returns the walker; `dispose()` it at unload
 * @example `this.walker = createCommunityWalker(this);`
 */
export function createCommunityWalker(c: Community): Walker {
  return new Walker(
    { clock: c.clock, random: c.random, votes: c.node.votes },
    {
      isInMyLan: c.node.isInMyLan,
      myMemberId: toHex(c.myMember.publicKey.mid),
      fastWalker: c.knobs.enableFastCandidateWalker,
      maxCandidates: c.knobs.maxCandidates,
    },
  );
}

/**
 * My LAN / WAN addresses and connection type, as this community's walker messages carry them.
 * @param c the community
 * @returns the addresses
 * @example `localAddresses(community).wan`
 */
export function localAddresses(c: Community): LocalAddresses {
  return c.walker.local;
}

/**
 * §12.2 step 2: a packet from an unknown port of a known symmetric-NAT peer re-homes that candidate to the new
 * port (`get_candidate(sock_addr, replace=True)`; its timestamps are kept, the old address's vote withdrawn). Each
 * distinct source is looked up once per call.
 * @param c the community
 * @param items received packets
 * @example `rehomeSources(community, items)` before the pipeline
 */
export function rehomeSources(c: Community, items: readonly IncomingPacket[]): void {
  const seen = new Set<string>();
  for (const { source } of items) {
    const key = `${source.address.host}:${source.address.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (isValidAddress(source.address)) c.walker.table.get(source.address, { replace: true });
  }
}

/**
 * The walker's view of a received message: its source, payload, signer (hex mid) and global time.
 * @param m a received walker message (with a source)
 * @param source its source
 * @returns the walker input
 * @example `c.walker.onIntroductionRequests(messages.map((m) => incomingOf(m, m.source!)))`
 */
export function incomingOf<P>(m: Message<P>, source: PacketSource): Incoming<P> {
  const member = m.members[0];
  const context: MessageContext = member === undefined ? { globalTime: m.globalTime } : { memberId: toHex(member.mid), globalTime: m.globalTime };
  return { source, payload: m.payload, context };
}

const MESSAGE_NAMES = {
  'introduction-request': 'dispersy-introduction-request',
  'introduction-response': 'dispersy-introduction-response',
  'puncture-request': 'dispersy-puncture-request',
  puncture: 'dispersy-puncture',
} as const;

/**
 * Signs, encodes and sends the responses, puncture-requests and punctures the walker decided, in order (each with
 * `update: false`: their own handle callbacks never run on them). Introduction-requests go through
 * `src/walk.ts` (sync section, statistics, expiry timer).
 * @param c the community
 * @param messages what the walker returned
 * @example `sendWalkerMessages(community, outcome.send)`
 */
export function sendWalkerMessages(c: Community, messages: readonly OutgoingMessage[]): void {
  for (const m of messages) {
    c.create(MESSAGE_NAMES[m.kind], m.payload, { destinations: [{ address: m.to, tunnel: m.tunnel }], update: false });
  }
}

const DISCOVERED = new WeakMap<Community, number>();

/**
 * Counts the walker's newly discovered candidates in `statistics.candidateDiscovered` (the original's
 * `total_candidates_discovered`).
 * @param c the community
 * @example `recordDiscovered(community)` after a walker step or handler
 */
export function recordDiscovered(c: Community): void {
  const total = c.walker.statistics.candidatesDiscovered;
  const delta = total - (DISCOVERED.get(c) ?? 0);
  DISCOVERED.set(c, total);
  if (delta > 0) c.statistics.candidateDiscovered(delta);
}
