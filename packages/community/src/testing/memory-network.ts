/**
 * An in-memory datagram network for tests, like the original's ManualEndpoint: datagrams are queued and delivered
 * only when the test says so ({@link MemoryNetwork.deliverAll}), in FIFO order; a test may also take the datagrams
 * queued for an address without delivering them (to inspect what a node sent). The tunnel prefix is really added
 * and stripped, as a UDP endpoint does.
 */
import { addTunnelPrefix, MAX_DATAGRAM_SIZE, stripTunnelPrefix } from '@dispersy/codec';
import { formatAddress, type Address, type Endpoint, type EndpointCounters, type PacketHandler } from '@dispersy/interfaces';

/** A queued datagram (its bytes as on the wire: with the tunnel prefix when tunnelled). */
export interface Datagram {
  readonly from: Address;
  readonly to: Address;
  readonly data: Uint8Array;
}

/** A received datagram's packet without the tunnel prefix. */
export interface DatagramPacket extends Datagram {
  readonly packet: Uint8Array;
  readonly tunnel: boolean;
}

/**
 * Strips the tunnel prefix of a queued datagram.
 * @param datagram a datagram
 * @returns it with `packet` and `tunnel`
 * @example `network.take(address).map(unwrap)`
 */
export function unwrap(datagram: Datagram): DatagramPacket {
  const { packet, tunnel } = stripTunnelPrefix(datagram.data);
  return { ...datagram, packet, tunnel };
}

/**
 * An endpoint on a {@link MemoryNetwork}.
 *
 * @example
 * ```ts
 * const endpoint = network.createEndpoint();
 * endpoint.onPacket((packet, source) => console.log(packet.length, source.address));
 * ```
 */
export class MemoryEndpoint implements Endpoint {
  readonly address: Address;
  /** Every datagram this endpoint sent, when created with `record: true`. */
  readonly sent: Datagram[] = [];
  readonly #network: MemoryNetwork;
  readonly #record: boolean;
  readonly #counters = { packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, packetsDropped: 0 };
  #handler: PacketHandler | undefined;
  #closed = false;

  /**
   * Use {@link MemoryNetwork.createEndpoint}.
   * @param network the network
   * @param address its address
   * @param record keep a log of sent datagrams
   */
  constructor(network: MemoryNetwork, address: Address, record: boolean) {
    this.#network = network;
    this.address = Object.freeze({ host: address.host, port: address.port });
    this.#record = record;
  }

  get counters(): EndpointCounters {
    return { ...this.#counters };
  }

  /** Whether `close()` ran. */
  get closed(): boolean {
    return this.#closed;
  }

  send(to: Address, packet: Uint8Array, tunnel = false): void {
    const data = tunnel ? addTunnelPrefix(packet) : packet.slice();
    if (this.#closed || data.length > MAX_DATAGRAM_SIZE) {
      this.#counters.packetsDropped++;
      return;
    }
    this.#counters.packetsSent++;
    this.#counters.bytesSent += data.length;
    const datagram: Datagram = { from: this.address, to: { host: to.host, port: to.port }, data };
    if (this.#record) this.sent.push(datagram);
    this.#network.enqueue(datagram);
  }

  onPacket(handler: PacketHandler): void {
    this.#handler = handler;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** @internal delivers one datagram */
  deliver(datagram: Datagram): boolean {
    if (this.#closed || this.#handler === undefined) {
      this.#counters.packetsDropped++;
      return false;
    }
    this.#counters.packetsReceived++;
    this.#counters.bytesReceived += datagram.data.length;
    const { packet, tunnel } = stripTunnelPrefix(datagram.data);
    this.#handler(packet, { address: datagram.from, tunnel });
    return true;
  }
}

/**
 * The network. One instance per test (never a module global).
 *
 * @example
 * ```ts
 * const network = new MemoryNetwork();
 * const a = network.createEndpoint(), b = network.createEndpoint();
 * a.send(b.address, packet);
 * network.deliverAll(); // b's handler runs
 * ```
 */
export class MemoryNetwork {
  readonly #endpoints = new Map<string, MemoryEndpoint>();
  #queue: Datagram[] = [];
  #next = 1;
  #undeliverable = 0;

  /**
   * Creates an endpoint; without an address it gets the next of 10.0.0.1:6421, 10.0.0.2:6421, …
   * @param address its address
   * @param options `record`: keep a log of sent datagrams
   * @returns the endpoint
   * @throws RangeError when the address is taken
   */
  createEndpoint(address?: Address, options: { readonly record?: boolean } = {}): MemoryEndpoint {
    let at = address;
    if (at === undefined) {
      const n = this.#next++;
      at = { host: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, port: 6421 };
    }
    const key = formatAddress(at);
    if (this.#endpoints.has(key)) throw new RangeError(`address ${key} is taken`);
    const endpoint = new MemoryEndpoint(this, at, options.record ?? false);
    this.#endpoints.set(key, endpoint);
    return endpoint;
  }

  /**
   * @param address an address
   * @returns the endpoint bound there
   */
  endpoint(address: Address): MemoryEndpoint | undefined {
    return this.#endpoints.get(formatAddress(address));
  }

  /** @internal queues a datagram */
  enqueue(datagram: Datagram): void {
    this.#queue.push(datagram);
  }

  /** Datagrams waiting. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Datagrams to unknown or closed endpoints. */
  get undeliverable(): number {
    return this.#undeliverable;
  }

  /**
   * The waiting datagrams (not removed).
   * @param to only those to this address
   * @returns the datagrams, oldest first
   */
  queued(to?: Address): readonly Datagram[] {
    return to === undefined ? [...this.#queue] : this.#queue.filter((d) => d.to.host === to.host && d.to.port === to.port);
  }

  /**
   * Removes and returns the waiting datagrams to an address (optionally only from one sender).
   * @param to the receiver
   * @param from only from this sender
   * @returns the datagrams, oldest first
   */
  take(to: Address, from?: Address): Datagram[] {
    const match = (d: Datagram): boolean =>
      d.to.host === to.host && d.to.port === to.port && (from === undefined || (d.from.host === from.host && d.from.port === from.port));
    const taken = this.#queue.filter(match);
    this.#queue = this.#queue.filter((d) => !match(d));
    return taken;
  }

  /**
   * Delivers the oldest waiting datagram.
   * @returns false when nothing was waiting
   */
  deliverNext(): boolean {
    const datagram = this.#queue.shift();
    if (datagram === undefined) return false;
    const endpoint = this.#endpoints.get(formatAddress(datagram.to));
    if (endpoint === undefined || !endpoint.deliver(datagram)) this.#undeliverable++;
    return true;
  }

  /**
   * Delivers datagrams until none is waiting (including those sent while delivering).
   * @param maxDatagrams a guard against endless ping-pong @default 1_000_000
   * @returns how many were delivered
   * @throws Error when the guard is hit
   */
  deliverAll(maxDatagrams = 1_000_000): number {
    let n = 0;
    while (this.deliverNext()) {
      if (++n >= maxDatagrams) throw new Error(`deliverAll: more than ${maxDatagrams} datagrams`);
    }
    return n;
  }

  /** Drops every waiting datagram. */
  clear(): void {
    this.#queue = [];
  }
}
