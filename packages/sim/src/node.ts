/**
 * Simulated hosts. A {@link SimNode} is one machine: a public host, or a host on a NAT's LAN with a private address.
 * It has an access link (see link.ts), an online flag (churn), per-node statistics, and any number of
 * {@link SimEndpoint}s bound to its ports — a node runtime binds one and never knows it is simulated.
 */
import type { AddressPool } from './ipv4.ts';
import type { AccessLink } from './link.ts';
import type { SimNat } from './nat.ts';
import { SimEndpoint, type EndpointTransport } from './sim-endpoint.ts';
import { SimError } from './errors.ts';
import type { NodeStats } from './stats.ts';

/** The port {@link SimNode.bind} uses by default: Dispersy's usual 6421. */
export const DEFAULT_PORT = 6421;

/** Key of a node's mutable state (router-only; not exported from the package). */
export const STATE: unique symbol = Symbol('@dispersy/sim node state');

/** A NAT with the hosts on its LAN (router-only). */
export class NatSite {
  readonly nat: SimNat;
  /** LAN address → host. */
  readonly hosts = new Map<string, SimNode>();
  /** Automatic LAN addresses. */
  readonly pool: AddressPool;

  /**
   * @param nat the NAT
   * @param pool its LAN address pool
   */
  constructor(nat: SimNat, pool: AddressPool) {
    this.nat = nat;
    this.pool = pool;
  }
}

/** A node's mutable state, touched per datagram by the router. */
export interface NodeState {
  link: AccessLink;
  online: boolean;
  /** When the upload link finishes serialising what is queued (virtual seconds). */
  upBusy: number;
  /** Same for the download link. */
  downBusy: number;
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  dropped: number;
  readonly ports: Map<number, SimEndpoint>;
  readonly site: NatSite | undefined;
}

/**
 * A simulated host. Create with `network.createNode()`.
 *
 * @example
 * ```ts
 * const nat = network.createNat({ type: 'port-restricted' });
 * const node = network.createNode({ nat, link: '3G' });
 * const endpoint = node.bind(); // 10.0.1.2:6421, behind the NAT
 * ```
 */
export class SimNode {
  /** Small integer, unique per network, in creation order. */
  readonly id: number;
  /** A label for traces (default `node<id>`). */
  readonly name: string;
  /** The node's own IPv4 address: public, or private on its NAT's LAN. */
  readonly host: string;
  /** The NAT in front of it, or undefined for a public host. */
  readonly nat: SimNat | undefined;
  /** Router-only state. */
  readonly [STATE]: NodeState;
  readonly #transport: EndpointTransport;

  /**
   * Use `network.createNode()`.
   * @param transport the router
   * @param id the node id
   * @param name the label
   * @param host its address
   * @param site its NAT site, if behind one
   * @param link its access link
   */
  constructor(transport: EndpointTransport, id: number, name: string, host: string, site: NatSite | undefined, link: AccessLink) {
    this.#transport = transport;
    this.id = id;
    this.name = name;
    this.host = host;
    this.nat = site?.nat;
    this[STATE] = {
      link,
      online: true,
      upBusy: 0,
      downBusy: 0,
      sent: 0,
      received: 0,
      bytesSent: 0,
      bytesReceived: 0,
      dropped: 0,
      ports: new Map(),
      site,
    };
  }

  /** The access link (change it with `network.setNodeLink`). */
  get link(): AccessLink {
    return this[STATE].link;
  }

  /** Whether the node is connected (change it with `network.setOnline` or churn). */
  get online(): boolean {
    return this[STATE].online;
  }

  /** A snapshot of the node's counters. */
  get stats(): NodeStats {
    const s = this[STATE];
    return { sent: s.sent, received: s.received, bytesSent: s.bytesSent, bytesReceived: s.bytesReceived, dropped: s.dropped };
  }

  /** The open endpoints, by port order of binding. */
  get endpoints(): SimEndpoint[] {
    return [...this[STATE].ports.values()];
  }

  /**
   * @param port a port
   * @returns the open endpoint bound there, if any
   */
  endpoint(port: number): SimEndpoint | undefined {
    return this[STATE].ports.get(port);
  }

  /**
   * Binds an endpoint to a port of this node.
   * @param port 1–65535, or 0 for the first free port from 49152 @default 6421
   * @returns the endpoint
   * @throws RangeError for an invalid port; SimError ADDRESS_IN_USE when the port is taken
   * @example `const endpoint = node.bind(6421);`
   */
  bind(port: number = DEFAULT_PORT): SimEndpoint {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer in 0..65535, got ${port}`);
    const ports = this[STATE].ports;
    let p = port;
    if (p === 0) {
      p = 49152;
      while (ports.has(p) && p < 65535) p++;
    }
    if (ports.has(p)) throw new SimError('ADDRESS_IN_USE', `${this.host}:${p} is already bound`);
    const endpoint = new SimEndpoint(this.#transport, this, { host: this.host, port: p });
    ports.set(p, endpoint);
    return endpoint;
  }
}
