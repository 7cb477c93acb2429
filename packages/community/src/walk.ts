/**
 * The requester side of a walk (spec §7.3, §7.5, §11.1): `create_introduction_request` with its
 * {@link IntroductionRequestCache} (10.5 s), the optional Bloom-filter sync section (pending batches of sync
 * metas are processed first), one walker step (`take_step`), and the periodic walker task (every 5 s, first after
 * `database id mod 3` s) that runs when `enableCandidateWalker` is on. Whom to walk to comes from
 * ./simple-walker.ts.
 */
import type { IntroductionRequestPayload } from '@dispersy/codec';
import type { Address } from '@dispersy/interfaces';
import type { CandidateLike } from './candidates.ts';
import type { Community } from './community.ts';
import type { Message } from './message.ts';
import { INTRODUCTION_REQUEST_TIMEOUT, RequestCacheError, type RequestCacheEntry } from './request-cache.ts';
import { chooseWalkCandidate, localAddresses, noteWalk, noteWalkReply, TAKE_STEP_INTERVAL } from './simple-walker.ts';
import { claimSyncFilter } from './sync-requester.ts';

/** The request-cache prefix of outstanding introduction-requests. */
export const INTRODUCTION_REQUEST_PREFIX = 'introduction-request';
/** The periodic walker's task name. */
export const WALKER_TASK = 'candidate-walker';

/**
 * An outstanding introduction-request (`IntroductionRequestCache`): popped once both the response and the puncture
 * arrived; on timeout without a response the walk counts as failed and the helper cannot be in the walk category.
 *
 * @example
 * ```ts
 * const cache = community.requestCache.get('introduction-request', response.identifier);
 * if (cache instanceof IntroductionRequestCache) cache.onIntroductionResponse();
 * ```
 */
export class IntroductionRequestCache implements RequestCacheEntry {
  readonly prefix = INTRODUCTION_REQUEST_PREFIX;
  readonly number: number;
  readonly timeout = INTRODUCTION_REQUEST_TIMEOUT;
  readonly community: Community;
  /** The peer we walked to. */
  readonly helper: CandidateLike;
  /** The peer it introduced us to. */
  responseCandidate: CandidateLike | undefined;
  /** The peer whose puncture arrived. */
  punctureCandidate: CandidateLike | undefined;
  #response = false;
  #puncture = false;

  /**
   * @param community the community
   * @param number the identifier
   * @param helper the walk destination
   */
  constructor(community: Community, number: number, helper: CandidateLike) {
    this.community = community;
    this.number = number;
    this.helper = helper;
  }

  /** Whether the introduction-response arrived. */
  get responseReceived(): boolean {
    return this.#response;
  }

  /** Whether the puncture arrived. */
  get punctureReceived(): boolean {
    return this.#puncture;
  }

  /** The introduction-response arrived. */
  onIntroductionResponse(): void {
    this.#response = true;
    this.#popIfDone();
  }

  /** The puncture arrived. */
  onPuncture(): void {
    this.#puncture = true;
    this.#popIfDone();
  }

  /** No response in 10.5 s: a walk failure; the helper's walk reply becomes −1. */
  onTimeout(): void {
    if (this.#response) return;
    this.community.statistics.walk('failure');
    noteWalkReply(this.community, this.helper, -1);
  }

  #popIfDone(): void {
    if (this.#response && this.#puncture) this.community.requestCache.pop(this.prefix, this.number);
  }
}

/**
 * The outstanding introduction-request with an identifier.
 * @param c the community
 * @param identifier the identifier a response, puncture-request or puncture carries
 * @returns the cache, or undefined
 * @example `if (introductionRequestCache(c, p.identifier) === undefined) drop();`
 */
export function introductionRequestCache(c: Community, identifier: number): IntroductionRequestCache | undefined {
  const entry = c.requestCache.get(INTRODUCTION_REQUEST_PREFIX, identifier);
  return entry instanceof IntroductionRequestCache ? entry : undefined;
}

/** Options of {@link createIntroductionRequest}. */
export interface IntroductionRequestOptions {
  /** Add a Bloom-filter sync section (it may still be skipped, spec §8.3). @default the `enableBloomFilterSync` knob */
  readonly allowSync?: boolean;
  /** Send it. @default true */
  readonly forward?: boolean;
}

function destinationCandidate(c: Community, destination: CandidateLike | Address): CandidateLike {
  if ('key' in destination) return destination;
  return c.candidates.get(destination) ?? c.addCandidate(destination, {});
}

/**
 * `create_introduction_request` (spec §7.5): registers an {@link IntroductionRequestCache}, marks the destination
 * walked, builds the sync section when allowed (after processing pending batches of sync metas), and sends a
 * dispersy-introduction-request (advice on, my LAN / WAN / connection type, current global time).
 * @param c the community
 * @param destination a candidate or an address (added to the candidate table when unknown)
 * @param options `allowSync`, `forward`
 * @returns the request, or undefined when the request cache is full (counted as a `cache` drop)
 * @throws RangeError for an invalid destination address
 * @example `const request = createIntroductionRequest(community, candidate, { allowSync: true });`
 */
export function createIntroductionRequest(
  c: Community,
  destination: CandidateLike | Address,
  options: IntroductionRequestOptions = {},
): Message<IntroductionRequestPayload> | undefined {
  const candidate = destinationCandidate(c, destination);
  let cache: RequestCacheEntry;
  try {
    cache = c.requestCache.addRandom(INTRODUCTION_REQUEST_PREFIX, (n) => new IntroductionRequestCache(c, n, candidate));
  } catch (err) {
    if (!RequestCacheError.is(err)) throw err;
    c.statistics.drop('cache', err.code);
    return undefined;
  }
  noteWalk(c, candidate, c.clock.now());
  let sync;
  if (options.allowSync ?? c.knobs.enableBloomFilterSync) {
    c.flushBatches(c.batches.names().filter((name) => c.metas.get(name)?.meta.distribution.kind !== 'direct'));
    sync = claimSyncFilter(c, candidate);
  }
  const local = localAddresses(c);
  const payload: IntroductionRequestPayload = {
    destinationAddress: candidate.address,
    sourceLanAddress: local.lan,
    sourceWanAddress: local.wan,
    advice: true,
    connectionType: local.connectionType,
    identifier: cache.number,
    sync,
  };
  c.statistics.walk('attempt');
  return c.create<IntroductionRequestPayload>('dispersy-introduction-request', payload, {
    destinations: [candidate],
    update: false,
    forward: options.forward ?? true,
  });
}

/**
 * One walker step (`take_step`): an introduction-request (with sync when `enableBloomFilterSync`) to `candidate`,
 * or to the candidate {@link chooseWalkCandidate} picks.
 * @param c the community
 * @param candidate walk to this one instead of choosing
 * @returns the request sent, or undefined when there was nobody to walk to
 * @example `community.takeStep()`
 */
export function takeStep(c: Community, candidate?: CandidateLike | Address): Message<IntroductionRequestPayload> | undefined {
  const target = candidate ?? chooseWalkCandidate(c);
  if (target === undefined) return undefined;
  return createIntroductionRequest(c, target, { allowSync: c.knobs.enableBloomFilterSync });
}

/**
 * Starts the periodic walker when `enableCandidateWalker` is on: a step every 5 s, the first after
 * `database id mod 3` s; the task is cancelled at unload with the community's other tasks.
 * @param c the loaded community
 * @returns whether the walker was started
 * @example `startWalker(community)` at load
 */
export function startWalker(c: Community): boolean {
  if (!c.knobs.enableCandidateWalker) return false;
  c.tasks.repeat(WALKER_TASK, TAKE_STEP_INTERVAL, () => void takeStep(c), { delay: c.databaseId % 3 });
  return true;
}
