/**
 * The options of a {@link Dispersy} node and the extension point that runs code with every community (the walker,
 * Bloom-filter sync, tracker mode…).
 */
import type { PrivateKey, SecurityLevel, VerifyPool } from '@dispersy/crypto';
import type { Clock, Endpoint, Random } from '@dispersy/interfaces';
import type { Store } from '@dispersy/store';
import type { BuiltinBehaviour } from './builtins/behaviour.ts';
import type { CandidateSet, CandidateTable } from './candidates.ts';
import type { Community } from './community.ts';

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
  /** Builds each community's candidate table (e.g. the walker's); default: a {@link CandidateTable}. */
  readonly createCandidates?: (community: Community) => CandidateSet;
  /** Extensions run with every community. */
  readonly extensions?: readonly CommunityExtension[];
}

