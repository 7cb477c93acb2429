/**
 * The options of a {@link Dispersy} node and the extension point that runs code with every community (the walker,
 * Bloom-filter sync, tracker mode…).
 */
import type { PrivateKey, SecurityLevel, VerifyPool } from '@dispersy/crypto';
import type { Clock, Endpoint, Random } from '@dispersy/interfaces';
import type { Store } from '@dispersy/store';
import type { NetworkInterface } from '@dispersy/walker';
import type { BuiltinBehaviour } from './builtins/behaviour.ts';
import type { Community } from './community.ts';
import type { Dispersy } from './node.ts';
import type { IncomingPacket } from './pipeline.ts';

/**
 * A shared cache of signature-verification outcomes (e.g. `@dispersy/sim`'s `network.verificationCache`): simulations
 * of many nodes in one process verify each distinct packet once (performance-model.md §3.1).
 */
export interface VerificationOutcomeCache {
  /**
   * @param key the bytes the outcome depends on: the whole received packet (signed part with the member's key or
   *   mid, plus signatures, embedded packets included)
   * @param verify the real check, run on a miss
   * @returns the (cached) outcome
   */
  verifyOnce(key: Uint8Array, verify: () => boolean): boolean;
}

/** A plug-in that runs with every community it applies to (the walker, Bloom-filter sync, trackers…). */
export interface CommunityExtension {
  /** For logs. */
  readonly name: string;
  /** Which communities it runs with. @default all */
  readonly appliesTo?: (community: Community) => boolean;
  /** After the community loaded (register timers on `community.tasks`, listeners on `community.onStored`). */
  readonly onLoad?: (community: Community) => void;
  /** Before the community unloads (its tasks are cancelled right after). */
  readonly onUnload?: (community: Community) => void;
}

/** What a `Dispersy` node is built from. Give `store` or `databasePath`. */
export interface DispersyInit {
  /** The datagram transport. */
  readonly endpoint: Endpoint;
  /** An open store. */
  readonly store?: Store;
  /** Or a database path (`':memory:'` for tests) that the node opens. */
  readonly databasePath?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default systemRandom */
  readonly random?: Random;
  /** Verify signatures of incoming batches on this worker pool (else inline). */
  readonly verifyPool?: VerifyPool;
  /**
   * SIMULATION ONLY: inline verification asks this cache first — `cache.verifyOnce(packet, () => verify(message))` —
   * so each distinct packet is verified once per process however many nodes receive it. The key is the received
   * packet; a sha1-encoded member is looked up by its mid, so two keys sharing a mid would share an outcome (no
   * adversary in a simulation). Not consulted when `verifyPool` is set. A real node verifies what it receives
   * itself: never give a node a cache shared with other nodes outside a simulator. @default none
   */
  readonly verificationCache?: VerificationOutcomeCache;
  /** The node's default signing identity. @default a new key of `memberLevel` */
  readonly memberKey?: PrivateKey;
  /** @default 'curve25519' */
  readonly memberLevel?: SecurityLevel;
  /** Bound of the member cache. @default 1024 */
  readonly memberCacheSize?: number;
  /** Rethrow unexpected errors of the pipeline (tests). @default false */
  readonly fragile?: boolean;
  /** Close the endpoint at `stop()`. @default true */
  readonly ownsEndpoint?: boolean;
  /** Close the store at `stop()`. @default true */
  readonly ownsStore?: boolean;
  /** Built-in behaviours overriding / extending the default table. */
  readonly builtins?: Readonly<Record<string, BuiltinBehaviour>>;
  /**
   * The local IPv4 interfaces for the "in my LAN" test (spec §7.9; e.g. `ipv4Interfaces()`). Voters inside my LAN
   * do not vote for my WAN address, and a peer's socket address is its LAN address when in my LAN, else its WAN.
   * @default [] — the original's fallback rule: RFC 1918 addresses, or my own host
   */
  readonly interfaces?: readonly NetworkInterface[];
  /**
   * Called for packets of a community that is neither loaded nor loadable from the store (tracker mode: see
   * `createTracker`); it may return a loaded community for them. An exception is a counted `community_load_failed`.
   */
  readonly onUnknownCommunity?: (node: Dispersy, cid: Uint8Array, packets: readonly IncomingPacket[]) => Community | undefined;
  /** Extensions run with every community. */
  readonly extensions?: readonly CommunityExtension[];
}

