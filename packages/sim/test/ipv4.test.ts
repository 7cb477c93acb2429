/** IPv4 helpers and the address pools. */
import { describe, expect, test } from 'vitest';
import { fc, test as prop } from '@fast-check/vitest';
import { AddressPool, formatIPv4, isPrivateIPv4, parseIPv4 } from '../src/index.ts';

describe('ipv4', () => {
  test('parse and format', () => {
    expect(parseIPv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIPv4(0x14000001)).toBe('20.0.0.1');
    for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', ' 1.2.3.4', '1.2.3.4.5', 'a.b.c.d', '']) expect(parseIPv4(bad)).toBeUndefined();
    expect(() => formatIPv4(-1)).toThrow(RangeError);
    expect(() => formatIPv4(2 ** 32)).toThrow(RangeError);
  });

  test('private ranges (RFC 1918)', () => {
    expect(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1'].map(isPrivateIPv4)).toEqual([true, true, true, true]);
    expect(['172.15.0.1', '172.32.0.1', '20.0.0.1', '192.169.0.1', 'x'].map(isPrivateIPv4)).toEqual([false, false, false, false, false]);
  });

  prop.prop([fc.integer({ min: 0, max: 0xffffffff })])('format then parse round-trips', (v) => {
    expect(parseIPv4(formatIPv4(v))).toBe(v);
  });
});

describe('AddressPool', () => {
  test('hands out hosts in order, skipping .0, .255 and taken ones', () => {
    const pool = new AddressPool('192.168.1', 253);
    expect(pool.next()).toBe('192.168.1.253');
    expect(pool.next()).toBe('192.168.1.254');
    expect(pool.next()).toBeUndefined(); // .255 is not a host, and the /24 ends there
    const wide = new AddressPool('20', 254);
    expect([wide.next(), wide.next()]).toEqual(['20.0.0.254', '20.0.1.1']);
    const skipping = new AddressPool('10.0.0', 1);
    expect(skipping.next((h) => h === '10.0.0.1')).toBe('10.0.0.2');
    expect(() => new AddressPool('1.2.3.4')).toThrow(TypeError);
  });
});
