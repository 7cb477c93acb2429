/**
 * The candidates of one community (spec §7.2, §7.9): insertion-ordered, keyed by socket address, bounded.
 *
 * Bound (architecture.md "Bounded resources"): at most `maxSize` candidates (default 1,000). When a new candidate
 * does not fit, one is evicted in this order:
 * 1. the oldest (first inserted) candidate whose category is `none` (obsolete, would go at the next cleanup);
 * 2. else the `discovered` candidate with the oldest `lastDiscovered`;
 * 3. else the `intro` candidate with the oldest `lastIntro` (unverified hearsay);
 * 4. else the verified candidate with the oldest last contact (`max(lastWalkReply, lastStumble)`).
 * Every removal (eviction, cleanup, duplicate, explicit, re-home) is reported to `onRemove`, which the walker uses
 * to withdraw the removed address's WAN vote.
 */
import type { Address, Random } from '@dispersy/interfaces';
import { addressKey, isValidAddress, isZeroAddress } from './address.ts';
import { MOVE_TO, WalkCandidate, type ConnectionType, type WalkCandidateInit } from './candidate.ts';
import { isVerifiedCategory, type CandidateCategory } from './categories.ts';

/** Default bound of a {@link CandidateTable}. */
export const DEFAULT_MAX_CANDIDATES = 1000;

/** Why a candidate left the table (or, for `rehomed`, left its old address). */
export type RemovalReason = 'obsolete' | 'duplicate' | 'evicted' | 'removed' | 'own-address' | 'rehomed';

/** Options of {@link CandidateTable}. */
export interface CandidateTableInit {
  /** At most this many candidates. @default 1000 */
  readonly maxSize?: number;
  /**
   * Called for every removal, with the address the candidate had in the table (for `rehomed` the old address; the
   * candidate object has already moved).
   */
  readonly onRemove?: (candidate: WalkCandidate, reason: RemovalReason, address: Address) => void;
  /** Called when a candidate is added (the original's `total_candidates_discovered`). */
  readonly onAdd?: (candidate: WalkCandidate) => void;
}

/** Options of {@link CandidateTable.get}. */
export interface GetCandidateOptions {
  /** Move a matching symmetric-NAT candidate to the new address (port). @default false */
  readonly replace?: boolean;
  /** The LAN address the peer reports; a symmetric-NAT match needs an unknown or equal LAN. @default 0.0.0.0:0 */
  readonly lanAddress?: Address;
}

/** The candidate fields {@link CandidateTable.upsert} applies. */
export interface CandidateReport {
  readonly address: Address;
  readonly tunnel: boolean;
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
}

/** What {@link CandidateTable.cleanup} did. */
export interface CleanupResult {
  /** Obsolete candidates removed (their votes withdrawn through `onRemove`). */
  readonly removed: WalkCandidate[];
  /** Keep-alive candidates put on life support: send each a keep-alive introduction-request. */
  readonly keepAlive: WalkCandidate[];
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

/**
 * The candidate table.
 *
 * @example
 * ```ts
 * const table = new CandidateTable({ onRemove: (c) => votes.withdraw(c.address) });
 * table.addDiscovered({ host: '130.161.119.206', port: 6421 }, clock.now());
 * table.cleanup(clock.now());
 * ```
 */
export class CandidateTable {
  readonly #map = new Map<string, WalkCandidate>();
  readonly #maxSize: number;
  readonly #onRemove: CandidateTableInit['onRemove'];
  readonly #onAdd: CandidateTableInit['onAdd'];

  /**
   * @param init bound and removal hook
   * @throws RangeError when `maxSize` is not a positive integer
   */
  constructor(init: CandidateTableInit = {}) {
    const maxSize = init.maxSize ?? DEFAULT_MAX_CANDIDATES;
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
    this.#maxSize = maxSize;
    this.#onRemove = init.onRemove;
    this.#onAdd = init.onAdd;
  }

  /** Number of candidates. */
  get size(): number {
    return this.#map.size;
  }
  /** The bound. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** @returns the candidates in insertion order */
  [Symbol.iterator](): IterableIterator<WalkCandidate> {
    return this.#map.values();
  }

  /** @returns a copy of the candidates in insertion order */
  list(): WalkCandidate[] {
    return [...this.#map.values()];
  }

  /**
   * The candidate at exactly this address.
   * @param address a socket address
   * @returns the candidate or undefined
   */
  getExact(address: Address): WalkCandidate | undefined {
    return this.#map.get(addressKey(address));
  }

  /**
   * The original's `get_candidate` (spec §7.9): the candidate at exactly `address`, else a `symmetric-NAT`
   * candidate on the same IP whose LAN is unknown or equal to `lanAddress` — its NAT gave it a new port. With
   * `replace` it is re-homed to `address` (moved to the end of the insertion order; its old address's vote is
   * withdrawn through `onRemove(…, 'rehomed')`); the re-homed candidate keeps its timestamps.
   *
   * @param address the socket address a packet came from (or is going to)
   * @param options `replace` and the reported `lanAddress`
   * @returns the candidate or undefined
   * @example
   * ```ts
   * table.get({ host: '1.1.1.1', port: 40001 }, { replace: true }); // the symmetric-NAT peer seen on port 40000
   * ```
   */
  get(address: Address, options: GetCandidateOptions = {}): WalkCandidate | undefined {
    const exact = this.getExact(address);
    if (exact !== undefined) return exact;
    const lan = options.lanAddress;
    for (const candidate of this.#map.values()) {
      if (candidate.connectionType !== 'symmetric-NAT' || candidate.address.host !== address.host) continue;
      const sameLan = lan !== undefined && candidate.lan.host === lan.host && candidate.lan.port === lan.port;
      if (!isZeroAddress(candidate.lan) && !sameLan) continue;
      if (options.replace === true && isValidAddress(address)) {
        const old = candidate.address;
        this.#map.delete(candidate.key);
        candidate[MOVE_TO](address);
        this.#map.set(candidate.key, candidate);
        this.#onRemove?.(candidate, 'rehomed', old);
      }
      return candidate;
    }
    return undefined;
  }

  /**
   * Whether a candidate is at exactly this address.
   * @param address a socket address
   * @returns presence
   */
  has(address: Address): boolean {
    return this.#map.has(addressKey(address));
  }

  /**
   * Adds a candidate object unless its address is taken (the original's `add_candidate`); evicts when full.
   * @param candidate the candidate
   * @param now current time in seconds (for the eviction rule)
   * @returns true when added, false when a candidate already holds that address
   */
  add(candidate: WalkCandidate, now: number): boolean {
    if (this.#map.has(candidate.key)) return false;
    if (this.#map.size >= this.#maxSize) this.#evictOne(now);
    this.#map.set(candidate.key, candidate);
    this.#onAdd?.(candidate);
    return true;
  }

  /**
   * Creates and adds a candidate (the original's `create_candidate`).
   * @param init the candidate's fields
   * @param now current time in seconds (for the eviction rule)
   * @returns the new candidate
   * @throws RangeError when the address is invalid or already in the table
   * @example
   * ```ts
   * table.create({ address: { host: '1.1.1.1', port: 1 }, lan: { host: '192.168.0.1', port: 1 } }, now);
   * ```
   */
  create(init: WalkCandidateInit, now: number): WalkCandidate {
    const candidate = new WalkCandidate(init);
    if (!this.add(candidate, now)) throw new RangeError(`a candidate already exists at ${candidate.key}`);
    return candidate;
  }

  /**
   * The original's `create_or_update_walkcandidate` (after address estimation): the candidate at `report.address`
   * (with the symmetric-NAT lookup and `replace`) is updated with the report, or a new one is created.
   * @param report the (estimated) addresses, tunnel flag and connection type
   * @param now current time in seconds
   * @returns the updated or new candidate
   * @throws RangeError when `report.address` is invalid
   */
  upsert(report: CandidateReport, now: number): WalkCandidate {
    const existing = this.get(report.address, { replace: true, lanAddress: report.lan });
    if (existing !== undefined) {
      existing.update(report.tunnel, report.lan, report.wan, report.connectionType);
      return existing;
    }
    const candidate = new WalkCandidate({ address: report.address, tunnel: report.tunnel, lan: report.lan, wan: report.wan });
    candidate.update(report.tunnel, report.lan, report.wan, report.connectionType);
    this.add(candidate, now);
    return candidate;
  }

  /**
   * Removes the candidate at `address` (or the given candidate).
   * @param target an address or a candidate
   * @param reason reported to `onRemove` @default 'removed'
   * @returns the removed candidate, or undefined
   */
  remove(target: Address | WalkCandidate, reason: RemovalReason = 'removed'): WalkCandidate | undefined {
    const key = target instanceof WalkCandidate ? target.key : addressKey(target);
    const candidate = this.#map.get(key);
    if (candidate === undefined || (target instanceof WalkCandidate && candidate !== target)) return undefined;
    this.#map.delete(key);
    this.#onRemove?.(candidate, reason, candidate.address);
    return candidate;
  }

  /**
   * Removes the candidates at any of `addresses` (used for my own LAN/WAN addresses after a WAN change).
   * @param addresses addresses to drop
   * @param reason reported to `onRemove` @default 'own-address'
   * @returns the removed candidates
   */
  removeAddresses(addresses: readonly Address[], reason: RemovalReason = 'own-address'): WalkCandidate[] {
    const removed: WalkCandidate[] = [];
    for (const a of addresses) {
      const c = this.remove(a, reason);
      if (c !== undefined) removed.push(c);
    }
    return removed;
  }

  /**
   * The original's `cleanup_candidates` (spec §7.2): removes every obsolete candidate (category `none`),
   * withdrawing its vote through `onRemove`; a keep-alive candidate goes on life support once instead.
   * @param now current time in seconds
   * @returns the removed candidates and those put on life support
   */
  cleanup(now: number): CleanupResult {
    const removed: WalkCandidate[] = [];
    const keepAlive: WalkCandidate[] = [];
    for (const candidate of [...this.#map.values()]) {
      if (candidate.category(now) !== 'none') continue;
      if (candidate.enterLifeSupport(now) !== 'none') {
        keepAlive.push(candidate);
        continue;
      }
      this.remove(candidate, 'obsolete');
      removed.push(candidate);
    }
    return { removed, keepAlive };
  }

  /**
   * The original's `filter_duplicate_candidate` (spec §7.9): every other candidate with the same WAN IP and the
   * same LAN address is the same peer; it is merged into `candidate` and removed (vote withdrawn). When anything
   * was merged, `candidate` is (re-)added. Hardening: nothing is merged when `candidate`'s LAN is unknown (`0.0.0.0:0`), since
   * different peers behind one NAT that did not report a LAN would otherwise collapse into one.
   * @param candidate the candidate just updated
   * @param now current time in seconds
   * @returns the candidates merged into it
   */
  filterDuplicates(candidate: WalkCandidate, now: number): WalkCandidate[] {
    const merged: WalkCandidate[] = [];
    if (!isZeroAddress(candidate.lan)) {
      const { lan, wan } = candidate;
      for (const other of [...this.#map.values()]) {
        if (other === candidate) continue;
        if (other.wan.host !== wan.host || other.lan.host !== lan.host || other.lan.port !== lan.port) continue;
        candidate.merge(other);
        this.remove(other, 'duplicate');
        merged.push(other);
      }
    }
    // as the original: re-add `candidate` in case the merge loop dropped it (only when something was merged)
    if (merged.length > 0 && !this.#map.has(candidate.key)) this.add(candidate, now);
    return merged;
  }

  /**
   * The original's `add_discovered_candidate` (spec §7.9): the known candidate (exact or symmetric-NAT match,
   * without replace) or a new one with LAN = WAN = `address` and connection type unknown, marked discovered(now).
   * @param address the discovered address (tracker, discovery community)
   * @param now current time in seconds
   * @param tunnel whether it is tunnelled @default false
   * @returns the candidate
   * @throws RangeError when `address` is invalid
   * @example
   * ```ts
   * table.addDiscovered({ host: '130.161.119.206', port: 6421 }, now).category(now); // 'discovered'
   * ```
   */
  addDiscovered(address: Address, now: number, tunnel = false): WalkCandidate {
    let candidate = this.get(address, { replace: false });
    if (candidate === undefined) {
      candidate = new WalkCandidate({ address, tunnel, lan: address, wan: address, connectionType: 'unknown' });
      this.add(candidate, now);
    }
    candidate.discovered(now);
    return candidate;
  }

  /**
   * The original's `dispersy_yield_candidates`: candidates in the walk, stumble or intro category.
   * @param now current time in seconds
   * @param random when given, the result is shuffled (the original shuffles on every call)
   * @returns the candidates (insertion order unless shuffled)
   */
  candidates(now: number, random?: Random): WalkCandidate[] {
    const out = this.list().filter((c) => {
      const category = c.category(now);
      return category === 'walk' || category === 'stumble' || category === 'intro';
    });
    return random === undefined ? out : shuffle(out, random);
  }

  /**
   * The original's `dispersy_yield_verified_candidates`: candidates in the walk or stumble category.
   * @param now current time in seconds
   * @param random when given, the result is shuffled
   * @returns the verified candidates
   */
  verifiedCandidates(now: number, random?: Random): WalkCandidate[] {
    const out = this.list().filter((c) => c.isVerified(now));
    return random === undefined ? out : shuffle(out, random);
  }

  /**
   * Candidates per category at `now`.
   * @param now current time in seconds
   * @returns counts of walk, stumble, intro, discovered and none
   */
  countByCategory(now: number): Record<CandidateCategory, number> {
    const counts: Record<CandidateCategory, number> = { walk: 0, stumble: 0, intro: 0, discovered: 0, none: 0 };
    for (const c of this.#map.values()) counts[c.category(now)]++;
    return counts;
  }

  #evictOne(now: number): void {
    let victim: WalkCandidate | undefined;
    let victimRank = Infinity;
    let victimStamp = Infinity;
    for (const c of this.#map.values()) {
      const category = c.category(now);
      if (category === 'none') {
        victim = c;
        break;
      }
      const rank = category === 'discovered' ? 0 : category === 'intro' ? 1 : 2;
      const stamp =
        category === 'discovered'
          ? c.lastDiscovered
          : category === 'intro'
            ? c.lastIntro
            : isVerifiedCategory(category)
              ? Math.max(c.lastWalkReply, c.lastStumble)
              : 0;
      if (rank < victimRank || (rank === victimRank && stamp < victimStamp)) {
        victim = c;
        victimRank = rank;
        victimStamp = stamp;
      }
    }
    if (victim !== undefined) this.remove(victim, 'evicted');
  }
}
