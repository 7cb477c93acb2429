/**
 * LAN address detection for an endpoint bound to the wildcard address (spec §7.9): the first interface with a
 * broadcast address and a non-blacklisted IPv4 address, else the first non-blacklisted one. Unlike the original,
 * an endpoint bound to a specific address (127.0.0.1 included) uses that address — the original blacklisted
 * 127.0.0.1 and so advertised an address nobody listened on when run on loopback.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** Addresses never chosen as the LAN address of a wildcard-bound endpoint. */
export const BLACKLISTED_ADDRESSES: readonly string[] = ['127.0.0.1', '0.0.0.0', '255.255.255.255'];

/** Lists interfaces like `os.networkInterfaces()`. */
export type NetworkInterfaceLister = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * The IPv4 interfaces of this machine as (address, netmask) pairs, loopback included.
 * @param list the interface lister
 * @returns every IPv4 interface
 */
export function ipv4Interfaces(list: NetworkInterfaceLister = networkInterfaces): { address: string; netmask: string }[] {
  const out: { address: string; netmask: string }[] = [];
  for (const infos of Object.values(list())) {
    for (const info of infos ?? []) if (info.family === 'IPv4') out.push({ address: info.address, netmask: info.netmask });
  }
  return out;
}

/**
 * Picks the LAN address of a wildcard-bound endpoint: the first IPv4 interface that has a broadcast address (a
 * netmask narrower than /32) and is not blacklisted, else the first non-blacklisted one, else 127.0.0.1.
 * @param list the interface lister
 * @returns a dotted-quad address
 * @example `detectLanAddress() // e.g. '192.168.1.20'`
 */
export function detectLanAddress(list: NetworkInterfaceLister = networkInterfaces): string {
  const candidates = ipv4Interfaces(list).filter((i) => !BLACKLISTED_ADDRESSES.includes(i.address));
  const withBroadcast = candidates.find((i) => i.netmask !== '255.255.255.255');
  return (withBroadcast ?? candidates[0])?.address ?? '127.0.0.1';
}
