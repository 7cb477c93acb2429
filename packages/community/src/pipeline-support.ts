/**
 * Two small helpers of the incoming pipeline: the per-meta batch cache (spec §12.2 step 2, `BatchConfiguration`
 * max_window) and the work queue that serialises processing, so that resumed delayed items run after the current
 * batch instead of recursing (a long sequence chain resumed one link at a time would otherwise grow the stack).
 */
import type { Conversion } from '@dispersy/codec';
import type { PacketSource } from '@dispersy/interfaces';
import type { Tasks } from './tasks.ts';

/** A packet waiting in a batch window. */
export interface BatchItem {
  readonly packet: Uint8Array;
  readonly source: PacketSource;
  /** The conversion that decodes it. */
  readonly conversion: Conversion;
}

/**
 * Packets of batched metas, waiting for their window. Bounded: a batch that reaches `maxSize` packets is flushed
 * at once.
 *
 * @example
 * ```ts
 * batches.add('batched-text', items, 5, (name, items) => process(name, items));
 * batches.flush(process); // e.g. before building a sync filter
 * ```
 */
export class BatchCache {
  readonly #tasks: Tasks;
  readonly #max: number;
  readonly #batches = new Map<string, BatchItem[]>();

  /**
   * @param tasks the community's timers
   * @param maxSize packets per meta before an early flush
   */
  constructor(tasks: Tasks, maxSize: number) {
    this.#tasks = tasks;
    this.#max = maxSize;
  }

  /** Packets waiting, over all metas. */
  get size(): number {
    let n = 0;
    for (const items of this.#batches.values()) n += items.length;
    return n;
  }

  /**
   * Adds packets to a meta's batch; the first packet starts the window timer.
   * @param name the meta name
   * @param items the packets
   * @param window seconds
   * @param process runs the batch when the window closes (or the batch is full)
   */
  add(name: string, items: readonly BatchItem[], window: number, process: (name: string, items: BatchItem[]) => void): void {
    let batch = this.#batches.get(name);
    if (batch === undefined) {
      this.#batches.set(name, (batch = []));
      this.#tasks.once(`batch:${name}`, window, () => process(name, this.take(name)));
    }
    batch.push(...items);
    if (batch.length >= this.#max) process(name, this.take(name));
  }

  /**
   * Removes and returns a meta's waiting packets (cancelling its timer).
   * @param name the meta name
   * @returns the packets, in arrival order
   */
  take(name: string): BatchItem[] {
    const batch = this.#batches.get(name) ?? [];
    this.#batches.delete(name);
    this.#tasks.cancel(`batch:${name}`);
    return batch;
  }

  /** The metas with waiting packets. */
  names(): string[] {
    return [...this.#batches.keys()];
  }
}

/**
 * Runs tasks one at a time in FIFO order; a task queued while another runs waits for it (no recursion).
 *
 * @example `work.run(() => onMessages(community, name, messages));`
 */
export class WorkQueue {
  readonly #queue: (() => void)[] = [];
  #running = false;

  /** Whether a task is running. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Queues a task and, unless one is running, runs the queue until it is empty.
   * @param task the work (it should not throw; if it does, the queue is cleared and the error propagates)
   */
  run(task: () => void): void {
    this.#queue.push(task);
    if (this.#running) return;
    this.#running = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) next();
    } catch (err) {
      this.#queue.length = 0;
      throw err;
    } finally {
      this.#running = false;
    }
  }
}
