/**
 * Link models. Every node has an *access link* to a lossless, zero-delay Internet core; a datagram between two nodes
 * crosses the sender's link up and the receiver's link down:
 *
 * - one-way delay = sender serialisation queue + `latency` + U(0, `jitter`) on each link (+ the receiver's download
 *   queue), so the RTT to a zero-latency host is `2 × (latency + U(0, jitter))`;
 * - loss is independent per link: `1 − (1 − loss_s)(1 − loss_r)`;
 * - the path MTU is the smaller `mtu`; a datagram whose IP size (UDP payload + {@link IP_UDP_HEADER_BYTES}) exceeds it
 *   is dropped and counted (no fragmentation, performance-model.md B10);
 * - `upload` / `download` (bytes/s) serialise datagrams one after another per sender / per receiver, in order.
 *
 * A per-pair {@link PathOverride} replaces the computed latency, jitter, loss, MTU and (as one bottleneck) bandwidth
 * of one direction between two nodes. Traffic between hosts on one NAT's LAN uses the NAT's `lanLatency` instead.
 */

/** Bytes of IPv4 (20) + UDP (8) headers counted on top of each datagram's payload for MTU and bandwidth. */
export const IP_UDP_HEADER_BYTES = 28;

/** A node's access link to the Internet core. */
export interface AccessLink {
  /** One-way delay in seconds between the node and the core. */
  readonly latency: number;
  /** Extra delay drawn uniformly from [0, jitter) per datagram per link, seconds (this is what reorders). */
  readonly jitter: number;
  /** Probability in [0, 1] that a datagram is lost on this link. */
  readonly loss: number;
  /** Upload rate in bytes per second (`Infinity`: no serialisation delay). */
  readonly upload: number;
  /** Download rate in bytes per second (`Infinity`: no serialisation delay). */
  readonly download: number;
  /** Largest IP datagram (payload + 28 header bytes) the link carries (`Infinity`: no limit). */
  readonly mtu: number;
}

/** The link of a node created without one: 10 ms each way, nothing else. */
export const DEFAULT_LINK: AccessLink = Object.freeze({
  latency: 0.01,
  jitter: 0,
  loss: 0,
  upload: Infinity,
  download: Infinity,
  mtu: Infinity,
});

/** Replaces the computed model of one direction between two nodes; omitted fields keep the access-link values. */
export interface PathOverride {
  /** One-way delay in seconds (instead of the sum of both links' latencies). */
  readonly latency?: number;
  /** Maximum extra delay in seconds (instead of both links' jitter). */
  readonly jitter?: number;
  /** Loss probability (instead of the combined links' loss). */
  readonly loss?: number;
  /** Bottleneck rate in bytes/s, queued on the sender (instead of its upload and the receiver's download). */
  readonly bandwidth?: number;
  /** Path MTU (instead of the smaller of the links' MTUs). */
  readonly mtu?: number;
}

function check(value: unknown, name: string, ok: (v: number) => boolean, what: string): void {
  if (typeof value !== 'number' || !ok(value)) throw new RangeError(`${name} must be ${what}, got ${String(value)}`);
}

const nonNegativeFinite = (v: number): boolean => v >= 0 && v !== Infinity;
const probability = (v: number): boolean => v >= 0 && v <= 1;
const positive = (v: number): boolean => v > 0;
const mtuOk = (v: number): boolean => v > IP_UDP_HEADER_BYTES;

/**
 * Completes and validates an access link.
 * @param partial fields to set
 * @param base where the other fields come from @default DEFAULT_LINK
 * @returns a frozen, complete link
 * @throws RangeError for a negative or infinite latency/jitter, a loss outside [0, 1], a rate ≤ 0, an MTU ≤ 28
 * @example `resolveLink({ loss: 0.05 }).latency // 0.01`
 */
export function resolveLink(partial: Partial<AccessLink> = {}, base: AccessLink = DEFAULT_LINK): AccessLink {
  const link = { ...base, ...stripUndefined(partial) };
  check(link.latency, 'latency', nonNegativeFinite, 'finite and ≥ 0 seconds');
  check(link.jitter, 'jitter', nonNegativeFinite, 'finite and ≥ 0 seconds');
  check(link.loss, 'loss', probability, 'a probability in [0, 1]');
  check(link.upload, 'upload', positive, '> 0 bytes/s (Infinity for unlimited)');
  check(link.download, 'download', positive, '> 0 bytes/s (Infinity for unlimited)');
  check(link.mtu, 'mtu', mtuOk, `> ${IP_UDP_HEADER_BYTES} bytes (Infinity for unlimited)`);
  return Object.freeze(link);
}

/**
 * Validates a path override.
 * @param override the fields to override
 * @returns a frozen copy
 * @throws RangeError as {@link resolveLink} for each present field
 * @example `checkOverride({ latency: 0.2 })`
 */
export function checkOverride(override: PathOverride): PathOverride {
  const o = stripUndefined(override);
  if (o.latency !== undefined) check(o.latency, 'latency', nonNegativeFinite, 'finite and ≥ 0 seconds');
  if (o.jitter !== undefined) check(o.jitter, 'jitter', nonNegativeFinite, 'finite and ≥ 0 seconds');
  if (o.loss !== undefined) check(o.loss, 'loss', probability, 'a probability in [0, 1]');
  if (o.bandwidth !== undefined) check(o.bandwidth, 'bandwidth', positive, '> 0 bytes/s');
  if (o.mtu !== undefined) check(o.mtu, 'mtu', mtuOk, `> ${IP_UDP_HEADER_BYTES} bytes`);
  return Object.freeze(o);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

/**
 * Per-direction overrides between nodes, keyed by node ids (numeric keys: no string building per datagram).
 *
 * @example
 * ```ts
 * const table = new LinkTable();
 * table.set(1, 2, { latency: 0.3 });
 * table.get(1, 2)?.latency; // 0.3
 * ```
 */
export class LinkTable {
  readonly #overrides = new Map<number, PathOverride>();

  /** Number of overridden directions. */
  get size(): number {
    return this.#overrides.size;
  }

  /**
   * Sets the override of one direction.
   * @param from sender node id (< 2^20)
   * @param to receiver node id (< 2^20)
   * @param override the fields
   * @throws RangeError as {@link checkOverride}
   */
  set(from: number, to: number, override: PathOverride): void {
    this.#overrides.set(from * 0x100000 + to, checkOverride(override));
  }

  /**
   * @param from sender node id
   * @param to receiver node id
   * @returns the override of that direction, if any
   */
  get(from: number, to: number): PathOverride | undefined {
    return this.#overrides.size === 0 ? undefined : this.#overrides.get(from * 0x100000 + to);
  }

  /**
   * Removes the override of one direction.
   * @param from sender node id
   * @param to receiver node id
   * @returns whether one was set
   */
  delete(from: number, to: number): boolean {
    return this.#overrides.delete(from * 0x100000 + to);
  }
}
