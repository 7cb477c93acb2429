/**
 * The walker of one community (spec §7): a facade over the candidate table, WAN voting, the outstanding
 * introduction-requests and the walk/introduce selections. It owns no timer and no socket: the runtime calls
 * {@link Walker.step} (or {@link Walker.takeStep}) on its schedule, feeds every received walker message to the
 * `on…` methods, and sends what they return.
 */
import type { Address, Clock, PacketSource, Random } from '@dispersy/interfaces';
import { isValidAddress } from './address.ts';
import type { ConnectionType, WalkCandidate } from './candidate.ts';
import { CandidateTable } from './candidate-table.ts';
import type { Rejected } from './errors.ts';
import {
  FAST_WALKER_STEP_INTERVAL,
  fastWalkerTargets,
  TAKE_STEP_INTERVAL,
  type FastWalkerState,
  type FastWalkStep,
  type StepResult,
} from './fast-walker.ts';
import {
  handleIntroductionRequests,
  handleIntroductionResponses,
  handlePunctureRequest,
  handlePunctures,
  type Incoming,
  type IntroductionRequestHandled,
  type IntroductionResponseHandled,
  type MessageContext,
  type PunctureHandled,
  type PunctureRequestHandled,
  type WalkerParts,
} from './handlers.ts';
import { IntroduceSelector } from './introduce-selection.ts';
import {
  buildIntroductionRequest,
  type IntroductionRequestFields,
  type IntroductionResponseFields,
  type LocalAddresses,
  type PunctureFields,
  type PunctureRequestFields,
} from './introduction.ts';
import { IntroductionRequests, type ExpiredRequest, type IdentifierSource } from './introduction-requests.ts';
import { createLanTest, type NetworkInterface } from './lan.ts';
import type { OutgoingIntroductionRequest } from './outgoing.ts';
import { WalkerCounters, type WalkerStatistics } from './statistics.ts';
import { takeStep as decideStep, type WalkStep } from './walk-selection.ts';
import { WanVoting, type WanVotingInit } from './wan-voting.ts';

/** Collaborators of a {@link Walker}. */
export interface WalkerComponents {
  /** Seconds; every timestamp and timeout comes from here. */
  readonly clock: Clock;
  /** Every random choice (walk odds, introduce odds, identifiers, look-ahead) comes from here. */
  readonly random: Random;
  /** A node-wide {@link WanVoting} shared by all communities' walkers. @default a private one built from init */
  readonly votes?: WanVoting;
  /** A custom identifier source (e.g. the runtime's request cache). @default random uint16 */
  readonly identifiers?: IdentifierSource;
}

/** Options of a {@link Walker}. */
export interface WalkerInit {
  /** My LAN address (the endpoint's). Required unless `components.votes` is given. */
  readonly lanAddress?: Address;
  /** My initial WAN address. @default lanAddress */
  readonly wanAddress?: Address;
  /** Local interfaces for the LAN test. @default [] (RFC 1918 fallback) */
  readonly interfaces?: readonly NetworkInterface[];
  /** Fallback-mode local IP (counts as LAN). @default lanAddress.host */
  readonly fallbackIp?: string;
  /** Overrides the LAN test built from `interfaces`. */
  readonly isInMyLan?: (host: string) => boolean;
  /** Re-reads the LAN IP after a WAN change (see {@link WanVotingInit.refreshLan}). */
  readonly refreshLan?: (wan: Address) => string | undefined;
  /** My member id (hex): introduction-requests signed by it are dropped. */
  readonly myMemberId?: string;
  /** Start with the fast walker (`dispersy_enable_fast_candidate_walker`). @default false */
  readonly fastWalker?: boolean;
  /** @default 1000 */
  readonly maxCandidates?: number;
  /** @default 256 */
  readonly maxVoters?: number;
  /** @default 64 */
  readonly maxVotedAddresses?: number;
  /** @default 1024 */
  readonly maxOutstandingRequests?: number;
  /** @default 10.5 */
  readonly requestTimeout?: number;
}

/**
 * The candidate walker of one community.
 *
 * @example
 * ```ts
 * const walker = new Walker({ clock, random: createSeededRandom(1) }, { lanAddress: endpoint.address });
 * walker.addDiscovered({ host: '130.161.119.206', port: 6421 });
 * for (const m of walker.takeStep().send) runtime.send(m); // an introduction-request to the tracker
 * ```
 */
export class Walker {
  /** The community's candidates. */
  readonly table: CandidateTable;
  /** My LAN/WAN voting (possibly shared). */
  readonly votes: WanVoting;
  /** Outstanding introduction-requests. */
  readonly requests: IntroductionRequests;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #introduce: IntroduceSelector;
  readonly #counters = new WalkerCounters();
  readonly #parts: WalkerParts;
  readonly #unsubscribe: () => void;
  #fastActive: boolean;
  #fastState: FastWalkerState = { stepsTaken: 0 };

  /**
   * @param components clock, random source, optional shared voting and identifier source
   * @param init addresses, LAN test, bounds, fast walker
   * @throws RangeError when neither `init.lanAddress` nor `components.votes` gives a valid LAN address, or on a
   *   bad bound
   */
  constructor(components: WalkerComponents, init: WalkerInit = {}) {
    this.#clock = components.clock;
    this.#random = components.random;
    const lan = components.votes?.lan ?? init.lanAddress;
    if (!isValidAddress(lan)) throw new RangeError('lanAddress must be a valid address (or pass components.votes)');
    const isInMyLan = init.isInMyLan ?? createLanTest(init.interfaces ?? [], init.fallbackIp ?? lan.host);
    this.votes =
      components.votes ??
      new WanVoting({
        lan,
        wan: init.wanAddress,
        isInMyLan,
        refreshLan: init.refreshLan,
        maxVoters: init.maxVoters,
        maxAddresses: init.maxVotedAddresses,
      });
    this.table = new CandidateTable({
      maxSize: init.maxCandidates,
      onRemove: (_candidate, _reason, address) => void this.votes.withdraw(address),
      onAdd: () => void this.#counters.candidatesDiscovered++,
    });
    this.requests = new IntroductionRequests(
      { random: this.#random, identifiers: components.identifiers },
      { timeout: init.requestTimeout, maxOutstanding: init.maxOutstandingRequests },
    );
    this.#introduce = new IntroduceSelector(this.table, this.#random);
    this.#parts = {
      table: this.table,
      votes: this.votes,
      requests: this.requests,
      introduce: this.#introduce,
      counters: this.#counters,
      isInMyLan,
      myMemberId: init.myMemberId,
    };
    this.#fastActive = init.fastWalker ?? false;
    // spec §7.9: after a WAN change, my own LAN and WAN addresses leave every candidate list
    this.#unsubscribe = this.votes.onChange((change) => {
      if (change.wanChanged) this.table.removeAddresses([change.lan, change.wan]);
    });
  }

  /** My LAN address. */
  get lan(): Address {
    return this.votes.lan;
  }
  /** My WAN address. */
  get wan(): Address {
    return this.votes.wan;
  }
  /** My connection type. */
  get connectionType(): ConnectionType {
    return this.votes.connectionType;
  }
  /** My addresses and connection type, as outgoing payloads carry them. */
  get local(): LocalAddresses {
    return { lan: this.votes.lan, wan: this.votes.wan, connectionType: this.votes.connectionType };
  }
  /** Whether the fast walker is still running. */
  get fastWalkerActive(): boolean {
    return this.#fastActive;
  }
  /** A snapshot of the counters. */
  get statistics(): WalkerStatistics {
    return this.#counters.snapshot();
  }

  /** Stops listening to the (shared) WAN voting. Idempotent. */
  dispose(): void {
    this.#unsubscribe();
  }

  /** @returns candidates in the walk, stumble or intro category (insertion order; `shuffle` randomises) */
  candidates(options: { shuffle?: boolean } = {}): WalkCandidate[] {
    return this.table.candidates(this.#clock.now(), options.shuffle === true ? this.#random : undefined);
  }

  /** @returns verified candidates: walk or stumble category (insertion order; `shuffle` randomises) */
  verifiedCandidates(options: { shuffle?: boolean } = {}): WalkCandidate[] {
    return this.table.verifiedCandidates(this.#clock.now(), options.shuffle === true ? this.#random : undefined);
  }

  /** @param address a socket address @returns the candidate there (exact match), or undefined */
  getCandidate(address: Address): WalkCandidate | undefined {
    return this.table.getExact(address);
  }

  /**
   * Adds a tracker or discovered peer (spec §7.9 `add_discovered_candidate`; trackers are ordinary discovered
   * candidates, §7.10).
   * @param address its address
   * @param tunnel whether it is tunnelled @default false
   * @returns the candidate, in the discovered category
   * @throws RangeError when `address` is invalid
   */
  addDiscovered(address: Address, tunnel = false): WalkCandidate {
    return this.table.addDiscovered(address, this.#clock.now(), tunnel);
  }

  /**
   * Turns keep-alive on or off for the candidate at `address` (see {@link WalkCandidate.enterLifeSupport}).
   * @param address its address
   * @param keepAlive on or off @default true
   * @returns the candidate, or undefined when unknown
   */
  setKeepAlive(address: Address, keepAlive = true): WalkCandidate | undefined {
    const candidate = this.table.getExact(address);
    if (candidate !== undefined) candidate.keepAlive = keepAlive;
    return candidate;
  }

  /** Sets my LAN address (the endpoint re-detected it). @param address the new one @throws RangeError when invalid */
  setLanAddress(address: Address): void {
    this.votes.setLan(address);
  }

  /** Removes a candidate (its vote is withdrawn). @param address its address @returns it, or undefined */
  removeCandidate(address: Address): WalkCandidate | undefined {
    return this.table.remove(address);
  }

  /** Whom to introduce to `requester` (spec §7.7), sending nothing. @param requester the requester @returns a candidate or null */
  introduceCandidate(requester?: WalkCandidate): WalkCandidate | null {
    return this.#introduce.select(this.#clock.now(), requester);
  }

  /** Expires due requests; failures get `lastWalkReply = −1`, count as walk failures. @returns the expired requests */
  expire(): ExpiredRequest[] {
    const expired = this.requests.expire(this.#clock.now());
    for (const e of expired) if (e.failed) this.#counters.walkFailure++;
    return expired;
  }

  /** @returns when the next outstanding request expires (for an optional runtime timer), or undefined */
  nextExpiry(): number | undefined {
    return this.requests.nextExpiry();
  }

  /**
   * The runtime's periodic call: a fast-walker step while the fast walker runs (every 2 s; on its last step the
   * normal walker also steps at once, as the original), otherwise a normal step (every 5 s).
   * @returns the requests to send and when to call again
   * @throws WalkerError `IDENTIFIERS_EXHAUSTED` in the (practically impossible) case of no free identifier
   */
  step(): StepResult {
    if (this.#fastActive) {
      const fast = this.takeFastStep();
      if (!fast.done) return { mode: 'fast', send: fast.send, expired: fast.expired, nextStepIn: FAST_WALKER_STEP_INTERVAL };
      const normal = this.takeStep();
      return { mode: 'fast', send: [...fast.send, ...normal.send], expired: [...fast.expired, ...normal.expired], nextStepIn: TAKE_STEP_INTERVAL };
    }
    const normal = this.takeStep();
    return { mode: 'normal', send: normal.send, expired: normal.expired, nextStepIn: TAKE_STEP_INTERVAL };
  }

  /**
   * A normal walker step (spec §7.3–7.4): expire requests, clean up (keep-alive candidates go on life support and
   * get a keep-alive request), choose a candidate and build its introduction-request (with sync allowed).
   * @returns the decision and the requests to send
   * @throws WalkerError `IDENTIFIERS_EXHAUSTED`
   */
  takeStep(): WalkStep {
    const expired = this.expire();
    const now = this.#clock.now();
    const decision = decideStep(this.table, now, this.#random);
    const send = decision.keepAlive.map((c) => this.#request(c, now, 'keep-alive'));
    if (decision.candidate !== null) send.push(this.#request(decision.candidate, now, 'walk'));
    return { target: decision.candidate, send, expired, removed: decision.removed };
  }

  /**
   * A fast-walker step (spec §7.3): requests without sync to every candidate eligible at `now + uniform(20, 27.5)`,
   * while at most 15 candidates are verified, for at most 15 steps.
   * @returns the targets, the requests and whether the fast walker is done
   * @throws WalkerError `IDENTIFIERS_EXHAUSTED`
   */
  takeFastStep(): FastWalkStep {
    const expired = this.expire();
    const now = this.#clock.now();
    const verified = this.table.verifiedCandidates(now).length;
    const decision = fastWalkerTargets(now, this.table.list(), verified, this.#random, this.#fastState);
    this.#fastState = decision.state;
    if (decision.done) this.#fastActive = false;
    const send = decision.targets.map((c) => this.#request(c, now, 'fast'));
    return { targets: decision.targets, send, expired, done: decision.done };
  }

  /**
   * B receives an introduction-request (spec §7.6).
   * @param source the packet's source (address, tunnel)
   * @param payload the request
   * @param context signer and global time
   * @returns the outcome: the response (and puncture-request) to send, or the rejection
   */
  onIntroductionRequest(source: PacketSource, payload: IntroductionRequestFields, context?: MessageContext): IntroductionRequestHandled | Rejected {
    return this.onIntroductionRequests([{ source, payload, context }])[0] as IntroductionRequestHandled | Rejected;
  }

  /**
   * A batch of introduction-requests (see {@link handleIntroductionRequests}): requesters of one batch can be
   * introduced to each other.
   * @param batch the received requests
   * @returns one outcome per request, in order
   */
  onIntroductionRequests(batch: readonly Incoming<IntroductionRequestFields>[]): (IntroductionRequestHandled | Rejected)[] {
    return handleIntroductionRequests(this.#parts, batch, this.#clock.now());
  }

  /**
   * A receives an introduction-response (spec §7.8, see {@link handleIntroductionResponses}).
   * @param source the packet's source
   * @param payload the response
   * @param context signer and global time
   * @returns the outcome
   */
  onIntroductionResponse(source: PacketSource, payload: IntroductionResponseFields, context?: MessageContext): IntroductionResponseHandled | Rejected {
    return this.onIntroductionResponses([{ source, payload, context }])[0] as IntroductionResponseHandled | Rejected;
  }

  /**
   * A batch of introduction-responses; an identifier may be used once per batch.
   * @param batch the received responses
   * @returns one outcome per response, in order
   */
  onIntroductionResponses(batch: readonly Incoming<IntroductionResponseFields>[]): (IntroductionResponseHandled | Rejected)[] {
    return handleIntroductionResponses(this.#parts, batch, this.#clock.now());
  }

  /**
   * C receives a puncture-request (spec §7.8, see {@link handlePunctureRequest}).
   * @param source the packet's source (B)
   * @param payload the request
   * @returns the puncture to send, or the rejection
   */
  onPunctureRequest(source: PacketSource, payload: PunctureRequestFields): PunctureRequestHandled | Rejected {
    return handlePunctureRequest(this.#parts, source, payload);
  }

  /**
   * A receives a puncture (spec §7.8, see {@link handlePunctures}).
   * @param source the packet's source (C)
   * @param payload the puncture
   * @param context signer and global time
   * @returns the outcome
   */
  onPuncture(source: PacketSource, payload: PunctureFields, context?: MessageContext): PunctureHandled | Rejected {
    return this.onPunctures([{ source, payload, context }])[0] as PunctureHandled | Rejected;
  }

  /**
   * A batch of punctures; an identifier may be used once per batch.
   * @param batch the received punctures
   * @returns one outcome per puncture, in order
   */
  onPunctures(batch: readonly Incoming<PunctureFields>[]): (PunctureHandled | Rejected)[] {
    return handlePunctures(this.#parts, batch, this.#clock.now());
  }

  #request(destination: WalkCandidate, now: number, kind: 'walk' | 'fast' | 'keep-alive'): OutgoingIntroductionRequest {
    const keepAlive = kind === 'keep-alive';
    const fastWalker = kind === 'fast';
    const request = this.requests.create(destination, now, { keepAlive, fastWalker });
    if (!keepAlive) destination.walk(now);
    this.#counters.walkAttempts++;
    if (keepAlive) this.#counters.keepAliveRequests++;
    if (fastWalker) this.#counters.fastWalkerRequests++;
    return {
      kind: 'introduction-request',
      to: destination.address,
      tunnel: destination.tunnel,
      payload: buildIntroductionRequest(destination, this.local, request.identifier, !keepAlive),
      allowSync: kind === 'walk',
      keepAlive,
      fastWalker,
      request,
    };
  }
}
