/**
 * A's outstanding introduction-requests (spec §7.5, §11.1): the original's `IntroductionRequestCache` as data.
 *
 * Each request records when it was created, the candidate walked to (the "helper"), and whether its
 * introduction-response and puncture arrived. The 10.5 s timeout is a field (`expiresAt`), not a timer: the runtime
 * (or the {@link Walker}) calls {@link IntroductionRequests.expire}. A request without a response when it expires is
 * a walk failure and its helper gets `lastWalkReply = −1`.
 */
import type { Random } from '@dispersy/interfaces';
import type { WalkCandidate } from './candidate.ts';
import { WalkerError } from './errors.ts';

/** Seconds before an unanswered introduction-request times out (`IntroductionRequestCache`). */
export const INTRODUCTION_REQUEST_TIMEOUT = 10.5;
/** Default bound on outstanding introduction-requests. */
export const DEFAULT_MAX_OUTSTANDING_REQUESTS = 1024;
/** Attempts to find a free random identifier (the original's `RandomNumberCache`). */
export const IDENTIFIER_ATTEMPTS = 1000;

/** Produces introduction-request identifiers (uint16) that are not outstanding. */
export interface IdentifierSource {
  /**
   * @param isTaken tells whether an identifier is outstanding
   * @returns a free identifier in 0..65535
   * @throws WalkerError `IDENTIFIERS_EXHAUSTED` when none is found
   */
  next(isTaken: (identifier: number) => boolean): number;
}

/**
 * The original's identifier rule: `int(random() · 2^16)`, up to 1000 attempts.
 *
 * @param random the injected random source
 * @returns an identifier source
 * @example
 * ```ts
 * const ids = randomIdentifiers(createSeededRandom(1));
 * ids.next(() => false); // a number in 0..65535
 * ```
 */
export function randomIdentifiers(random: Random): IdentifierSource {
  return {
    next(isTaken) {
      for (let i = 0; i < IDENTIFIER_ATTEMPTS; i++) {
        const id = Math.floor(random.next() * 0x10000);
        if (!isTaken(id)) return id;
      }
      throw new WalkerError('IDENTIFIERS_EXHAUSTED', `no free introduction-request identifier after ${IDENTIFIER_ATTEMPTS} attempts`);
    },
  };
}

/** One outstanding introduction-request (the original's `IntroductionRequestCache`), as data. */
export interface OutstandingRequest {
  readonly identifier: number;
  /** The candidate we walked to (`helper_candidate`). */
  readonly helper: WalkCandidate;
  readonly createdAt: number;
  /** `createdAt + timeout`. */
  readonly expiresAt: number;
  /** A keep-alive request (advice false, no sync). */
  readonly keepAlive: boolean;
  /** Sent by the fast walker. */
  readonly fastWalker: boolean;
  /** When the introduction-response arrived. */
  readonly responseAt: number | undefined;
  /** When the puncture arrived. */
  readonly punctureAt: number | undefined;
  /** The candidate the response introduced (`response_candidate`). */
  readonly introduced: WalkCandidate | undefined;
  /** The candidate whose puncture arrived (`puncture_candidate`). */
  readonly punctured: WalkCandidate | undefined;
}

type MutableRequest = { -readonly [K in keyof OutstandingRequest]: OutstandingRequest[K] };

/** A request that left {@link IntroductionRequests} without completing. */
export interface ExpiredRequest {
  readonly request: OutstandingRequest;
  /** `timeout`: 10.5 s passed; `evicted`: pushed out by the bound (treated as a timeout). */
  readonly reason: 'timeout' | 'evicted';
  /** No response arrived: a walk failure; the helper's `lastWalkReply` was set to −1. */
  readonly failed: boolean;
}

/** Collaborators of {@link IntroductionRequests}. */
export interface IntroductionRequestsComponents {
  /** Used for identifiers when `identifiers` is not given. */
  readonly random: Random;
  /** A custom identifier source (e.g. the runtime's request cache). @default randomIdentifiers(random) */
  readonly identifiers?: IdentifierSource;
}

/** Options of {@link IntroductionRequests}. */
export interface IntroductionRequestsInit {
  /** @default 10.5 */
  readonly timeout?: number;
  /** @default 1024 */
  readonly maxOutstanding?: number;
}

/**
 * A's outstanding introduction-requests. No timers inside: the runtime calls {@link expire} (the {@link Walker}
 * does it on every step and event) or schedules a timer at {@link nextExpiry}. A request is complete, and removed,
 * once both its response and its puncture arrived; it expires `timeout` seconds after creation otherwise. Bound:
 * at most `maxOutstanding`; creating one more evicts the oldest, reported by the next {@link expire} call.
 *
 * @example
 * ```ts
 * const requests = new IntroductionRequests({ random: rng });
 * const request = requests.create(candidate, clock.now());
 * clock.advance(10.5);
 * requests.expire(clock.now()); // [{ request, reason: 'timeout', failed: true }]
 * ```
 */
export class IntroductionRequests {
  readonly #requests = new Map<number, MutableRequest>();
  readonly #evicted: ExpiredRequest[] = [];
  readonly #identifiers: IdentifierSource;
  readonly #timeout: number;
  readonly #maxOutstanding: number;

  /**
   * @param components random source or identifier source
   * @param init timeout and bound
   * @throws RangeError on a non-positive timeout or bound
   */
  constructor(components: IntroductionRequestsComponents, init: IntroductionRequestsInit = {}) {
    this.#identifiers = components.identifiers ?? randomIdentifiers(components.random);
    this.#timeout = init.timeout ?? INTRODUCTION_REQUEST_TIMEOUT;
    this.#maxOutstanding = init.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING_REQUESTS;
    if (!(this.#timeout > 0)) throw new RangeError(`timeout must be > 0, got ${this.#timeout}`);
    if (!Number.isInteger(this.#maxOutstanding) || this.#maxOutstanding < 1) {
      throw new RangeError(`maxOutstanding must be a positive integer, got ${this.#maxOutstanding}`);
    }
  }

  /** Number of outstanding requests. */
  get size(): number {
    return this.#requests.size;
  }

  /**
   * Registers a new request to `helper` (the caller sends it and marks `helper.walk(now)`).
   * @param helper the candidate walked to
   * @param now current time in seconds
   * @param options keep-alive / fast-walker flags
   * @returns the outstanding request, with a fresh identifier
   * @throws WalkerError `IDENTIFIERS_EXHAUSTED` or `DUPLICATE_IDENTIFIER`
   */
  create(helper: WalkCandidate, now: number, options: { keepAlive?: boolean; fastWalker?: boolean } = {}): OutstandingRequest {
    if (this.#requests.size >= this.#maxOutstanding) {
      const oldest = this.#requests.values().next();
      if (oldest.done !== true) this.#evicted.push(this.#finish(oldest.value, 'evicted'));
    }
    const identifier = this.#identifiers.next((id) => this.#requests.has(id));
    if (this.#requests.has(identifier)) {
      throw new WalkerError('DUPLICATE_IDENTIFIER', `identifier ${identifier} is already outstanding`);
    }
    const request: MutableRequest = {
      identifier,
      helper,
      createdAt: now,
      expiresAt: now + this.#timeout,
      keepAlive: options.keepAlive ?? false,
      fastWalker: options.fastWalker ?? false,
      responseAt: undefined,
      punctureAt: undefined,
      introduced: undefined,
      punctured: undefined,
    };
    this.#requests.set(identifier, request);
    return request;
  }

  /**
   * @param identifier an identifier
   * @returns whether it is outstanding (the original's `request_cache.has`)
   */
  has(identifier: number): boolean {
    return this.#requests.has(identifier);
  }

  /**
   * Whether `identifier` is outstanding and not yet due at `now`: the check a response or puncture must pass. A
   * request past its `expiresAt` counts as gone even before {@link expire} removed it, exactly as if the original's
   * timer had fired.
   * @param identifier an identifier
   * @param now current time in seconds
   * @returns whether a response or puncture with this identifier is acceptable
   */
  isOutstanding(identifier: number, now: number): boolean {
    const request = this.#requests.get(identifier);
    return request !== undefined && now < request.expiresAt;
  }

  /**
   * @param identifier an identifier
   * @returns the outstanding request, or undefined
   */
  get(identifier: number): OutstandingRequest | undefined {
    return this.#requests.get(identifier);
  }

  /** @returns the outstanding requests, oldest first */
  values(): OutstandingRequest[] {
    return [...this.#requests.values()];
  }

  /**
   * Records the introduction-response; the request completes (is removed) if the puncture already arrived.
   * @param identifier the response's identifier
   * @param now current time in seconds
   * @param introduced the candidate it introduced, if any
   * @returns the request, or undefined when not outstanding
   */
  onResponse(identifier: number, now: number, introduced?: WalkCandidate): OutstandingRequest | undefined {
    const request = this.#requests.get(identifier);
    if (request === undefined) return undefined;
    request.responseAt = now;
    if (introduced !== undefined) request.introduced = introduced;
    if (request.punctureAt !== undefined) this.#requests.delete(identifier);
    return request;
  }

  /**
   * Records the puncture; the request completes (is removed) if the response already arrived.
   * @param identifier the puncture's identifier
   * @param now current time in seconds
   * @param punctured the candidate that punctured, if any
   * @returns the request, or undefined when not outstanding
   */
  onPuncture(identifier: number, now: number, punctured?: WalkCandidate): OutstandingRequest | undefined {
    const request = this.#requests.get(identifier);
    if (request === undefined) return undefined;
    request.punctureAt = now;
    if (punctured !== undefined) request.punctured = punctured;
    if (request.responseAt !== undefined) this.#requests.delete(identifier);
    return request;
  }

  /**
   * Removes the requests due at `now` (and those evicted since the last call). A request without a response is a
   * walk failure: its helper gets `lastWalkReply = −1` (spec §7.2, §11.1).
   * @param now current time in seconds
   * @returns the expired requests, oldest first
   */
  expire(now: number): ExpiredRequest[] {
    const out = this.#evicted.splice(0);
    for (const request of [...this.#requests.values()]) {
      if (now >= request.expiresAt) out.push(this.#finish(request, 'timeout'));
    }
    return out;
  }

  /** @returns the earliest `expiresAt` of the outstanding requests, or undefined when none */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const r of this.#requests.values()) if (next === undefined || r.expiresAt < next) next = r.expiresAt;
    return next;
  }

  #finish(request: MutableRequest, reason: 'timeout' | 'evicted'): ExpiredRequest {
    this.#requests.delete(request.identifier);
    const failed = request.responseAt === undefined;
    if (failed) request.helper.walkTimeout();
    return { request, reason, failed };
  }
}
