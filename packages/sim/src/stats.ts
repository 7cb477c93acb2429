/**
 * Delivery statistics for assertions: what the network delivered and why it dropped the rest. Every datagram handed to
 * the network by an endpoint ends in exactly one of `delivered` or one drop reason (or is still `inFlight`), so
 * `sent = delivered + droppedTotal + inFlight` always holds.
 */

/**
 * Why a datagram did not arrive:
 * - `loss`: the link model lost it;
 * - `mtu`: larger than the path MTU (payload + 28 header bytes);
 * - `nat_filtered`: a NAT had no live mapping for the port or its filtering rule rejected the source;
 * - `no_route`: no host has the destination address in the sender's realm (a LAN address seen from outside, an
 *   unknown public address, a NAT out of ports);
 * - `partition`: an active partition separates sender and receiver;
 * - `offline`: the sender or the receiver is offline (churn);
 * - `hairpin`: a LAN host sent to its own NAT's public address and the NAT does not hairpin;
 * - `no_listener`: the host exists but no open endpoint with a handler is bound to the port.
 */
export const DROP_REASONS = Object.freeze(['loss', 'mtu', 'nat_filtered', 'no_route', 'partition', 'offline', 'hairpin', 'no_listener'] as const);

/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/** Network-wide counters (a snapshot). Bytes are UDP payload bytes, tunnel prefix included. */
export interface NetworkStats {
  /** Datagrams endpoints handed to the network. */
  readonly sent: number;
  /** Datagrams that reached a handler. */
  readonly delivered: number;
  /** Bytes of `sent`. */
  readonly bytesSent: number;
  /** Bytes of `delivered`. */
  readonly bytesDelivered: number;
  /** Drops per reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Sum of `dropped`. */
  readonly droppedTotal: number;
  /** Datagrams scheduled and not yet delivered or dropped. */
  readonly inFlight: number;
}

/** Per-node counters (a snapshot). Add {@link IP_UDP_HEADER_BYTES} per datagram for wire-level bytes. */
export interface NodeStats {
  /** Datagrams this node's endpoints handed to the network. */
  readonly sent: number;
  /** Datagrams delivered to this node's handlers. */
  readonly received: number;
  /** Bytes of `sent`. */
  readonly bytesSent: number;
  /** Bytes of `received`. */
  readonly bytesReceived: number;
  /** Datagrams this node sent that were dropped (any reason). */
  readonly dropped: number;
}

/** Mutable network counters (internal). */
export class StatsCounter {
  sent = 0;
  delivered = 0;
  bytesSent = 0;
  bytesDelivered = 0;
  inFlight = 0;
  inFlightBytes = 0;
  readonly dropped: Record<DropReason, number> = StatsCounter.#zero();

  static #zero(): Record<DropReason, number> {
    return { loss: 0, mtu: 0, nat_filtered: 0, no_route: 0, partition: 0, offline: 0, hairpin: 0, no_listener: 0 };
  }

  /** @returns a frozen snapshot */
  snapshot(): NetworkStats {
    const dropped = Object.freeze({ ...this.dropped });
    let droppedTotal = 0;
    for (const reason of DROP_REASONS) droppedTotal += dropped[reason];
    return Object.freeze({
      sent: this.sent,
      delivered: this.delivered,
      bytesSent: this.bytesSent,
      bytesDelivered: this.bytesDelivered,
      dropped,
      droppedTotal,
      inFlight: this.inFlight,
    });
  }

  /**
   * Zeroes the counters. Datagrams still in flight count as sent in the new window (they will still arrive or
   * drop), so `sent = delivered + droppedTotal + inFlight` keeps holding.
   */
  reset(): void {
    this.sent = this.inFlight;
    this.bytesSent = this.inFlightBytes;
    this.delivered = this.bytesDelivered = 0;
    for (const reason of DROP_REASONS) this.dropped[reason] = 0;
  }
}
