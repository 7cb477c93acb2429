/**
 * IPv4 socket-address helpers of the walker (spec §7.1 "Address validity"): validity, the `0.0.0.0:0` "no address",
 * same-host tests and the table key. Addresses are the shared {@link Address} `{ host, port }` of
 * `@dispersy/interfaces`; every address the walker stores is a frozen copy.
 */
import { formatAddress, NO_ADDRESS, type Address } from '@dispersy/interfaces';

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Parses a dotted-quad IPv4 address.
 *
 * @param host e.g. `'10.0.0.1'`
 * @returns the address as an unsigned 32-bit integer, or `undefined` when `host` is not a dotted quad with every
 *   octet in 0..255 (no leading `+`, no hex, no shortened forms)
 * @example
 * ```ts
 * parseIPv4('10.0.0.1'); // 167772161
 * parseIPv4('10.0.1'); // undefined
 * ```
 */
export function parseIPv4(host: string): number | undefined {
  const match = DOTTED_QUAD.exec(host);
  if (match === null) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/**
 * The original's `is_valid_address` (spec §7.1): host non-empty, not `0.0.0.0`, a parseable IPv4 address (`.0` and
 * `.255` endings are allowed), and a port in 1..65535.
 *
 * @param address any value
 * @returns whether it is a usable peer address
 * @example
 * ```ts
 * isValidAddress({ host: '1.2.3.4', port: 6421 }); // true
 * isValidAddress({ host: '0.0.0.0', port: 0 }); // false
 * ```
 */
export function isValidAddress(address: Address | undefined | null): address is Address {
  if (typeof address !== 'object' || address === null) return false;
  const { host, port } = address;
  if (typeof host !== 'string' || host === '' || host === '0.0.0.0') return false;
  if (!Number.isInteger(port) || port <= 0 || port > 0xffff) return false;
  return parseIPv4(host) !== undefined;
}

/**
 * Whether `address` is the "no address" `0.0.0.0:0` that payloads carry for "unknown".
 *
 * @param address an address
 * @returns true for exactly `0.0.0.0:0`
 * @example
 * ```ts
 * isZeroAddress(NO_ADDRESS); // true
 * ```
 */
export function isZeroAddress(address: Address): boolean {
  return address.host === '0.0.0.0' && address.port === 0;
}

/**
 * Network data is not trusted: a reported address is kept when valid and replaced by `0.0.0.0:0` ("unknown")
 * otherwise, so a malformed LAN/WAN field can never reach a candidate.
 *
 * @param address a reported address
 * @returns a frozen copy of `address` when valid, else {@link NO_ADDRESS}
 * @example
 * ```ts
 * sanitizeAddress({ host: '1.2.3.4', port: 0 }); // NO_ADDRESS
 * ```
 */
export function sanitizeAddress(address: Address | undefined | null): Address {
  return isValidAddress(address) ? freezeAddress(address) : NO_ADDRESS;
}

/**
 * A frozen `{ host, port }` copy (extra properties of the argument are dropped).
 *
 * @param address an address
 * @returns an immutable copy
 * @example
 * ```ts
 * const a = freezeAddress({ host: '1.2.3.4', port: 1 });
 * Object.isFrozen(a); // true
 * ```
 */
export function freezeAddress(address: Address): Address {
  if (Object.isFrozen(address) && Object.keys(address).length === 2) return address;
  return Object.freeze({ host: address.host, port: address.port });
}

/**
 * Whether two addresses have the same IP (the ports may differ).
 *
 * @param a an address
 * @param b another
 * @returns `a.host === b.host`
 * @example
 * ```ts
 * sameHost({ host: '1.1.1.1', port: 1 }, { host: '1.1.1.1', port: 2 }); // true
 * ```
 */
export function sameHost(a: Address, b: Address): boolean {
  return a.host === b.host;
}

/**
 * The key of an address in the candidate table and the vote maps.
 *
 * @param address an address
 * @returns `host:port`
 * @example
 * ```ts
 * addressKey({ host: '1.1.1.1', port: 6421 }); // '1.1.1.1:6421'
 * ```
 */
export function addressKey(address: Address): string {
  return formatAddress(address);
}
