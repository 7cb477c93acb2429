/**
 * The runtime's view of a community's candidates (spec §7.1, §7.2). The candidates themselves live in the
 * community's `@dispersy/walker` {@link Walker} (its bounded {@link WalkerCandidateTable}); the runtime reads them
 * through the small {@link CandidateSet} interface — forwarding to `nodeCount` random VERIFIED candidates, the
 * acceptable-global-time median over verified candidates, the master-identity download — and tests add them with
 * `community.addCandidate(address, { category })`. {@link WalkerCandidates} is that interface over the walker's
 * table: there is one candidate table per community, the walker's.
 *
 * Bounded (architecture.md, "Bounded resources"): the walker's table holds at most `maxCandidates` (default 1,000)
 * and evicts an obsolete candidate first, then the oldest discovered, then the oldest intro, then the verified one
 * heard from least recently (the walker's README).
 */
import type { Address } from '@dispersy/interfaces';
import {
  WalkCandidate,
  type CandidateCategory as WalkerCategory,
  type CandidateTable as WalkerCandidateTable,
  type ConnectionType,
  type Walker,
} from '@dispersy/walker';

export {
  CANDIDATE_DISCOVERED_LIFETIME,
  CANDIDATE_ELIGIBLE_DELAY,
  CANDIDATE_INTRO_LIFETIME,
  CANDIDATE_STUMBLE_LIFETIME,
  CANDIDATE_WALK_LIFETIME,
  DEFAULT_MAX_CANDIDATES,
  WalkCandidate,
} from '@dispersy/walker';

/** A live category of a candidate (spec §7.2); precedence walk > stumble > intro > discovered. */
export type CandidateCategory = Exclude<WalkerCategory, 'none'>;

/** NAT classification of a peer (spec §7.9), as the walker messages carry it. */
export type CandidateConnectionType = ConnectionType;

/**
 * What the runtime uses of a candidate (structural; the walker's {@link WalkCandidate} is one): its address, tunnel
 * flag, reported global time and member, and its category.
 */
export interface CandidateLike {
  readonly address: Address;
  /** `host:port`. */
  readonly key: string;
  readonly tunnel: boolean;
  /** The highest global time it reported. */
  readonly globalTime: number;
  /** The associated member's mid, lowercase hex. */
  readonly memberId: string | undefined;
  category(now: number): CandidateCategory | 'none';
  isVerified(now: number): boolean;
  /** Keeps the maximum. */
  reportGlobalTime(globalTime: number): void;
  /** @param memberId a mid, lowercase hex */
  associate(memberId: string): void;
}

/** What the runtime uses of a candidate table ({@link WalkerCandidates} over the community's walker). */
export interface CandidateSet<C extends CandidateLike = CandidateLike> {
  readonly size: number;
  /** The candidate at exactly this address. */
  get(address: Address): C | undefined;
  /** Adds or updates the candidate at `address` (tests, and the runtime's `addCandidate`). */
  add(address: Address, options: AddCandidateOptions, now: number): C;
  /** @returns the removed candidate (its WAN vote is withdrawn) */
  remove(address: Address): C | undefined;
  /** Every candidate, in insertion order. */
  list(): C[];
  /** Walk or stumble candidates (the original's `dispersy_yield_verified_candidates`). */
  verifiedCandidates(now: number): C[];
  clear(): void;
}

/** Options of {@link CandidateSet.add}. */
export interface AddCandidateOptions {
  /** Put it in this category now (`walk` also marks it walked to now, so it is not eligible for 27.5 s). */
  readonly category?: CandidateCategory;
  /** @default false for a new candidate (an existing candidate keeps its flag unless given) */
  readonly tunnel?: boolean;
  /** A reported global time. */
  readonly globalTime?: number;
  /** Associate a member (mid, lowercase hex). */
  readonly memberId?: string;
  /** Its LAN address. @default the socket address (a new candidate) */
  readonly lanAddress?: Address;
  /** Its WAN address. @default the socket address (a new candidate) */
  readonly wanAddress?: Address;
  /** Its connection type. @default 'unknown' (a new candidate) */
  readonly connectionType?: CandidateConnectionType;
}

/**
 * The {@link CandidateSet} of a community: a view over its walker's candidate table (see the module comment).
 *
 * @example
 * ```ts
 * const candidates = new WalkerCandidates(walker);
 * candidates.add({ host: '10.0.0.2', port: 6421 }, { category: 'walk' }, clock.now());
 * candidates.verifiedCandidates(clock.now()).length; // 1
 * ```
 */
export class WalkerCandidates implements CandidateSet<WalkCandidate> {
  readonly #table: WalkerCandidateTable;

  /** @param walker the community's walker (its table is the one candidate table) */
  constructor(walker: Walker) {
    this.#table = walker.table;
  }

  /** Number of candidates. */
  get size(): number {
    return this.#table.size;
  }

  /**
   * @param address a socket address
   * @returns the candidate at exactly that address, if known
   */
  get(address: Address): WalkCandidate | undefined {
    return this.#table.getExact(address);
  }

  /**
   * Adds (or updates) the candidate at `address`; a new one may evict another (the walker's bound).
   * @param address its socket address
   * @param options category, tunnel flag, global time, member, addresses, connection type
   * @param now current time in seconds
   * @returns the candidate
   * @throws RangeError for an invalid address (the all-zero address, a bad port, not IPv4)
   */
  add(address: Address, options: AddCandidateOptions, now: number): WalkCandidate {
    let candidate = this.#table.getExact(address);
    if (candidate === undefined) {
      candidate = new WalkCandidate({
        address,
        tunnel: options.tunnel ?? false,
        lan: options.lanAddress ?? address,
        wan: options.wanAddress ?? address,
        connectionType: options.connectionType ?? 'unknown',
      });
      this.#table.add(candidate, now);
    } else if (options.tunnel !== undefined || options.lanAddress !== undefined || options.wanAddress !== undefined || options.connectionType !== undefined) {
      candidate.update(
        options.tunnel ?? candidate.tunnel,
        options.lanAddress ?? candidate.lan,
        options.wanAddress ?? candidate.wan,
        options.connectionType ?? candidate.connectionType,
      );
    }
    if (options.category !== undefined) touch(candidate, options.category, now);
    if (options.globalTime !== undefined) candidate.reportGlobalTime(options.globalTime);
    if (options.memberId !== undefined) candidate.associate(options.memberId);
    return candidate;
  }

  /**
   * @param address a socket address
   * @returns the removed candidate, if any (its WAN vote is withdrawn)
   */
  remove(address: Address): WalkCandidate | undefined {
    return this.#table.remove(address);
  }

  /** @returns every candidate, in insertion order */
  list(): WalkCandidate[] {
    return this.#table.list();
  }

  /**
   * Candidates in the walk or stumble category, in insertion order.
   * @param now current time in seconds
   * @returns the verified candidates
   */
  verifiedCandidates(now: number): WalkCandidate[] {
    return this.#table.verifiedCandidates(now);
  }

  /**
   * Candidates in the walk, stumble or intro category (the original's `dispersy_yield_candidates`).
   * @param now current time in seconds
   * @returns those candidates
   */
  active(now: number): WalkCandidate[] {
    return this.#table.candidates(now);
  }

  /** Removes every candidate (their votes are withdrawn). */
  clear(): void {
    for (const candidate of this.#table.list()) this.#table.remove(candidate);
  }
}

/** Puts a candidate in `category` as of `now` (walk: walked to and answered now). */
function touch(candidate: WalkCandidate, category: CandidateCategory, now: number): void {
  switch (category) {
    case 'walk':
      candidate.walk(now);
      candidate.walkResponse(now);
      break;
    case 'stumble':
      candidate.stumble(now);
      break;
    case 'intro':
      candidate.intro(now);
      break;
    case 'discovered':
      candidate.discovered(now);
      break;
  }
}
