/**
 * The candidate-walker RULES the runtime uses until `@dispersy/walker` is integrated (spec §7): my own addresses,
 * address validity, how incoming walker messages update the candidate table (stumble, walk reply, intro), whom to
 * walk to (§7.4) and whom to introduce (§7.7). Everything walker-specific that the built-in behaviours need is in
 * this ONE module, so replacing it with the walker package is a local change.
 *
 * Simplifications (DECISIONS.md, part B): my LAN = WAN = the endpoint's address and my connection type is
 * `unknown` (no WAN voting, no NAT classification); "in my LAN" is the original's fallback rule (RFC 1918 ranges
 * or my own host); candidates are not merged by `filter_duplicate_candidate`.
 */
import type { ConnectionType } from '@dispersy/codec';
import { NO_ADDRESS, sameAddress, type Address, type PacketSource } from '@dispersy/interfaces';
import { Candidate, type CandidateCategory, type CandidateLike } from './candidates.ts';
import type { Community } from './community.ts';

/** Seconds between two steps of the periodic walker (`TAKE_STEP_INTERVAL`). */
export const TAKE_STEP_INTERVAL = 5;

/** My addresses and connection type as the walker messages carry them. */
export interface LocalAddresses {
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
}

/**
 * My LAN and WAN addresses and connection type. Without WAN voting both are the endpoint's address.
 * @param c the community
 * @returns the addresses
 * @example `const { lan, wan } = localAddresses(community);`
 */
export function localAddresses(c: Community): LocalAddresses {
  const address = c.node.address;
  return { lan: address, wan: address, connectionType: 'unknown' };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function octets(host: string): number[] | undefined {
  const match = IPV4.exec(host);
  if (match === null) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/**
 * `is_valid_address` (spec §7.1): a dotted-quad IPv4 host other than `0.0.0.0` and a port in 1..65535.
 * @param address an address
 * @returns whether it is usable
 * @example `isValidAddress({ host: '10.0.0.1', port: 6421 }) // true`
 */
export function isValidAddress(address: Address): boolean {
  return address.host !== NO_ADDRESS.host && octets(address.host) !== undefined && Number.isInteger(address.port) && address.port > 0 && address.port <= 65_535;
}

/**
 * @param address an address
 * @returns whether it is `0.0.0.0:0` (nobody introduced)
 * @example `isNoAddress(payload.lanIntroductionAddress)`
 */
export function isNoAddress(address: Address): boolean {
  return sameAddress(address, NO_ADDRESS);
}

/**
 * "Is in my LAN", the original's fallback rule: an RFC 1918 address (10/8, 172.16/12, 192.168/16) or my own host.
 * @param c the community
 * @param host an IPv4 host
 * @returns whether it is in my LAN
 * @example `inMyLan(community, '192.168.1.7') // true`
 */
export function inMyLan(c: Community, host: string): boolean {
  const o = octets(host);
  if (o === undefined) return false;
  const [a, b] = o as [number, number, number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || host === localAddresses(c).lan.host;
}

function lanOf(candidate: CandidateLike): Address {
  return candidate instanceof Candidate ? candidate.lanAddress : candidate.address;
}

function wanOf(candidate: CandidateLike): Address {
  return candidate instanceof Candidate ? candidate.wanAddress : candidate.address;
}

/**
 * A candidate's LAN and WAN addresses as known here (its socket address for candidate sets without them).
 * @param candidate a candidate
 * @returns both addresses
 * @example `const { lan, wan } = candidateAddresses(introduced);`
 */
export function candidateAddresses(candidate: CandidateLike): { readonly lan: Address; readonly wan: Address } {
  return { lan: lanOf(candidate), wan: wanOf(candidate) };
}

function connectionOf(candidate: CandidateLike): ConnectionType {
  return candidate instanceof Candidate ? candidate.connectionType : 'unknown';
}

/** Adds or updates a candidate; an unusable address (a spoofed `0.0.0.0`) yields undefined instead of throwing. */
function upsert(c: Community, address: Address, options: Parameters<Community['addCandidate']>[1]): CandidateLike | undefined {
  if (!isValidAddress(address)) return undefined;
  return c.addCandidate(address, options);
}

function setConnectionType(candidate: CandidateLike, reported: ConnectionType, lan: Address, wan: Address): void {
  // WalkCandidate.update: `unknown` with LAN == WAN means public.
  if (candidate instanceof Candidate) candidate.connectionType = reported === 'unknown' && sameAddress(lan, wan) ? 'public' : reported;
}

/**
 * The peer behind an incoming introduction-request or -response, with its addresses estimated from the socket
 * address (`estimate_lan_and_wan_addresses`): in my LAN → its LAN is the socket address, else its WAN is.
 * @param c the community
 * @param source where the packet came from
 * @param reportedLan the LAN address it reported
 * @param reportedWan the WAN address it reported
 * @param connectionType the connection type it reported
 * @param category `'stumble'` (it walked to us), `'walk'` (it answered our request)
 * @returns the candidate (undefined for an unusable socket address)
 * @example `const requester = updateFromWalker(c, m.source, p.sourceLanAddress, p.sourceWanAddress, p.connectionType, 'stumble');`
 */
export function updateFromWalker(
  c: Community,
  source: PacketSource,
  reportedLan: Address,
  reportedWan: Address,
  connectionType: ConnectionType,
  category: 'stumble' | 'walk',
): CandidateLike | undefined {
  const now = c.clock.now();
  const local = inMyLan(c, source.address.host);
  const lan = local ? source.address : reportedLan;
  const wan = local ? reportedWan : source.address;
  const candidate = upsert(c, source.address, { tunnel: source.tunnel, lanAddress: lan, wanAddress: wan, ...(category === 'stumble' ? { category } : {}) });
  if (candidate === undefined) return undefined;
  setConnectionType(candidate, connectionType, lan, wan);
  if (category === 'walk') noteWalkReply(c, candidate, now);
  return candidate;
}

/**
 * A peer introduced to us by an introduction-response (spec §7.8): we talk to its LAN address when its WAN IP is
 * ours, else to its WAN address; it enters the intro category. An existing candidate keeps its tunnel flag.
 * @param c the community
 * @param lan the introduced LAN address
 * @param wan the introduced WAN address
 * @param tunnel the response's tunnel flag
 * @returns the candidate, or undefined for an unusable address
 * @example `introducedCandidate(c, p.lanIntroductionAddress, p.wanIntroductionAddress, p.tunnel)`
 */
export function introducedCandidate(c: Community, lan: Address, wan: Address, tunnel: boolean): CandidateLike | undefined {
  const sock = wan.host === localAddresses(c).wan.host ? lan : wan;
  const known = c.candidates.get(sock) !== undefined;
  const candidate = upsert(c, sock, { category: 'intro', lanAddress: lan, wanAddress: wan, ...(known ? {} : { tunnel }) });
  if (candidate !== undefined && !known) setConnectionType(candidate, 'unknown', lan, wan);
  return candidate;
}

/**
 * The peer behind a dispersy-puncture: it enters the intro category (not stumble), connection type unknown.
 * @param c the community
 * @param source where the puncture came from
 * @param lan its reported LAN address
 * @param wan its reported WAN address
 * @returns the candidate, or undefined
 * @example `puncturedCandidate(c, m.source, p.sourceLanAddress, p.sourceWanAddress)`
 */
export function puncturedCandidate(c: Community, source: PacketSource, lan: Address, wan: Address): CandidateLike | undefined {
  return upsert(c, source.address, { category: 'intro', tunnel: source.tunnel, lanAddress: lan, wanAddress: wan });
}

/**
 * Where a puncture-request asks us to puncture (spec §7.8): the walker's LAN address when its WAN IP is ours, else
 * its WAN address — the known candidate there (keeping its tunnel flag), or a bare non-tunnelled destination.
 * @param c the community
 * @param lanWalker the walker's LAN address
 * @param wanWalker the walker's WAN address
 * @returns the destination
 * @example `community.create('dispersy-puncture', payload, { destinations: [punctureTarget(c, lan, wan)] })`
 */
export function punctureTarget(c: Community, lanWalker: Address, wanWalker: Address): CandidateLike | PacketSource {
  const sock = wanWalker.host === localAddresses(c).wan.host ? lanWalker : wanWalker;
  return c.candidates.get(sock) ?? { address: sock, tunnel: false };
}

/**
 * `candidate.walk(now)`: we are about to send it an introduction-request.
 * @param c the community
 * @param candidate the walk destination
 * @param now the time
 * @example `noteWalk(community, candidate, community.clock.now())`
 */
export function noteWalk(c: Community, candidate: CandidateLike, now: number): void {
  if (candidate instanceof Candidate) candidate.lastWalk = now;
  else c.addCandidate(candidate.address, {});
}

/**
 * `candidate.walk_response(now)`: it answered (walk category), or `now = -1` after a timeout (never walk).
 * @param c the community
 * @param candidate the candidate
 * @param now the time, or -1
 * @example `noteWalkReply(community, helper, -1) // after a timeout`
 */
export function noteWalkReply(c: Community, candidate: CandidateLike, now: number): void {
  if (candidate instanceof Candidate) candidate.lastWalkReply = now;
  else if (now >= 0) c.addCandidate(candidate.address, { category: 'walk' });
}

function timestampOf(candidate: CandidateLike, category: CandidateCategory): number {
  if (!(candidate instanceof Candidate)) return 0;
  return { walk: candidate.lastWalk, stumble: candidate.lastStumble, intro: candidate.lastIntro, discovered: candidate.lastDiscovered }[category];
}

/**
 * `dispersy_get_walk_candidate` (spec §7.4): removes candidates without a category, then picks among those
 * eligible for a walk (last walk ≥ 27.5 s ago) the oldest of each category and chooses a category with odds
 * walk 47.5 %, stumble 23.75 %, intro 23.75 %, discovered 5 % (falling back as the original does).
 * @param c the community (its seeded random source decides)
 * @returns the candidate to walk to, or undefined when there is none
 * @example `const next = chooseWalkCandidate(community);`
 */
export function chooseWalkCandidate(c: Community): CandidateLike | undefined {
  const now = c.clock.now();
  const oldest = new Map<CandidateCategory, { candidate: CandidateLike; at: number }>();
  for (const candidate of c.candidates.list()) {
    const category = candidate.category(now);
    if (category === 'none') {
      c.candidates.remove(candidate.address);
      continue;
    }
    if (candidate instanceof Candidate && !candidate.isEligibleForWalk(now)) continue;
    const at = timestampOf(candidate, category);
    const best = oldest.get(category);
    if (best === undefined || at < best.at) oldest.set(category, { candidate, at });
  }
  if (oldest.size === 0) return undefined;
  const [walk, stumble, intro, discovered] = (['walk', 'stumble', 'intro', 'discovered'] as const).map((k) => oldest.get(k)?.candidate);
  for (;;) {
    const r1 = c.random.next();
    const r2 = c.random.next();
    const stumbleOrIntro = r2 < 0.5 ? (stumble ?? intro) : (intro ?? stumble);
    const pick = r1 <= 0.475 ? (walk ?? stumbleOrIntro ?? discovered) : r1 <= 0.95 ? (stumbleOrIntro ?? walk ?? discovered) : discovered;
    if (pick !== undefined) return pick;
  }
}

const CURSORS = new WeakMap<Community, Map<'walk' | 'stumble', string>>();

/**
 * `dispersy_get_introduce_candidate(exclude)` in a simple form (spec §7.7): round robin over the walk and the
 * stumble candidates (insertion order; strict: both addresses known), starting with either at 50 %. Never the
 * requester itself, never a tunnelled peer for a non-tunnelled requester, never a symmetric-NAT peer behind
 * another WAN IP for a symmetric-NAT requester.
 * @param c the community
 * @param exclude the requester
 * @returns the candidate to introduce, or undefined
 * @example `const introduced = chooseIntroduceCandidate(community, requester);`
 */
export function chooseIntroduceCandidate(c: Community, exclude: CandidateLike | undefined): CandidateLike | undefined {
  const now = c.clock.now();
  let cursors = CURSORS.get(c);
  if (cursors === undefined) CURSORS.set(c, (cursors = new Map()));
  const all = c.candidates.list();
  const allowed = (x: CandidateLike): boolean => {
    if (isNoAddress(lanOf(x)) || isNoAddress(wanOf(x))) return false;
    if (exclude === undefined) return true;
    if (x.key === exclude.key || (!exclude.tunnel && x.tunnel)) return false;
    const symmetric = connectionOf(x) === 'symmetric-NAT' && connectionOf(exclude) === 'symmetric-NAT';
    return !(symmetric && wanOf(x).host !== wanOf(exclude).host);
  };
  const pick = (category: 'walk' | 'stumble'): CandidateLike | undefined => {
    const list = all.filter((x) => x.category(now) === category);
    if (list.length === 0) return undefined;
    const last = cursors.get(category);
    const start = last === undefined ? 0 : list.findIndex((x) => x.key === last) + 1;
    for (let i = 0; i < list.length; i++) {
      const x = list[(start + i) % list.length] as CandidateLike;
      if (allowed(x)) {
        cursors.set(category, x.key);
        return x;
      }
    }
    return undefined;
  };
  return c.random.next() <= 0.5 ? (pick('walk') ?? pick('stumble')) : (pick('stumble') ?? pick('walk'));
}
