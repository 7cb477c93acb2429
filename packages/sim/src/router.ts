/**
 * The datagram path (internal): routing between realms (the public Internet and each NAT's LAN), NAT translation,
 * partitions, the link model, and delivery. Each datagram is one event record ({@link Datagram}) that carries its
 * own state through the event queue — no closure per packet, one copy of the bytes when it is scheduled.
 *
 * The path of a datagram sent at time t:
 * 1. at t (synchronously in `send`): sender online? → route: same LAN (by LAN address) | own NAT's public address
 *    (hairpin) | out through the sender's NAT (mapping created or refreshed, source rewritten to the external
 *    address — what the walker's WAN vote observes, spec §7.9) → a public host, or a NAT whose mapping for the port
 *    names the receiving host → partition → MTU → upload serialisation → loss → scheduled;
 * 2. at arrival on the receiver's access link: download serialisation, when the link has a finite rate;
 * 3. at delivery: the receiving NAT's filtering rule (evaluated now, so a hole punched while the datagram was in
 *    flight counts — the simultaneous-open of spec §7.8), partition, receiver online, endpoint bound → handler.
 */
import type { Address, Random } from '@dispersy/interfaces';
import { formatAddress } from '@dispersy/interfaces';
import { createCopier, type CopyMode } from './datagram-copy.ts';
import type { SimEvent } from './event-queue.ts';
import { parseIPv4 } from './ipv4.ts';
import { IP_UDP_HEADER_BYTES, LinkTable } from './link.ts';
import { STATE, type NatSite, type SimNode } from './node.ts';
import { PartitionTable } from './partition.ts';
import { DELIVER, REFUSE, TUNNEL_PREFIX_LENGTH, type EndpointTransport, type SimEndpoint } from './sim-endpoint.ts';
import { StatsCounter, type DropReason } from './stats.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** One line of a network trace (see `SimNetwork.onTrace`); addresses are formatted `host:port`. */
export type TraceEntry =
  | {
      /** Virtual time of the entry. */
      readonly time: number;
      /** `send`: handed to the network; `deliver`: reached a handler; `drop`: see `reason`. */
      readonly type: 'send' | 'deliver' | 'drop';
      /** The sending endpoint's own address (a LAN address behind a NAT). */
      readonly from: string;
      /** The destination as addressed by the sender. */
      readonly to: string;
      /** Datagram bytes, tunnel prefix included. */
      readonly size: number;
      readonly reason?: DropReason;
    }
  | { readonly time: number; readonly type: 'online' | 'offline'; readonly node: string };

const FINAL = 0;
const DOWNLINK = 1;

/** A datagram in flight: its own event record. */
class Datagram implements SimEvent {
  time = 0;
  seq = 0;
  cancelled = false;
  stage: number;
  readonly router: Router;
  readonly data: Uint8Array;
  readonly from: Address;
  /** The destination as addressed (for the trace). */
  readonly to: Address;
  /** The destination port, captured at send time (the external port when `ingress` is set). */
  readonly port: number;
  /** The source the receiver sees (the sender's NAT mapping, or its own address). */
  readonly source: Address;
  readonly sender: SimNode;
  /** The receiving host (behind `ingress`: as predicted when sent, re-resolved at delivery). */
  readonly target: SimNode;
  readonly ingress: NatSite | undefined;

  constructor(router: Router, data: Uint8Array, from: Address, to: Address, source: Address, sender: SimNode, target: SimNode, ingress: NatSite | undefined, stage: number) {
    this.router = router;
    this.data = data;
    this.from = from;
    this.to = to;
    this.port = to.port;
    this.source = source;
    this.sender = sender;
    this.target = target;
    this.ingress = ingress;
    this.stage = stage;
  }

  fire(): void {
    this.router.arrive(this);
  }
}

/** Collaborators of the {@link Router}. */
export interface RouterInit {
  readonly clock: VirtualClock;
  /** Jitter and loss draws. */
  readonly random: Random;
  /** How datagrams are copied (datagram-copy.ts). */
  readonly copy: CopyMode;
  /** When set, handler exceptions go here instead of out of the run loop ("fragile mode" is the default). */
  readonly onHandlerError: ((error: unknown, endpoint: SimEndpoint) => void) | undefined;
}

/** The router (internal to the package; `SimNetwork` is the public face). */
export class Router implements EndpointTransport {
  readonly stats = new StatsCounter();
  readonly links = new LinkTable();
  readonly partitions = new PartitionTable();
  /** Public hosts by address. */
  readonly publicNodes = new Map<string, SimNode>();
  /** NATs by public address. */
  readonly sites = new Map<string, NatSite>();
  /** Trace sink: undefined unless someone listens, so tracing costs one check per datagram when off. */
  trace: ((entry: TraceEntry) => void) | undefined;
  readonly #listeners: ((entry: TraceEntry) => void)[] = [];
  readonly #validHosts = new Set<string>();
  readonly #clock: VirtualClock;
  readonly #random: Random;
  readonly #copy: (packet: Uint8Array, tunnel: boolean) => Uint8Array;
  readonly #onHandlerError: RouterInit['onHandlerError'];

  /** @param init collaborators */
  constructor(init: RouterInit) {
    this.#clock = init.clock;
    this.#random = init.random;
    this.#copy = createCopier(init.copy);
    this.#onHandlerError = init.onHandlerError;
  }

  /**
   * Step 1 of the path (module doc). Returns false when the endpoint itself must count the datagram as dropped: a
   * destination that is not an IPv4 address with a port in 1..65535 (refused before the network, as the UDP endpoint
   * does; not in the network's stats), or an offline sender (also counted as the network's `offline` drop).
   */
  send(endpoint: SimEndpoint, to: Address, packet: Uint8Array, tunnel: boolean): boolean {
    if (!this.#validDestination(to)) return false;
    const now = this.#clock.now();
    const sender = endpoint.node;
    const s = sender[STATE];
    const size = packet.length + (tunnel ? TUNNEL_PREFIX_LENGTH : 0);
    const stats = this.stats;
    stats.sent++;
    stats.bytesSent += size;
    s.sent++;
    s.bytesSent += size;
    const from = endpoint.address;
    this.trace?.({ time: now, type: 'send', from: formatAddress(from), to: formatAddress(to), size });
    if (!s.online) {
      this.#drop('offline', sender, from, to, size);
      return false;
    }
    let source = from;
    let target: SimNode | undefined;
    let ingress: NatSite | undefined;
    let lanLatency = -1;
    const site = s.site;
    if (site !== undefined) {
      const nat = site.nat;
      const local = site.hosts.get(to.host);
      if (local !== undefined) {
        target = local;
        lanLatency = nat.lanLatency;
      } else if (nat.inLan(to.host)) {
        return this.#drop('no_route', sender, from, to, size);
      } else {
        const hairpin = to.host === nat.host;
        if (hairpin && !nat.hairpinning) return this.#drop('hairpin', sender, from, to, size);
        const mapping = nat.outbound(from, to, now);
        if (mapping === undefined) return this.#drop('no_route', sender, from, to, size);
        source = mapping.external;
        if (hairpin) {
          ingress = site;
          lanLatency = 2 * nat.lanLatency;
        }
      }
    }
    if (target === undefined) {
      if (ingress === undefined) {
        target = this.publicNodes.get(to.host);
        if (target === undefined) ingress = this.sites.get(to.host);
      }
      if (ingress !== undefined) {
        const mapping = ingress.nat.lookup(to.port, now);
        target = mapping === undefined ? undefined : ingress.hosts.get(mapping.internal.host);
        if (target === undefined) return this.#drop('nat_filtered', sender, from, to, size);
      } else if (target === undefined) {
        return this.#drop('no_route', sender, from, to, size);
      }
    }
    if (this.partitions.size !== 0 && this.partitions.blocks(sender, target)) return this.#drop('partition', sender, from, to, size);

    const t = target[STATE];
    const wire = size + IP_UDP_HEADER_BYTES;
    let time: number;
    let stage = FINAL;
    if (lanLatency >= 0) {
      if (wire > Math.min(s.link.mtu, t.link.mtu)) return this.#drop('mtu', sender, from, to, size);
      time = now + lanLatency;
    } else {
      const sl = s.link;
      const tl = t.link;
      const o = this.links.get(sender.id, target.id);
      if (wire > (o?.mtu ?? Math.min(sl.mtu, tl.mtu))) return this.#drop('mtu', sender, from, to, size);
      const rate = o?.bandwidth ?? sl.upload;
      let departure = now;
      if (rate !== Infinity) {
        departure = Math.max(now, s.upBusy) + wire / rate;
        s.upBusy = departure;
      }
      const loss = o?.loss ?? 1 - (1 - sl.loss) * (1 - tl.loss);
      if (loss > 0 && this.#random.next() < loss) return this.#drop('loss', sender, from, to, size);
      let delay = o?.latency ?? sl.latency + tl.latency;
      if (o?.jitter !== undefined) {
        if (o.jitter > 0) delay += this.#random.next() * o.jitter;
      } else {
        if (sl.jitter > 0) delay += this.#random.next() * sl.jitter;
        if (tl.jitter > 0) delay += this.#random.next() * tl.jitter;
      }
      if (o?.bandwidth === undefined && tl.download !== Infinity) stage = DOWNLINK;
      time = departure + delay;
    }

    const data = this.#copy(packet, tunnel);
    stats.inFlight++;
    stats.inFlightBytes += size;
    this.#clock.enqueue(new Datagram(this, data, from, to, source, sender, target, ingress, stage), time);
    return true;
  }

  /** Steps 2 and 3 of the path (module doc). */
  arrive(d: Datagram): void {
    const now = this.#clock.now();
    const size = d.data.length;
    if (d.stage === DOWNLINK) {
      const t = d.target[STATE];
      const done = Math.max(now, t.downBusy) + (size + IP_UDP_HEADER_BYTES) / t.link.download;
      t.downBusy = done;
      d.stage = FINAL;
      this.#clock.enqueue(d, done);
      return;
    }
    const stats = this.stats;
    stats.inFlight--;
    stats.inFlightBytes -= size;
    let target = d.target;
    let port = d.port;
    const ingress = d.ingress;
    if (ingress !== undefined) {
      const mapping = ingress.nat.inbound(port, d.source, now);
      if (mapping === undefined) return void this.#drop('nat_filtered', d.sender, d.from, d.to, size);
      const host = ingress.hosts.get(mapping.internal.host);
      if (host === undefined) return void this.#drop('no_route', d.sender, d.from, d.to, size);
      target = host;
      port = mapping.internal.port;
    }
    if (this.partitions.size !== 0 && this.partitions.blocks(d.sender, target)) return void this.#drop('partition', d.sender, d.from, d.to, size);
    const t = target[STATE];
    if (!t.online) return void this.#drop('offline', d.sender, d.from, d.to, size);
    const endpoint = t.ports.get(port);
    if (endpoint === undefined || !endpoint.receiving) {
      endpoint?.[REFUSE]();
      return void this.#drop('no_listener', d.sender, d.from, d.to, size);
    }
    stats.delivered++;
    stats.bytesDelivered += size;
    t.received++;
    t.bytesReceived += size;
    this.trace?.({ time: now, type: 'deliver', from: formatAddress(d.from), to: formatAddress(d.to), size });
    const onError = this.#onHandlerError;
    if (onError === undefined) {
      endpoint[DELIVER](d.data, d.source);
    } else {
      try {
        endpoint[DELIVER](d.data, d.source);
      } catch (error) {
        onError(error, endpoint);
      }
    }
  }

  /** Adds a trace listener; returns its unsubscribe function. */
  addTraceListener(listener: (entry: TraceEntry) => void): () => void {
    const listeners = this.#listeners;
    const update = (): void => {
      this.trace = listeners.length === 0 ? undefined : (entry) => {
        for (const l of [...listeners]) l(entry);
      };
    };
    listeners.push(listener);
    update();
    return () => {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
      update();
    };
  }

  /** Frees a closed endpoint's port. */
  release(endpoint: SimEndpoint): void {
    const ports = endpoint.node[STATE].ports;
    if (ports.get(endpoint.address.port) === endpoint) ports.delete(endpoint.address.port);
  }

  /** Whether `to` is an IPv4 address with a port in 1..65535 (valid hosts are memoised: parsing is per-host, not per-datagram). */
  #validDestination(to: Address): boolean {
    const port = to.port;
    if (!(Number.isInteger(port) && port > 0 && port < 65536)) return false;
    const hosts = this.#validHosts;
    if (hosts.has(to.host)) return true;
    if (parseIPv4(to.host) === undefined) return false;
    hosts.add(to.host);
    return true;
  }

  /** Counts a drop; returns true (the datagram was handed to the network, which dropped it). */
  #drop(reason: DropReason, sender: SimNode, from: Address, to: Address, size: number): true {
    this.stats.dropped[reason]++;
    sender[STATE].dropped++;
    this.trace?.({ time: this.#clock.now(), type: 'drop', from: formatAddress(from), to: formatAddress(to), size, reason });
    return true;
  }
}
