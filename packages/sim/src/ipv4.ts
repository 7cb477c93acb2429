/**
 * Dotted-quad IPv4 helpers and the simulator's address plan: public hosts and NAT routers get addresses from
 * `20.0.0.0/8` (outside every RFC 1918 range, so the walker's LAN test — spec §7.9 — classifies them as WAN), and each
 * NAT gets its own private LAN prefix, `10.a.b` by default. Several NATs may be given the same prefix (two homes both
 * on `192.168.1.x`): a LAN address only means something on its own NAT's side.
 */

/**
 * Parses a dotted-quad IPv4 address.
 * @param host e.g. `192.168.1.2`
 * @returns the address as an unsigned 32-bit integer, or undefined when malformed
 * @example `parseIPv4('10.0.0.1') // 167772161`
 */
export function parseIPv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/**
 * Formats an unsigned 32-bit integer as a dotted quad.
 * @param value 0 … 2^32 − 1
 * @returns e.g. `20.0.0.1`
 * @throws RangeError when out of range
 * @example `formatIPv4(0x14000001) // '20.0.0.1'`
 */
export function formatIPv4(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`value must be a 32-bit unsigned integer, got ${value}`);
  return `${Math.floor(value / 0x1000000)}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Whether an address is in an RFC 1918 private range (10/8, 172.16/12, 192.168/16).
 * @param host a dotted quad
 * @returns true when private
 * @example `isPrivateIPv4('192.168.1.2') // true`
 */
export function isPrivateIPv4(host: string): boolean {
  const v = parseIPv4(host);
  if (v === undefined) return false;
  const a = Math.floor(v / 0x1000000);
  const b = (v >>> 16) & 255;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * Throws unless `host` is a dotted-quad IPv4 address.
 * @param host the value
 * @param name the parameter name for the message
 * @throws TypeError when malformed
 */
export function assertIPv4(host: unknown, name: string): asserts host is string {
  if (typeof host !== 'string' || parseIPv4(host) === undefined) throw new TypeError(`${name} must be a dotted-quad IPv4 address, got ${String(host)}`);
}

/**
 * Validates a LAN prefix: one to three leading octets of private addresses, e.g. `10.0`, `192.168.1`.
 * @param prefix the prefix
 * @returns the number of octets it fixes
 * @throws TypeError when malformed; RangeError when not in an RFC 1918 range
 * @example `assertLanPrefix('192.168.1') // 3`
 */
export function assertLanPrefix(prefix: unknown): number {
  if (typeof prefix !== 'string') throw new TypeError(`lanPrefix must be a string, got ${typeof prefix}`);
  const octets = prefix.split('.').length;
  if (octets < 1 || octets > 3 || parseIPv4(prefix + '.0'.repeat(4 - octets)) === undefined) {
    throw new TypeError(`lanPrefix must be one to three dotted octets like '192.168.1', got '${prefix}'`);
  }
  if (!isPrivateIPv4(prefix + '.0'.repeat(4 - octets))) throw new RangeError(`lanPrefix must be private (RFC 1918), got '${prefix}'`);
  return octets;
}

/**
 * Hands out host addresses in order, never ending in `.0` or `.255` (hosts, not network/broadcast addresses).
 *
 * @example
 * ```ts
 * const pool = new AddressPool('192.168.1', 2); // 192.168.1.2, 192.168.1.3, …
 * pool.next();
 * ```
 */
export class AddressPool {
  readonly #base: number;
  readonly #size: number;
  #index: number;

  /**
   * @param prefix leading octets (1–3) fixed for the whole pool, e.g. `20` or `192.168.1`
   * @param first index of the first host within the prefix @default 1
   * @throws TypeError for a malformed prefix
   */
  constructor(prefix: string, first = 1) {
    const octets = prefix.split('.').length;
    const base = octets <= 3 ? parseIPv4(prefix + '.0'.repeat(4 - octets)) : undefined;
    if (base === undefined) throw new TypeError(`prefix must be one to three dotted octets, got '${prefix}'`);
    this.#base = base;
    this.#size = 2 ** (8 * (4 - octets));
    this.#index = first;
  }

  /**
   * The next free host address, skipping those `taken` reports as in use.
   * @param taken whether an address is already used (e.g. given explicitly)
   * @returns an address, or undefined when the pool is exhausted
   */
  next(taken: (host: string) => boolean = () => false): string | undefined {
    while (this.#index < this.#size) {
      const value = this.#base + this.#index++;
      const last = value & 255;
      if (last === 0 || last === 255) continue;
      const host = formatIPv4(value);
      if (!taken(host)) return host;
    }
    return undefined;
  }
}
