/** IPv4 addresses on the wire (spec §2.1): 4 bytes + uint16 port. */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { address, decodeValue, encodeValue, formatAddress, ipv4Bytes, NO_ADDRESS } from '../src/index.ts';
import { arbAddress } from './arbitraries.ts';
import { decodeError, hex } from './helpers.ts';

describe('address', () => {
  test('6 bytes: inet_aton order then the big-endian port', () => {
    expect(hex(encodeValue(address, { host: '127.0.0.1', port: 17001 }))).toBe('7f0000014269');
    expect(hex(encodeValue(address, NO_ADDRESS))).toBe('000000000000');
    expect(decodeValue(address, Uint8Array.of(10, 0, 0, 1, 0, 80))).toEqual({ host: '10.0.0.1', port: 80 });
    expect(formatAddress({ host: '1.2.3.4', port: 5 })).toBe('1.2.3.4:5');
  });

  test('5 bytes is TRUNCATED', () => {
    expect(decodeError(() => decodeValue(address, new Uint8Array(5))).code).toBe('TRUNCATED');
  });

  test.each(['1.2.3', '1.2.3.256', 'localhost', '::1', '1.2.3.4.5', ' 1.2.3.4'])('%j is not an IPv4 address', (host) => {
    expect(() => ipv4Bytes(host)).toThrow(RangeError);
  });

  test('wrong types and ports', () => {
    expect(() => encodeValue(address, { host: 1, port: 1 } as never)).toThrow(TypeError);
    expect(() => encodeValue(address, { host: '1.2.3.4', port: 65536 })).toThrow(RangeError);
    expect(() => encodeValue(address, { host: '1.2.3.4', port: '80' } as never)).toThrow(TypeError);
  });

  test.prop([arbAddress])('round-trips', (a) => {
    expect(decodeValue(address, encodeValue(address, a))).toEqual(a);
  });
});
