/**
 * One peer at one socket address: the original's `WalkCandidate` (spec §7.1, §7.2).
 *
 * A candidate carries the address packets come from (`address`, the original's `sock_addr`), whether they are
 * tunnelled, the peer's LAN and WAN addresses as reported (or estimated), its connection type, at most one
 * associated member, the highest global time it reported, and the five timestamps that decide its category.
 */
import type { Address } from '@dispersy/interfaces';
import { addressKey, freezeAddress, isValidAddress, isZeroAddress } from './address.ts';
import {
  categoryAt,
  isEligibleForWalk,
  isVerifiedCategory,
  lastLiveCategory,
  WALK_REPLY_TIMED_OUT,
  type CandidateCategory,
  type CategoryTimestamps,
} from './categories.ts';

/** A peer's NAT situation (spec §7.9), as the introduction messages carry it. */
export type ConnectionType = 'public' | 'symmetric-NAT' | 'unknown';

/** Options of {@link WalkCandidate}. */
export interface WalkCandidateInit {
  /** The socket address packets come from and go to; must be valid. */
  readonly address: Address;
  /** Packets to it carry the `FF FF FF FF` tunnel prefix. @default false */
  readonly tunnel?: boolean;
  /** Its LAN address; `0.0.0.0:0` when unknown. @default address */
  readonly lan?: Address;
  /** Its WAN address; `0.0.0.0:0` when unknown. @default address */
  readonly wan?: Address;
  /** @default 'unknown' */
  readonly connectionType?: ConnectionType;
  /** The associated member id (lowercase hex), when known. */
  readonly memberId?: string;
}

/** A plain, JSON-friendly view of a candidate (for APIs and logs). */
export interface CandidateSnapshot {
  readonly address: Address;
  readonly tunnel: boolean;
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
  readonly category: CandidateCategory;
  readonly memberId: string | undefined;
  readonly globalTime: number;
}

/**
 * Re-homes a candidate to a new socket address. Module-internal: only {@link CandidateTable} may move a candidate,
 * because the table is keyed by address.
 * @internal
 */
export const MOVE_TO: unique symbol = Symbol('@dispersy/walker.moveTo');

function assertLanWan(value: Address, name: string): Address {
  if (!isZeroAddress(value) && !isValidAddress(value)) {
    throw new RangeError(`${name} must be a valid address or 0.0.0.0:0, got ${addressKey(value)}`);
  }
  return freezeAddress(value);
}

function assertTime(now: number, name = 'now'): void {
  if (!Number.isFinite(now)) throw new RangeError(`${name} must be a finite number of seconds, got ${now}`);
}

/**
 * A walk candidate.
 *
 * @example
 * ```ts
 * const c = new WalkCandidate({ address: { host: '1.2.3.4', port: 6421 } });
 * c.stumble(clock.now());
 * c.category(clock.now()); // 'stumble'
 * ```
 */
export class WalkCandidate implements CategoryTimestamps {
  #address: Address;
  #tunnel: boolean;
  #lan: Address;
  #wan: Address;
  #connectionType: ConnectionType;
  #memberId: string | undefined;
  #globalTime = 0;
  #lastWalk = 0;
  #lastWalkReply = 0;
  #lastStumble = 0;
  #lastIntro = 0;
  #lastDiscovered = 0;
  #lifeSupport = false;
  /** The last real reply time, kept across timeouts (which set `lastWalkReply` to −1) for life support. */
  #lastGoodReply = 0;
  /**
   * Keep-alive (the original's `set_keepalive`, used by trackers, not by Dispersy itself): when this candidate
   * would become obsolete, the table's cleanup puts it on life support once and the walker sends it a keep-alive
   * introduction-request. @default false
   */
  keepAlive = false;

  /**
   * @param init address, tunnel, LAN, WAN, connection type, member
   * @throws RangeError when `address` is not a valid address, or LAN/WAN are neither valid nor `0.0.0.0:0`
   */
  constructor(init: WalkCandidateInit) {
    const address: Address | undefined = init.address;
    if (!isValidAddress(address)) throw new RangeError(`address must be a valid IPv4 socket address, got ${JSON.stringify(init.address)}`);
    this.#address = freezeAddress(address);
    this.#tunnel = init.tunnel ?? false;
    this.#lan = assertLanWan(init.lan ?? this.#address, 'lan');
    this.#wan = assertLanWan(init.wan ?? this.#address, 'wan');
    this.#connectionType = init.connectionType ?? 'unknown';
    this.#memberId = init.memberId;
  }

  /** The socket address (the original's `sock_addr`). */
  get address(): Address {
    return this.#address;
  }
  /** `host:port` of {@link address}: the table key. */
  get key(): string {
    return addressKey(this.#address);
  }
  /** Packets to it carry the tunnel prefix. */
  get tunnel(): boolean {
    return this.#tunnel;
  }
  /** Its LAN address (`0.0.0.0:0` when unknown). */
  get lan(): Address {
    return this.#lan;
  }
  /** Its WAN address (`0.0.0.0:0` when unknown). */
  get wan(): Address {
    return this.#wan;
  }
  /** Its connection type. */
  get connectionType(): ConnectionType {
    return this.#connectionType;
  }
  /** The associated member id (hex), if any. */
  get memberId(): string | undefined {
    return this.#memberId;
  }
  /** The highest global time it reported. */
  get globalTime(): number {
    return this.#globalTime;
  }
  /** When we last sent it an introduction-request (0 = never). */
  get lastWalk(): number {
    return this.#lastWalk;
  }
  /** When its last introduction-response arrived (0 = never, −1 = the last request timed out). */
  get lastWalkReply(): number {
    return this.#lastWalkReply;
  }
  /** When its last introduction-request arrived (0 = never). */
  get lastStumble(): number {
    return this.#lastStumble;
  }
  /** When it was last introduced to us or punctured us (0 = never). */
  get lastIntro(): number {
    return this.#lastIntro;
  }
  /** When it was last discovered (0 = never). */
  get lastDiscovered(): number {
    return this.#lastDiscovered;
  }
  /** Whether it is on keep-alive life support (see {@link enterLifeSupport}). */
  get onLifeSupport(): boolean {
    return this.#lifeSupport;
  }

  /**
   * We are about to send it an introduction-request.
   * @param now current time in seconds
   * @throws RangeError when `now` is not finite
   */
  walk(now: number): void {
    assertTime(now);
    this.#lastWalk = now;
  }

  /**
   * Its introduction-response arrived (→ walk category), or, with {@link WALK_REPLY_TIMED_OUT}, our request timed
   * out (→ never walk category until the next response).
   * @param now current time in seconds, or −1
   * @throws RangeError when `now` is not finite
   */
  walkResponse(now: number): void {
    assertTime(now);
    this.#lastWalkReply = now;
    if (now > this.#lastGoodReply) this.#lastGoodReply = now;
  }

  /** Our introduction-request to it timed out: `lastWalkReply = −1` (spec §7.2). */
  walkTimeout(): void {
    this.#lastWalkReply = WALK_REPLY_TIMED_OUT;
  }

  /** Its introduction-request arrived (→ stumble category). @param now current time in seconds @throws RangeError when `now` is not finite */
  stumble(now: number): void {
    assertTime(now);
    this.#lastStumble = now;
  }

  /** It was introduced to us, or its puncture arrived (→ intro category). @param now current time in seconds @throws RangeError when `now` is not finite */
  intro(now: number): void {
    assertTime(now);
    this.#lastIntro = now;
  }

  /** It was discovered by bootstrap or the discovery community (→ discovered category). @param now current time in seconds @throws RangeError when `now` is not finite */
  discovered(now: number): void {
    assertTime(now);
    this.#lastDiscovered = now;
  }

  /** Records a global time it reported; keeps the maximum. @param globalTime a reported global time */
  reportGlobalTime(globalTime: number): void {
    if (globalTime > this.#globalTime) this.#globalTime = globalTime;
  }

  /** Associates a member (after a signed message from this address). @param memberId the member id, hex */
  associate(memberId: string): void {
    this.#memberId = memberId;
  }

  /**
   * Applies what the peer reported about itself (spec §7.1 `update`).
   *
   * Quirk 5 (spec §15), FIXED: the original replaces the stored LAN (WAN) only when the STORED value is non-zero,
   * which is inverted (an unknown address could never be learned and a known one was overwritten by zeros). Here a
   * REPORTED address replaces the stored one only when it is valid; `0.0.0.0:0` or garbage keeps what we know.
   * The connection type becomes `public` when the peer reports `unknown` with a valid LAN equal to its WAN,
   * otherwise the reported type (a peer may reset its own type to unknown).
   *
   * @param tunnel whether its packets are tunnelled
   * @param lan its reported (or estimated) LAN address
   * @param wan its reported (or estimated) WAN address
   * @param connectionType its reported connection type
   * @example
   * ```ts
   * c.update(false, { host: '192.168.1.2', port: 7 }, NO_ADDRESS, 'unknown'); // LAN learned, WAN kept
   * ```
   */
  update(tunnel: boolean, lan: Address, wan: Address, connectionType: ConnectionType): void {
    this.#tunnel = tunnel;
    if (isValidAddress(lan)) this.#lan = freezeAddress(lan);
    if (isValidAddress(wan)) this.#wan = freezeAddress(wan);
    this.#connectionType =
      connectionType === 'unknown' && isValidAddress(lan) && lan.host === wan.host && lan.port === wan.port
        ? 'public'
        : connectionType;
  }

  /**
   * Absorbs a duplicate of the same peer (spec §7.1 `merge`): takes its member if it has one, and the maximum of
   * every timestamp and of the global time. Life support and keep-alive carry over when either has them.
   * @param other the duplicate
   */
  merge(other: WalkCandidate): void {
    if (other.#memberId !== undefined) this.#memberId = other.#memberId;
    this.#lastWalk = Math.max(this.#lastWalk, other.#lastWalk);
    this.#lastWalkReply = Math.max(this.#lastWalkReply, other.#lastWalkReply);
    this.#lastGoodReply = Math.max(this.#lastGoodReply, other.#lastGoodReply);
    this.#lastStumble = Math.max(this.#lastStumble, other.#lastStumble);
    this.#lastIntro = Math.max(this.#lastIntro, other.#lastIntro);
    this.#lastDiscovered = Math.max(this.#lastDiscovered, other.#lastDiscovered);
    this.#globalTime = Math.max(this.#globalTime, other.#globalTime);
    this.keepAlive ||= other.keepAlive;
    this.#lifeSupport ||= other.#lifeSupport;
  }

  /**
   * The category at `now` (spec §7.2). Pure: life support is applied by the table's cleanup, not here.
   * @param now current time in seconds
   * @returns walk, stumble, intro, discovered or none
   */
  category(now: number): CandidateCategory {
    return categoryAt(this, now);
  }

  /** Walk eligibility (spec §7.2, quirk 4 as intended). @param now a time in seconds @returns eligibility */
  isEligibleForWalk(now: number): boolean {
    return isEligibleForWalk(this, now);
  }

  /** @param now current time in seconds @returns whether it is verified (walk or stumble category) */
  isVerified(now: number): boolean {
    return isVerifiedCategory(this.category(now));
  }

  /**
   * Life support (spec §7.2 keep-alive): when a keep-alive candidate becomes obsolete and is not already on life
   * support, it is kept for one more lifetime of the category it was in, and the caller must send it a keep-alive
   * introduction-request (advice false, no sync). If that request times out (walk category: `lastWalkReply = −1`)
   * or the lifetime passes without an accepted introduction-response (see {@link leaveLifeSupport}), the candidate
   * becomes obsolete for good.
   *
   * Deviation, documented: the original resets all four category timestamps to `now`, which silently promotes a
   * stumble/intro/discovered candidate to the (verified) walk category. We refresh only the timestamp of the
   * category it was in, so it keeps its category.
   *
   * @param now current time in seconds
   * @returns the category it keeps, or `'none'` when life support does not apply (not keep-alive, already on life
   *   support, or never in any category)
   */
  enterLifeSupport(now: number): CandidateCategory {
    if (!this.keepAlive || this.#lifeSupport) return 'none';
    // a timed-out request (lastWalkReply = −1) does not erase that the peer was in the walk category
    const previous = lastLiveCategory({ ...this.#stamps(), lastWalkReply: Math.max(this.#lastWalkReply, this.#lastGoodReply) });
    switch (previous) {
      case 'walk':
        this.#lastWalkReply = now;
        break;
      case 'stumble':
        this.#lastStumble = now;
        break;
      case 'intro':
        this.#lastIntro = now;
        break;
      case 'discovered':
        this.#lastDiscovered = now;
        break;
      case 'none':
        return 'none';
    }
    this.#lifeSupport = true;
    return previous;
  }

  #stamps(): CategoryTimestamps {
    return {
      lastWalk: this.#lastWalk,
      lastWalkReply: this.#lastWalkReply,
      lastStumble: this.#lastStumble,
      lastIntro: this.#lastIntro,
      lastDiscovered: this.#lastDiscovered,
    };
  }

  /** An introduction-response from it was accepted: it is alive, life support ends. */
  leaveLifeSupport(): void {
    this.#lifeSupport = false;
  }

  /**
   * The original's equality: same member when both have one, else the same socket address.
   * @param other another candidate
   * @returns whether they denote the same peer
   */
  equals(other: WalkCandidate): boolean {
    if (this.#memberId !== undefined && other.#memberId !== undefined) return this.#memberId === other.#memberId;
    return this.key === other.key;
  }

  /**
   * A plain snapshot for APIs and logs.
   * @param now current time in seconds (for the category)
   * @returns the snapshot
   */
  snapshot(now: number): CandidateSnapshot {
    return {
      address: this.#address,
      tunnel: this.#tunnel,
      lan: this.#lan,
      wan: this.#wan,
      connectionType: this.#connectionType,
      category: this.category(now),
      memberId: this.#memberId,
      globalTime: this.#globalTime,
    };
  }

  /**
   * Moves it to a new socket address (symmetric-NAT port change). The side (LAN or WAN) that equalled the old
   * socket address follows it. Only {@link CandidateTable} calls this.
   * @internal
   */
  [MOVE_TO](address: Address): void {
    const next = freezeAddress(address);
    const old = this.#address;
    if (this.#wan.host === old.host && this.#wan.port === old.port) this.#wan = next;
    else if (this.#lan.host === old.host && this.#lan.port === old.port) this.#lan = next;
    else if (isZeroAddress(this.#wan)) this.#wan = next;
    this.#address = next;
  }

  /** @returns `{host:port}` or `{lan wan}` like the original's `__str__`. */
  toString(): string {
    const sock = this.key;
    const lan = addressKey(this.#lan);
    const wan = addressKey(this.#wan);
    return sock === lan && sock === wan ? `{${sock}}` : `{${sock} ${lan} ${wan}}`;
  }
}
