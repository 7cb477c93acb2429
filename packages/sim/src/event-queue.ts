/**
 * The simulator's event queue: a binary min-heap keyed by `(time, seq)`. `seq` is a per-queue insertion counter,
 * so events due at the same virtual instant fire in the order they were scheduled — the property that makes a run
 * replay exactly from its seed (design/house-style.md §2.7 item 6).
 *
 * Events are plain records that carry their own `fire()` (a datagram in flight is its own event record; a timer is
 * its own {@link Timer} handle), so scheduling allocates nothing beyond the record.
 */

/** An entry of the {@link EventQueue}. */
export interface SimEvent {
  /** Virtual time (seconds) at which it fires; written by {@link EventQueue.push}. */
  time: number;
  /** Insertion sequence number, the tie-breaker; written by {@link EventQueue.push}. */
  seq: number;
  /** A cancelled event stays in the heap and is skipped when it reaches the top (lazy deletion). */
  cancelled: boolean;
  /** Runs the event. */
  fire(): void;
}

/**
 * Whether `a` fires before `b`.
 * @param a an event
 * @param b another event
 * @returns true when `a.time < b.time`, or equal times and `a.seq < b.seq`
 */
function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * A binary min-heap of {@link SimEvent}s ordered by `(time, seq)`.
 *
 * @example
 * ```ts
 * const queue = new EventQueue();
 * queue.push({ time: 0, seq: 0, cancelled: false, fire: () => console.log('b') }, 2);
 * queue.push({ time: 0, seq: 0, cancelled: false, fire: () => console.log('a') }, 1);
 * queue.pop()?.fire(); // a
 * ```
 */
export class EventQueue {
  readonly #heap: SimEvent[] = [];
  #seq = 0;

  /** Number of records in the heap, cancelled ones included. */
  get size(): number {
    return this.#heap.length;
  }

  /**
   * Inserts an event; stamps its `time` and the next sequence number.
   * @param event the record (its `time` and `seq` are overwritten)
   * @param time when it fires (virtual seconds)
   * @throws RangeError if `time` is NaN
   * @example `queue.push(event, clock.now() + 0.05)`
   */
  push(event: SimEvent, time: number): void {
    if (Number.isNaN(time)) throw new RangeError('time must be a number, got NaN');
    event.time = time;
    event.seq = this.#seq++;
    const heap = this.#heap;
    // Sift up with a hole: move parents down until the slot for `event` is found.
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as SimEvent;
      if (!before(event, parent)) break;
      heap[i] = parent;
      i = parentIndex;
    }
    heap[i] = event;
  }

  /**
   * The earliest record, cancelled or not, without removing it.
   * @returns the top of the heap, or undefined when empty
   * @example `queue.peek()?.time`
   */
  peek(): SimEvent | undefined {
    return this.#heap[0];
  }

  /**
   * Removes and returns the earliest record (cancelled ones too: the caller skips them).
   * @returns the record, or undefined when empty
   * @example `for (let e = queue.pop(); e; e = queue.pop()) if (!e.cancelled) e.fire();`
   */
  pop(): SimEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as SimEvent;
    if (heap.length > 0) this.#siftDown(0, last);
    return top;
  }

  /**
   * Drops every cancelled record and restores the heap (O(n)); the clock calls it when cancelled records pile up.
   * @returns how many records were removed
   * @example `queue.compact()`
   */
  compact(): number {
    const heap = this.#heap;
    let kept = 0;
    for (let i = 0; i < heap.length; i++) {
      const event = heap[i] as SimEvent;
      if (!event.cancelled) heap[kept++] = event;
    }
    const removed = heap.length - kept;
    heap.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.#siftDown(i, heap[i] as SimEvent);
    return removed;
  }

  /**
   * Removes every record.
   * @example `queue.clear()`
   */
  clear(): void {
    this.#heap.length = 0;
  }

  #siftDown(start: number, event: SimEvent): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(heap[right] as SimEvent, heap[child] as SimEvent)) child = right;
      const c = heap[child] as SimEvent;
      if (!before(c, event)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = event;
  }
}
