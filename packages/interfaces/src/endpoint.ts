/**
 * The transport contract shared by the UDP endpoint, the in-memory test network and the simulator: datagrams to
 * and from IPv4 addresses, with the optional `FF FF FF FF` tunnel prefix handled by the endpoint (spec §2.1, §11.4).
 */

/** An IPv4 socket address. `0.0.0.0:0` means "no address". */
export interface Address {
  /** Dotted-quad IPv4 address. */
  readonly host: string;
  /** UDP port, 0..65535. */
  readonly port: number;
}

/** Where a datagram came from. */
export interface PacketSource {
  readonly address: Address;
  /** The datagram carried the tunnel prefix (it has been stripped). */
  readonly tunnel: boolean;
}

/** Receives datagrams (tunnel prefix already stripped). */
export type PacketHandler = (packet: Uint8Array, source: PacketSource) => void;

/** Byte and packet counters of an endpoint. */
export interface EndpointCounters {
  readonly packetsSent: number;
  readonly bytesSent: number;
  readonly packetsReceived: number;
  readonly bytesReceived: number;
  /** Datagrams dropped by the endpoint itself (too large, closed, socket errors). */
  readonly packetsDropped: number;
}

/** A datagram transport. */
export interface Endpoint {
  /** The bound address (the LAN address when bound to a specific interface). */
  readonly address: Address;
  /** Counters since open. */
  readonly counters: EndpointCounters;
  /**
   * Sends one datagram; prepends the tunnel prefix when `tunnel` is true. Never throws for network conditions
   * (a failed send is counted as dropped).
   */
  send(to: Address, packet: Uint8Array, tunnel?: boolean): void;
  /** Sets the receiver (one per endpoint; a node demultiplexes by community). */
  onPacket(handler: PacketHandler): void;
  /** Stops receiving and releases the socket. Idempotent. */
  close(): Promise<void>;
}

/** The all-zero "no address". */
export const NO_ADDRESS: Address = Object.freeze({ host: '0.0.0.0', port: 0 });

/**
 * Formats an address as `host:port`.
 * @param address an address
 * @returns e.g. `127.0.0.1:6421`
 */
export function formatAddress(address: Address): string {
  return `${address.host}:${address.port}`;
}

/**
 * Whether two addresses are the same host and port.
 * @param a an address
 * @param b another
 * @returns true when equal
 */
export function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}
