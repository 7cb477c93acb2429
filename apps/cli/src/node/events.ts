/**
 * The daemon's event hub behind `GET /v1/events`: producers `publish(name, data)`; each subscriber (one per SSE
 * client) pulls from its own BOUNDED queue. A subscriber whose queue overflows — a client that does not read fast
 * enough — is dropped (its stream ends with an `overflow` reason) instead of letting the daemon's memory grow.
 */

/** The event names of the API (architecture.md "The node daemon and its HTTP API"). */
export const NODE_EVENT_NAMES = ['candidate', 'message', 'undo', 'sync', 'drop'] as const;

/** One of {@link NODE_EVENT_NAMES}. */
export type NodeEventName = (typeof NODE_EVENT_NAMES)[number];

/** One published event. */
export interface NodeEvent {
  /** Increasing per hub (the SSE `id`). */
  readonly id: number;
  readonly event: NodeEventName;
  /** JSON-ready data. */
  readonly data: unknown;
}

/** Why a subscription ended. */
export type EndReason = 'closed' | 'overflow';

/** What {@link Subscription.next} yields. */
export type NextEvent = { readonly done: false; readonly event: NodeEvent } | { readonly done: true; readonly reason: EndReason };

/** Events kept per subscriber before it is dropped as too slow. */
export const DEFAULT_MAX_QUEUE = 1024;

/** One subscriber's view of the hub. */
export class Subscription {
  readonly #hub: EventHub;
  readonly #filter: ReadonlySet<NodeEventName> | undefined;
  readonly #max: number;
  readonly #queue: NodeEvent[] = [];
  #waiter: ((next: NextEvent) => void) | undefined;
  #ended: EndReason | undefined;
  #onEnd: ((reason: EndReason) => void) | undefined;

  /**
   * Use {@link EventHub.subscribe}.
   * @param hub the hub
   * @param filter the events wanted (all when undefined)
   * @param max queue bound
   */
  constructor(hub: EventHub, filter: ReadonlySet<NodeEventName> | undefined, max: number) {
    this.#hub = hub;
    this.#filter = filter;
    this.#max = max;
  }

  /** Why it ended, once it has. */
  get ended(): EndReason | undefined {
    return this.#ended;
  }

  /** Events waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Waits for the next event, or the end.
   * @returns the event, or `{ done: true, reason }` once ended (queued events are delivered first when closed,
   *   never after an overflow)
   */
  next(): Promise<NextEvent> {
    const event = this.#ended === 'overflow' ? undefined : this.#queue.shift();
    if (event !== undefined) return Promise.resolve({ done: false, event });
    if (this.#ended !== undefined) return Promise.resolve({ done: true, reason: this.#ended });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /**
   * Sets a listener told once when the subscription ends (e.g. to disconnect an overflowing client whose writes
   * are stuck).
   * @param listener the callback
   */
  onEnd(listener: (reason: EndReason) => void): void {
    this.#onEnd = listener;
  }

  /** Ends the subscription (the client went away, or the daemon stops). Idempotent. */
  close(): void {
    this.#end('closed');
  }

  /** @internal called by the hub */
  offer(event: NodeEvent): void {
    if (this.#ended !== undefined || (this.#filter !== undefined && !this.#filter.has(event.event))) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter({ done: false, event });
      return;
    }
    if (this.#queue.length >= this.#max) {
      this.#queue.length = 0;
      this.#end('overflow');
      return;
    }
    this.#queue.push(event);
  }

  #end(reason: EndReason): void {
    if (this.#ended !== undefined) return;
    this.#ended = reason;
    this.#hub.unsubscribe(this);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ done: true, reason });
    this.#onEnd?.(reason);
  }
}

/**
 * Fan-out of node events to bounded subscriber queues.
 *
 * @example
 * ```ts
 * const hub = new EventHub();
 * const sub = hub.subscribe(new Set(['message']));
 * hub.publish('message', { meta: 'full-sync-text' });
 * await sub.next(); // { done: false, event: { id: 1, event: 'message', data: { … } } }
 * ```
 */
export class EventHub {
  readonly #subscriptions = new Set<Subscription>();
  readonly #maxQueue: number;
  #nextId = 1;
  #dropped = 0;

  /** @param init `maxQueue`: events kept per subscriber @default 1024 */
  constructor(init: { readonly maxQueue?: number } = {}) {
    const max = init.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`maxQueue must be a positive integer, got ${max}`);
    this.#maxQueue = max;
  }

  /** Connected subscribers. */
  get subscribers(): number {
    return this.#subscriptions.size;
  }

  /** Subscribers dropped for overflowing their queue, since start. */
  get droppedSubscribers(): number {
    return this.#dropped;
  }

  /**
   * @param filter the events wanted (all when undefined)
   * @returns a new subscription
   */
  subscribe(filter?: ReadonlySet<NodeEventName>): Subscription {
    const subscription = new Subscription(this, filter, this.#maxQueue);
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** @internal called by a subscription when it ends */
  unsubscribe(subscription: Subscription): void {
    if (this.#subscriptions.delete(subscription) && subscription.ended === 'overflow') this.#dropped++;
  }

  /**
   * Publishes an event to every subscriber. Producers may check {@link subscribers} first to skip building data
   * nobody reads.
   * @param event the name
   * @param data JSON-ready data
   */
  publish(event: NodeEventName, data: unknown): void {
    if (this.#subscriptions.size === 0) return;
    const e: NodeEvent = { id: this.#nextId++, event, data };
    for (const subscription of [...this.#subscriptions]) subscription.offer(e);
  }

  /** Ends every subscription (daemon shutdown). */
  close(): void {
    for (const subscription of [...this.#subscriptions]) subscription.close();
  }
}
