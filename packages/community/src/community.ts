/**
 * A community (overlay) at runtime (spec §1, §12): the mediator between its managers — candidates, global time,
 * timeline, delays, request cache, statistics, storage, timers — and the pipelines in `pipeline*.ts` (incoming),
 * `outgoing.ts` (create / forward / send) and `community-load.ts` (load). Communities are created, joined and
 * loaded by the node ({@link Dispersy}); subclass this class (with a definition's `create` factory) to keep
 * community state, as the DebugCommunity does.
 */
import type { Conversion, IntroductionRequestPayload } from '@dispersy/codec';
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import type { Address, Clock, Random } from '@dispersy/interfaces';
import type { Walker } from '@dispersy/walker';
import { WalkerCandidates, type AddCandidateOptions, type CandidateLike, type WalkCandidate } from './candidates.ts';
import type { CommunityDefinition, CommunityKnobs } from './community-definition.ts';
import { initializeCommunity, prepareCommunity, unloadCommunity, type LoadedState } from './community-load.ts';
import { DelayRegistry } from './delays.ts';
import { bytesEqual, pruningState } from './distribution.ts';
import { GlobalTime } from './global-time.ts';
import { toHex } from './internal/bytes.ts';
import { IdentityCache } from './identities.ts';
import type { Message } from './message.ts';
import type { Dispersy } from './node.ts';
import {
  createMessage,
  encodeMessage,
  forwardMessages,
  sendPackets,
  storeUpdateForward,
  type CreateOptions,
  type Destination,
  type EncodeMessageInput,
  type StoreUpdateForwardOptions,
} from './outgoing.ts';
import { flushBatches, receivePackets, type IncomingPacket, type ReceiveOptions } from './pipeline.ts';
import { BatchCache, WorkQueue } from './pipeline-support.ts';
import { RequestCache } from './request-cache.ts';
import { runtimeMetas, type RuntimeMeta } from './runtime-meta.ts';
import { createSignatureRequest, type SignatureRequestEntry, type SignatureRequestOptions, type SignatureResponseCallback } from './signature-request.ts';
import { Statistics } from './statistics.ts';
import type { CommunityStorage } from './storage.ts';
import { Tasks } from './tasks.ts';
import { Timeline } from './timeline.ts';
import { compareProofs, type TimelineProof } from './timeline-records.ts';
import { createIntroductionRequest, takeStep, type IntroductionRequestOptions } from './walk.ts';
import { createCommunityWalker, rehomeSources } from './walker-setup.ts';

/** What the node hands a community's constructor (or a definition's `create` factory). */
export interface CommunityInit {
  readonly node: Dispersy;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  readonly definition: CommunityDefinition<any>;
  /** The community row's database id. */
  readonly databaseId: number;
  /** The master member's id = the cid. */
  readonly masterMid: Uint8Array;
  /** The master's public key, when known (else the original's DummyMember state). */
  readonly master: PublicKey | undefined;
  /** The master's private key (only where the community was created). */
  readonly masterPrivateKey: PrivateKey | undefined;
  /** The local signing identity. */
  readonly myMember: PrivateKey;
}

/** Listener of {@link Community.onStored}. */
export type StoredListener = (messages: readonly Message[], community: Community) => void;

/**
 * One loaded community. See the module comment.
 *
 * @example
 * ```ts
 * const community = node.createCommunity(Feed);
 * community.addCandidate({ host: '10.0.0.2', port: 6421 }, { category: 'walk' });
 * const message = community.create('post', { text: 'hello' }); // stored, handled, forwarded
 * ```
 */
export class Community {
  readonly node: Dispersy;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  readonly definition: CommunityDefinition<any>;
  /** The effective knobs. */
  readonly knobs: CommunityKnobs;
  /** The community id (= master mid, 20 bytes). */
  readonly cid: Uint8Array;
  /** Lowercase hex of the cid (the node's key). */
  readonly cidHex: string;
  /** The community row's database id. */
  readonly databaseId: number;
  /** The local signing identity. */
  readonly myMember: PrivateKey;
  readonly clock: Clock;
  readonly random: Random;
  /** Per-community counters (every increment also counts at the node). */
  readonly statistics: Statistics;
  /**
   * The candidate walker (spec §7, `@dispersy/walker`): candidates with their categories, walk and introduce
   * choices, the outstanding introduction-requests, my LAN / WAN addresses (the node's shared WAN voting).
   */
  readonly walker: Walker;
  /** The known peers: a view over the walker's candidate table. */
  readonly candidates: WalkerCandidates;
  /** The Lamport clock (spec §5). */
  readonly globalTimeClock: GlobalTime;
  /** The permission timeline (spec §6). */
  readonly timeline: Timeline<TimelineProof>;
  /** Delayed packets (identity) and messages (proof, sequence, message), spec §6.3. */
  readonly delays: DelayRegistry<Uint8Array, Message>;
  /** Outstanding requests (spec §11.1). */
  readonly requestCache: RequestCache;
  /** Named timers, all cancelled at unload. */
  readonly tasks: Tasks;
  /** The runtime table of meta-messages by name. */
  readonly metas: ReadonlyMap<string, RuntimeMeta>;
  /** @internal pending batches (batch windows) */
  readonly batches: BatchCache;
  /** @internal serialises the pipeline (resumed work runs after the current batch, never recursively) */
  readonly work: WorkQueue;
  /** Members whose identity is stored in this community (the lookup of sha1 member ids). */
  readonly identities: IdentityCache;
  readonly #storedListeners = new Set<StoredListener>();
  #master: PublicKey | undefined;
  #masterPrivateKey: PrivateKey | undefined;
  #state: LoadedState | undefined;
  #unloaded = false;

  /**
   * Use the node's `createCommunity` / `joinCommunity` / `getCommunity`; subclasses call `super(init)`.
   * @param init what the node provides
   */
  constructor(init: CommunityInit) {
    this.node = init.node;
    this.definition = init.definition;
    this.knobs = init.definition.knobs;
    this.cid = init.masterMid.slice();
    this.cidHex = toHex(this.cid);
    this.databaseId = init.databaseId;
    this.myMember = init.myMember;
    this.#master = init.master;
    this.#masterPrivateKey = init.masterPrivateKey;
    this.clock = init.node.clock;
    this.random = init.node.random;
    this.statistics = new Statistics({ parent: init.node.statistics });
    this.walker = createCommunityWalker(this);
    this.candidates = new WalkerCandidates(this.walker);
    this.globalTimeClock = new GlobalTime({
      clock: this.clock,
      opinions: () => this.candidates.verifiedCandidates(this.clock.now()).map((c) => c.globalTime),
      bloomSync: this.knobs.enableBloomFilterSync,
      range: this.knobs.acceptableGlobalTimeRange,
    });
    this.metas = runtimeMetas(init.definition, init.node.builtins);
    this.timeline = new Timeline<TimelineProof>({
      masterMid: this.cidHex,
      resolutionOf: (name) => this.metas.get(name)?.meta.resolution,
      compareProofs,
    });
    this.delays = new DelayRegistry<Uint8Array, Message>(
      { statistics: this.statistics },
      { maxPerSource: this.knobs.maxDelayedPerSource, maxTotal: this.knobs.maxDelayed },
    );
    this.requestCache = new RequestCache({ clock: this.clock, random: this.random }, { maxSize: this.knobs.maxRequestCaches });
    this.tasks = new Tasks(this.clock);
    this.batches = new BatchCache(this.tasks, this.knobs.maxBatchSize);
    this.work = new WorkQueue();
    this.identities = new IdentityCache(init.node.members, (id) => this.storage.hasIdentity(id), this.knobs.identityCacheSize);
  }

  /** The classification (the definition's). */
  get classification(): string {
    return this.definition.classification;
  }

  /** The master member's key, or `undefined` while only its mid (the cid) is known. */
  get master(): PublicKey | undefined {
    return this.#master;
  }

  /** The master's private key: only in the node that created the community. */
  get masterPrivateKey(): PrivateKey | undefined {
    return this.#masterPrivateKey;
  }

  /** Whether the community is loaded (between load and unload). */
  get loaded(): boolean {
    return this.#state !== undefined && !this.#unloaded;
  }

  /** The community's storage view (throws before load). */
  get storage(): CommunityStorage {
    return this.#loadedState().storage;
  }

  /** The conversion used for outgoing messages (the community version). */
  get conversion(): Conversion {
    return this.#loadedState().conversion;
  }

  /** Every conversion, oldest first (decoding tries the last first, spec §2.2). */
  get conversions(): readonly Conversion[] {
    return this.#loadedState().conversions;
  }

  /** My member's database id. */
  get myMemberId(): number {
    return this.#loadedState().myMemberId;
  }

  /** The current global time, at least 1 (spec §5). */
  get globalTime(): number {
    return this.globalTimeClock.value;
  }

  /** The acceptable global time for incoming sync messages (spec §5). */
  get acceptableGlobalTime(): number {
    return this.globalTimeClock.acceptable();
  }

  /** @returns the claimed next global time (spec §5 `claim_global_time`) */
  claimGlobalTime(): number {
    return this.globalTimeClock.claim();
  }

  /** Lamport max (pruning runs when it increases, §4.4). @param globalTime a global time @returns whether it increased */
  updateGlobalTime(globalTime: number): boolean {
    return this.globalTimeClock.update(globalTime);
  }

  /**
   * Claims the next sequence number of `signer` for a FullSync meta with sequence numbers (spec §4.4): my member
   * uses an in-memory counter initialised at load; any other signer (the master) uses its stored count + 1.
   * @param meta the meta name
   * @param signer the signing key @default myMember
   * @returns the sequence number
   */
  claimSequenceNumber(meta: string, signer: PrivateKey = this.myMember): number {
    const state = this.#loadedState();
    if (this.isMyMember(signer)) {
      const next = (state.sequenceCounters.get(meta) ?? 0) + 1;
      state.sequenceCounters.set(meta, next);
      return next;
    }
    return this.storage.store.sequences.count(this.storage.metaId(meta), this.node.members.idOf(signer.publicKey)) + 1;
  }

  /**
   * @param key a private or public key
   * @returns whether it is this community's signing identity
   */
  isMyMember(key: PrivateKey | PublicKey): boolean {
    return bytesEqual(('publicKey' in key ? key.publicKey : key).bytes, this.myMember.publicKey.bytes);
  }

  /**
   * Raises my sequence counter of a meta to at least `sequence` (after creating with an explicit number).
   * @param meta the meta name
   * @param sequence a used sequence number
   */
  noteSequenceNumber(meta: string, sequence: number): void {
    const counters = this.#loadedState().sequenceCounters;
    if (sequence > (counters.get(meta) ?? 0)) counters.set(meta, sequence);
  }

  /** @returns the pruning state of a message now (spec §4.4) @param message a message of this community */
  pruningState(message: Pick<Message, 'meta' | 'globalTime'>): 'active' | 'inactive' | 'pruned' {
    const d = message.meta.distribution;
    return pruningState(d.kind === 'direct' ? undefined : d.pruning, this.globalTime, message.globalTime);
  }

  /**
   * The public key of a member whose dispersy-identity is stored in this community (spec §3.4
   * `Community.get_member`), the lookup of `sha1` member ids. Positive answers are cached (bounded).
   * @param mid a 20-byte member id
   * @returns the key, or undefined
   */
  getMember(mid: Uint8Array): PublicKey | undefined {
    return this.identities.lookup(mid);
  }

  /**
   * Records that a member's identity is stored here; sets the master when it is the master's identity.
   * @param key the member's key
   * @returns whether it was the master's identity and the master was unknown until now
   */
  noteIdentity(key: PublicKey): boolean {
    this.identities.note(key);
    if (this.#master === undefined && toHex(key.mid) === this.cidHex) {
      this.#master = key;
      this.tasks.cancel('download-master');
      return true;
    }
    return false;
  }

  /**
   * Adds (or updates) a candidate in the walker's table (tests, bootstrap trackers as `discovered`).
   * @param address its socket address
   * @param options category, tunnel, global time, member, addresses, connection type
   * @returns the candidate
   * @throws RangeError for an invalid address
   */
  addCandidate(address: Address, options: AddCandidateOptions = {}): WalkCandidate {
    return this.candidates.add(address, options, this.clock.now());
  }

  /**
   * Feeds received packets into the pipeline (spec §12.2); never throws for their content (drops are counted),
   * except in the node's fragile mode for unexpected errors.
   * @param items packets (without tunnel prefix) with their sources
   * @param options `cache: true` honours the metas' batch windows (network packets)
   */
  receivePackets(items: readonly IncomingPacket[], options: ReceiveOptions = {}): void {
    if (!this.loaded) {
      this.statistics.drop('batch', 'not_loaded', items.length);
      return;
    }
    if (options.resumed !== true) rehomeSources(this, items);
    receivePackets(this, items, options);
  }

  /** Processes the waiting batches now (before building a sync filter; at unload). @param names only these metas */
  flushBatches(names?: readonly string[]): void {
    flushBatches(this, names);
  }

  /**
   * Creates, signs, stores (sync metas), handles and forwards a message (spec §1 "Outgoing").
   * @param name the meta name
   * @param payload the payload
   * @param options explicit global time / sequence number, members, destinations, store/update/forward flags
   * @returns the message
   * @throws RangeError for an unknown meta; TypeError for a bad payload or members
   */
  create<T = unknown>(name: string, payload: unknown, options: CreateOptions = {}): Message<T> {
    return createMessage(this, name, payload, options) as Message<T>;
  }

  /**
   * Encodes and signs a message without any side effect (no global time claimed, nothing stored or sent).
   * @param name the meta name
   * @param input members / signer, global time, sequence number, payload
   * @returns the message
   */
  encode<T = unknown>(name: string, input: EncodeMessageInput): Message<T> {
    return encodeMessage(this, name, input) as Message<T>;
  }

  /**
   * Stores, handles and forwards messages this node made (`store_update_forward`).
   * @param messages messages of one meta
   * @param options which steps, explicit destinations
   */
  storeUpdateForward(messages: readonly Message[], options: StoreUpdateForwardOptions = {}): void {
    storeUpdateForward(this, messages, options);
  }

  /**
   * Forwards messages to their destinations (spec §12.2 step 6): explicit ones plus, for community destinations,
   * up to `nodeCount` random verified candidates; an NHop message whose remaining depth is 0 is not sent.
   * @param messages the messages
   * @param destinations explicit destinations
   * @returns how many datagrams were sent
   */
  forward(messages: readonly Message[], destinations: readonly Address[] = []): number {
    return forwardMessages(this, messages, destinations);
  }

  /**
   * Sends packets to destinations (tunnel prefix per candidate), counting them per message name.
   * @param packets the packets
   * @param destinations addresses, candidates or packet sources
   */
  send(packets: readonly Uint8Array[], destinations: readonly Destination[]): void {
    sendPackets(this, packets, destinations);
  }

  /**
   * Asks the other member of a half-signed double-member message for its signature (spec §4.2
   * `create_signature_request`): registers a request-cache entry and sends dispersy-signature-request. The
   * callback gets `(original, response, changed)` when the response arrives — return true to add my signature and
   * store, handle and forward the result — or `(original, undefined, true)` on timeout.
   * @param candidate the other member's address or candidate
   * @param message the message, signed by me, with the other member's signature empty
   * @param responseFunc told the response or the timeout
   * @param options `timeout` in seconds (default 10)
   * @returns the cache entry (`number` is the identifier on the wire)
   * @throws TypeError / RangeError for a message that is not half-signed by me; RequestCacheError when the
   *   request cache is full
   */
  createSignatureRequest<T>(
    candidate: Destination,
    message: Message<T>,
    responseFunc: SignatureResponseCallback<T>,
    options: SignatureRequestOptions = {},
  ): SignatureRequestEntry {
    return createSignatureRequest(this, candidate, message, responseFunc, options);
  }

  /**
   * `create_introduction_request` (spec §7.5, §8.3): walks to `destination` — an introduction-request with my
   * addresses, an outstanding request in the walker (10.5 s) and, when `allowSync`, a Bloom-filter sync section.
   * @param destination a candidate or an address (added when unknown)
   * @param options `allowSync` (default: the `enableBloomFilterSync` knob), `forward`
   * @returns the request, or undefined when no request identifier is free (a counted drop)
   */
  createIntroductionRequest(destination: CandidateLike | Address, options: IntroductionRequestOptions = {}): Message<IntroductionRequestPayload> | undefined {
    return createIntroductionRequest(this, destination, options);
  }

  /**
   * One walker step (`take_step`, spec §7.3): an introduction-request (with sync when enabled) to `candidate`, or
   * to the candidate the walker chooses (spec §7.4; keep-alive requests too). The periodic walker (knob
   * `enableCandidateWalker`) steps every 5 s (every 2 s while the fast walker runs).
   * @param candidate walk to this one instead of choosing
   * @returns the request, or undefined when there is nobody to walk to
   */
  takeStep(candidate?: CandidateLike | Address): Message<IntroductionRequestPayload> | undefined {
    return takeStep(this, candidate);
  }

  /**
   * Registers a listener called after every stored batch (incoming or created) with the stored messages: the
   * hook of Bloom-filter sync (spec §8.3 step 4).
   * @param listener the callback
   * @returns a function that removes it
   */
  onStored(listener: StoredListener): () => void {
    this.#storedListeners.add(listener);
    return () => this.#storedListeners.delete(listener);
  }

  /** @internal tells the stored-listeners */
  notifyStored(messages: readonly Message[]): void {
    for (const listener of this.#storedListeners) listener(messages, this);
  }

  /** @internal called by the node */
  load(): void {
    if (this.#state !== undefined) return;
    this.#state = prepareCommunity(this);
    initializeCommunity(this);
  }

  /**
   * Unloads: processes waiting batches, cancels every timer, clears the delays and the request cache and detaches
   * from the node (spec §12.1 `unload_community`). Idempotent.
   */
  unload(): void {
    if (this.#unloaded || this.#state === undefined) return;
    unloadCommunity(this, this.#state);
    this.#unloaded = true;
    this.node.detachCommunity(this);
  }

  #loadedState(): LoadedState {
    if (this.#state === undefined) throw new Error(`community ${this.cidHex} is not loaded`);
    return this.#state;
  }
}
