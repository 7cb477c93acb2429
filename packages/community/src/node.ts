/**
 * The Dispersy node (spec §1, §12): owns the endpoint, the store, the member directory (bounded cache), the node
 * statistics and the loaded communities keyed by cid. Incoming datagrams are demultiplexed by their 22-byte
 * prefix to a community (loading an auto-load community on demand); nothing from the network throws past the node
 * — every failure is a drop counted by reason, except in `fragile` mode (tests), which rethrows unexpected
 * (non-DecodeError) exceptions so that bugs surface.
 *
 * Quirk 20 decided: a list of packets is processed in a total order — (cid, community version, message id with
 * dispersy-identity (248) first), stable for equal keys — so identities are processed before the messages that
 * need them.
 */
import { generateKeyPair, publicKeyFromBytes, type PrivateKey, type VerifyPool } from '@dispersy/crypto';
import { systemClock, systemRandom, type Address, type Clock, type Endpoint, type Random } from '@dispersy/interfaces';
import { openStore, type CommunityRecord, type Store } from '@dispersy/store';
import type { WanVoting } from '@dispersy/walker';
import { BUILTIN_BEHAVIOURS, type BuiltinBehaviour } from './builtins/index.ts';
import { Community, type CommunityInit } from './community.ts';
import type { CommunityDefinition } from './community-definition.ts';
import { fromHex, toHex } from './internal/bytes.ts';
import { DEFAULT_MEMBER_CACHE_SIZE, MemberDirectory } from './members.ts';
import type { CommunityExtension, DispersyInit, VerificationOutcomeCache } from './node-options.ts';
import { orderPackets } from './packet-order.ts';
import type { IncomingPacket, ReceiveOptions } from './pipeline.ts';
import {
  communityRow,
  createCommunity,
  joinCommunity,
  storedCommunities,
  type CreateCommunityOptions,
  type JoinCommunityOptions,
  type StoredCommunity,
} from './node-communities.ts';
import { Statistics } from './statistics.ts';
import { createNodeVoting, nodeLanTest } from './walker-setup.ts';

/**
 * A Dispersy node. See the module comment.
 *
 * @example
 * ```ts
 * const node = new Dispersy({ endpoint, databasePath: 'dispersy.db' });
 * await node.start();
 * const community = node.createCommunity(Feed);
 * community.create('post', { text: 'hello' });
 * await node.stop();
 * ```
 */
export class Dispersy {
  readonly endpoint: Endpoint;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly verifyPool: VerifyPool | undefined;
  /** The shared verification-outcome cache of a simulation (`DispersyInit.verificationCache`), if any. */
  readonly verificationCache: VerificationOutcomeCache | undefined;
  /** Node-level counters (every community's counters add up here). */
  readonly statistics = new Statistics();
  /** The member directory (bounded cache over the member table). */
  readonly members: MemberDirectory;
  readonly fragile: boolean;
  /** The built-in behaviour table in force. */
  readonly builtins: ReadonlyMap<string, BuiltinBehaviour>;
  /** The node's default signing identity. */
  readonly myMember: PrivateKey;
  /**
   * My LAN / WAN addresses and connection type (spec §7.9): LAN = the endpoint's address, WAN by the votes of
   * peers outside my LAN. One per node, shared by the walkers of all its communities.
   */
  readonly votes: WanVoting;
  /** The "in my LAN" test (the `interfaces` option, else RFC 1918 or my own host). */
  readonly isInMyLan: (host: string) => boolean;
  readonly #onUnknownCommunity: DispersyInit['onUnknownCommunity'];
  readonly #extensions: readonly CommunityExtension[];
  readonly #ownsEndpoint: boolean;
  readonly #ownsStore: boolean;
  readonly #communities = new Map<string, Community>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  readonly #definitions = new Map<string, CommunityDefinition<any>>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #autoLoadAtStart = new Set<string>();
  #running = false;
  #stopped = false;

  /**
   * @param init endpoint, store or path, clock, random, pool, identity, flags
   * @throws TypeError when neither `store` nor `databasePath` is given; RangeError when the endpoint's address is not
   *   a valid IPv4 address (it is my LAN address); StoreError when the database cannot open
   */
  constructor(init: DispersyInit) {
    if (init.store === undefined && init.databasePath === undefined) throw new TypeError('give store or databasePath');
    this.endpoint = init.endpoint;
    this.isInMyLan = nodeLanTest(init.endpoint.address, init.interfaces);
    this.votes = createNodeVoting(init.endpoint.address, this.isInMyLan);
    this.store = init.store ?? openStore(init.databasePath as string);
    this.clock = init.clock ?? systemClock;
    this.random = init.random ?? systemRandom;
    this.verifyPool = init.verifyPool;
    this.verificationCache = init.verificationCache;
    this.#onUnknownCommunity = init.onUnknownCommunity;
    this.fragile = init.fragile ?? false;
    this.#ownsEndpoint = init.ownsEndpoint ?? true;
    this.#ownsStore = init.ownsStore ?? true;
    this.#extensions = [...(init.extensions ?? [])];
    this.builtins = new Map([...BUILTIN_BEHAVIOURS, ...Object.entries(init.builtins ?? {})]);
    this.members = new MemberDirectory(this.store, init.memberCacheSize ?? DEFAULT_MEMBER_CACHE_SIZE);
    this.myMember = init.memberKey ?? generateKeyPair(init.memberLevel ?? 'curve25519');
    this.members.savePrivateKey(this.myMember);
    this.endpoint.onPacket((packet, source) => this.receivePackets([{ packet, source }], { cache: true }));
  }

  /** Whether the node is started and not stopped. */
  get running(): boolean {
    return this.#running;
  }

  /** The endpoint's address. */
  get address(): Address {
    return this.endpoint.address;
  }

  /** The loaded communities by cid (hex). */
  get communities(): ReadonlyMap<string, Community> {
    return this.#communities;
  }

  /**
   * Starts receiving; loads the stored communities of every auto-load definition registered with `load: true`.
   * @throws Error after `stop()`
   */
  async start(): Promise<void> {
    if (this.#stopped) throw new Error('a stopped node cannot start again');
    this.#running = true;
    for (const [classification, definition] of this.#definitions) {
      if (this.#autoLoadAtStart.has(classification)) this.#loadStored(definition);
    }
  }

  /**
   * Stops: unloads every community (processing waiting batches, cancelling every timer), waits for pending
   * verification, closes the endpoint and the store when owned. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const community of [...this.#communities.values()].reverse()) community.unload();
    this.#running = false;
    await this.idle();
    if (this.#ownsEndpoint) await this.endpoint.close();
    if (this.#ownsStore) this.store.close();
  }

  /**
   * Waits until every pending asynchronous verification (verify pool) has been processed.
   * @returns when idle
   */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * @internal Keeps a pending asynchronous step (for {@link idle} and `stop()`).
   * @param promise the work
   */
  track(promise: Promise<unknown>): void {
    const tracked = promise.catch((err: unknown) => {
      if (this.fragile) console.error(err);
    }).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /**
   * Registers a community definition by classification (the original's `define_auto_load`): incoming packets may
   * load its stored communities whose auto-load flag is set; with `load: true` they are loaded at `start()` (now,
   * when already started).
   * @param definition the definition
   * @param options `load`
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  defineAutoLoad(definition: CommunityDefinition<any>, options: { readonly load?: boolean } = {}): void {
    this.#definitions.set(definition.classification, definition);
    if (options.load === true) {
      this.#autoLoadAtStart.add(definition.classification);
      if (this.#running) this.#loadStored(definition);
    }
  }

  /**
   * Creates a new community (spec §5 "Order in create_community"): a new master key, my identity (global time
   * 2), the master's identity (3) and the master-signed initial authorize of `initialGrants` (4, sequence 1),
   * stored and not forwarded.
   * @param definition the community type
   * @param options master key level, my member
   * @returns the loaded community
   */
  createCommunity<C extends Community>(definition: CommunityDefinition<C>, options: CreateCommunityOptions = {}): C {
    return createCommunity(this, definition, options);
  }

  /**
   * Joins a community by its master's public key, or by cid only (then the master is a "dummy" until its identity
   * arrives; the master-download task asks verified candidates for it every 15 s).
   * @param definition the community type
   * @param options master key or cid, my member
   * @returns the loaded community (the loaded one, if already loaded)
   * @throws TypeError when neither a master key nor a cid is given
   */
  joinCommunity<C extends Community>(definition: CommunityDefinition<C>, options: JoinCommunityOptions): C {
    return joinCommunity(this, definition, options);
  }

  /**
   * A loaded community, or a stored one loaded now when `load` is set, or when `autoLoad` is set and its row has
   * the auto-load flag (spec §12.1 `get_community`); its classification must be registered.
   * @param cid the community id (bytes or hex)
   * @param options `load` @default false, `autoLoad` @default true
   * @returns the community, or undefined
   */
  getCommunity(cid: Uint8Array | string, options: { readonly load?: boolean; readonly autoLoad?: boolean } = {}): Community | undefined {
    const hex = typeof cid === 'string' ? cid.toLowerCase() : toHex(cid);
    const loaded = this.#communities.get(hex);
    if (loaded !== undefined) return loaded;
    if (options.load !== true && options.autoLoad === false) return undefined;
    const row = communityRow(this.store, typeof cid === 'string' ? fromHex(cid) : cid);
    if (row === undefined) return undefined;
    const definition = this.#definitions.get(row.classification);
    if (definition === undefined) return undefined;
    if (options.load !== true && !row.autoLoad) return undefined;
    return this.instantiate(definition, row);
  }

  /**
   * Stored communities, optionally of one classification (the original's `get_master_members`).
   * @param classification filter
   * @returns the stored communities
   */
  storedCommunities(classification?: string): StoredCommunity[] {
    return storedCommunities(this.store, classification);
  }

  /**
   * Sets a stored community's auto-load flag.
   * @param cid the community id
   * @param autoLoad the flag
   * @returns false when no such community is stored
   */
  setAutoLoad(cid: Uint8Array, autoLoad: boolean): boolean {
    const row = communityRow(this.store, cid);
    return row !== undefined && this.store.communities.setAutoLoad(row.id, autoLoad);
  }

  /**
   * Changes a community's classification (the original's `reclassify_community`): unloads it if loaded, updates
   * the stored classification and loads it as the new type.
   * @param target the community or its cid
   * @param definition the new type
   * @returns the community loaded as the new type
   * @throws RangeError when no such community is stored
   */
  reclassifyCommunity<C extends Community>(target: Community | Uint8Array, definition: CommunityDefinition<C>): C {
    const cid = target instanceof Community ? target.cid : target;
    this.#communities.get(toHex(cid))?.unload();
    const row = communityRow(this.store, cid);
    if (row === undefined) throw new RangeError(`no stored community ${toHex(cid)}`);
    this.store.communities.setClassification(row.id, definition.classification);
    this.registerDefinition(definition);
    return this.instantiate(definition, { ...row, classification: definition.classification }) as C;
  }

  /**
   * Feeds received packets (tunnel prefix already stripped) to their communities, in the total order of quirk
   * 20. Never throws for the packets' content (see the module comment).
   * @param items packets with their sources
   * @param options `cache: true` honours batch windows (the endpoint's packets)
   */
  receivePackets(items: readonly IncomingPacket[], options: ReceiveOptions = {}): void {
    try {
      this.#receive(items, options);
    } catch (err) {
      this.statistics.drop('batch', 'unexpected');
      if (this.fragile) throw err;
    }
  }

  #receive(items: readonly IncomingPacket[], options: ReceiveOptions): void {
    if (!this.#running) {
      this.statistics.drop('batch', 'not_running', items.length);
      return;
    }
    const { communities, short } = orderPackets(items);
    for (const item of short) this.statistics.packetIn('unknown', item.packet?.length ?? 0);
    if (short.length > 0) this.statistics.drop('batch', 'too_short', short.length);
    for (const { cid, items: group } of communities) {
      const community = this.#communityForPacket(cid, group);
      if (community === undefined) {
        for (const item of group) this.statistics.packetIn('unknown', item.packet.length);
        this.statistics.drop('batch', 'unknown_community', group.length);
      } else community.receivePackets(group, options);
    }
  }

  #communityForPacket(cid: string, packets: readonly IncomingPacket[]): Community | undefined {
    try {
      return this.getCommunity(cid, { autoLoad: true }) ?? this.#onUnknownCommunity?.(this, fromHex(cid), packets);
    } catch (err) {
      this.statistics.drop('batch', 'community_load_failed');
      if (this.fragile) throw err;
      return undefined;
    }
  }

  /**
   * Sends one datagram through the endpoint (never throws for network conditions).
   * @param to the destination
   * @param packet the packet
   * @param tunnel prepend the tunnel prefix
   */
  sendPacket(to: Address, packet: Uint8Array, tunnel = false): void {
    try {
      this.endpoint.send(to, packet, tunnel);
    } catch (err) {
      this.statistics.drop('send', 'endpoint_error');
      if (this.fragile) throw err;
    }
  }

  /**
   * @param community a community
   * @returns the extensions that apply to it
   */
  extensionsFor(community: Community): CommunityExtension[] {
    return this.#extensions.filter((e) => e.appliesTo === undefined || e.appliesTo(community));
  }

  /** @internal called by `community.unload()` */
  detachCommunity(community: Community): void {
    if (this.#communities.get(community.cidHex) === community) this.#communities.delete(community.cidHex);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  #loadStored(definition: CommunityDefinition<any>): void {
    for (const stored of this.storedCommunities(definition.classification)) {
      if (!this.#communities.has(toHex(stored.cid))) this.getCommunity(stored.cid, { load: true });
    }
  }

  /**
   * @internal Registers a definition by classification unless one is registered.
   * @param definition the definition
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  registerDefinition(definition: CommunityDefinition<any>): void {
    if (!this.#definitions.has(definition.classification)) this.#definitions.set(definition.classification, definition);
  }

  /**
   * @internal Builds and loads the community of a stored row with a definition.
   * @param definition the community type
   * @param row the community row
   * @returns the loaded community
   * @throws RangeError when the row's members are missing or my member has no private key
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any community class
  instantiate(definition: CommunityDefinition<any>, row: CommunityRecord): Community {
    const master = this.store.members.getById(row.master);
    if (master === undefined) throw new RangeError(`community ${row.id} has no master member`);
    const myMember = this.members.privateKeyOf(row.myMember);
    if (myMember === undefined) throw new RangeError(`community ${row.id}: my member has no private key`);
    const init: CommunityInit = {
      node: this,
      definition,
      databaseId: row.id,
      masterMid: master.mid,
      master: master.publicKey === null ? undefined : publicKeyFromBytes(master.publicKey),
      masterPrivateKey: this.members.privateKeyOf(row.master),
      myMember,
    };
    const community = definition.create === undefined ? new Community(init) : definition.create(init);
    this.#communities.set(community.cidHex, community);
    try {
      community.load();
    } catch (err) {
      this.#communities.delete(community.cidHex);
      throw err;
    }
    return community;
  }
}
