/**
 * LAN membership and LAN/WAN estimation (spec §7.9), as pure functions.
 *
 * The endpoint layer detects the local interfaces (this package never reads `os.networkInterfaces()`); these
 * functions decide, from that list, whether an IP is "in my LAN", which interface is the LAN address, and how a
 * peer's LAN/WAN addresses are corrected by the address its packets come from.
 */
import type { Address } from '@dispersy/interfaces';
import { parseIPv4 } from './address.ts';

/** A local network interface, as the endpoint layer reports it (e.g. from `os.networkInterfaces()`). */
export interface NetworkInterface {
  /** Dotted-quad IPv4 address. */
  readonly address: string;
  /** Dotted-quad netmask, e.g. `255.255.255.0`. */
  readonly netmask: string;
  /** Broadcast address, when the interface has one. */
  readonly broadcast?: string | undefined;
}

/** Addresses never used as the LAN address (the original's blacklist). */
export const BLACKLISTED_LAN_IPS: readonly string[] = Object.freeze(['127.0.0.1', '0.0.0.0', '255.255.255.255']);

/** The RFC 1918 private ranges used in fallback mode: `[network, prefix length]`. */
export const RFC1918_RANGES: readonly (readonly [string, number])[] = Object.freeze([
  Object.freeze(['10.0.0.0', 8] as const),
  Object.freeze(['172.16.0.0', 12] as const),
  Object.freeze(['192.168.0.0', 16] as const),
]);

function prefixMask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function hostOf(address: Address | string): string {
  return typeof address === 'string' ? address : address.host;
}

/**
 * The fallback LAN test (the original's `address_is_lan_without_netifaces`): whether an IP is in an RFC 1918
 * private range (10/8, 172.16/12, 192.168/16).
 *
 * @param address an IP or address
 * @returns whether it is private; false for anything that is not IPv4
 * @example
 * ```ts
 * isRfc1918('172.31.255.255'); // true
 * isRfc1918('172.32.0.0'); // false
 * ```
 */
export function isRfc1918(address: Address | string): boolean {
  const ip = parseIPv4(hostOf(address));
  if (ip === undefined) return false;
  return RFC1918_RANGES.some(([network, bits]) => {
    const mask = prefixMask(bits);
    return ((ip & mask) >>> 0) === (((parseIPv4(network) ?? 0) & mask) >>> 0);
  });
}

/**
 * "Is this IP in my LAN" (spec §7.9): within the network (`address & netmask`) of any local interface; with no
 * interface list (fallback mode) an RFC 1918 address or equal to the fallback local IP.
 *
 * @param address the IP (or address) to test
 * @param interfaces the local interfaces; empty = fallback mode
 * @param fallbackIp in fallback mode, the local IP found by a UDP "connect" (also counts as LAN)
 * @returns membership; false for anything that is not IPv4
 * @example
 * ```ts
 * isInLan('192.168.1.7', [{ address: '192.168.1.2', netmask: '255.255.255.0' }]); // true
 * isInLan('10.1.2.3', []); // true (RFC 1918 fallback)
 * ```
 */
export function isInLan(address: Address | string, interfaces: readonly NetworkInterface[], fallbackIp?: string): boolean {
  const host = hostOf(address);
  const ip = parseIPv4(host);
  if (ip === undefined) return false;
  if (interfaces.length === 0) return isRfc1918(host) || (fallbackIp !== undefined && host === fallbackIp);
  return interfaces.some((iface) => {
    const local = parseIPv4(iface.address);
    const mask = parseIPv4(iface.netmask);
    if (local === undefined || mask === undefined) return false;
    return ((ip & mask) >>> 0) === ((local & mask) >>> 0);
  });
}

/**
 * Binds {@link isInLan} to an interface list.
 *
 * @param interfaces the local interfaces; empty = fallback mode
 * @param fallbackIp the fallback local IP
 * @returns a `(host) => boolean` LAN test
 * @example
 * ```ts
 * const inLan = createLanTest([], '192.0.2.10');
 * inLan('192.0.2.10'); // true
 * ```
 */
export function createLanTest(interfaces: readonly NetworkInterface[], fallbackIp?: string): (host: string) => boolean {
  const copy = interfaces.map((i) => ({ address: i.address, netmask: i.netmask }));
  return (host) => isInLan(host, copy, fallbackIp);
}

/**
 * Picks the LAN interface like the original: the first with a broadcast address and a non-blacklisted IP, else
 * the first non-blacklisted one.
 *
 * @param interfaces the local IPv4 interfaces
 * @returns the chosen interface, or undefined (then the caller falls back to a UDP "connect" probe)
 * @example
 * ```ts
 * chooseLanInterface([{ address: '127.0.0.1', netmask: '255.0.0.0' }, { address: '10.0.0.5', netmask: '255.0.0.0' }]);
 * // → the 10.0.0.5 interface
 * ```
 */
export function chooseLanInterface(interfaces: readonly NetworkInterface[]): NetworkInterface | undefined {
  const usable = interfaces.filter((i) => parseIPv4(i.address) !== undefined && !BLACKLISTED_LAN_IPS.includes(i.address));
  return usable.find((i) => i.broadcast !== undefined && i.broadcast !== '') ?? usable[0];
}

/** The result of {@link estimateAddresses}. */
export interface EstimatedAddresses {
  readonly lan: Address;
  readonly wan: Address;
}

/**
 * The original's `estimate_lan_and_wan_addresses` (spec §7.9): what a peer reports about itself is corrected by
 * the socket address its packet came from. When that address is in my LAN it is the peer's LAN address, else its
 * WAN address; the other one stays as reported (possibly `0.0.0.0:0`).
 *
 * @param sock the UDP source address of the packet
 * @param lan the LAN address the peer reported
 * @param wan the WAN address the peer reported
 * @param isInMyLan the LAN test (see {@link createLanTest})
 * @returns the estimated LAN and WAN addresses
 * @example
 * ```ts
 * estimateAddresses({ host: '192.168.1.9', port: 7 }, NO_ADDRESS, NO_ADDRESS, createLanTest([]));
 * // → { lan: 192.168.1.9:7, wan: 0.0.0.0:0 }
 * ```
 */
export function estimateAddresses(
  sock: Address,
  lan: Address,
  wan: Address,
  isInMyLan: (host: string) => boolean,
): EstimatedAddresses {
  return isInMyLan(sock.host) ? { lan: sock, wan } : { lan, wan: sock };
}
