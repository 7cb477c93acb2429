/**
 * The simulator's {@link Endpoint}: what an unmodified Dispersy node binds to instead of a UDP socket. It behaves like
 * the real endpoint (spec §2.1, §11.4; community's UDP endpoint): `send(to, packet, true)` prepends the tunnel prefix
 * `FF FF FF FF`; a received datagram starting with it is stripped and reported with `tunnel: true`; datagrams above
 * 65,476 bytes (2^16 − 60, prefix included) and destinations that are not IPv4 addresses with a port in 1..65535 are
 * refused and counted as dropped; sending never throws for network conditions; `close()` is idempotent and frees
 * the port.
 *
 * Copying: the network copies a datagram's bytes once, when it is scheduled for delivery (adding the tunnel prefix in
 * the same copy), so the sender may reuse its buffer as soon as `send` returns — as with a kernel socket — and the
 * receiver owns what it gets. Datagrams dropped at send time (loss, MTU, routing, NAT, partition) are never copied.
 * The network's `copy` option trades this for speed (`pooled` slabs, or `none`: by reference; datagram-copy.ts).
 */
import type { Address, Endpoint, EndpointCounters, PacketHandler } from '@dispersy/interfaces';
import type { SimNode } from './node.ts';

/** The largest datagram an endpoint sends or accepts, 2^16 − 60 bytes (spec §2.1), tunnel prefix included. */
export const MAX_DATAGRAM_SIZE = 65_476;

/** Length of the tunnel prefix `FF FF FF FF`. */
export const TUNNEL_PREFIX_LENGTH = 4;

/** Delivery entry point, keyed by a symbol so it stays off the public surface (the router calls it). */
export const DELIVER: unique symbol = Symbol('@dispersy/sim deliver');
/** Counts a datagram refused for lack of a handler (router-only, like {@link DELIVER}). */
export const REFUSE: unique symbol = Symbol('@dispersy/sim refuse');

/** What an endpoint needs from the network (implemented by the router). */
export interface EndpointTransport {
  /**
   * Routes one datagram.
   * @returns false when the endpoint itself must count it as dropped (an invalid destination, an offline node)
   */
  send(from: SimEndpoint, to: Address, packet: Uint8Array, tunnel: boolean): boolean;
  /** Frees the endpoint's port. */
  release(endpoint: SimEndpoint): void;
}

/**
 * An endpoint bound to a port of a simulated node. Create it with `node.bind(port)` or `network.createEndpoint()`.
 *
 * @example
 * ```ts
 * const a = network.createEndpoint();
 * const b = network.createEndpoint();
 * b.onPacket((packet, { address, tunnel }) => console.log(packet.length, address, tunnel));
 * a.send(b.address, Uint8Array.of(1, 2, 3), true);
 * network.deliverAll(); // 3 { host: '20.0.0.1', port: 6421 } true
 * ```
 */
export class SimEndpoint implements Endpoint {
  /** The bound address: the LAN address for a node behind a NAT. */
  readonly address: Address;
  /** The owning node (for `network.setLink`, `partition`, `setOnline`, …). */
  readonly node: SimNode;
  readonly #transport: EndpointTransport;
  #handler: PacketHandler | undefined;
  #closed = false;
  #packetsSent = 0;
  #bytesSent = 0;
  #packetsReceived = 0;
  #bytesReceived = 0;
  #packetsDropped = 0;

  /**
   * Use `node.bind()`.
   * @param transport the network's router
   * @param node the owning node
   * @param address the bound address
   */
  constructor(transport: EndpointTransport, node: SimNode, address: Address) {
    this.#transport = transport;
    this.node = node;
    this.address = Object.freeze({ host: address.host, port: address.port });
  }

  /** Counters since bind (bytes are datagram bytes, tunnel prefix included). */
  get counters(): EndpointCounters {
    return {
      packetsSent: this.#packetsSent,
      bytesSent: this.#bytesSent,
      packetsReceived: this.#packetsReceived,
      bytesReceived: this.#bytesReceived,
      packetsDropped: this.#packetsDropped,
    };
  }

  /** Whether `close()` ran. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a datagram arriving now would reach a handler. */
  get receiving(): boolean {
    return !this.#closed && this.#handler !== undefined;
  }

  /**
   * Sends one datagram. Refused (counted in `packetsDropped`, never reaching the network) when closed, when larger
   * than {@link MAX_DATAGRAM_SIZE} with the prefix, or when `to` is not an IPv4 address with a port in 1..65535 — as
   * the UDP endpoint does; also counted there when the node is offline. Everything after that is the network's
   * business (see its stats).
   * @param to destination address
   * @param packet the packet (not retained: copied when scheduled)
   * @param tunnel prepend `FF FF FF FF` @default false
   * @throws TypeError when `packet` is not a Uint8Array or `to` is not an address object (programmer errors)
   */
  send(to: Address, packet: Uint8Array, tunnel = false): void {
    if (!(packet instanceof Uint8Array)) throw new TypeError(`packet must be a Uint8Array, got ${typeof packet}`);
    if (typeof to !== 'object' || to === null || typeof to.host !== 'string' || typeof to.port !== 'number') {
      throw new TypeError('to must be an address { host, port }');
    }
    const size = packet.length + (tunnel ? TUNNEL_PREFIX_LENGTH : 0);
    if (this.#closed || size > MAX_DATAGRAM_SIZE || !this.#transport.send(this, to, packet, tunnel === true)) {
      this.#packetsDropped++;
      return;
    }
    this.#packetsSent++;
    this.#bytesSent += size;
  }

  /**
   * Sets the receiver (replacing any previous one).
   * @param handler called with the packet (prefix stripped) and its source as the network rewrote it
   */
  onPacket(handler: PacketHandler): void {
    this.#handler = handler;
  }

  /**
   * Stops receiving and frees the port. Idempotent.
   * @returns a resolved promise
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.release(this);
  }

  /**
   * Hands a datagram to the handler (the router checked {@link SimEndpoint.receiving} first).
   * @param data the datagram as on the wire (owned by the receiver from now on)
   * @param source the source address as seen at this endpoint
   */
  [DELIVER](data: Uint8Array, source: Address): void {
    const handler = this.#handler as PacketHandler;
    this.#packetsReceived++;
    this.#bytesReceived += data.length;
    const tunnel = data.length >= TUNNEL_PREFIX_LENGTH && data[0] === 0xff && data[1] === 0xff && data[2] === 0xff && data[3] === 0xff;
    handler(tunnel ? data.subarray(TUNNEL_PREFIX_LENGTH) : data, { address: source, tunnel });
  }

  /** Counts a datagram that arrived while no handler was set. */
  [REFUSE](): void {
    this.#packetsDropped++;
  }
}
