/**
 * A minimal candidate table (spec §7.1, §7.2): the peers a community knows, their timestamps, categories and the
 * global time they report. The full walker (introduction requests, punctures, LAN/WAN voting) comes later as
 * `@dispersy/walker`; this table is small on purpose so that it can be replaced, and tests fill it explicitly
 * (`community.addCandidate(address, { category })`).
 *
 * Bounded (architecture.md, "Bounded resources"): at most `maxSize` candidates (default 1,000). When full, adding a
 * new address evicts the unverified candidate with the oldest activity; if every candidate is verified, the one
 * with the oldest activity overall.
 */
import { formatAddress, NO_ADDRESS, type Address } from '@dispersy/interfaces';

/** Seconds a candidate stays in the walk category after an introduction-response (`CANDIDATE_WALK_LIFETIME`). */
export const CANDIDATE_WALK_LIFETIME = 57.5;
/** Seconds a candidate stays in the stumble category after its introduction-request. */
export const CANDIDATE_STUMBLE_LIFETIME = 57.5;
/** Seconds a candidate stays in the intro category after being introduced (or its puncture). */
export const CANDIDATE_INTRO_LIFETIME = 27.5;
/** Seconds a candidate stays in the discovered category (bootstrap, discovery). */
export const CANDIDATE_DISCOVERED_LIFETIME = 57.5;
/** Seconds before a candidate may be walked to again. */
export const CANDIDATE_ELIGIBLE_DELAY = 27.5;
/** Default bound of a {@link CandidateTable}. */
export const DEFAULT_MAX_CANDIDATES = 1000;

/** A live category of a candidate (spec §7.2); precedence walk > stumble > intro > discovered. */
export type CandidateCategory = 'walk' | 'stumble' | 'intro' | 'discovered';

/** NAT classification of a peer (spec §7.9). */
export type CandidateConnectionType = 'unknown' | 'public' | 'symmetric-NAT';

/**
 * One peer at one address (the original's `WalkCandidate`).
 *
 * @example
 * ```ts
 * const c = new Candidate({ host: '10.0.0.2', port: 6421 });
 * c.stumble(clock.now());
 * c.category(clock.now()); // 'stumble'
 * ```
 */
export class Candidate {
  /** The socket address packets come from and go to. */
  readonly address: Address;
  /** `host:port` of {@link address}, the table key. */
  readonly key: string;
  /** Whether packets to this peer carry the tunnel prefix. */
  tunnel: boolean;
  /** The peer's LAN address as reported (or estimated); `0.0.0.0:0` when unknown. */
  lanAddress: Address;
  /** The peer's WAN address as reported (or estimated); `0.0.0.0:0` when unknown. */
  wanAddress: Address;
  /** The peer's connection type. */
  connectionType: CandidateConnectionType = 'unknown';
  /** When we last walked to it (sent an introduction-request). */
  lastWalk = 0;
  /** When we last received its introduction-response. */
  lastWalkReply = 0;
  /** When it last walked to us. */
  lastStumble = 0;
  /** When it was last introduced to us. */
  lastIntro = 0;
  /** When it was last discovered (bootstrap, discovery community). */
  lastDiscovered = 0;
  /** The highest global time it reported in a message (spec §4.4 DirectDistribution). */
  globalTime = 0;
  #memberId: string | undefined;

  /**
   * @param address its socket address
   * @param tunnel whether it is tunnelled @default false
   */
  constructor(address: Address, tunnel = false) {
    this.address = Object.freeze({ host: address.host, port: address.port });
    this.key = formatAddress(address);
    this.tunnel = tunnel;
    this.lanAddress = this.address;
    this.wanAddress = this.address;
  }

  /** The mid (lowercase hex) of the member associated with this address, if any. */
  get memberId(): string | undefined {
    return this.#memberId;
  }

  /**
   * Associates a member with this candidate (spec §4.2: direct messages with member authentication do this).
   * @param memberId the sender's mid, lowercase hex
   */
  associate(memberId: string): void {
    this.#memberId = memberId;
  }

  /**
   * The category at `now` (spec §7.2): walk while `now < lastWalkReply + 57.5`, else stumble while
   * `now < lastStumble + 57.5`, else intro while `now < lastIntro + 27.5`, else discovered while
   * `now < lastDiscovered + 57.5`, else `'none'`.
   * @param now current time in seconds
   * @returns the category, or `'none'`
   */
  category(now: number): CandidateCategory | 'none' {
    if (now < this.lastWalkReply + CANDIDATE_WALK_LIFETIME) return 'walk';
    if (now < this.lastStumble + CANDIDATE_STUMBLE_LIFETIME) return 'stumble';
    if (now < this.lastIntro + CANDIDATE_INTRO_LIFETIME) return 'intro';
    if (now < this.lastDiscovered + CANDIDATE_DISCOVERED_LIFETIME) return 'discovered';
    return 'none';
  }

  /**
   * Verified = walk or stumble: we heard from it recently through a real exchange.
   * @param now current time in seconds
   * @returns whether it is verified
   */
  isVerified(now: number): boolean {
    const category = this.category(now);
    return category === 'walk' || category === 'stumble';
  }

  /**
   * `last_walk + 27.5 ≤ now` (the original's second condition never held, quirk 4).
   * @param now current time in seconds
   * @returns whether we may walk to it
   */
  isEligibleForWalk(now: number): boolean {
    return this.lastWalk + CANDIDATE_ELIGIBLE_DELAY <= now;
  }

  /** The most recent of its timestamps: what eviction compares. */
  get lastActivity(): number {
    return Math.max(this.lastWalk, this.lastWalkReply, this.lastStumble, this.lastIntro, this.lastDiscovered);
  }

  /**
   * Puts the candidate in `category` as of `now` by setting that category's timestamp (walk also sets
   * `lastWalk`).
   * @param category the category
   * @param now current time in seconds
   */
  touch(category: CandidateCategory, now: number): void {
    switch (category) {
      case 'walk':
        this.lastWalk = now;
        this.lastWalkReply = now;
        break;
      case 'stumble':
        this.lastStumble = now;
        break;
      case 'intro':
        this.lastIntro = now;
        break;
      case 'discovered':
        this.lastDiscovered = now;
        break;
    }
  }

  /**
   * Raises the reported global time (max).
   * @param globalTime a global time the peer used
   */
  reportGlobalTime(globalTime: number): void {
    if (globalTime > this.globalTime) this.globalTime = globalTime;
  }
}

/**
 * What the runtime uses of a candidate (structural, so a walker's own candidate class fits): its address, tunnel
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

/**
 * What the runtime uses of a candidate table; {@link CandidateTable} is the default, and a node's
 * `createCandidates` option can supply another implementation (e.g. the walker's).
 */
export interface CandidateSet<C extends CandidateLike = CandidateLike> {
  readonly size: number;
  get(address: Address): C | undefined;
  /** Adds or updates the candidate at `address` (tests, and the runtime's `addCandidate`). */
  add(address: Address, options: AddCandidateOptions, now: number): C;
  /** @returns the removed candidate */
  remove(address: Address): C | undefined;
  /** Every candidate, in insertion order. */
  list(): C[];
  /** Walk or stumble candidates (the original's `dispersy_yield_verified_candidates`). */
  verifiedCandidates(now: number): C[];
  clear(): void;
}

/** Options of {@link CandidateTable}. */
export interface CandidateTableInit {
  /** Most candidates kept. @default 1000 */
  readonly maxSize?: number;
}

/** Options of {@link CandidateTable.add}. */
export interface AddCandidateOptions {
  /** Put it in this category now. */
  readonly category?: CandidateCategory;
  /** @default false (an existing candidate keeps its flag unless given) */
  readonly tunnel?: boolean;
  /** A reported global time. */
  readonly globalTime?: number;
  /** Associate a member (mid, lowercase hex). */
  readonly memberId?: string;
  /** Reported LAN / WAN addresses. @default the socket address */
  readonly lanAddress?: Address;
  readonly wanAddress?: Address;
}

/**
 * The candidates of one community, keyed by socket address. See the module comment for the bound.
 *
 * @example
 * ```ts
 * const table = new CandidateTable();
 * table.add({ host: '10.0.0.2', port: 1 }, { category: 'walk' }, clock.now());
 * table.verifiedCandidates(clock.now()).length; // 1
 * ```
 */
export class CandidateTable implements CandidateSet<Candidate> {
  readonly #max: number;
  readonly #byKey = new Map<string, Candidate>();

  /**
   * @param init the bound
   * @throws RangeError when `maxSize` is not a positive integer
   */
  constructor(init: CandidateTableInit = {}) {
    const max = init.maxSize ?? DEFAULT_MAX_CANDIDATES;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxSize must be a positive integer, got ${max}`);
    this.#max = max;
  }

  /** Number of candidates. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * @param address a socket address
   * @returns the candidate at that address, if known
   */
  get(address: Address): Candidate | undefined {
    return this.#byKey.get(formatAddress(address));
  }

  /**
   * Adds (or updates) the candidate at `address`, evicting one when the table is full.
   * @param address its socket address (not `0.0.0.0:0`)
   * @param options category, tunnel flag, global time, member, addresses
   * @param now current time in seconds
   * @returns the candidate
   * @throws RangeError for the all-zero address or a bad port
   */
  add(address: Address, options: AddCandidateOptions, now: number): Candidate {
    if (address.host === NO_ADDRESS.host || !Number.isInteger(address.port) || address.port <= 0 || address.port > 65_535) {
      throw new RangeError(`invalid candidate address ${formatAddress(address)}`);
    }
    let candidate = this.#byKey.get(formatAddress(address));
    if (candidate === undefined) {
      if (this.#byKey.size >= this.#max) this.#evict(now);
      candidate = new Candidate(address, options.tunnel ?? false);
      this.#byKey.set(candidate.key, candidate);
    } else if (options.tunnel !== undefined) candidate.tunnel = options.tunnel;
    if (options.category !== undefined) candidate.touch(options.category, now);
    if (options.globalTime !== undefined) candidate.reportGlobalTime(options.globalTime);
    if (options.memberId !== undefined) candidate.associate(options.memberId);
    if (options.lanAddress !== undefined) candidate.lanAddress = options.lanAddress;
    if (options.wanAddress !== undefined) candidate.wanAddress = options.wanAddress;
    return candidate;
  }

  /**
   * @param address a socket address
   * @returns the removed candidate, if any
   */
  remove(address: Address): Candidate | undefined {
    const key = formatAddress(address);
    const candidate = this.#byKey.get(key);
    this.#byKey.delete(key);
    return candidate;
  }

  /** @returns every candidate, in insertion order */
  list(): Candidate[] {
    return [...this.#byKey.values()];
  }

  /**
   * Candidates in the walk or stumble category (the original's `dispersy_yield_verified_candidates`), in
   * insertion order.
   * @param now current time in seconds
   * @returns the verified candidates
   */
  verifiedCandidates(now: number): Candidate[] {
    return [...this.#byKey.values()].filter((c) => c.isVerified(now));
  }

  /**
   * Candidates with any category (walk, stumble, intro or discovered).
   * @param now current time in seconds
   * @returns those candidates
   */
  active(now: number): Candidate[] {
    return [...this.#byKey.values()].filter((c) => c.category(now) !== 'none');
  }

  /** Removes every candidate. */
  clear(): void {
    this.#byKey.clear();
  }

  #evict(now: number): void {
    let victim: Candidate | undefined;
    let verifiedVictim: Candidate | undefined;
    for (const c of this.#byKey.values()) {
      if (c.isVerified(now)) {
        if (verifiedVictim === undefined || c.lastActivity < verifiedVictim.lastActivity) verifiedVictim = c;
      } else if (victim === undefined || c.lastActivity < victim.lastActivity) victim = c;
    }
    const out = victim ?? verifiedVictim;
    if (out !== undefined) this.#byKey.delete(out.key);
  }
}
