/**
 * Tracker mode (spec §13.2): a node that answers introduction-requests for ANY community. A packet for an unknown
 * cid (dispersy version byte 0x00, any community version) instantiates a {@link TrackerCommunity} on the fly — the
 * master is known only by its mid — that runs the walker built-ins and dispersy-identity / -missing-identity only
 * (every other built-in is dropped as `tracker_unsupported`, community metas are unknown to its conversions), does not
 * walk (responses on), keeps no Bloom-filter sync data and accepts every global time (bloom sync off: the acceptable
 * global time is the maximum, the original's `2^64 − global_time` range). It introduces requesters to each other, so
 * peers that know only the tracker find each other.
 *
 * Differences from the original's `TrackerDispersy`: signatures ARE verified (the original used `NoVerifyCrypto`
 * for speed; a tracker that trusts forged requests could be made to introduce anyone to anyone); responses and
 * puncture-requests are encoded in the community version of the request they answer (the original used the last
 * version it had seen); state is bounded — at most `maxCommunities` (default 1,000) tracker communities are loaded
 * (the least recently used is unloaded), a community without verified candidates for 3 consecutive 180 s sweeps is
 * unloaded, an unloaded community's stored rows (identities) are deleted, and a loaded one keeps at most
 * `maxIdentities` identity rows (beyond that a sweep forgets all but mine; peers re-send theirs on demand). The
 * store is `:memory:`: nothing survives a restart (the original's destroy-community persistence is not kept).
 */
import { conversionForPacket, createConversion, dispersyMessages, type AnyMeta, type Conversion } from '@dispersy/codec';
import { introductionRequestBehaviour } from './builtins/introduction.ts';
import { punctureRequestBehaviour } from './builtins/puncture.ts';
import type { BuiltinBehaviour } from './builtins/behaviour.ts';
import { Community, type CommunityInit } from './community.ts';
import { defineCommunity, type CommunityDefinition } from './community-definition.ts';
import { withCallbacks, type AnyCommunityMeta } from './community-meta.ts';
import { MAX_GLOBAL_TIME } from './global-time.ts';
import { toHex } from './internal/bytes.ts';
import { dropVerdict, type Message } from './message.ts';
import { Dispersy } from './node.ts';
import type { DispersyInit } from './node-options.ts';
import type { IncomingPacket, ReceiveOptions } from './pipeline.ts';

/** The classification of tracker communities (the original's class name). */
export const TRACKER_CLASSIFICATION = 'TrackerCommunity';
/** Default bound of loaded tracker communities. */
export const DEFAULT_TRACKER_MAX_COMMUNITIES = 1000;
/** Default bound of stored identities per tracker community. */
export const DEFAULT_TRACKER_MAX_IDENTITIES = 4096;
/** Seconds between two inactivity sweeps of a tracker community. */
export const TRACKER_SWEEP_INTERVAL = 180;
/** Consecutive sweeps without verified candidates after which a tracker community is unloaded. */
export const TRACKER_SWEEP_STRIKES = 3;
/** Drop reason of built-ins a tracker does not run. */
export const TRACKER_UNSUPPORTED = 'tracker_unsupported';
/** The task name of the inactivity sweep. */
const SWEEP_TASK = 'tracker-sweep';

const KEPT: ReadonlySet<string> = new Set([
  'dispersy-identity',
  'dispersy-missing-identity',
  'dispersy-introduction-request',
  'dispersy-introduction-response',
  'dispersy-puncture-request',
  'dispersy-puncture',
]);

/** What {@link createTracker} takes: a node's options without the store (always `:memory:`), plus the bounds. */
export interface TrackerInit extends Omit<DispersyInit, 'store' | 'databasePath' | 'onUnknownCommunity' | 'ownsStore'> {
  /** Most loaded tracker communities; the least recently used is unloaded. @default 1000 */
  readonly maxCommunities?: number;
  /** Candidate bound of each tracker community. @default 1000 */
  readonly maxCandidates?: number;
  /** Stored identities per tracker community. @default 4096 */
  readonly maxIdentities?: number;
  /** Seconds between inactivity sweeps. @default 180 */
  readonly sweepInterval?: number;
}

/** The answering wrapper: the behaviour's handle runs with the conversion of the batch's community version last. */
function answering(behaviour: BuiltinBehaviour): BuiltinBehaviour['handle'] {
  return (messages: readonly Message[], c: Community) => {
    const first = messages[0];
    if (first === undefined || behaviour.handle === undefined) return;
    const handle = behaviour.handle;
    if (c instanceof TrackerCommunity) c.answerIn(first.packet[1] as number, () => handle(messages, c));
    else handle(messages, c);
  };
}

/**
 * The definition of tracker communities of one community version (see the module comment).
 * @param communityVersion 1..254: the version of the packet that created the community (0 → 1)
 * @param options the candidate bound and the community factory
 * @returns the definition
 * @throws RangeError for a version outside 1..254
 * @example `trackerDefinition(1)`
 */
export function trackerDefinition(
  communityVersion: number,
  options: { readonly maxCandidates?: number; readonly create?: (init: CommunityInit) => TrackerCommunity } = {},
): CommunityDefinition<TrackerCommunity> {
  const metas: AnyCommunityMeta[] = [];
  for (const meta of dispersyMessages as readonly AnyMeta[]) {
    if (meta.name === 'dispersy-introduction-request') metas.push(withCallbacks(meta, { ...introductionRequestBehaviour, handle: answering(introductionRequestBehaviour) }));
    else if (meta.name === 'dispersy-puncture-request') metas.push(withCallbacks(meta, { ...punctureRequestBehaviour, handle: answering(punctureRequestBehaviour) }));
    else if (!KEPT.has(meta.name)) metas.push(withCallbacks(meta, { check: (messages) => messages.map(() => dropVerdict(TRACKER_UNSUPPORTED)) }));
  }
  return defineCommunity<TrackerCommunity>({
    classification: TRACKER_CLASSIFICATION,
    communityVersion,
    metas,
    knobs: {
      enableCandidateWalker: false,
      enableCandidateWalkerResponses: true,
      enableBloomFilterSync: false,
      acceptableGlobalTimeRange: MAX_GLOBAL_TIME,
      autoDownloadMasterMember: false,
      autoLoad: false,
      ...(options.maxCandidates === undefined ? {} : { maxCandidates: options.maxCandidates }),
    },
    create: options.create ?? ((init) => new TrackerCommunity(init)),
  });
}

/** What a {@link TrackerCommunity} is told by its tracker. */
interface TrackerHooks {
  readonly touch: (c: TrackerCommunity) => void;
  readonly unloaded: (c: TrackerCommunity) => void;
  readonly maxIdentities: number;
  readonly sweepInterval: number;
}

/**
 * A community of a tracker node (see the module comment): decodes every community version of its cid (a conversion
 * per version seen, at most 255), answers in the version of the request, sweeps itself for inactivity.
 */
export class TrackerCommunity extends Community {
  /** Consecutive sweeps without verified candidates. */
  strikes = 0;
  readonly #hooks: TrackerHooks | undefined;
  readonly #extra = new Map<number, Conversion>();
  #answer: number | undefined;

  /**
   * @param init what the node provides
   * @param hooks the tracker's bookkeeping (LRU, bounds); none for a stand-alone instance
   */
  constructor(init: CommunityInit, hooks?: TrackerHooks) {
    super(init);
    this.#hooks = hooks;
  }

  /** Every conversion: the definition's, plus one per other community version seen; the answering one last. */
  override get conversions(): readonly Conversion[] {
    const base = super.conversions;
    if (this.#extra.size === 0 && this.#answer === undefined) return base;
    const all = [...base, ...this.#extra.values()];
    const answer = all.findIndex((c) => c.communityVersion === this.#answer);
    return answer < 0 ? all : [...all.slice(0, answer), ...all.slice(answer + 1), all[answer] as Conversion];
  }

  /**
   * Runs `fn` with the conversion of `communityVersion` preferred for encoding (the answers to a batch).
   * @param communityVersion the request's community version
   * @param fn the handler
   * @returns what `fn` returns
   */
  answerIn<T>(communityVersion: number, fn: () => T): T {
    const previous = this.#answer;
    this.#answer = communityVersion;
    try {
      return fn();
    } finally {
      this.#answer = previous;
    }
  }

  /** @internal adds the sweep after loading */
  override load(): void {
    super.load();
    const hooks = this.#hooks;
    if (hooks !== undefined) this.tasks.repeat(SWEEP_TASK, hooks.sweepInterval, () => this.#sweep(hooks));
  }

  /** Unloads, forgets its stored rows and leaves the tracker's LRU. */
  override unload(): void {
    const wasLoaded = this.loaded;
    super.unload();
    if (!wasLoaded || this.#hooks === undefined) return;
    this.#hooks.unloaded(this);
    this.node.store.sync.deleteCommunityExcept(this.databaseId, []);
  }

  /** Marks itself used, learns new community versions, then runs the pipeline. */
  override receivePackets(items: readonly IncomingPacket[], options: ReceiveOptions = {}): void {
    if (this.loaded) {
      this.#hooks?.touch(this);
      for (const { packet } of items) this.#learnVersion(packet);
    }
    super.receivePackets(items, options);
  }

  #learnVersion(packet: Uint8Array): void {
    const version = packet[1];
    if (packet[0] !== 0 || version === undefined || conversionForPacket(this.conversions, packet) !== undefined) return;
    if (version === this.definition.communityVersion || this.#extra.has(version)) return;
    try {
      this.#extra.set(version, createConversion({ cid: this.cid, communityVersion: version, metas: this.definition.metas, lookupMember: (mid) => this.getMember(mid) }));
    } catch {
      // a version the codec cannot build (255): its packets stay `unknown_conversion` drops
    }
  }

  #sweep(hooks: TrackerHooks): void {
    if (this.candidates.verifiedCandidates(this.clock.now()).length > 0) this.strikes = 0;
    else if (++this.strikes >= TRACKER_SWEEP_STRIKES) {
      this.unload();
      return;
    }
    const rows = this.storage.store.sync.iterateByMeta(this.storage.metaId('dispersy-identity'));
    let count = 0;
    while (count <= hooks.maxIdentities && rows.next().done !== true) count++;
    rows.return(undefined);
    if (count <= hooks.maxIdentities) return;
    const mine = this.storage.rowsOf('dispersy-identity', this.myMemberId, 1).map((row) => row.id);
    this.storage.store.sync.deleteCommunityExcept(this.databaseId, mine);
  }
}

/** The loaded tracker communities of one tracker node, least recently used first. */
class TrackerCommunities {
  readonly #byCid = new Map<string, TrackerCommunity>();
  readonly #definitions = new Map<number, CommunityDefinition<TrackerCommunity>>();
  readonly #init: TrackerInit;
  readonly #hooks: TrackerHooks;

  constructor(init: TrackerInit) {
    const max = init.maxCommunities ?? DEFAULT_TRACKER_MAX_COMMUNITIES;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxCommunities must be a positive integer, got ${max}`);
    this.#init = init;
    this.#hooks = {
      touch: (c) => {
        if (this.#byCid.delete(c.cidHex)) this.#byCid.set(c.cidHex, c);
      },
      unloaded: (c) => {
        if (this.#byCid.get(c.cidHex) === c) this.#byCid.delete(c.cidHex);
      },
      maxIdentities: init.maxIdentities ?? DEFAULT_TRACKER_MAX_IDENTITIES,
      sweepInterval: init.sweepInterval ?? TRACKER_SWEEP_INTERVAL,
    };
  }

  /** The `onUnknownCommunity` hook: a tracker community for the packets' cid and community version. */
  load(node: Dispersy, cid: Uint8Array, packets: readonly IncomingPacket[]): TrackerCommunity | undefined {
    const packet = packets[0]?.packet;
    if (packet === undefined || packet[0] !== 0) return undefined;
    const version = Math.max(1, packet[1] ?? 0);
    if (version > 254) return undefined;
    const max = this.#init.maxCommunities ?? DEFAULT_TRACKER_MAX_COMMUNITIES;
    while (this.#byCid.size >= max) {
      const oldest = this.#byCid.values().next();
      if (oldest.done === true) break;
      oldest.value.unload(); // leaves the map through the `unloaded` hook
      this.#byCid.delete(oldest.value.cidHex);
    }
    const row = node.store.communities.ensure({
      master: node.members.idOfMid(cid),
      myMember: node.members.savePrivateKey(node.myMember),
      classification: TRACKER_CLASSIFICATION,
      autoLoad: false,
    });
    const community = node.instantiate(this.#definition(version), row) as TrackerCommunity;
    this.#byCid.set(toHex(cid), community);
    return community;
  }

  #definition(version: number): CommunityDefinition<TrackerCommunity> {
    let definition = this.#definitions.get(version);
    if (definition === undefined) {
      const hooks = this.#hooks;
      definition = trackerDefinition(version, { maxCandidates: this.#init.maxCandidates, create: (init) => new TrackerCommunity(init, hooks) });
      this.#definitions.set(version, definition);
    }
    return definition;
  }
}

/**
 * A node in tracker mode (spec §13.2, see the module comment), on a `:memory:` store.
 * @param init the node's options (endpoint, clock, random, member…) and the tracker's bounds
 * @returns the node; `start()` it, `stop()` it
 * @throws RangeError for a bad bound
 * @example
 * ```ts
 * const tracker = createTracker({ endpoint: await openUdpEndpoint({ host: '0.0.0.0', port: 6421 }) });
 * await tracker.start();
 * ```
 */
export function createTracker(init: TrackerInit): Dispersy {
  const communities = new TrackerCommunities(init);
  return new Dispersy({ ...init, databasePath: ':memory:', onUnknownCommunity: (node, cid, packets) => communities.load(node, cid, packets) });
}
