import { NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { chooseLanInterface, createLanTest, estimateAddresses, isInLan, isRfc1918 } from '../src/index.ts';
import { addr } from './helpers.ts';

describe('RFC 1918 fallback (test_address_in_lan_function)', () => {
  it('positive cases', () => {
    for (const ip of ['192.168.1.5', '10.42.42.42', '192.168.0.7', '172.31.255.255', '172.16.0.0', '10.0.0.0', '10.255.255.255']) {
      expect(isRfc1918(ip), ip).toBe(true);
    }
  });
  it('negative cases', () => {
    for (const ip of ['192.169.1.5', '11.42.42.42', '192.0.0.7', '172.32.0.0', '172.15.255.255', '123.123.123.123', '42.42.42.42', 'x', '']) {
      expect(isRfc1918(ip), ip).toBe(false);
    }
  });
  it('isInLan without interfaces uses the fallback rule, plus the fallback local IP', () => {
    expect(isInLan('172.31.255.255', [])).toBe(true);
    expect(isInLan('172.32.0.0', [])).toBe(false);
    expect(isInLan('192.0.2.10', [], '192.0.2.10')).toBe(true);
    expect(isInLan(addr('192.0.2.11', 1), [], '192.0.2.10')).toBe(false);
  });
});

describe('isInLan with interfaces', () => {
  const ifaces = [
    { address: '192.168.1.2', netmask: '255.255.255.0' },
    { address: '130.161.10.20', netmask: '255.255.0.0' },
  ];
  it('tests address & netmask against each interface network', () => {
    expect(isInLan('192.168.1.200', ifaces)).toBe(true);
    expect(isInLan('192.168.2.1', ifaces)).toBe(false);
    expect(isInLan('130.161.99.1', ifaces)).toBe(true);
    expect(isInLan('10.0.0.1', ifaces)).toBe(false); // RFC 1918 does not count when interfaces are known
    expect(isInLan('not-an-ip', ifaces)).toBe(false);
    expect(isInLan('1.2.3.4', [{ address: 'bad', netmask: '255.0.0.0' }])).toBe(false);
    expect(createLanTest(ifaces)('192.168.1.9')).toBe(true);
  });
});

describe('chooseLanInterface', () => {
  it('prefers an interface with a broadcast address, skipping the blacklist', () => {
    expect(
      chooseLanInterface([
        { address: '127.0.0.1', netmask: '255.0.0.0', broadcast: '127.255.255.255' },
        { address: '10.0.0.5', netmask: '255.0.0.0' },
        { address: '192.168.1.2', netmask: '255.255.255.0', broadcast: '192.168.1.255' },
      ])?.address,
    ).toBe('192.168.1.2');
    expect(chooseLanInterface([{ address: '0.0.0.0', netmask: '0.0.0.0' }, { address: '10.0.0.5', netmask: '255.0.0.0' }])?.address).toBe('10.0.0.5');
    expect(chooseLanInterface([{ address: '127.0.0.1', netmask: '255.0.0.0' }])).toBeUndefined();
  });
});

describe('estimateAddresses (test_estimate_addresses_within_LAN)', () => {
  const inLan = createLanTest([{ address: '192.168.1.2', netmask: '255.255.255.0' }]);
  it('a source inside my LAN is the LAN address; the WAN stays as reported (0.0.0.0:0)', () => {
    expect(estimateAddresses(addr('192.168.1.9', 7000), NO_ADDRESS, NO_ADDRESS, inLan)).toEqual({ lan: addr('192.168.1.9', 7000), wan: NO_ADDRESS });
  });
  it('a source outside my LAN is the WAN address; the LAN stays as reported', () => {
    expect(estimateAddresses(addr('5.6.7.8', 9), addr('10.0.0.3', 9), addr('5.6.7.8', 1), inLan)).toEqual({
      lan: addr('10.0.0.3', 9),
      wan: addr('5.6.7.8', 9),
    });
  });
});
