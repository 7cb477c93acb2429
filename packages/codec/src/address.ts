/**
 * IPv4 socket addresses as Dispersy puts them on the wire (spec §2.1): 4 address bytes (inet_aton order) and a
 * big-endian uint16 port, 6 bytes in all; "no address" is `0.0.0.0:0`.
 */
import type { Codec } from './schema.ts';
import { assertInteger, assertObject, assertString } from './internal/assert.ts';

/** An IPv4 address and UDP port. `host` is dotted-quad text, e.g. `'127.0.0.1'`. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** `0.0.0.0:0`, the wire's "no address" (e.g. nobody introduced in an introduction-response). */
export const NO_ADDRESS: Address = Object.freeze({ host: '0.0.0.0', port: 0 });

/** Encoded size of an address. */
export const ADDRESS_SIZE = 6;

const QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Parses dotted-quad IPv4 text into its 4 bytes.
 * @param host e.g. `'10.0.0.1'`
 * @returns the 4 bytes in network order
 * @throws TypeError if not a string; RangeError if not a dotted quad of 0..255 parts
 * @example `ipv4Bytes('127.0.0.1') // Uint8Array [127, 0, 0, 1]`
 */
export function ipv4Bytes(host: string): Uint8Array {
  assertString(host, 'host');
  const m = QUAD.exec(host);
  if (m === null) throw new RangeError(`host must be a dotted-quad IPv4 address, got ${JSON.stringify(host)}`);
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = Number(m[i + 1]);
    if (part > 255) throw new RangeError(`host must be a dotted-quad IPv4 address, got ${JSON.stringify(host)}`);
    out[i] = part;
  }
  return out;
}

/**
 * Validates an address value.
 * @param value the value to check
 * @param name parameter name for messages
 * @throws TypeError / RangeError if it is not an {@link Address}
 */
export function assertAddress(value: unknown, name: string): asserts value is Address {
  assertObject(value, name);
  ipv4Bytes(value.host as string);
  assertInteger(value.port, `${name}.port`, 0, 0xffff);
}

/**
 * Formats an address as `host:port`.
 * @param address the address
 * @returns e.g. `'127.0.0.1:17001'`
 * @example `formatAddress({ host: '127.0.0.1', port: 1 }) // '127.0.0.1:1'`
 */
export function formatAddress(address: Address): string {
  assertAddress(address, 'address');
  return `${address.host}:${address.port}`;
}

/**
 * The 6-byte address codec (4-byte IPv4 + uint16 port).
 * @example `encodeValue(address, { host: '127.0.0.1', port: 17001 }) // 7f000001 4269`
 */
export const address: Codec<Address> = {
  name: 'address',
  size(value) {
    assertAddress(value, 'address');
    return ADDRESS_SIZE;
  },
  encode(w, value) {
    w.bytes(ipv4Bytes(value.host), 'address');
    w.u16(value.port, 'port');
  },
  decode(r) {
    r.need(ADDRESS_SIZE, 'address');
    const b = r.buffer;
    const p = r.pos;
    const host = `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
    r.pos = p + 4;
    return { host, port: r.u16('port') };
  },
};
