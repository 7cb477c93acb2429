/**
 * WAN-address voting and the NAT classifier (spec §7.9, the original's `wan_address_vote`).
 *
 * Every introduction-request and -response carries the address the sender sent it to: its opinion of our WAN
 * address. Each voter (a peer's socket address) has at most one vote. The WAN address switches to an address only
 * when it has STRICTLY more votes than the current one (no flapping between two equal addresses). After each vote
 * the connection type is re-derived by {@link classifyConnection}.
 *
 * Bounds (architecture.md "Bounded resources"): at most `maxVoters` voters (default 256) and `maxAddresses` voted
 * addresses (default 64). A new voter beyond the bound evicts the voter whose vote is oldest; a new address beyond
 * the bound evicts the address with the fewest voters (oldest first on ties), never the current WAN, together with
 * its votes.
 */
import type { Address } from '@dispersy/interfaces';
import { addressKey, freezeAddress, isValidAddress, parseIPv4 } from './address.ts';
import type { ConnectionType } from './candidate.ts';
import { createLanTest } from './lan.ts';

/** Default bound on voters. */
export const DEFAULT_MAX_VOTERS = 256;
/** Default bound on distinct voted addresses. */
export const DEFAULT_MAX_VOTED_ADDRESSES = 64;

/** One voted address and who voted for it: a sample for {@link classifyConnection}. */
export interface VoteSample {
  readonly address: Address;
  readonly voters: readonly Address[];
}

/**
 * The NAT classifier (spec §7.9), pure: samples in, classification out.
 *
 * - exactly one voted address and my LAN equals my WAN → `public` (peers see the address I bind to);
 * - more than one voted address → `unknown` if any single address was voted for by voters on ≥ 2 distinct IPs (one
 *   NAT mapping serves several destinations, so it is not symmetric), else `symmetric-NAT` (my NAT made a new
 *   mapping, a new port, per destination);
 * - otherwise `unknown`.
 *
 * @param samples the current votes
 * @param lan my LAN address
 * @param wan my WAN address
 * @returns the connection type
 * @example
 * ```ts
 * classifyConnection(
 *   [{ address: a1, voters: [{ host: '140.0.0.4', port: 1 }] }, { address: a2, voters: [{ host: '140.0.0.4', port: 2 }] }],
 *   lan, wan,
 * ); // 'symmetric-NAT'
 * ```
 */
export function classifyConnection(samples: readonly VoteSample[], lan: Address, wan: Address): ConnectionType {
  return classify(
    samples.filter((s) => s.voters.length > 0).map((s) => s.voters.map((v) => v.host)),
    lan,
    wan,
  );
}

function classify(voterHostsPerAddress: readonly (readonly string[])[], lan: Address, wan: Address): ConnectionType {
  if (voterHostsPerAddress.length === 1 && lan.host === wan.host && lan.port === wan.port) return 'public';
  if (voterHostsPerAddress.length > 1) {
    return voterHostsPerAddress.some((hosts) => new Set(hosts).size > 1) ? 'unknown' : 'symmetric-NAT';
  }
  return 'unknown';
}

/** Options of {@link WanVoting}. */
export interface WanVotingInit {
  /** My LAN address (from the endpoint). */
  readonly lan: Address;
  /** My initial WAN address. @default lan */
  readonly wan?: Address;
  /** The "in my LAN" test; votes from voters inside my LAN are ignored. @default RFC 1918 or lan.host */
  readonly isInMyLan?: (host: string) => boolean;
  /**
   * Re-reads the LAN IP when the WAN address changes (a roaming device); the LAN port is kept. When absent the LAN
   * IP stays. An invalid result (or an invalid current LAN IP) is replaced by the new WAN IP.
   */
  readonly refreshLan?: (wan: Address) => string | undefined;
  /** @default 256 */
  readonly maxVoters?: number;
  /** @default 64 */
  readonly maxAddresses?: number;
}

/** A change of my LAN/WAN address or connection type. */
export interface WanChange {
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
  readonly previousLan: Address;
  readonly previousWan: Address;
  readonly previousConnectionType: ConnectionType;
  /** When true, remove my own LAN and WAN addresses from every candidate table. */
  readonly wanChanged: boolean;
  readonly lanChanged: boolean;
  readonly connectionTypeChanged: boolean;
}

/** The result of {@link WanVoting.vote}. */
export interface VoteResult {
  /** Whether the vote was counted. */
  readonly accepted: boolean;
  /** Why it was not counted (the voter's previous vote is withdrawn anyway). */
  readonly ignored?: 'INVALID_ADDRESS' | 'VOTER_IN_LAN';
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
  readonly wanChanged: boolean;
  readonly lanChanged: boolean;
  readonly connectionTypeChanged: boolean;
}

interface Snapshot {
  readonly lan: Address;
  readonly wan: Address;
  readonly connectionType: ConnectionType;
}

interface Entry {
  readonly address: Address;
  readonly voters: Map<string, Address>;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * My LAN/WAN addresses and connection type, maintained by voting. Usually one per node, shared by the walkers of
 * all its communities.
 *
 * @example
 * ```ts
 * const votes = new WanVoting({ lan: { host: '192.168.1.2', port: 6421 } });
 * votes.vote({ host: '1.2.3.4', port: 6421 }, { host: '140.0.0.1', port: 1 }).wanChanged; // true
 * votes.wan; // 1.2.3.4:6421
 * ```
 */
export class WanVoting {
  readonly #entries = new Map<string, Entry>();
  /** voter key → voted address key, ordered by vote time (oldest first). */
  readonly #voters = new Map<string, string>();
  readonly #isInMyLan: (host: string) => boolean;
  readonly #refreshLan: WanVotingInit['refreshLan'];
  readonly #maxVoters: number;
  readonly #maxAddresses: number;
  readonly #listeners = new Set<(change: WanChange) => void>();
  #lan: Address;
  #wan: Address;
  #connectionType: ConnectionType = 'unknown';

  /**
   * @param init my addresses, LAN test and bounds
   * @throws RangeError when `lan` is invalid or a bound is not a positive integer
   */
  constructor(init: WanVotingInit) {
    if (!isValidAddress(init.lan)) throw new RangeError('lan must be a valid address');
    this.#lan = freezeAddress(init.lan);
    this.#wan = freezeAddress(init.wan ?? init.lan);
    this.#isInMyLan = init.isInMyLan ?? createLanTest([], init.lan.host);
    this.#refreshLan = init.refreshLan;
    this.#maxVoters = positive(init.maxVoters ?? DEFAULT_MAX_VOTERS, 'maxVoters');
    this.#maxAddresses = positive(init.maxAddresses ?? DEFAULT_MAX_VOTED_ADDRESSES, 'maxAddresses');
  }

  /** My LAN address. */
  get lan(): Address {
    return this.#lan;
  }
  /** My WAN address (initially the LAN address). */
  get wan(): Address {
    return this.#wan;
  }
  /** My connection type. */
  get connectionType(): ConnectionType {
    return this.#connectionType;
  }
  /** Number of voters with a counted vote. */
  get voterCount(): number {
    return this.#voters.size;
  }
  /** Number of distinct voted addresses. */
  get addressCount(): number {
    return this.#entries.size;
  }

  /**
   * Votes for `address`, by `voter` (spec §7.9). The voter's previous vote is withdrawn first; votes for an
   * invalid address and votes from voters inside my LAN (they cannot see my WAN address) are then ignored.
   * @param address the address the voter believes is my WAN address
   * @param voter the voter's socket address
   * @returns whether it counted and what changed
   */
  vote(address: Address, voter: Address): VoteResult {
    this.withdraw(voter);
    if (!isValidAddress(address)) return this.#result(false, 'INVALID_ADDRESS');
    if (this.#isInMyLan(voter.host)) return this.#result(false, 'VOTER_IN_LAN');

    // evict a voter first: it may be the last voter of the entry this vote goes to
    if (this.#voters.size >= this.#maxVoters) {
      const oldest = this.#voters.keys().next();
      if (oldest.done !== true) this.#withdrawKey(oldest.value);
    }
    const key = addressKey(address);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxAddresses) this.#evictAddress();
      entry = { address: freezeAddress(address), voters: new Map() };
      this.#entries.set(key, entry);
    }
    const voterKey = addressKey(voter);
    entry.voters.set(voterKey, freezeAddress(voter));
    this.#voters.set(voterKey, key);

    const before: Snapshot = { lan: this.#lan, wan: this.#wan, connectionType: this.#connectionType };
    if (entry.voters.size > this.votesFor(this.#wan)) this.#switchWan(entry.address);
    this.#connectionType = classify(
      [...this.#entries.values()].map((e) => [...e.voters.values()].map((v) => v.host)),
      this.#lan,
      this.#wan,
    );
    const result = this.#result(true, undefined, before);
    if (result.wanChanged || result.lanChanged || result.connectionTypeChanged) this.#emit(before);
    return result;
  }

  /**
   * Withdraws the vote of `voter` (its candidate was removed: cleanup, duplicate, re-home, eviction).
   * @param voter the voter's socket address
   * @returns the address it had voted for, or undefined
   */
  withdraw(voter: Address): Address | undefined {
    return this.#withdrawKey(addressKey(voter));
  }

  /**
   * Number of votes for `address`.
   * @param address an address
   * @returns its vote count
   */
  votesFor(address: Address): number {
    return this.#entries.get(addressKey(address))?.voters.size ?? 0;
  }

  /** @returns the current votes, as classifier samples */
  samples(): VoteSample[] {
    return [...this.#entries.values()].map((e) => ({ address: e.address, voters: [...e.voters.values()] }));
  }

  /** Forgets every vote (connection type and addresses stay). */
  clear(): void {
    this.#entries.clear();
    this.#voters.clear();
  }

  /**
   * Sets my LAN address (the endpoint re-detected it).
   * @param lan the new LAN address
   * @throws RangeError when `lan` is invalid
   */
  setLan(lan: Address): void {
    if (!isValidAddress(lan)) throw new RangeError('lan must be a valid address');
    this.#lan = freezeAddress(lan);
  }

  /**
   * Subscribes to changes of LAN, WAN or connection type.
   * @param listener called after each change
   * @returns an unsubscribe function
   */
  onChange(listener: (change: WanChange) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #switchWan(address: Address): void {
    this.#wan = address;
    const refreshed = this.#refreshLan?.(address) ?? this.#lan.host;
    const host = refreshed !== '0.0.0.0' && parseIPv4(refreshed) !== undefined ? refreshed : address.host;
    if (host !== this.#lan.host) this.#lan = Object.freeze({ host, port: this.#lan.port });
  }

  #withdrawKey(voterKey: string): Address | undefined {
    const addressKeyVoted = this.#voters.get(voterKey);
    if (addressKeyVoted === undefined) return undefined;
    this.#voters.delete(voterKey);
    const entry = this.#entries.get(addressKeyVoted);
    if (entry === undefined) return undefined;
    entry.voters.delete(voterKey);
    if (entry.voters.size === 0) this.#entries.delete(addressKeyVoted);
    return entry.address;
  }

  #evictAddress(): void {
    const wanKey = addressKey(this.#wan);
    let victim: string | undefined;
    let fewest = Infinity;
    for (const [key, entry] of this.#entries) {
      if (key === wanKey) continue;
      if (entry.voters.size < fewest) {
        victim = key;
        fewest = entry.voters.size;
      }
    }
    if (victim === undefined) return;
    for (const voterKey of this.#entries.get(victim)?.voters.keys() ?? []) this.#voters.delete(voterKey);
    this.#entries.delete(victim);
  }

  #result(accepted: boolean, ignored?: 'INVALID_ADDRESS' | 'VOTER_IN_LAN', before?: Snapshot): VoteResult {
    const b = before ?? { lan: this.#lan, wan: this.#wan, connectionType: this.#connectionType };
    return {
      accepted,
      ...(ignored === undefined ? {} : { ignored }),
      lan: this.#lan,
      wan: this.#wan,
      connectionType: this.#connectionType,
      wanChanged: b.wan !== this.#wan,
      lanChanged: b.lan !== this.#lan,
      connectionTypeChanged: b.connectionType !== this.#connectionType,
    };
  }

  #emit(before: Snapshot): void {
    const change: WanChange = {
      lan: this.#lan,
      wan: this.#wan,
      connectionType: this.#connectionType,
      previousLan: before.lan,
      previousWan: before.wan,
      previousConnectionType: before.connectionType,
      wanChanged: before.wan !== this.#wan,
      lanChanged: before.lan !== this.#lan,
      connectionTypeChanged: before.connectionType !== this.#connectionType,
    };
    for (const listener of [...this.#listeners]) listener(change);
  }
}
