/**
 * The walker of one community (spec §7): a facade over the candidate table, WAN voting, the outstanding
 * introduction-requests and the walk/introduce selections. It owns no timer and no socket: the runtime calls
 * {@link Walker.step} (or {@link Walker.takeStep}) on its schedule, feeds every received walker message to the
 * `on…` methods, and sends what they return.
 */
import type { Address, Clock, PacketSource, Random } from '@dispersy/interfaces';
import { isValidAddress, isZeroAddress, sanitizeAddress } from './address.ts';
import type { ConnectionType, WalkCandidate } from './candidate.ts';
import { CandidateTable, type RemovalReason } from './candidate-table.ts';
import { reject, type Rejected, type RejectionReason } from './errors.ts';
import { FAST_WALKER_STEP_INTERVAL, fastWalkerTargets, TAKE_STEP_INTERVAL, type FastWalkerState } from './fast-walker.ts';
import { IntroduceSelector } from './introduce-selection.ts';
import {
  buildIntroductionRequest,
  buildIntroductionResponse,
  checkIntroductionResponse,
  checkPunctureRequest,
  reachableAddress,
  type IntroductionRequestFields,
  type IntroductionResponseFields,
  type LocalAddresses,
  type PunctureFields,
  type PunctureRequestFields,
} from './introduction.ts';
import { IntroductionRequests, type ExpiredRequest, type IdentifierSource, type OutstandingRequest } from './introduction-requests.ts';
import { createLanTest, estimateAddresses, type NetworkInterface } from './lan.ts';
import type { OutgoingIntroductionRequest, OutgoingMessage, OutgoingPuncture } from './outgoing.ts';
import { WalkerCounters, type WalkerStatistics } from './statistics.ts';
import { takeStep as decideStep } from './walk-selection.ts';
import { WanVoting } from './wan-voting.ts';

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

/** What a normal step decided. */
export interface WalkStep {
  /** The candidate walked to, or null. */
  readonly target: WalkCandidate | null;
  /** Keep-alive requests first, then the walk's request. */
  readonly send: OutgoingIntroductionRequest[];
  /** Requests that expired since the last call. */
  readonly expired: ExpiredRequest[];
  /** Obsolete candidates removed by the cleanup. */
  readonly removed: WalkCandidate[];
}

/** What a fast-walker step decided. */
export interface FastWalkStep {
  readonly targets: WalkCandidate[];
  readonly send: OutgoingIntroductionRequest[];
  readonly expired: ExpiredRequest[];
  /** The fast walker has finished; the normal walker takes over. */
  readonly done: boolean;
}

/** What {@link Walker.step} did. */
export interface StepResult {
  readonly mode: 'fast' | 'normal';
  readonly send: OutgoingIntroductionRequest[];
  readonly expired: ExpiredRequest[];
  /** Seconds until the runtime should call {@link Walker.step} again (2 while fast, then 5). */
  readonly nextStepIn: number;
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
  readonly #isInMyLan: (host: string) => boolean;
  readonly #myMemberId: string | undefined;
  readonly #introduce: IntroduceSelector;
  readonly #counters = new WalkerCounters();
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
    this.#isInMyLan = init.isInMyLan ?? createLanTest(init.interfaces ?? [], init.fallbackIp ?? lan.host);
    this.votes =
      components.votes ??
      new WanVoting({
        lan,
        ...(init.wanAddress === undefined ? {} : { wan: init.wanAddress }),
        isInMyLan: this.#isInMyLan,
        ...(init.refreshLan === undefined ? {} : { refreshLan: init.refreshLan }),
        ...(init.maxVoters === undefined ? {} : { maxVoters: init.maxVoters }),
        ...(init.maxVotedAddresses === undefined ? {} : { maxAddresses: init.maxVotedAddresses }),
      });
    this.table = new CandidateTable({
      ...(init.maxCandidates === undefined ? {} : { maxSize: init.maxCandidates }),
      onRemove: (_c: WalkCandidate, _reason: RemovalReason, address: Address) => void this.votes.withdraw(address),
      onAdd: () => void this.#counters.candidatesDiscovered++,
    });
    this.requests = new IntroductionRequests(
      { random: this.#random, ...(components.identifiers === undefined ? {} : { identifiers: components.identifiers }) },
      {
        ...(init.requestTimeout === undefined ? {} : { timeout: init.requestTimeout }),
        ...(init.maxOutstandingRequests === undefined ? {} : { maxOutstanding: init.maxOutstandingRequests }),
      },
    );
    this.#introduce = new IntroduceSelector(this.table, this.#random);
    this.#myMemberId = init.myMemberId;
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

  /**
   * @param address a socket address
   * @returns the candidate there (exact match), or undefined
   */
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
   * Removes a candidate (its vote is withdrawn).
   * @param address its address
   * @returns the removed candidate, or undefined
   */
  removeCandidate(address: Address): WalkCandidate | undefined {
    return this.table.remove(address);
  }

  /**
   * Chooses whom to introduce to `requester` (spec §7.7) without sending anything.
   * @param requester the requesting candidate (exclusion rules apply), if any
   * @returns a candidate or null
   */
  introduceCandidate(requester?: WalkCandidate): WalkCandidate | null {
    return this.#introduce.select(this.#clock.now(), requester);
  }

  /**
   * Expires due introduction-requests: failures get `lastWalkReply = −1` and count as walk failures.
   * @returns the expired requests
   */
  expire(): ExpiredRequest[] {
    const expired = this.requests.expire(this.#clock.now());
    for (const e of expired) if (e.failed) this.#counters.walkFailure++;
    return expired;
  }

  /**
   * The time at which the next outstanding request expires, for the runtime's timer (optional: every step and
   * response handling expires due requests anyway).
   * @returns seconds on the injected clock, or undefined
   */
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
    return this.onIntroductionRequests([{ source, payload, ...(context === undefined ? {} : { context }) }])[0] as IntroductionRequestHandled | Rejected;
  }

  /**
   * A batch of introduction-requests, processed like the original: first every requester becomes a stumble
   * candidate (and votes, and is de-duplicated), then each gets its response, so requesters of one batch can be
   * introduced to each other. Per request: the response to the requester, then — when someone was introduced —
   * the puncture-request to the introduced candidate, naming the requester's SELF-REPORTED LAN/WAN addresses.
   * @param batch the received requests
   * @returns one outcome per request, in order
   */
  onIntroductionRequests(batch: readonly Incoming<IntroductionRequestFields>[]): (IntroductionRequestHandled | Rejected)[] {
    const now = this.#clock.now();
    const stage: (WalkCandidate | Rejected)[] = batch.map(({ source, payload, context }) => {
      if (!isValidAddress(source.address)) return this.#drop('INVALID_SOURCE');
      if (this.#myMemberId !== undefined && context?.memberId === this.#myMemberId) return this.#drop('OWN_MEMBER');
      const candidate = this.#observe(source, payload.sourceLanAddress, payload.sourceWanAddress, payload.connectionType, context, now);
      candidate.stumble(now);
      this.votes.vote(payload.destinationAddress, candidate.address);
      this.table.filterDuplicates(candidate, now);
      this.#counters.incomingIntroductionRequests++;
      return candidate;
    });
    return batch.map(({ payload }, i): IntroductionRequestHandled | Rejected => {
      const candidate = stage[i] as WalkCandidate | Rejected;
      if ('accepted' in candidate) return candidate;
      const introduced = payload.advice ? this.#introduce.select(now, candidate) : null;
      const send: OutgoingMessage[] = [
        {
          kind: 'introduction-response',
          to: candidate.address,
          tunnel: candidate.tunnel,
          payload: buildIntroductionResponse(candidate, this.local, introduced, payload.identifier),
        },
      ];
      if (introduced !== null) {
        this.#counters.introductionsMade++;
        const puncture: PunctureRequestFields = {
          lanWalkerAddress: payload.sourceLanAddress,
          wanWalkerAddress: payload.sourceWanAddress,
          identifier: payload.identifier,
        };
        send.push({ kind: 'puncture-request', to: introduced.address, tunnel: introduced.tunnel, payload: puncture });
      }
      return { accepted: true, candidate, introduced, send };
    });
  }

  /**
   * A receives an introduction-response (spec §7.8): every check of `check_introduction_response`, then the
   * responder becomes a walk candidate, votes, and the introduced peer (both addresses known) becomes an intro
   * candidate at its LAN address if it shares my WAN IP, else at its WAN address.
   * @param source the packet's source
   * @param payload the response
   * @param context signer and global time
   * @returns the outcome
   */
  onIntroductionResponse(source: PacketSource, payload: IntroductionResponseFields, context?: MessageContext): IntroductionResponseHandled | Rejected {
    return this.onIntroductionResponses([{ source, payload, ...(context === undefined ? {} : { context }) }])[0] as IntroductionResponseHandled | Rejected;
  }

  /**
   * A batch of introduction-responses; an identifier may be used once per batch.
   * @param batch the received responses
   * @returns one outcome per response, in order
   */
  onIntroductionResponses(batch: readonly Incoming<IntroductionResponseFields>[]): (IntroductionResponseHandled | Rejected)[] {
    const now = this.#clock.now();
    const seen = new Set<number>();
    return batch.map(({ source, payload, context }): IntroductionResponseHandled | Rejected => {
      if (!isValidAddress(source.address)) return this.#drop('INVALID_SOURCE');
      if (!this.requests.isOutstanding(payload.identifier, now) || seen.has(payload.identifier)) {
        this.#counters.invalidResponseIdentifier++;
        return this.#drop(seen.has(payload.identifier) ? 'DUPLICATE_IDENTIFIER' : 'UNKNOWN_IDENTIFIER');
      }
      const invalid = checkIntroductionResponse(payload, this.votes);
      if (invalid !== undefined) return this.#drop(invalid);
      seen.add(payload.identifier);

      const candidate = this.#observe(source, payload.sourceLanAddress, payload.sourceWanAddress, payload.connectionType, context, now);
      candidate.walkResponse(now);
      candidate.leaveLifeSupport();
      this.table.filterDuplicates(candidate, now);
      this.votes.vote(payload.destinationAddress, candidate.address);
      this.#counters.walkSuccess++;

      let introduced: WalkCandidate | null = null;
      const lanIntro = payload.lanIntroductionAddress;
      const wanIntro = payload.wanIntroductionAddress;
      if (!isZeroAddress(lanIntro) && !isZeroAddress(wanIntro)) {
        const sock = reachableAddress(lanIntro, wanIntro, this.votes.wan);
        const { lan, wan } = estimateAddresses(sock, lanIntro, wanIntro, this.#isInMyLan);
        introduced = this.table.upsert({ address: sock, tunnel: payload.tunnel, lan, wan, connectionType: 'unknown' }, now);
        introduced.intro(now);
        this.table.filterDuplicates(introduced, now);
      }
      const request = this.requests.onResponse(payload.identifier, now, introduced ?? undefined) as OutstandingRequest;
      return { accepted: true, candidate, introduced, request };
    });
  }

  /**
   * C receives a puncture-request (spec §7.8): the checks of `check_puncture_request`, then a puncture to the
   * walker's LAN address if it shares my WAN IP, else to its WAN address — or to the known candidate there (the
   * symmetric-NAT lookup without replace), with that candidate's tunnel flag.
   * @param source the packet's source (B)
   * @param payload the request
   * @returns the puncture to send, or the rejection
   */
  onPunctureRequest(source: PacketSource, payload: PunctureRequestFields): PunctureRequestHandled | Rejected {
    if (!isValidAddress(source.address)) return this.#drop('INVALID_SOURCE');
    const invalid = checkPunctureRequest(source.address, payload, this.votes);
    if (invalid !== undefined) return this.#drop(invalid);
    const target = reachableAddress(payload.lanWalkerAddress, payload.wanWalkerAddress, this.votes.wan);
    const known = this.table.get(target, { replace: false, lanAddress: payload.lanWalkerAddress });
    const puncture: PunctureFields = { sourceLanAddress: this.lan, sourceWanAddress: this.wan, identifier: payload.identifier };
    this.#counters.punctureRequestsReceived++;
    return { accepted: true, send: [{ kind: 'puncture', to: known?.address ?? target, tunnel: known?.tunnel ?? false, payload: puncture }] };
  }

  /**
   * A receives a puncture (spec §7.8): the identifier must be outstanding; when both addresses are known, C becomes
   * an intro candidate (connection type unknown).
   * @param source the packet's source (C)
   * @param payload the puncture
   * @param context signer and global time
   * @returns the outcome
   */
  onPuncture(source: PacketSource, payload: PunctureFields, context?: MessageContext): PunctureHandled | Rejected {
    return this.onPunctures([{ source, payload, ...(context === undefined ? {} : { context }) }])[0] as PunctureHandled | Rejected;
  }

  /**
   * A batch of punctures; an identifier may be used once per batch.
   * @param batch the received punctures
   * @returns one outcome per puncture, in order
   */
  onPunctures(batch: readonly Incoming<PunctureFields>[]): (PunctureHandled | Rejected)[] {
    const now = this.#clock.now();
    const seen = new Set<number>();
    return batch.map(({ source, payload, context }): PunctureHandled | Rejected => {
      if (!isValidAddress(source.address)) return this.#drop('INVALID_SOURCE');
      if (seen.has(payload.identifier)) return this.#drop('DUPLICATE_IDENTIFIER');
      if (!this.requests.isOutstanding(payload.identifier, now)) return this.#drop('UNKNOWN_IDENTIFIER');
      seen.add(payload.identifier);
      let candidate: WalkCandidate | null = null;
      const lan = sanitizeAddress(payload.sourceLanAddress);
      const wan = sanitizeAddress(payload.sourceWanAddress);
      if (!isZeroAddress(lan) && !isZeroAddress(wan)) {
        candidate = this.#observe(source, lan, wan, 'unknown', context, now);
        candidate.intro(now);
      }
      this.#counters.puncturesReceived++;
      const request = this.requests.onPuncture(payload.identifier, now, candidate ?? undefined) as OutstandingRequest;
      return { accepted: true, candidate, request };
    });
  }

  /** The original's `create_or_update_walkcandidate`: estimate, look up (symmetric-NAT re-home), update or create. */
  #observe(source: PacketSource, lan: Address, wan: Address, type: ConnectionType, context: MessageContext | undefined, now: number): WalkCandidate {
    const estimated = estimateAddresses(source.address, sanitizeAddress(lan), sanitizeAddress(wan), this.#isInMyLan);
    const candidate = this.table.upsert({ address: source.address, tunnel: source.tunnel, ...estimated, connectionType: type }, now);
    if (context?.memberId !== undefined) candidate.associate(context.memberId);
    if (context?.globalTime !== undefined) candidate.reportGlobalTime(context.globalTime);
    return candidate;
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

  #drop(reason: RejectionReason): Rejected {
    this.#counters.drop(reason);
    return reject(reason);
  }
}
