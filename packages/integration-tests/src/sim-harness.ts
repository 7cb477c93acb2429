/**
 * A harness that runs N unmodified community runtimes ({@link Dispersy} on `:memory:` stores) in one
 * {@link SimNetwork}: each node on its own SimEndpoint, public or behind a NAT of a chosen type (nodes may share a NAT
 * on one LAN), all joined to one community with the periodic walker ON and Bloom-filter sync ON (the runtime's
 * defaults), bootstrapped through a tracker (`createTracker`) or a public bootstrap node that every node knows as a
 * *discovered* candidate (inserted at load and every 300 s, as the original's bootstrap does, spec §7.10).
 *
 * Everything runs on the network's virtual clock with seeded randomness (house-style §2.7 item 6): every node gets a
 * seeded stream of its own from the network's `random()`, every key (members, the community's master) is derived from the
 * seed, so one seed replays the same run, event for event. The network's shared verification cache sits in front of
 * every node's signature check (`DispersyInit.verificationCache`), so each distinct packet is verified once per process
 * (performance-model.md §3.1) and 1,000 nodes fit in one process (B13).
 *
 * Units: one walk step = `TAKE_STEP_INTERVAL` = 5 s of virtual time (every node takes one step per 5 s).
 *
 * @example
 * ```ts
 * // Topology: NODE0..NODE9 (public / behind NATs) -> TRACKER (public)
 * const sim = await createSimHarness({ seed: 1, nodes: natMix(10, { seed: 1 }) });
 * sim.runSteps(12);                                  // warm-up: one minute of walking
 * sim.verifiedCounts();                              // verified candidates per node (tracker excluded)
 * const spread = sim.spread(3);                      // a new message on node 3
 * spread.steps;                                      // walk steps until every node stored it
 * await sim.stop();
 * ```
 */
import { createHash } from 'node:crypto';
import { struct, utf8ToEnd } from '@dispersy/codec';
import {
  createTracker,
  defineCommunity,
  defineCommunityMeta,
  Dispersy,
  syncRequesterState,
  TAKE_STEP_INTERVAL,
  type Community,
  type CommunityDefinition,
  type CommunityExtension,
  type CommunityKnobs,
  type Message,
  type StatisticsSnapshot,
  type WalkCandidate,
} from '@dispersy/community';
import { privateKeyFromBytes, type PrivateKey, type PublicKey } from '@dispersy/crypto';
import { createSeededRandom, sameAddress, type Address } from '@dispersy/interfaces';
import { SimNetwork, type LinkSpec, type NatType, type NetworkStats, type SimEndpoint, type SimNat } from '@dispersy/sim';
import { TRACKER_INSERT_INTERVAL, type NetworkInterface } from '@dispersy/walker';

/** Where a node sits: on the public Internet, or behind a NAT of one of the simulator's four types. */
export type NodeNat = 'public' | NatType;

/** Every {@link NodeNat}, public first, then from the most to the least permissive NAT. */
export const NODE_NATS: readonly NodeNat[] = Object.freeze(['public', 'full-cone', 'address-restricted', 'port-restricted', 'symmetric']);

/** One node of a harness. */
export interface NodeSpec {
  /** Public, or the type of the NAT in front of it. */
  readonly nat: NodeNat;
  /**
   * Nodes with the same `lan` name (and the same NAT type) share one NAT router and its LAN, like the computers of
   * one home. @default a NAT of its own
   */
  readonly lan?: string;
  /** Its access link. @default the network's default (10 ms each way, lossless) */
  readonly link?: LinkSpec;
}

/** The bootstrap node everyone knows as a discovered candidate. */
export type BootstrapKind = 'tracker' | 'public-node';

/** Options of {@link createSimHarness}. */
export interface SimHarnessInit {
  /** The seed of the network and of every key. @default 1 */
  readonly seed?: number;
  /** The nodes (see {@link natMix}). */
  readonly nodes: readonly NodeSpec[];
  /**
   * `tracker`: a `createTracker` node (answers for any community, does not walk, stores nothing); `public-node`: a
   * public community member that walks and syncs like the others. Either way it is NOT one of `nodes`. @default 'tracker'
   */
  readonly bootstrap?: BootstrapKind;
  /** Knob overrides of the community (walker and Bloom sync are on by default). */
  readonly knobs?: Partial<CommunityKnobs>;
  /** Verified candidates a new message is pushed to at creation (`CommunityDestination` node count). @default 10 */
  readonly forwardTo?: number;
  /** Put the network's shared verification cache in front of every node's signature check. @default true */
  readonly verificationCache?: boolean;
  /** NAT timeouts (seconds). @default the simulator's (60 s mapping, filtering = mapping) */
  readonly natTimeouts?: { readonly mappingTimeout?: number; readonly filteringTimeout?: number };
  /** Rethrow unexpected pipeline errors (they end up in {@link SimHarness.handlerErrors}). @default true */
  readonly fragile?: boolean;
}

/** A node of the harness. */
export interface HarnessNode {
  /** Its index in `SimHarnessInit.nodes`. */
  readonly index: number;
  readonly spec: NodeSpec;
  readonly dispersy: Dispersy;
  readonly endpoint: SimEndpoint;
  readonly community: Community;
  /** Its NAT, if any. */
  readonly nat: SimNat | undefined;
}

/** The outcome of {@link SimHarness.spread}. */
export interface SpreadResult {
  /** The message's text. */
  readonly text: string;
  /** The node that created it. */
  readonly origin: number;
  /** Walk steps (5 s each, rounded up) until the last node stored it; undefined when not every node got it. */
  readonly steps: number | undefined;
  /** Virtual seconds until the last node stored it (undefined likewise). */
  readonly seconds: number | undefined;
  /** Nodes that stored it. */
  readonly reached: number;
  /** For each node, the walk step (rounded up) at which it stored the message; undefined: never. */
  readonly stepOf: readonly (number | undefined)[];
  /** Nodes never reached whose sync-cache filter holds the post as a false positive ({@link SimHarness.hiddenBySyncCache}). */
  readonly hidden: readonly number[];
}

/** A deterministic summary of a run (compared between two runs of one seed). */
export interface HarnessSnapshot {
  readonly time: number;
  readonly network: NetworkStats;
  readonly walk: { readonly attempt: number; readonly success: number; readonly failure: number };
  readonly syncBloom: StatisticsSnapshot['syncBloom'];
  readonly dropsTotal: number;
  readonly storedPosts: number;
  readonly verifiedCounts: readonly number[];
}

/** The community every node runs: one full-sync `post` meta (priority 128), walker and Bloom sync on. */
export const SIM_COMMUNITY_CLASSIFICATION = 'SimCommunity';

/** Drop reasons that mean a bug rather than hostile or stale input. */
const UNEXPECTED_DROPS: ReadonlySet<string> = new Set([
  'unexpected',
  'decode_failed',
  'verify_failed',
  'check_failed',
  'store_failed',
  'handle_failed',
  'community_load_failed',
  'endpoint_error',
  'walker_step_failed',
]);

/**
 * A private key derived from the seed and a label (curve25519: `LibNaCLSK:` ‖ 32-byte box secret ‖ 32-byte Ed25519
 * seed), so the same seed gives the same members, cid and packet bytes in every run.
 * @param seed the harness seed
 * @param label what the key is for
 * @returns the key
 * @example `deterministicKey(1, 'node-3')`
 */
export function deterministicKey(seed: number, label: string): PrivateKey {
  const half = (part: string): Buffer => createHash('sha256').update(`dispersy-sim-key/${seed}/${label}/${part}`).digest();
  return privateKeyFromBytes(Buffer.concat([Buffer.from('LibNaCLSK:', 'ascii'), half('box'), half('sign')]));
}

/** The NAT mix among NATed nodes (weights, summing to 1). */
export type NatWeights = Readonly<Record<NatType, number>>;

/**
 * The NAT mix of the scenarios (our choice; see the README). performance-model.md §1.5 gives the Tribler-era
 * shares, not a per-type table: up to 64 % of peers cannot be reached without puncturing (so ≈ 60 % NATed), and 77 %
 * (Dispersy) to 82 % (Ford et al.) of NATs can be punctured. So one NATed node in five is symmetric (puncturable only
 * towards full-cone and address-restricted peers) and the cone NATs are weighted towards port-restricted, the
 * commonest home-router behaviour.
 */
export const TRIBLER_NAT_WEIGHTS: NatWeights = Object.freeze({
  'full-cone': 0.2,
  'address-restricted': 0.2,
  'port-restricted': 0.4,
  symmetric: 0.2,
});

/** Options of {@link natMix}. */
export interface NatMixOptions {
  /** Shuffle seed. @default 1 */
  readonly seed?: number;
  /** Share of NATed nodes. @default 0.6 */
  readonly natedShare?: number;
  /** Weights among the NATed. @default TRIBLER_NAT_WEIGHTS */
  readonly weights?: NatWeights;
  /**
   * Share of each NAT type's nodes that sit in pairs behind one shared NAT (same type, one LAN); the number of pairs
   * per type is rounded. @default 0.1
   */
  readonly sharedShare?: number;
}

/**
 * N node specs with exact counts (largest remainder) of public and NAT types, shuffled with a seeded source.
 * @param n nodes
 * @param options shares, weights, seed
 * @returns the specs
 * @throws RangeError for a share outside [0, 1] or weights that do not sum to 1
 * @example `natMix(100)` → 40 public, 12 full-cone, 12 address-restricted, 24 port-restricted, 12 symmetric (4 pairs
 *   sharing a NAT: 56 NATs)
 */
export function natMix(n: number, options: NatMixOptions = {}): NodeSpec[] {
  const natedShare = options.natedShare ?? 0.6;
  const sharedShare = options.sharedShare ?? 0.1;
  const weights = options.weights ?? TRIBLER_NAT_WEIGHTS;
  if (!(natedShare >= 0 && natedShare <= 1) || !(sharedShare >= 0 && sharedShare <= 1)) throw new RangeError('shares must be in [0, 1]');
  const types = Object.keys(weights) as NatType[];
  const sum = types.reduce((s, t) => s + weights[t], 0);
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`NAT weights must sum to 1, got ${sum}`);
  const nated = Math.round(n * natedShare);
  const counts = apportion(nated, types.map((t) => weights[t]));
  const random = createSeededRandom(options.seed ?? 1);
  const specs: NodeSpec[] = Array.from({ length: n - nated }, () => ({ nat: 'public' as const }));
  types.forEach((type, i) => {
    const count = counts[i] ?? 0;
    const pairs = Math.min(Math.floor(count / 2), Math.round((count * sharedShare) / 2));
    for (let p = 0; p < pairs; p++) {
      const lan = `${type}-shared-${p}`;
      specs.push({ nat: type, lan }, { nat: type, lan });
    }
    for (let k = 2 * pairs; k < count; k++) specs.push({ nat: type });
  });
  for (let i = specs.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [specs[i], specs[j]] = [specs[j] as NodeSpec, specs[i] as NodeSpec];
  }
  return specs;
}

/** Largest-remainder apportionment of `total` by `weights`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const exact = weights.map((w) => w * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let left = total - counts.reduce((s, c) => s + c, 0), k = 0; left > 0; left--, k++) {
    const i = (order[k % order.length] as readonly [number, number])[1];
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** The LAN interface of a node, as `os.networkInterfaces()` would report it. */
function interfacesOf(endpoint: SimEndpoint): NetworkInterface[] {
  const nat = endpoint.node.nat;
  if (nat === undefined) return [{ address: endpoint.address.host, netmask: '255.255.255.255' }];
  const octets = nat.lanPrefix.split('.').length;
  const netmask = ['255', '255', '255', '255'].map((o, i) => (i < octets ? o : '0')).join('.');
  return [{ address: endpoint.address.host, netmask }];
}

/**
 * A running harness. Create with {@link createSimHarness}; `stop()` in teardown.
 */
export class SimHarness {
  readonly network: SimNetwork;
  readonly seed: number;
  /** The community nodes, in spec order. */
  readonly nodes: HarnessNode[] = [];
  /** The bootstrap node (tracker or public member). */
  bootstrap!: { readonly kind: BootstrapKind; readonly dispersy: Dispersy; readonly address: Address; readonly community?: Community };
  /** Exceptions thrown by packet handlers (fragile nodes rethrow unexpected pipeline errors). */
  readonly handlerErrors: unknown[] = [];
  /** The community definition every node runs. */
  readonly definition: CommunityDefinition;
  /** The master's public key (the cid is its mid). */
  readonly master: PublicKey;
  /** When each node stored each post: text → node index → virtual time. */
  readonly #arrivals = new Map<string, Map<number, number>>();
  /** The packet of every post created through the harness, by text. */
  readonly #packets = new Map<string, Uint8Array>();
  readonly #indexOf = new WeakMap<Dispersy, number>();
  readonly #init: SimHarnessInit;
  readonly #nats = new Map<string, SimNat>();
  /** Cancels of the background-post timers. */
  readonly #background = new Set<() => void>();
  #created = 0;
  #stopped = false;

  /** Use {@link createSimHarness}. @param init the options */
  constructor(init: SimHarnessInit) {
    this.#init = init;
    this.seed = init.seed ?? 1;
    this.network = new SimNetwork({
      seed: this.seed,
      onHandlerError: (error) => {
        this.handlerErrors.push(error);
      },
    });
    this.master = deterministicKey(this.seed, 'master').publicKey;
    const post = defineCommunityMeta({
      name: 'post',
      id: 1,
      authentication: { kind: 'member', encoding: 'default' },
      resolution: { kind: 'public' },
      distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 },
      destination: { kind: 'community', nodeCount: init.forwardTo ?? 10 },
      payload: struct({ text: utf8ToEnd }),
      handle: (messages: readonly Message<{ text: string }>[], community: Community) => this.#record(messages, community),
    });
    this.definition = defineCommunity({
      classification: SIM_COMMUNITY_CLASSIFICATION,
      communityVersion: 2, // full member keys in every packet: no identity round trips
      metas: [post],
      knobs: { enableCandidateWalker: true, enableBloomFilterSync: true, ...init.knobs },
    });
  }

  /** @internal builds the bootstrap node and the community nodes */
  async setUp(): Promise<void> {
    const network = this.network;
    const cache = (this.#init.verificationCache ?? true) ? network.verificationCache : undefined;
    const fragile = this.#init.fragile ?? true;
    const bootstrapEndpoint = network.createEndpoint({ name: 'bootstrap' });
    const bootstrapAddress = bootstrapEndpoint.address;
    const kind = this.#init.bootstrap ?? 'tracker';
    // Every community node inserts the bootstrap node as a discovered candidate at load and every 300 s (§7.10).
    const bootstrapExtension: CommunityExtension = {
      name: 'sim-bootstrap',
      onLoad: (community) => {
        if (sameAddress(community.node.address, bootstrapAddress)) return;
        const insert = (): void => {
          community.addCandidate(bootstrapAddress, { category: 'discovered' });
        };
        insert();
        community.tasks.repeat('sim-bootstrap', TRACKER_INSERT_INTERVAL, insert);
      },
    };
    const common = {
      clock: network.clock,
      fragile,
      ...(cache === undefined ? {} : { verificationCache: cache }),
    };
    if (kind === 'tracker') {
      const tracker = createTracker({
        ...common,
        endpoint: bootstrapEndpoint,
        random: network.random(),
        memberKey: deterministicKey(this.seed, 'bootstrap'),
        interfaces: interfacesOf(bootstrapEndpoint),
      });
      await tracker.start();
      this.bootstrap = { kind, dispersy: tracker, address: bootstrapAddress };
    } else {
      const node = new Dispersy({
        ...common,
        endpoint: bootstrapEndpoint,
        databasePath: ':memory:',
        random: network.random(),
        memberKey: deterministicKey(this.seed, 'bootstrap'),
        interfaces: interfacesOf(bootstrapEndpoint),
        extensions: [bootstrapExtension],
      });
      await node.start();
      this.#indexOf.set(node, -1);
      const community = node.joinCommunity(this.definition, { masterKey: this.master });
      this.bootstrap = { kind, dispersy: node, address: bootstrapAddress, community };
    }
    const { mappingTimeout, filteringTimeout } = this.#init.natTimeouts ?? {};
    const natOptions = { ...(mappingTimeout === undefined ? {} : { mappingTimeout }), ...(filteringTimeout === undefined ? {} : { filteringTimeout }) };
    for (const [index, spec] of this.#init.nodes.entries()) {
      let nat: SimNat | undefined;
      if (spec.nat !== 'public') {
        const shared = spec.lan === undefined ? undefined : `${spec.nat}/${spec.lan}`;
        nat = shared === undefined ? undefined : this.#nats.get(shared);
        if (nat === undefined) {
          nat = network.createNat({ type: spec.nat, ...natOptions });
          if (shared !== undefined) this.#nats.set(shared, nat);
        }
      }
      const endpoint = network.createEndpoint({ name: `node${index}`, ...(nat === undefined ? {} : { nat }), ...(spec.link === undefined ? {} : { link: spec.link }) });
      const dispersy = new Dispersy({
        ...common,
        endpoint,
        databasePath: ':memory:',
        random: network.random(),
        memberKey: deterministicKey(this.seed, `node-${index}`),
        interfaces: interfacesOf(endpoint),
        extensions: [bootstrapExtension],
      });
      await dispersy.start();
      this.#indexOf.set(dispersy, index);
      const community = dispersy.joinCommunity(this.definition, { masterKey: this.master });
      this.nodes.push({ index, spec, dispersy, endpoint, community, nat });
    }
  }

  #record(messages: readonly Message<{ text: string }>[], community: Community): void {
    const index = this.#indexOf.get(community.node);
    if (index === undefined || index < 0) return;
    const now = community.clock.now();
    for (const m of messages) {
      let arrivals = this.#arrivals.get(m.payload.text);
      if (arrivals === undefined) this.#arrivals.set(m.payload.text, (arrivals = new Map()));
      if (!arrivals.has(index)) arrivals.set(index, now);
    }
  }

  /** The current virtual time (seconds). */
  get now(): number {
    return this.network.now();
  }

  /**
   * Runs the network for k walk steps (5 s each).
   * @param k steps
   * @returns the events processed
   */
  runSteps(k: number): number {
    return this.network.runFor(k * TAKE_STEP_INTERVAL);
  }

  /**
   * A node's verified candidates (walk or stumble category, spec §7.2), the bootstrap node left out.
   * @param node a node or its index
   * @returns the candidates
   */
  verifiedCandidates(node: HarnessNode | number): WalkCandidate[] {
    const n = typeof node === 'number' ? this.#node(node) : node;
    return n.community.candidates.verifiedCandidates(this.now).filter((c) => !sameAddress(c.address, this.bootstrap.address));
  }

  /** @returns the number of verified candidates of every node (bootstrap node excluded), in node order */
  verifiedCounts(): number[] {
    return this.nodes.map((n) => this.verifiedCandidates(n).length);
  }

  /**
   * Whether `a` holds a verified candidate for `b` (at the address `a` reaches `b` by: `b`'s NAT mapping, or its LAN
   * address inside a shared LAN).
   * @param a a node
   * @param b another node
   * @returns true when one of a's verified candidates is b
   */
  hasVerified(a: HarnessNode | number, b: HarnessNode | number): boolean {
    const target = typeof b === 'number' ? this.#node(b) : b;
    return this.verifiedCandidates(a).some((c) => this.isAddressOf(c.address, target));
  }

  /**
   * Whether `a` has `b` as a candidate of any category.
   * @param a a node
   * @param b another node
   * @returns true when one of a's candidates (any category, obsolete ones excluded) is b
   */
  knows(a: HarnessNode | number, b: HarnessNode | number): boolean {
    const n = typeof a === 'number' ? this.#node(a) : a;
    const target = typeof b === 'number' ? this.#node(b) : b;
    return n.community.candidates.active(this.now).some((c) => this.isAddressOf(c.address, target));
  }

  /**
   * Whether an address reaches a node: its own (LAN / public) address, or the public side of one of its NAT's
   * mappings for it.
   * @param address a socket address
   * @param node a node
   * @returns true if datagrams to `address` reach the node's endpoint
   */
  isAddressOf(address: Address, node: HarnessNode): boolean {
    if (sameAddress(address, node.endpoint.address)) return true;
    const nat = node.nat;
    if (nat === undefined || address.host !== nat.host) return false;
    return nat.mappings(this.now).some((m) => sameAddress(m.external, address) && sameAddress(m.internal, node.endpoint.address));
  }

  #node(index: number): HarnessNode {
    const node = this.nodes[index];
    if (node === undefined) throw new RangeError(`no node ${index}`);
    return node;
  }

  /**
   * Creates a post on a node (stored, handled, pushed to up to `forwardTo` verified candidates).
   * @param origin the node's index
   * @param text the text @default a fresh `post-<n>`
   * @returns the text
   */
  createPost(origin: number, text = `post-${this.#created}`): string {
    this.#created++;
    const message = this.#node(origin).community.create('post', { text });
    this.#packets.set(text, message.packet);
    return text;
  }

  /**
   * How many nodes stored a post.
   * @param text its text
   * @returns the count
   */
  coverage(text: string): number {
    return this.#arrivals.get(text)?.size ?? 0;
  }

  /**
   * Starts background traffic: every `interval` seconds a node drawn by a seeded source creates a post
   * (`bg-<n>`), until the returned function is called or the harness stops.
   * @param interval seconds between two posts (network-wide)
   * @returns stop
   * @throws RangeError for an interval that is not positive
   */
  startBackgroundPosts(interval: number): () => void {
    if (!(interval > 0)) throw new RangeError(`interval must be > 0, got ${interval}`);
    const random = this.network.random();
    let timer: { cancel(): void } | undefined;
    let n = 0;
    const tick = (): void => {
      this.createPost(random.int(this.nodes.length), `bg-${n++}`);
      timer = this.network.clock.schedule(interval, tick);
    };
    timer = this.network.clock.schedule(interval, tick);
    const stop = (): void => {
      timer?.cancel();
      this.#background.delete(stop);
    };
    this.#background.add(stop);
    return stop;
  }

  /**
   * Diagnosis of a post that does not spread: the nodes that lack it although the Bloom filter of their current sync
   * cache (spec §8.3, reused up to 100 times with one prefix) claims it — a false positive that makes every responder
   * withhold the post until the cache is dropped.
   * @param text a post created through the harness
   * @returns the indices of those nodes
   */
  hiddenBySyncCache(text: string): number[] {
    const packet = this.#packets.get(text);
    if (packet === undefined) return [];
    const arrivals = this.#arrivals.get(text);
    return this.nodes
      .filter((n) => arrivals?.has(n.index) !== true && syncRequesterState(n.community).cache?.filter.contains(packet) === true)
      .map((n) => n.index);
  }

  /**
   * How many posts a node stored (its own included).
   * @param index the node's index
   * @returns the count
   */
  postsStoredBy(index: number): number {
    let n = 0;
    for (const arrivals of this.#arrivals.values()) if (arrivals.has(index)) n++;
    return n;
  }

  /** @returns how many posts were created so far */
  get postsCreated(): number {
    return this.#created;
  }

  /**
   * Creates a post on `origin` and runs until every node stored it (or `maxSteps` walk steps passed).
   * @param origin the creating node's index
   * @param options `maxSteps` @default 60, `text`
   * @returns steps, seconds, coverage and per-node arrival steps
   */
  spread(origin: number, options: { readonly maxSteps?: number; readonly text?: string } = {}): SpreadResult {
    const start = this.now;
    const text = this.createPost(origin, options.text);
    const all = this.nodes.length;
    this.network.runUntil(() => this.coverage(text) >= all, { maxSeconds: (options.maxSteps ?? 60) * TAKE_STEP_INTERVAL, throwOnTimeout: false });
    const arrivals = this.#arrivals.get(text) ?? new Map<number, number>();
    const stepOf = this.nodes.map((n) => {
      const t = arrivals.get(n.index);
      return t === undefined ? undefined : Math.ceil((t - start) / TAKE_STEP_INTERVAL - 1e-9);
    });
    const done = arrivals.size >= all;
    const seconds = done ? Math.max(...arrivals.values()) - start : undefined;
    return {
      text,
      origin,
      steps: seconds === undefined ? undefined : Math.ceil(seconds / TAKE_STEP_INTERVAL - 1e-9),
      seconds,
      reached: arrivals.size,
      stepOf,
      hidden: done ? [] : this.hiddenBySyncCache(text),
    };
  }

  /**
   * Drops counted by reasons that mean a bug (unexpected errors, failed checks / stores / handlers…) over every node.
   * @returns reason → count (empty when healthy)
   */
  unexpectedDrops(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const d of this.#allNodes()) {
      for (const byReason of Object.values(d.statistics.snapshot().drops.byStage)) {
        for (const [reason, count] of Object.entries(byReason)) {
          if (UNEXPECTED_DROPS.has(reason)) out[reason] = (out[reason] ?? 0) + count;
        }
      }
    }
    return out;
  }

  #allNodes(): Dispersy[] {
    return [this.bootstrap.dispersy, ...this.nodes.map((n) => n.dispersy)];
  }

  /** @returns the largest candidate table of any community node (bounded by the `maxCandidates` knob) */
  maxCandidateTable(): number {
    return Math.max(...this.nodes.map((n) => n.community.candidates.size));
  }

  /** @returns a deterministic summary of the run so far */
  snapshot(): HarnessSnapshot {
    const walk = { attempt: 0, success: 0, failure: 0 };
    const syncBloom = { new: 0, reuse: 0, send: 0, skip: 0 };
    let dropsTotal = 0;
    for (const d of this.#allNodes()) {
      const s = d.statistics.snapshot();
      walk.attempt += s.walk.attempt;
      walk.success += s.walk.success;
      walk.failure += s.walk.failure;
      for (const key of Object.keys(syncBloom) as (keyof typeof syncBloom)[]) syncBloom[key] += s.syncBloom[key];
      dropsTotal += s.drops.total;
    }
    let storedPosts = 0;
    for (const arrivals of this.#arrivals.values()) storedPosts += arrivals.size;
    return { time: this.now, network: this.network.stats, walk, syncBloom, dropsTotal, storedPosts, verifiedCounts: this.verifiedCounts() };
  }

  /** Stops the background posts and every node (community nodes, then the bootstrap node). Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const stop of [...this.#background]) stop();
    for (const n of [...this.nodes].reverse()) await n.dispersy.stop();
    await this.bootstrap?.dispersy.stop();
  }
}

/**
 * Builds a harness: the bootstrap node, then the community nodes in spec order, all started and joined (their
 * walkers start at load: first step `database id mod 3` s later, then every 5 s). Nothing runs until the test runs
 * the network.
 * @param init seed, nodes, bootstrap kind, knobs, verification cache
 * @returns the harness
 * @example `const sim = await createSimHarness({ seed: 7, nodes: [{ nat: 'public' }, { nat: 'symmetric' }] });`
 */
export async function createSimHarness(init: SimHarnessInit): Promise<SimHarness> {
  const harness = new SimHarness(init);
  await harness.setUp();
  return harness;
}

/**
 * The median of numbers (the mean of the middle two for an even count); undefined entries count as +∞.
 * @param values the numbers
 * @returns the median
 */
export function median(values: readonly (number | undefined)[]): number {
  const sorted = values.map((v) => v ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
