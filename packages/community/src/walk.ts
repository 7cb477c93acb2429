/**
 * The requester side of the walker (spec §7.3–7.5, §11.1), driven by the community's `@dispersy/walker`
 * {@link Walker}: `create_introduction_request` (an outstanding request in the walker's tracker, 10.5 s), the
 * optional Bloom-filter sync section (pending batches of sync metas are processed first; only on requests the walker
 * allows to carry sync — normal walks, never fast-walker or keep-alive requests), one walker step (`take_step`:
 * cleanup, keep-alive requests, the walk choice with the 47.5/23.75/23.75/5 odds), the periodic walker (the fast
 * walker first when `enableFastCandidateWalker`), and the expiry timer: an unanswered request expires through the
 * walker's `expire()` on a `community.tasks` timer — a walk failure, and the helper's `lastWalkReply = −1`.
 */
import type { IntroductionRequestPayload } from '@dispersy/codec';
import type { Address } from '@dispersy/interfaces';
import {
  buildIntroductionRequest,
  TAKE_STEP_INTERVAL,
  walkerStartDelay,
  WalkerError,
  type ExpiredRequest,
  type IntroductionRequestFields,
  type OutgoingIntroductionRequest,
  type OutstandingRequest,
  type WalkCandidate,
} from '@dispersy/walker';
import type { CandidateLike } from './candidates.ts';
import type { Community } from './community.ts';
import type { Message } from './message.ts';
import { unexpected } from './pipeline.ts';
import { claimSyncFilter } from './sync-requester.ts';
import { recordDiscovered } from './walker-setup.ts';

/** The periodic walker's task name. */
export const WALKER_TASK = 'candidate-walker';
/** The task that expires unanswered introduction-requests. */
export const WALKER_EXPIRY_TASK = 'walker-expiry';

/** Options of {@link createIntroductionRequest}. */
export interface IntroductionRequestOptions {
  /** Add a Bloom-filter sync section (it may still be skipped, spec §8.3). @default the `enableBloomFilterSync` knob */
  readonly allowSync?: boolean;
  /** Send it. @default true */
  readonly forward?: boolean;
}

/** What {@link sendIntroductionRequest} sends: a walker request (or one made for an explicit destination). */
type RequestToSend = Pick<OutgoingIntroductionRequest, 'to' | 'tunnel' | 'payload' | 'request'>;

/**
 * The outstanding introduction-request with an identifier (the walker's tracker; the original's
 * `IntroductionRequestCache`): removed once both the response and the puncture arrived, or when it expired.
 * @param c the community
 * @param identifier the identifier a response, puncture-request or puncture carries
 * @returns the request, or undefined
 * @example `outstandingRequest(community, request.payload.identifier)?.responseAt`
 */
export function outstandingRequest(c: Community, identifier: number): OutstandingRequest | undefined {
  return c.walker.requests.get(identifier);
}

/**
 * Counts expired requests: each one without a response is a walk failure (the walker already set its helper's
 * `lastWalkReply` to −1).
 * @param c the community
 * @param expired what `expire()` / a step reported
 * @example `noteExpired(community, community.walker.expire())`
 */
export function noteExpired(c: Community, expired: readonly ExpiredRequest[]): void {
  const failures = expired.filter((e) => e.failed).length;
  if (failures > 0) c.statistics.walk('failure', failures);
}

/**
 * (Re)schedules the expiry timer at the walker's next due request (none → no timer).
 * @param c the loaded community
 * @example `scheduleExpiry(community)` after sending a request
 */
export function scheduleExpiry(c: Community): void {
  const next = c.walker.nextExpiry();
  if (next === undefined) {
    c.tasks.cancel(WALKER_EXPIRY_TASK);
    return;
  }
  c.tasks.once(WALKER_EXPIRY_TASK, Math.max(0, next - c.clock.now()), () => {
    noteExpired(c, c.walker.expire());
    scheduleExpiry(c);
  });
}

function sendIntroductionRequest(c: Community, out: RequestToSend, allowSync: boolean, forward: boolean): Message<IntroductionRequestPayload> {
  let sync;
  if (allowSync) {
    c.flushBatches(c.batches.names().filter((name) => c.metas.get(name)?.meta.distribution.kind !== 'direct'));
    sync = claimSyncFilter(c, out.request.helper);
  }
  const payload: IntroductionRequestPayload = { ...out.payload, sync };
  c.statistics.walk('attempt');
  const message = c.create<IntroductionRequestPayload>('dispersy-introduction-request', payload, {
    destinations: [{ address: out.to, tunnel: out.tunnel }],
    update: false,
    forward,
  });
  scheduleExpiry(c);
  return message;
}

/**
 * Sends the introduction-requests of a walker step, in order (sync only where the walker allows it and the
 * community syncs).
 * @param c the community
 * @param requests the step's requests (keep-alives, fast-walker requests, the walk)
 * @returns the walk's request (not a keep-alive), if any
 */
function sendStepRequests(c: Community, requests: readonly OutgoingIntroductionRequest[]): Message<IntroductionRequestPayload> | undefined {
  let walk: Message<IntroductionRequestPayload> | undefined;
  for (const out of requests) {
    const message = sendIntroductionRequest(c, out, out.allowSync && c.knobs.enableBloomFilterSync, true);
    if (!out.keepAlive) walk = message;
  }
  recordDiscovered(c);
  return walk;
}

function destinationCandidate(c: Community, destination: CandidateLike | Address): WalkCandidate {
  const address = 'key' in destination ? destination.address : destination;
  return c.candidates.get(address) ?? c.addCandidate(address, 'key' in destination ? { tunnel: destination.tunnel } : {});
}

/**
 * `create_introduction_request` (spec §7.5) to an explicit destination: an outstanding request in the walker's
 * tracker, the destination marked walked, the sync section when allowed, and a dispersy-introduction-request (advice
 * on, my LAN / WAN / connection type, current global time).
 * @param c the community
 * @param destination a candidate or an address (added to the candidates when unknown)
 * @param options `allowSync`, `forward`
 * @returns the request, or undefined when no request identifier is free (a counted `cache` drop)
 * @throws RangeError for an invalid destination address
 * @example `const request = createIntroductionRequest(community, candidate, { allowSync: true });`
 */
export function createIntroductionRequest(
  c: Community,
  destination: CandidateLike | Address,
  options: IntroductionRequestOptions = {},
): Message<IntroductionRequestPayload> | undefined {
  const candidate = destinationCandidate(c, destination);
  const now = c.clock.now();
  let request: OutstandingRequest;
  try {
    request = c.walker.requests.create(candidate, now);
  } catch (err) {
    if (!WalkerError.is(err)) throw err;
    c.statistics.drop('cache', err.code);
    return undefined;
  }
  candidate.walk(now);
  const payload: IntroductionRequestFields = buildIntroductionRequest(candidate, c.walker.local, request.identifier);
  const out: RequestToSend = { to: candidate.address, tunnel: candidate.tunnel, payload, request };
  return sendIntroductionRequest(c, out, options.allowSync ?? c.knobs.enableBloomFilterSync, options.forward ?? true);
}

/**
 * One walker step (`take_step`): to `candidate` when given, else the walker's normal step — expire requests, clean
 * up (keep-alive candidates get a keep-alive request), choose whom to walk to (spec §7.4) and send its
 * introduction-request (with sync when `enableBloomFilterSync`).
 * @param c the community
 * @param candidate walk to this one instead of choosing
 * @returns the walk's request, or undefined when there was nobody to walk to
 * @example `community.takeStep()`
 */
export function takeStep(c: Community, candidate?: CandidateLike | Address): Message<IntroductionRequestPayload> | undefined {
  if (candidate !== undefined) return createIntroductionRequest(c, candidate, { allowSync: c.knobs.enableBloomFilterSync });
  let step;
  try {
    step = c.walker.takeStep();
  } catch (err) {
    if (!WalkerError.is(err)) throw err;
    c.statistics.drop('cache', err.code);
    return undefined;
  }
  noteExpired(c, step.expired);
  return sendStepRequests(c, step.send);
}

/**
 * Starts the periodic walker when `enableCandidateWalker` is on: the first step after `database id mod 3` s, then
 * the walker's `step()` every `nextStepIn` seconds — 2 s while the fast walker runs (`enableFastCandidateWalker`:
 * requests without sync to every eligible candidate, up to 15 steps while ≤ 15 candidates are verified), then 5 s.
 * The task is cancelled at unload with the community's other tasks; a failing step is counted, never thrown.
 * @param c the loaded community
 * @returns whether the walker was started
 * @example `startWalker(community)` at load
 */
export function startWalker(c: Community): boolean {
  if (!c.knobs.enableCandidateWalker) return false;
  const run = (): void => {
    let next = TAKE_STEP_INTERVAL;
    try {
      const step = c.walker.step();
      next = step.nextStepIn;
      noteExpired(c, step.expired);
      sendStepRequests(c, step.send);
    } catch (err) {
      if (WalkerError.is(err)) c.statistics.drop('cache', err.code);
      else unexpected(c, err, 'send', 'walker_step_failed');
    } finally {
      if (c.loaded) c.tasks.once(WALKER_TASK, next, run);
    }
  };
  c.tasks.once(WALKER_TASK, walkerStartDelay(c.databaseId), run);
  return true;
}
