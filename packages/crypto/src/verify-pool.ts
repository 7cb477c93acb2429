/**
 * A pool of worker threads that verifies batches of signatures (architecture.md: "Bulk verification can run on a
 * worker pool"), with the same result per item as {@link verifySignature} on the main thread.
 *
 * Transfer: each worker's share of a batch is packed into one `ArrayBuffer` (a table of offsets, then the bytes;
 * repeated key arrays are stored once) and transferred, not cloned; the answer is one byte per item, transferred
 * back. Each worker keeps its own LRU cache of `KeyObject`s, so a member's key is parsed once per worker.
 *
 * Lifecycle: idle workers are unref'd (an idle pool never keeps the process alive) and ref'd while they have work
 * (a pending batch does). A worker that dies rejects the batches it held with `WORKER_CRASHED` and is replaced on the
 * next batch. `close()` rejects what is pending with `POOL_CLOSED` and terminates the workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { encodeEcPublicKeyDer } from './der.ts';
import { VerifyPoolError } from './errors.ts';
import { describe } from './internal/bytes.ts';
import { SMALL_ORDER_ENCODINGS } from './ed25519.ts';
import { isPublicKey } from './keys.ts';
import { halfLength, SECURITY_LEVELS, securityLevelInfo } from './levels.ts';
import type { PublicKey } from './types.ts';
import { VERIFY_WORKER_SOURCE } from './verify-worker-source.ts';

/** One signature to verify. */
export interface VerifyItem {
  /** The signer's public key binary (as on the wire), or a parsed key. */
  readonly publicKey: Uint8Array | PublicKey;
  /** The signed bytes. */
  readonly data: Uint8Array;
  /** The signature. */
  readonly signature: Uint8Array;
}

/** Options of {@link createVerifyPool}. */
export interface VerifyPoolInit {
  /**
   * Number of worker threads.
   * @default max(1, os.availableParallelism() - 1)
   */
  readonly size?: number;
  /**
   * A batch is split across workers only in shares of at least this many items (small shares cost more in messaging
   * than they save).
   * @default 32
   */
  readonly minItemsPerWorker?: number;
  /**
   * Parsed keys each worker keeps.
   * @default 4096
   */
  readonly keyCacheSize?: number;
}

/** Options of {@link VerifyPool.verifyBatch}. */
export interface VerifyBatchOptions {
  /** Aborting rejects the batch with the signal's reason (work already sent to workers is discarded). */
  readonly signal?: AbortSignal;
}

/** A pool of verification workers. */
export interface VerifyPool {
  /** Number of worker threads. */
  readonly size: number;
  /**
   * Verifies a batch, split across the workers.
   * @param items the signatures
   * @param options an optional abort signal
   * @returns one boolean per item, in order: what {@link verifySignature} returns for it
   * @throws TypeError (as a rejection) when `items` is not an array of {@link VerifyItem}
   * @throws VerifyPoolError `POOL_CLOSED` or `WORKER_CRASHED`
   */
  verifyBatch(items: readonly VerifyItem[], options?: VerifyBatchOptions): Promise<boolean[]>;
  /**
   * Rejects pending batches with `POOL_CLOSED` and terminates the workers. Idempotent.
   * @returns when every worker has stopped
   */
  close(): Promise<void>;
}

interface Job {
  readonly count: number;
  readonly resolve: (results: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker | undefined;
  pending: Map<number, Job>;
  items: number;
}

/** The SubjectPublicKeyInfo header of each EC level: what an uncompressed point follows. */
function levelHeaders(): { header: Uint8Array; half: number }[] {
  return SECURITY_LEVELS.filter((level) => level !== 'curve25519').map((level) => {
    const info = securityLevelInfo(level);
    const half = halfLength(info);
    const point = new Uint8Array(1 + 2 * half);
    point[0] = 0x04;
    const der = encodeEcPublicKeyDer(info, point);
    return { header: der.slice(0, der.length - 2 * half), half };
  });
}

function positiveInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function keyBytes(item: VerifyItem): Uint8Array {
  return isPublicKey(item.publicKey) ? item.publicKey.bytes : (item.publicKey as Uint8Array);
}

function checkItems(items: unknown): asserts items is readonly VerifyItem[] {
  if (!Array.isArray(items)) throw new TypeError(`items must be an array, got ${describe(items)}`);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item !== 'object' || item === null) throw new TypeError(`items[${i}] must be an object`);
    const { publicKey, data, signature } = item as Record<string, unknown>;
    if (!(publicKey instanceof Uint8Array) && !isPublicKey(publicKey)) {
      throw new TypeError(`items[${i}].publicKey must be a Uint8Array or a PublicKey, got ${describe(publicKey)}`);
    }
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`items[${i}].data must be a Uint8Array, got ${describe(data)}`);
    }
    if (!(signature instanceof Uint8Array)) {
      throw new TypeError(`items[${i}].signature must be a Uint8Array, got ${describe(signature)}`);
    }
  }
}

/**
 * Packs items `[from, to)` into one buffer: a Uint32 table of (key offset, key length, data offset, data length,
 * signature offset, signature length) per item, then the bytes. A key array repeated in the share is stored once.
 * @returns the buffer, to be transferred
 */
export function packBatch(items: readonly VerifyItem[], from: number, to: number): ArrayBuffer {
  const count = to - from;
  const keyOffsets = new Map<Uint8Array, number>();
  let total = count * 24;
  for (let i = from; i < to; i++) {
    const item = items[i] as VerifyItem;
    const key = keyBytes(item);
    if (!keyOffsets.has(key)) {
      keyOffsets.set(key, -1);
      total += key.length;
    }
    total += item.data.length + item.signature.length;
  }
  const buffer = new ArrayBuffer(total);
  const table = new Uint32Array(buffer, 0, count * 6);
  const bytes = new Uint8Array(buffer);
  let offset = count * 24;
  const put = (source: Uint8Array): number => {
    bytes.set(source, offset);
    offset += source.length;
    return offset - source.length;
  };
  for (let i = from, t = 0; i < to; i++, t += 6) {
    const item = items[i] as VerifyItem;
    const key = keyBytes(item);
    let keyOffset = keyOffsets.get(key) ?? -1;
    if (keyOffset < 0) {
      keyOffset = put(key);
      keyOffsets.set(key, keyOffset);
    }
    table[t] = keyOffset;
    table[t + 1] = key.length;
    table[t + 2] = put(item.data);
    table[t + 3] = item.data.length;
    table[t + 4] = put(item.signature);
    table[t + 5] = item.signature.length;
  }
  return buffer;
}

class WorkerVerifyPool implements VerifyPool {
  readonly size: number;
  readonly #source: string;
  readonly #minItems: number;
  readonly #workerData: {
    levels: { header: Uint8Array; half: number }[];
    smallOrder: readonly Uint8Array[];
    cacheSize: number;
  };
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(source: string, init: VerifyPoolInit) {
    this.size = positiveInteger('init.size', init.size ?? Math.max(1, availableParallelism() - 1), 1024);
    this.#minItems = positiveInteger('init.minItemsPerWorker', init.minItemsPerWorker ?? 32, 2 ** 31);
    const cacheSize = positiveInteger('init.keyCacheSize', init.keyCacheSize ?? 4096, 2 ** 31);
    this.#source = source;
    this.#workerData = { levels: levelHeaders(), smallOrder: SMALL_ORDER_ENCODINGS, cacheSize };
    for (let i = 0; i < this.size; i++) {
      const slot: Slot = { worker: undefined, pending: new Map(), items: 0 };
      this.#slots.push(slot);
      this.#spawn(slot);
    }
  }

  async verifyBatch(items: readonly VerifyItem[], options: VerifyBatchOptions = {}): Promise<boolean[]> {
    checkItems(items);
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError('options.signal must be an AbortSignal');
    }
    if (this.#closed) throw new VerifyPoolError('POOL_CLOSED', 'the verification pool is closed');
    signal?.throwIfAborted();
    const n = items.length;
    if (n === 0) return [];
    const shares = Math.min(this.size, Math.ceil(n / this.#minItems));
    const per = Math.ceil(n / shares);
    const parts: Promise<Uint8Array>[] = [];
    for (let from = 0; from < n; from += per) parts.push(this.#dispatch(items, from, Math.min(n, from + per)));
    const all = Promise.all(parts);
    const results = signal === undefined ? await all : await abortable(all, signal);
    const out = new Array<boolean>(n);
    let index = 0;
    for (const part of results) for (let i = 0; i < part.length; i++) out[index++] = part[i] === 1;
    return out;
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const stopping: Promise<number>[] = [];
    for (const slot of this.#slots) {
      const worker = slot.worker;
      this.#fail(slot, new VerifyPoolError('POOL_CLOSED', 'the verification pool was closed'));
      if (worker !== undefined) stopping.push(worker.terminate());
    }
    this.#closing = Promise.all(stopping).then(() => undefined);
    return this.#closing;
  }

  #spawn(slot: Slot): Worker {
    const worker = new Worker(this.#source, { eval: true, workerData: this.#workerData });
    worker.unref();
    worker.on('message', (message: { id: number; results: Uint8Array }) => {
      if (slot.worker !== worker) return;
      const job = slot.pending.get(message.id);
      if (job === undefined) return;
      slot.pending.delete(message.id);
      slot.items -= job.count;
      if (slot.pending.size === 0) worker.unref();
      job.resolve(message.results);
    });
    const die = (cause: unknown): void => {
      if (slot.worker !== worker) return; // closed, or already handled (an 'error' is followed by an 'exit')
      this.#fail(slot, new VerifyPoolError('WORKER_CRASHED', 'a verification worker died', { cause }));
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`worker exited with code ${code}`)));
    slot.worker = worker;
    return worker;
  }

  /** Detaches the slot's worker and rejects its pending jobs; the next dispatch starts a new worker. */
  #fail(slot: Slot, error: VerifyPoolError): void {
    slot.worker = undefined;
    const pending = slot.pending;
    slot.pending = new Map();
    slot.items = 0;
    for (const job of pending.values()) job.reject(error);
  }

  #dispatch(items: readonly VerifyItem[], from: number, to: number): Promise<Uint8Array> {
    let slot = this.#slots[0] as Slot;
    for (const candidate of this.#slots) if (candidate.items < slot.items) slot = candidate;
    const worker = slot.worker ?? this.#spawn(slot);
    const buffer = packBatch(items, from, to);
    const id = this.#nextId++;
    const count = to - from;
    return new Promise<Uint8Array>((resolve, reject) => {
      if (slot.pending.size === 0) worker.ref();
      slot.pending.set(id, { count, resolve, reject });
      slot.items += count;
      worker.postMessage({ id, buffer, count }, [buffer]);
    });
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Starts a pool of verification workers (node:crypto in each, whatever {@link setBackend} says).
 * @param init `size` (workers), `minItemsPerWorker`, `keyCacheSize`
 * @returns the pool; call `close()` when done (an idle pool does not keep the process alive either way)
 * @throws TypeError / RangeError for bad options
 * @example
 * ```ts
 * const pool = createVerifyPool({ size: 2 });
 * const ok = await pool.verifyBatch([{ publicKey, data, signature }]);
 * await pool.close();
 * ```
 */
export function createVerifyPool(init: VerifyPoolInit = {}): VerifyPool {
  if (typeof init !== 'object' || init === null) throw new TypeError(`init must be an object, got ${describe(init)}`);
  return new WorkerVerifyPool(VERIFY_WORKER_SOURCE, init);
}

/**
 * A pool running other worker code. For tests (e.g. a worker that crashes on purpose); not part of the package's
 * public surface.
 * @internal
 */
export function createVerifyPoolWithSource(source: string, init: VerifyPoolInit = {}): VerifyPool {
  return new WorkerVerifyPool(source, init);
}
