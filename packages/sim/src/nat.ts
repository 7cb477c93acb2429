/**
 * NAT models: the mapping and filtering behaviour of the four classic UDP NAT types (RFC 3489 naming; RFC 4787
 * terms in brackets), pure logic over an injected time and random source, so it is unit-testable without a network.
 *
 * | type | mapping | inbound to a mapped port is accepted from |
 * | --- | --- | --- |
 * | `full-cone` | one external port per internal (ip, port) [endpoint-independent] | anyone |
 * | `address-restricted` | same | any port of an IP the internal endpoint has sent to [address-dependent filtering] |
 * | `port-restricted` | same | exactly an (IP, port) it has sent to [address-and-port-dependent filtering] |
 * | `symmetric` | a new external port per (internal endpoint, destination) [address-and-port-dependent mapping] | only that destination |
 *
 * Mappings live `mappingTimeout` seconds (default 60, RFC 4787 REQ-5's floor is 120 but the walker's 57.5 s
 * lifetimes were chosen because "most NAT boxes" close a hole after 60 s — spec §7.2) and are refreshed by outbound
 * traffic; filtering permissions live `filteringTimeout` seconds from the last datagram sent to that remote. Expiry is
 * lazy (checked on use, swept now and then), so NATs schedule no events. This is what the walker's NAT traversal
 * (spec §7.8: introduction, puncture-request, puncture) has to get through.
 */
import type { Address, Random } from '@dispersy/interfaces';
import { AddressMap } from './address-map.ts';
import { assertIPv4, assertLanPrefix } from './ipv4.ts';

/** The NAT types. A node without a NAT is "public". */
export type NatType = 'full-cone' | 'address-restricted' | 'port-restricted' | 'symmetric';

/** Every {@link NatType}, in order of increasing restriction. */
export const NAT_TYPES: readonly NatType[] = Object.freeze(['full-cone', 'address-restricted', 'port-restricted', 'symmetric']);

/** How a NAT picks external ports: `preserve` tries the internal port first and falls back to `random`. */
export type PortAllocation = 'random' | 'sequential' | 'preserve';

/** Options of a NAT (the network fills `host`, `lanPrefix` and `random` when omitted). */
export interface NatOptions {
  /** The NAT type. */
  readonly type: NatType;
  /** Seconds a mapping survives without outbound traffic. @default 60 */
  readonly mappingTimeout?: number;
  /** Seconds an inbound permission survives after the last datagram to that remote. @default mappingTimeout */
  readonly filteringTimeout?: number;
  /** External port choice. @default 'preserve' for cone NATs, 'random' for symmetric */
  readonly portAllocation?: PortAllocation;
  /** Whether LAN hosts can reach each other through the NAT's public address. @default false */
  readonly hairpinning?: boolean;
  /** Whether accepted inbound datagrams also refresh the mapping (RFC 4787 allows either). @default false */
  readonly refreshOnInbound?: boolean;
  /** One-way latency between hosts on this NAT's LAN (and to the router), seconds. @default 0.0005 */
  readonly lanLatency?: number;
}

/** Everything a {@link SimNat} needs. */
export interface NatInit extends NatOptions {
  /** The router's public IPv4 address. */
  readonly host: string;
  /** The LAN's private prefix, one to three octets, e.g. `192.168.1`. */
  readonly lanPrefix: string;
  /** Random source for port allocation. */
  readonly random: Random;
}

/** A live mapping, as seen from outside. */
export interface NatMapping {
  /** The LAN endpoint. */
  readonly internal: Address;
  /** The public endpoint the world sees (frozen; shared by every datagram through this mapping). */
  readonly external: Address;
  /** The one destination of a symmetric NAT's mapping; undefined for cone NATs. */
  readonly destination: Address | undefined;
  /** When it was created (virtual seconds). */
  readonly createdAt: number;
  /** When outbound (or, with `refreshOnInbound`, accepted inbound) traffic last refreshed it. */
  readonly refreshedAt: number;
}

class Mapping implements NatMapping {
  readonly internal: Address;
  readonly external: Address;
  readonly destination: Address | undefined;
  readonly createdAt: number;
  refreshedAt: number;
  /** Address-restricted: remote IP → last outbound time. */
  readonly ips: Map<string, number> | undefined;
  /** Port-restricted: remote (IP, port) → last outbound time. */
  readonly endpoints: AddressMap<number> | undefined;
  pruneAt = 64;

  constructor(internal: Address, external: Address, destination: Address | undefined, createdAt: number, type: NatType) {
    this.internal = internal;
    this.external = external;
    this.destination = destination;
    this.createdAt = createdAt;
    this.refreshedAt = createdAt;
    this.ips = type === 'address-restricted' ? new Map() : undefined;
    this.endpoints = type === 'port-restricted' ? new AddressMap() : undefined;
  }
}

const FIRST_PORT = 1024;
const PORT_COUNT = 65536 - FIRST_PORT;

function timeout(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!(v > 0)) throw new RangeError(`${name} must be > 0 seconds, got ${v}`);
  return v;
}

/**
 * One NAT router: a public address in front of a private LAN.
 *
 * @example
 * ```ts
 * const nat = new SimNat({ type: 'port-restricted', host: '20.0.0.9', lanPrefix: '192.168.1', random: createSeededRandom(1) });
 * const m = nat.outbound({ host: '192.168.1.2', port: 6421 }, { host: '20.0.0.1', port: 6421 }, 0)!;
 * nat.inbound(m.external.port, { host: '20.0.0.1', port: 6421 }, 1); // the mapping: allowed
 * nat.inbound(m.external.port, { host: '20.0.0.2', port: 6421 }, 1); // undefined: filtered
 * ```
 */
export class SimNat {
  /** The NAT type. */
  readonly type: NatType;
  /** The router's public address. */
  readonly host: string;
  /** The LAN prefix (addresses `${lanPrefix}.x` live behind this NAT). */
  readonly lanPrefix: string;
  /** Seconds a mapping lives without outbound traffic. */
  readonly mappingTimeout: number;
  /** Seconds a filtering permission lives after the last datagram to that remote. */
  readonly filteringTimeout: number;
  /** How external ports are chosen. */
  readonly portAllocation: PortAllocation;
  /** Whether LAN hosts reach each other through the public address. */
  readonly hairpinning: boolean;
  /** Whether accepted inbound datagrams refresh the mapping. */
  readonly refreshOnInbound: boolean;
  /** One-way latency on the LAN, seconds. */
  readonly lanLatency: number;
  readonly #lanDot: string;
  readonly #random: Random;
  /** Cone NATs: internal endpoint → its one mapping. */
  readonly #cone = new AddressMap<Mapping>();
  /** Symmetric NATs: internal endpoint → destination → mapping. */
  readonly #symmetric = new AddressMap<AddressMap<Mapping>>();
  /** External port → mapping, in creation order. */
  readonly #byPort = new Map<number, Mapping>();
  #nextPort = FIRST_PORT;
  #allocations = 0;

  /**
   * @param init type, addresses, timeouts and random source
   * @throws TypeError / RangeError for an unknown type, a malformed address or prefix, a timeout ≤ 0
   */
  constructor(init: NatInit) {
    if (!NAT_TYPES.includes(init.type)) throw new RangeError(`type must be one of ${NAT_TYPES.join(', ')}, got ${String(init.type)}`);
    assertIPv4(init.host, 'host');
    assertLanPrefix(init.lanPrefix);
    this.type = init.type;
    this.host = init.host;
    this.lanPrefix = init.lanPrefix;
    this.#lanDot = init.lanPrefix + '.';
    this.mappingTimeout = timeout(init.mappingTimeout, 60, 'mappingTimeout');
    this.filteringTimeout = timeout(init.filteringTimeout, this.mappingTimeout, 'filteringTimeout');
    this.portAllocation = init.portAllocation ?? (init.type === 'symmetric' ? 'random' : 'preserve');
    if (!['random', 'sequential', 'preserve'].includes(this.portAllocation)) throw new RangeError(`portAllocation must be random, sequential or preserve, got ${String(this.portAllocation)}`);
    this.hairpinning = init.hairpinning ?? false;
    this.refreshOnInbound = init.refreshOnInbound ?? false;
    this.lanLatency = init.lanLatency ?? 0.0005;
    if (!(this.lanLatency >= 0) || this.lanLatency === Infinity) throw new RangeError(`lanLatency must be finite and ≥ 0, got ${this.lanLatency}`);
    this.#random = init.random;
  }

  /**
   * Whether an address belongs to this NAT's LAN prefix.
   * @param host a dotted quad
   * @returns true for `${lanPrefix}.…`
   */
  inLan(host: string): boolean {
    return host.startsWith(this.#lanDot);
  }

  /**
   * Translates an outbound datagram: finds or creates the mapping, refreshes it and records the filtering permission.
   * @param internal the LAN source
   * @param destination the public destination
   * @param now virtual time
   * @returns the mapping (its `external` is the rewritten source), or undefined when every port is in use
   * @example `nat.outbound(lanAddress, introducer, clock.now())?.external`
   */
  outbound(internal: Address, destination: Address, now: number): NatMapping | undefined {
    let m = this.#find(internal, destination);
    if (m !== undefined && now - m.refreshedAt >= this.mappingTimeout) {
      this.#remove(m);
      m = undefined;
    }
    if (m === undefined) {
      const port = this.#allocate(internal.port, now);
      if (port === undefined) return undefined;
      const symmetric = this.type === 'symmetric';
      const inside = Object.freeze({ host: internal.host, port: internal.port });
      const dest = symmetric ? Object.freeze({ host: destination.host, port: destination.port }) : undefined;
      m = new Mapping(inside, Object.freeze({ host: this.host, port }), dest, now, this.type);
      if (dest === undefined) {
        this.#cone.set(inside, m);
      } else {
        let byDestination = this.#symmetric.get(inside);
        if (byDestination === undefined) {
          byDestination = new AddressMap();
          this.#symmetric.set(inside, byDestination);
        }
        byDestination.set(dest, m);
      }
      this.#byPort.set(port, m);
    }
    m.refreshedAt = now;
    if (m.ips !== undefined) {
      m.ips.set(destination.host, now);
      if (m.ips.size > m.pruneAt) {
        for (const [ip, at] of m.ips) if (now - at >= this.filteringTimeout) m.ips.delete(ip);
        m.pruneAt = Math.max(64, m.ips.size * 2);
      }
    } else if (m.endpoints !== undefined) {
      m.endpoints.set(destination, now);
      if (m.endpoints.size > m.pruneAt) {
        m.endpoints.retain((at) => now - at < this.filteringTimeout);
        m.pruneAt = Math.max(64, m.endpoints.size * 2);
      }
    }
    return m;
  }

  /**
   * Filters an inbound datagram arriving at the public address.
   * @param externalPort the destination port on the router
   * @param source the remote sender
   * @param now virtual time
   * @returns the mapping to deliver through, or undefined when the datagram is filtered (no live mapping, or the
   *   type's rule rejects the source)
   * @example `nat.inbound(6421, { host: '20.0.0.1', port: 6421 }, clock.now())?.internal`
   */
  inbound(externalPort: number, source: Address, now: number): NatMapping | undefined {
    const m = this.#live(externalPort, now);
    if (m === undefined) return undefined;
    let allowed: boolean;
    switch (this.type) {
      case 'full-cone':
        allowed = true;
        break;
      case 'symmetric': {
        const d = m.destination as Address;
        allowed = d.host === source.host && d.port === source.port;
        break;
      }
      case 'address-restricted':
      case 'port-restricted': {
        const at = m.ips !== undefined ? m.ips.get(source.host) : (m.endpoints as AddressMap<number>).get(source);
        allowed = at !== undefined && now - at < this.filteringTimeout;
        break;
      }
    }
    if (!allowed) return undefined;
    if (this.refreshOnInbound) m.refreshedAt = now;
    return m;
  }

  /**
   * The live mapping of an external port, without filtering.
   * @param externalPort a port on the router
   * @param now virtual time
   * @returns the mapping, or undefined
   */
  lookup(externalPort: number, now: number): NatMapping | undefined {
    return this.#live(externalPort, now);
  }

  /**
   * The live mapping an outbound datagram would use, without side effects.
   * @param internal the LAN source
   * @param destination the destination (matters for symmetric NATs only)
   * @param now virtual time
   * @returns the mapping, or undefined when a new one would be created
   * @example `nat.mappingFor(lan, introducer, now)?.external`
   */
  mappingFor(internal: Address, destination: Address, now: number): NatMapping | undefined {
    const m = this.#find(internal, destination);
    return m !== undefined && now - m.refreshedAt < this.mappingTimeout ? m : undefined;
  }

  /**
   * Every live mapping (expired ones are swept first).
   * @param now virtual time
   * @returns the mappings in creation order
   */
  mappings(now: number): NatMapping[] {
    this.#sweep(now);
    return [...this.#byPort.values()];
  }

  #find(internal: Address, destination: Address): Mapping | undefined {
    return this.type === 'symmetric' ? this.#symmetric.get(internal)?.get(destination) : this.#cone.get(internal);
  }

  #live(externalPort: number, now: number): Mapping | undefined {
    const m = this.#byPort.get(externalPort);
    if (m === undefined) return undefined;
    if (now - m.refreshedAt >= this.mappingTimeout) {
      this.#remove(m);
      return undefined;
    }
    return m;
  }

  #remove(m: Mapping): void {
    this.#byPort.delete(m.external.port);
    if (m.destination === undefined) {
      this.#cone.delete(m.internal);
      return;
    }
    const byDestination = this.#symmetric.get(m.internal);
    byDestination?.delete(m.destination);
    if (byDestination?.size === 0) this.#symmetric.delete(m.internal);
  }

  #sweep(now: number): void {
    for (const m of this.#byPort.values()) if (now - m.refreshedAt >= this.mappingTimeout) this.#remove(m);
  }

  #allocate(internalPort: number, now: number): number | undefined {
    if (++this.#allocations % 4096 === 0 || this.#byPort.size >= PORT_COUNT) this.#sweep(now);
    if (this.#byPort.size >= PORT_COUNT) return undefined;
    const used = this.#byPort;
    if (this.portAllocation === 'preserve' && internalPort >= FIRST_PORT && !used.has(internalPort)) return internalPort;
    if (this.portAllocation !== 'sequential') {
      for (let tries = 0; tries < 32; tries++) {
        const port = FIRST_PORT + Math.floor(this.#random.next() * PORT_COUNT);
        if (!used.has(port)) return port;
      }
    }
    for (;;) {
      const port = this.#nextPort;
      this.#nextPort = port === 65535 ? FIRST_PORT : port + 1;
      if (!used.has(port)) return port;
    }
  }
}
