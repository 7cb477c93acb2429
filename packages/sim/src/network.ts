/**
 * {@link SimNetwork}: the simulator's public face (design/house-style.md §2.7 item 6). One instance per test — never a
 * module global — owning a virtual clock, seeded random streams, the topology (public hosts, NATs with their LANs),
 * link models, partitions, churn and statistics. Unmodified nodes run in it: give each one `network.clock`, a
 * `network.random()` and an endpoint from `network.createEndpoint()`.
 *
 * Determinism: all randomness comes from the seed, split into independent streams (links, NAT ports, link profiles,
 * churn, and the ones handed out by `random()`), so e.g. adding churn does not change which datagrams are lost; and
 * the event queue orders ties by insertion. The same seed and the same calls give the same run, event for event.
 */
import { createSeededRandom, type Address } from '@dispersy/interfaces';
import { Churn, type ChurnOptions } from './churn.ts';
import type { CopyMode } from './datagram-copy.ts';
import { DEFAULT_LINK, type PathOverride } from './link.ts';
import type { SimNat } from './nat.ts';
import { DEFAULT_PORT, STATE, type SimNode } from './node.ts';
import { Router, type TraceEntry } from './router.ts';
import type { SimEndpoint } from './sim-endpoint.ts';
import type { NetworkStats } from './stats.ts';
import { Topology, type CreateNatInit, type CreateNodeInit, type LinkSpec } from './topology.ts';
import { createVerificationCache, type VerificationCache, type VerificationCacheInit } from './verification-cache.ts';
import { VirtualClock, type RunLimits } from './virtual-clock.ts';

/** A seeded random source with an integer helper. */
export type SeededRandom = ReturnType<typeof createSeededRandom>;

/** Options of {@link SimNetwork}. */
export interface SimNetworkInit {
  /** The seed of every random stream (a 32-bit integer). @default 1 */
  readonly seed?: number;
  /** Initial virtual time, seconds (see {@link VirtualClock}). @default 1000 */
  readonly start?: number;
  /** Link of nodes created without one. @default DEFAULT_LINK (10 ms each way, lossless, unlimited) */
  readonly defaultLink?: LinkSpec;
  /** Default event cap of each run call. @default 50_000_000 */
  readonly maxEvents?: number;
  /** Default virtual-time cap of `deliverAll`, seconds. @default 86_400 */
  readonly maxSeconds?: number;
  /** Consecutive events at one virtual instant before a run is STALLED. @default 1_000_000 */
  readonly maxEventsPerInstant?: number;
  /** How datagrams are copied: `exact`, `pooled` or `none` (see {@link CopyMode}). @default 'exact' */
  readonly copy?: CopyMode;
  /** Receive handler exceptions instead of letting them end the run (the default is fragile mode). */
  readonly onHandlerError?: (error: unknown, endpoint: SimEndpoint) => void;
  /** Options of the shared {@link VerificationCache}. */
  readonly verificationCache?: VerificationCacheInit;
}

/** Options of {@link SimNetwork.deliverAll}. */
export interface DeliverAllOptions extends RunLimits {
  /**
   * `idle`: run until no event at all is waiting; `no-datagrams`: until no datagram is in flight (timers due before
   * the last delivery still run — py-ipv8's `deliver_messages`; use it while periodic timers are active). @default 'idle'
   */
  readonly until?: 'idle' | 'no-datagrams';
}

const STREAM = { link: 1, nat: 2, profile: 3, churn: 4, fork: 5 } as const;

/**
 * A simulated network.
 *
 * @example
 * ```ts
 * // A (port-restricted NAT) -> INTRODUCER (public)
 * const network = new SimNetwork({ seed: 7 });
 * const introducer = network.createEndpoint();
 * const a = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }) });
 * introducer.onPacket((packet, { address }) => console.log('A is', address)); // its NAT's public address
 * a.send(introducer.address, Uint8Array.of(1));
 * network.deliverAll();
 * ```
 */
export class SimNetwork {
  /** The virtual clock: pass it to every component as its `Clock`. */
  readonly clock: VirtualClock;
  /** The seed. */
  readonly seed: number;
  readonly #router: Router;
  readonly #topology: Topology;
  readonly #streams: Record<keyof typeof STREAM, SeededRandom>;
  readonly #cacheInit: VerificationCacheInit | undefined;
  #cache: VerificationCache | undefined;

  /**
   * @param init seed, start time, default link, caps and options
   * @throws TypeError for a non-integer seed; RangeError for invalid caps or link fields
   */
  constructor(init: SimNetworkInit = {}) {
    const seed = init.seed ?? 1;
    if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(seed)}`);
    this.seed = seed;
    this.#streams = {
      link: createSeededRandom((seed + STREAM.link * 0x9e3779b9) | 0),
      nat: createSeededRandom((seed + STREAM.nat * 0x9e3779b9) | 0),
      profile: createSeededRandom((seed + STREAM.profile * 0x9e3779b9) | 0),
      churn: createSeededRandom((seed + STREAM.churn * 0x9e3779b9) | 0),
      fork: createSeededRandom((seed + STREAM.fork * 0x9e3779b9) | 0),
    };
    this.clock = new VirtualClock({
      ...(init.start === undefined ? {} : { start: init.start }),
      ...(init.maxEvents === undefined ? {} : { maxEvents: init.maxEvents }),
      ...(init.maxSeconds === undefined ? {} : { maxSeconds: init.maxSeconds }),
      ...(init.maxEventsPerInstant === undefined ? {} : { maxEventsPerInstant: init.maxEventsPerInstant }),
    });
    this.#router = new Router({ clock: this.clock, random: this.#streams.link, copy: init.copy ?? 'exact', onHandlerError: init.onHandlerError });
    this.#topology = new Topology({
      router: this.#router,
      natRandom: this.#streams.nat,
      profileRandom: this.#streams.profile,
      defaultLink: init.defaultLink ?? DEFAULT_LINK,
    });
    this.#cacheInit = init.verificationCache;
  }

  /** @returns the current virtual time in seconds */
  now(): number {
    return this.clock.now();
  }

  /**
   * A new seeded random source for a component (a node's walker, a workload), independent of the network's own
   * streams; the n-th call returns the same sequence in every run with this seed.
   * @returns a seeded source
   * @example `const walkerRandom = network.random();`
   */
  random(): SeededRandom {
    return createSeededRandom(this.#streams.fork.int(2 ** 32) | 0);
  }

  /** Every node, in creation order. */
  get nodes(): readonly SimNode[] {
    return this.#topology.nodes;
  }

  /** Every NAT, in creation order. */
  get nats(): readonly SimNat[] {
    return this.#topology.nats;
  }

  /**
   * Adds a NAT router with its own LAN.
   * @param init type, timeouts, port allocation, hairpinning, addresses
   * @returns the NAT, to pass to `createNode({ nat })`
   * @throws RangeError / TypeError for invalid options; SimError ADDRESS_IN_USE / POOL_EXHAUSTED for addresses
   * @example `const nat = network.createNat({ type: 'symmetric', portAllocation: 'sequential' });`
   */
  createNat(init: CreateNatInit): SimNat {
    return this.#topology.createNat(init);
  }

  /**
   * Adds a host: public, or on a NAT's LAN.
   * @param init NAT, address, name, link
   * @returns the node; bind endpoints with `node.bind()`
   * @throws RangeError / TypeError for invalid options or a NAT of another network; SimError ADDRESS_IN_USE /
   *   POOL_EXHAUSTED for addresses
   * @example `const node = network.createNode({ link: 'WiFi' });`
   */
  createNode(init: CreateNodeInit = {}): SimNode {
    return this.#topology.createNode(init);
  }

  /**
   * Adds a node and binds one endpoint on it — the usual way to get an endpoint for a node runtime.
   * @param init as {@link SimNetwork.createNode}, plus the port
   * @returns the endpoint (`endpoint.node` is the node)
   * @throws as createNode and `node.bind`
   * @example `const endpoint = network.createEndpoint({ nat, link: '3G' });`
   */
  createEndpoint(init: CreateNodeInit & { readonly port?: number } = {}): SimEndpoint {
    return this.createNode(init).bind(init.port ?? DEFAULT_PORT);
  }

  /**
   * Replaces a node's access link.
   * @param node the node
   * @param link fields (completed from the default link), a profile, or its name
   * @throws RangeError for invalid fields
   */
  setNodeLink(node: SimNode, link: LinkSpec): void {
    node[STATE].link = this.#topology.link(link);
  }

  /**
   * Overrides the path model between two nodes.
   * @param a one node (the sender when `bidirectional` is false)
   * @param b the other
   * @param override latency, jitter, loss, bandwidth, MTU
   * @param options `bidirectional` @default true
   * @throws RangeError for invalid fields
   * @example `network.setLink(a.node, b.node, { latency: 0.2, loss: 0.1 });`
   */
  setLink(a: SimNode, b: SimNode, override: PathOverride, options: { readonly bidirectional?: boolean } = {}): void {
    this.#router.links.set(a.id, b.id, override);
    if (options.bidirectional ?? true) this.#router.links.set(b.id, a.id, override);
  }

  /**
   * Removes path overrides between two nodes (both directions).
   * @param a one node
   * @param b the other
   */
  clearLink(a: SimNode, b: SimNode): void {
    this.#router.links.delete(a.id, b.id);
    this.#router.links.delete(b.id, a.id);
  }

  /**
   * Splits nodes into groups that cannot reach each other (unlisted nodes are unaffected) until `heal(name)`.
   * @param name the partition's name
   * @param groups two or more disjoint groups
   * @throws RangeError for fewer than two groups or overlapping groups
   * @example `network.partition('split', [[a, b], [c, d]]);`
   */
  partition(name: string, groups: readonly (readonly SimNode[])[]): void {
    this.#router.partitions.split(name, groups);
  }

  /**
   * Cuts nodes off from every other node until `heal(name)`.
   * @param name the partition's name
   * @param nodes the isolated nodes (they still reach each other)
   */
  isolate(name: string, nodes: readonly SimNode[]): void {
    this.#router.partitions.isolate(name, nodes);
  }

  /**
   * Ends a partition.
   * @param name its name
   * @returns whether it was active
   */
  heal(name: string): boolean {
    return this.#router.partitions.heal(name);
  }

  /** Ends every partition. */
  healAll(): void {
    this.#router.partitions.healAll();
  }

  /** Names of the active partitions. */
  get partitions(): string[] {
    return this.#router.partitions.active;
  }

  /**
   * Connects or disconnects a node (its endpoints stay bound; in-flight datagrams to it are dropped on arrival).
   * @param node the node
   * @param online the new state
   * @returns whether the state changed
   */
  setOnline(node: SimNode, online: boolean): boolean {
    const state = node[STATE];
    if (state.online === online) return false;
    state.online = online;
    this.#router.trace?.({ time: this.clock.now(), type: online ? 'online' : 'offline', node: node.name });
    return true;
  }

  /**
   * Starts exponential churn on some nodes (see {@link Churn}).
   * @param nodes the churned nodes
   * @param options mean session and offline times, initial state, callbacks
   * @returns the controller (`stop()`, `stats`)
   * @throws RangeError for invalid means
   * @example `network.churn(nodes, { meanSession: 30, meanOffline: 30 });`
   */
  churn(nodes: readonly SimNode[], options: ChurnOptions<SimNode>): Churn<SimNode> {
    return new Churn({ clock: this.clock, random: this.#streams.churn, setOnline: (n, on) => this.setOnline(n, on) }, nodes, options);
  }

  /**
   * Runs the event queue until it is quiet (or no datagram is in flight, with `until: 'no-datagrams'`).
   * @param options `until` and the caps
   * @returns how many events ran
   * @throws SimError EVENT_LIMIT / TIME_LIMIT / STALLED when periodic work keeps it busy; handler exceptions
   * @example `network.deliverAll();`
   */
  deliverAll(options: DeliverAllOptions = {}): number {
    const router = this.#router;
    if (options.until === 'no-datagrams') return this.clock.runWhile(() => router.stats.inFlight > 0, options);
    return this.clock.runUntilIdle(options);
  }

  /**
   * Runs every event due in the next `seconds` and moves the time to the end of that window.
   * @param seconds ≥ 0
   * @param limits `maxEvents`
   * @returns how many events ran
   * @throws RangeError for a negative duration; SimError EVENT_LIMIT / STALLED
   */
  runFor(seconds: number, limits: Pick<RunLimits, 'maxEvents'> = {}): number {
    return this.clock.runFor(seconds, limits);
  }

  /**
   * Runs until `predicate()` holds.
   * @param predicate the goal, checked after every event
   * @param options `maxSeconds` (default 3,600), `maxEvents`, `throwOnTimeout` (default true)
   * @returns true when it held (false on timeout only with `throwOnTimeout: false`)
   * @throws SimError UNTIL_TIMEOUT / UNTIL_IDLE / EVENT_LIMIT
   * @example `network.runUntil(() => received.length === 3, { maxSeconds: 60 });`
   */
  runUntil(predicate: () => boolean, options: RunLimits & { readonly throwOnTimeout?: boolean } = {}): boolean {
    return this.clock.runUntil(predicate, options);
  }

  /** A snapshot of the delivery statistics. */
  get stats(): NetworkStats {
    return this.#router.stats.snapshot();
  }

  /** Zeroes the network's statistics (per-node counters are kept). */
  resetStats(): void {
    this.#router.stats.reset();
  }

  /**
   * Subscribes to the trace: every send, delivery, drop and online change, in order.
   * @param listener receives each entry
   * @returns an unsubscribe function
   * @example `const lines: TraceEntry[] = []; network.onTrace((e) => lines.push(e));`
   */
  onTrace(listener: (entry: TraceEntry) => void): () => void {
    return this.#router.addTraceListener(listener);
  }

  /** The shared verification cache to hand to every node's verifier (created on first use). */
  get verificationCache(): VerificationCache {
    this.#cache ??= createVerificationCache(this.#cacheInit);
    return this.#cache;
  }

  /**
   * The source address a receiver would see for a datagram from `endpoint` to `destination` right now.
   * @param endpoint a sender
   * @param destination a public destination
   * @returns the endpoint's own address (public host), its NAT's live mapping, or undefined when no mapping exists
   * @example `network.observedAddress(a, introducer.address)`
   */
  observedAddress(endpoint: SimEndpoint, destination: Address): Address | undefined {
    const nat = endpoint.node.nat;
    return nat === undefined ? endpoint.address : nat.mappingFor(endpoint.address, destination, this.clock.now())?.external;
  }
}
