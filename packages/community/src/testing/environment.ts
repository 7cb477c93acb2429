/**
 * The test environment, like the original's `DispersyTestFunc` (spec §14): one virtual clock, one in-memory
 * network, seeded randomness, and a master node `mm` that created a DebugCommunity (so its member holds every
 * initial grant). `createNodes(n)` adds nodes that join that community by cid, receive mm's and the master's
 * identities and the master's authorize, give mm their identity, and know each other as mm's stumble candidates
 * (mm is their walk candidate), as after the original's introduction-request to mm. Virtual time only: nothing
 * happens until the test delivers datagrams or advances the clock.
 */
import type { SecurityLevel } from '@dispersy/crypto';
import { createSeededRandom, ManualClock, type Address } from '@dispersy/interfaces';
import type { CommunityDefinition } from '../community-definition.ts';
import { Dispersy } from '../node.ts';
import type { DispersyInit } from '../node-options.ts';
import { createDebugCommunityDefinition, type DebugCommunity } from './debug-community.ts';
import { DebugNode } from './debug-node.ts';
import { MemoryNetwork, type MemoryEndpoint } from './memory-network.ts';

/** Options of {@link createDebugEnvironment}. */
export interface DebugEnvironmentOptions {
  /** Seed of every node's random source (node i uses seed + i). @default 1 */
  readonly seed?: number;
  /** The DebugCommunity's version (1: sha1 member ids; 2+: full keys). @default 1 */
  readonly communityVersion?: number;
  /** A custom DebugCommunity definition (overrides `communityVersion`). */
  readonly definition?: CommunityDefinition<DebugCommunity>;
  /** Key level of mm's member. @default 'curve25519' */
  readonly memberLevel?: SecurityLevel;
  /** Key level of the master. @default 'curve25519' */
  readonly masterLevel?: SecurityLevel;
  /** Rethrow unexpected pipeline errors. @default true */
  readonly fragile?: boolean;
  /** Keep a log of every datagram each node sends (`node.endpoint.sent`). @default false */
  readonly recordSent?: boolean;
  /** Extra node options (extensions, builtins, verify pool…). */
  readonly nodeOptions?: Partial<Omit<DispersyInit, 'endpoint' | 'clock' | 'random'>>;
}

/** Options of {@link DebugEnvironment.createNodes}. */
export interface CreateNodesOptions {
  /** Key level of the nodes' members. @default 'curve25519' */
  readonly memberLevel?: SecurityLevel;
  /** Tunnelled nodes. @default false */
  readonly tunnel?: boolean;
  /** Exchange identities with mm and receive the master's packets. @default true */
  readonly storeIdentity?: boolean;
  /** Add mm ↔ node candidates (stumble at mm, walk at the node). @default true */
  readonly candidates?: boolean;
  /** The node's address (e.g. a public one, outside everyone's LAN). @default the network's next 10.x address */
  readonly address?: Address;
}

/**
 * The environment. Create with {@link createDebugEnvironment}; call {@link DebugEnvironment.stop} in teardown.
 *
 * @example
 * ```ts
 * const env = await createDebugEnvironment();
 * const [node, other] = await env.createNodes(2);
 * node.giveMessage(other.createFullSyncText('hi', 10), other);
 * await env.stop();
 * ```
 */
export class DebugEnvironment {
  readonly clock: ManualClock;
  readonly network: MemoryNetwork;
  readonly definition: CommunityDefinition<DebugCommunity>;
  /** Every node, mm first. */
  readonly nodes: DebugNode[] = [];
  readonly #options: DebugEnvironmentOptions;
  #mm: DebugNode | undefined;

  /** @param options see {@link DebugEnvironmentOptions} */
  constructor(options: DebugEnvironmentOptions = {}) {
    this.#options = options;
    this.clock = new ManualClock();
    this.network = new MemoryNetwork();
    this.definition = options.definition ?? createDebugCommunityDefinition({ communityVersion: options.communityVersion ?? 1 });
  }

  /** The master node (created the community). */
  get mm(): DebugNode {
    if (this.#mm === undefined) throw new Error('the environment is not set up');
    return this.#mm;
  }

  /**
   * A started Dispersy on a new endpoint (no community).
   * @param memberLevel its member's key level
   * @param address the endpoint's address @default the network's next one
   * @returns the node and its endpoint
   */
  async createDispersy(memberLevel: SecurityLevel = 'curve25519', address?: Address): Promise<{ dispersy: Dispersy; endpoint: MemoryEndpoint }> {
    const endpoint = this.network.createEndpoint(address, { record: this.#options.recordSent ?? false });
    const dispersy = new Dispersy({
      databasePath: ':memory:',
      fragile: this.#options.fragile ?? true,
      ...this.#options.nodeOptions,
      endpoint,
      clock: this.clock,
      random: createSeededRandom((this.#options.seed ?? 1) + this.nodes.length * 7919),
      memberLevel,
    });
    await dispersy.start();
    return { dispersy, endpoint };
  }

  /** @internal creates mm */
  async setUp(): Promise<void> {
    const { dispersy, endpoint } = await this.createDispersy(this.#options.memberLevel);
    const community = dispersy.createCommunity(this.definition, this.#options.masterLevel === undefined ? {} : { masterLevel: this.#options.masterLevel });
    this.#mm = new DebugNode(dispersy, endpoint, this.network, community.cid);
    this.nodes.push(this.#mm);
  }

  /**
   * Creates nodes joined to mm's community (see the module comment).
   * @param n how many
   * @param options key level, tunnel, identity exchange, candidates
   * @returns the nodes
   */
  async createNodes(n: number, options: CreateNodesOptions = {}): Promise<DebugNode[]> {
    const out: DebugNode[] = [];
    for (let i = 0; i < n; i++) out.push(await this.createNode(options));
    return out;
  }

  /**
   * Creates one node (see {@link createNodes}).
   * @param options key level, tunnel, identity exchange, candidates
   * @returns the node
   */
  async createNode(options: CreateNodesOptions = {}): Promise<DebugNode> {
    const mm = this.mm;
    const { dispersy, endpoint } = await this.createDispersy(options.memberLevel, options.address);
    dispersy.joinCommunity(this.definition, { cid: mm.community.cid });
    const node = new DebugNode(dispersy, endpoint, this.network, mm.community.cid, options.tunnel ?? false);
    this.nodes.push(node);
    if (options.storeIdentity !== false) {
      const master = mm.community.master;
      const packets = [mm.identityPacket()];
      if (master !== undefined) {
        const masterId = mm.dispersy.members.idOf(master);
        for (const row of mm.community.storage.rowsOf('dispersy-identity', masterId, 1)) packets.push(row.packet);
        for (const row of mm.community.storage.rowsOf('dispersy-authorize', masterId, 100)) packets.push(row.packet);
      }
      node.givePackets(packets, mm);
      mm.givePacket(node.identityPacket(), node);
    }
    if (options.candidates !== false) {
      mm.community.addCandidate(node.address, { category: 'stumble', tunnel: node.tunnel });
      node.community.addCandidate(mm.address, { category: 'walk' });
    }
    return node;
  }

  /**
   * Delivers every waiting datagram (and those sent meanwhile).
   * @returns how many were delivered
   */
  deliverAll(): number {
    return this.network.deliverAll();
  }

  /**
   * Advances virtual time (running due timers), then delivers what they sent.
   * @param seconds how far
   */
  advance(seconds: number): void {
    this.clock.advance(seconds);
    this.network.deliverAll();
  }

  /** Stops every node (in reverse order). */
  async stop(): Promise<void> {
    for (const node of [...this.nodes].reverse()) await node.dispersy.stop();
  }
}

/**
 * Creates an environment with its master node `mm`.
 * @param options seed, community version, key levels, fragile mode
 * @returns the environment
 * @example `const env = await createDebugEnvironment({ seed: 7 });`
 */
export async function createDebugEnvironment(options: DebugEnvironmentOptions = {}): Promise<DebugEnvironment> {
  const env = new DebugEnvironment(options);
  await env.setUp();
  return env;
}

/** Options of {@link createNodes}: the environment's and the nodes'. */
export type CreateNodesInit = DebugEnvironmentOptions & CreateNodesOptions;

/**
 * Shorthand for the original's `create_nodes(n)`: a new environment (its master node `mm` created the
 * DebugCommunity at `communityVersion`) with `n` joined nodes.
 * @param n how many nodes
 * @param options community version, key levels, seed, tunnel…
 * @returns the environment, mm and the nodes
 * @example `const { env, nodes: [node, other] } = await createNodes(2, { communityVersion: 2 });`
 */
export async function createNodes(n: number, options: CreateNodesInit = {}): Promise<{ env: DebugEnvironment; mm: DebugNode; nodes: DebugNode[] }> {
  const env = await createDebugEnvironment(options);
  const nodes = await env.createNodes(n, options);
  return { env, mm: env.mm, nodes };
}
