import { NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { addressKey, freezeAddress, isValidAddress, isZeroAddress, parseIPv4, sameHost, sanitizeAddress } from '../src/index.ts';
import { addr } from './helpers.ts';

describe('parseIPv4', () => {
  it('parses dotted quads', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('10.0.0.1')).toBe(167772161);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
  });
  it('rejects everything else', () => {
    for (const bad of ['', '10.0.1', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', 'a.b.c.d', ' 1.2.3.4', '1.2.3.4 ', '0x1.2.3.4', '::1']) {
      expect(parseIPv4(bad), bad).toBeUndefined();
    }
  });
});

describe('isValidAddress (spec §7.1)', () => {
  it('accepts ordinary addresses, including .0 and .255 endings', () => {
    expect(isValidAddress(addr('1.2.3.4', 1))).toBe(true);
    expect(isValidAddress(addr('10.0.0.0', 65535))).toBe(true);
    expect(isValidAddress(addr('192.168.1.255', 6421))).toBe(true);
  });
  it('rejects 0.0.0.0, port 0, bad ports, non-IPv4 hosts and non-objects', () => {
    expect(isValidAddress(NO_ADDRESS)).toBe(false);
    expect(isValidAddress(addr('0.0.0.0', 1))).toBe(false);
    expect(isValidAddress(addr('1.2.3.4', 0))).toBe(false);
    expect(isValidAddress(addr('1.2.3.4', 65536))).toBe(false);
    expect(isValidAddress(addr('1.2.3.4', 1.5))).toBe(false);
    expect(isValidAddress(addr('', 1))).toBe(false);
    expect(isValidAddress(addr('localhost', 1))).toBe(false);
    expect(isValidAddress(undefined)).toBe(false);
    expect(isValidAddress(null)).toBe(false);
  });
});

describe('helpers', () => {
  it('isZeroAddress, sanitizeAddress, freezeAddress, sameHost, addressKey', () => {
    expect(isZeroAddress(NO_ADDRESS)).toBe(true);
    expect(isZeroAddress(addr('0.0.0.0', 1))).toBe(false);
    expect(sanitizeAddress(addr('1.2.3.4', 0))).toBe(NO_ADDRESS);
    expect(sanitizeAddress(undefined)).toBe(NO_ADDRESS);
    expect(sanitizeAddress({ host: '1.2.3.4', port: 5 })).toEqual({ host: '1.2.3.4', port: 5 });
    const extra = { host: '1.2.3.4', port: 5, junk: true };
    expect(Object.keys(freezeAddress(extra))).toEqual(['host', 'port']);
    expect(Object.isFrozen(freezeAddress({ host: '1.2.3.4', port: 5 }))).toBe(true);
    expect(sameHost(addr('1.1.1.1', 1), addr('1.1.1.1', 2))).toBe(true);
    expect(sameHost(addr('1.1.1.1', 1), addr('1.1.1.2', 1))).toBe(false);
    expect(addressKey(addr('1.1.1.1', 6421))).toBe('1.1.1.1:6421');
  });
});
