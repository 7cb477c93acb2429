import { describe, expect, it } from 'vitest';
import {
  BloomFilter,
  SYNC_FILTER_ERROR_RATE,
  WIRE_MAX_FILTER_BITS,
  createSyncFilter,
  emptySyncFilter,
  filterBitsForMtu,
  syncFilterBits,
  syncFilterParameters,
} from '../src/index.ts';
import { toHex } from './helpers.ts';

describe('the original sync-filter sizing (spec §8.2)', () => {
  it.each([
    // signature length, m, bytes, k, capacity
    [42, 10304, 1288, 7, 1075],
    [60, 10160, 1270, 7, 1059],
    [64, 10128, 1266, 7, 1056],
    [104, 9808, 1226, 7, 1023],
    [144, 9488, 1186, 7, 989],
  ])('signature length %i → m %i (%i bytes), k %i, capacity %i', (sig, bits, bytes, functions, capacity) => {
    expect(syncFilterBits(sig)).toBe(bits);
    expect(syncFilterParameters(sig)).toEqual({ bits, bytes, functions, capacity, errorRate: 0.01 });
    const filter = createSyncFilter(sig, new Uint8Array([0x42]));
    expect([filter.bits, filter.functions, filter.capacity, filter.errorRate]).toEqual([bits, functions, capacity, 0.01]);
    expect(filter.layout.algorithm).toBe('md5');
    expect(filter.toBytes()).toHaveLength(bytes);
  });

  it('uses error rate 0.01', () => {
    expect(SYNC_FILTER_ERROR_RATE).toBe(0.01);
  });

  it('the "nothing to sync" filter is m 8, k 6, byte 00, prefix 00', () => {
    const filter = emptySyncFilter();
    expect([filter.bits, filter.functions, toHex(filter.prefix), toHex(filter.toBytes())]).toEqual([8, 6, '00', '00']);
    expect(emptySyncFilter()).not.toBe(filter);
  });

  it('the worked example of spec §2.7: a low-curve request with the default filter is 1426 bytes', () => {
    // 23 header + 20 mid + 8 global time + 21 payload + 24 sync header + m/8 + 60 signature
    expect(23 + 20 + 8 + 21 + 24 + syncFilterBits(60) / 8 + 60).toBe(1426);
  });

  it('rejects signature lengths that leave no filter byte', () => {
    expect(syncFilterBits(1329)).toBe(8);
    expect(() => syncFilterBits(1330)).toThrow(RangeError);
    expect(() => syncFilterBits(-1)).toThrow(RangeError);
  });
});

describe('filterBitsForMtu', () => {
  it('counts the real 24-byte sync header: 6 bytes (48 bits) more than the original formula', () => {
    // v1 community: sha1 mid (20 bytes); curve25519 signature (64 bytes); original's 60-byte IP header
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64 })).toBe(syncFilterBits(64) + 48);
    for (const sig of [42, 60, 64, 104, 144]) {
      expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: sig })).toBe(syncFilterBits(sig) + 48);
    }
  });

  it('fills the MTU exactly', () => {
    const budget = { ipHeader: 20, authenticationLength: 2 + 74, signatureLength: 64 } as const;
    const bits = filterBitsForMtu(budget);
    // v2 community: bin key (2 + 74-byte LibNaCLPK key), IPv4 without options
    const datagram = 20 + 8 + 23 + 76 + 8 + 21 + 24 + bits / 8 + 64;
    expect(datagram).toBe(1500);
    expect(bits % 8).toBe(0);
  });

  it('honours every budget field', () => {
    const base = filterBitsForMtu({ authenticationLength: 20, signatureLength: 64 });
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, tunnel: true })).toBe(base - 32);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, resolutionLength: 1 })).toBe(base - 8);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, destinationLength: 1 })).toBe(base - 8);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, payloadLength: 42 })).toBe(base - 168);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, udpHeader: 0 })).toBe(base + 64);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, distributionLength: 12 })).toBe(base - 32);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, headerLength: 24 })).toBe(base - 8);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, syncHeaderLength: 30 })).toBe(base - 48);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, mtu: 1280 })).toBe(base - 220 * 8);
  });

  it('caps at the wire limit (uint16 size field) and at maxBits', () => {
    expect(filterBitsForMtu({ mtu: 8000, authenticationLength: 20, signatureLength: 64 })).toBe((8000 - 228) * 8);
    expect(filterBitsForMtu({ mtu: 9000, authenticationLength: 20, signatureLength: 64 })).toBe(WIRE_MAX_FILTER_BITS);
    expect(filterBitsForMtu({ mtu: 65_000, authenticationLength: 20, signatureLength: 64 })).toBe(WIRE_MAX_FILTER_BITS);
    expect(filterBitsForMtu({ authenticationLength: 20, signatureLength: 64, maxBits: 1003 })).toBe(1000);
  });

  it('the result builds a valid sync filter', () => {
    const bits = filterBitsForMtu({ authenticationLength: 20, signatureLength: 64 });
    const filter = BloomFilter.fromBits(bits, SYNC_FILTER_ERROR_RATE, new Uint8Array([1]));
    expect([filter.bits, filter.functions]).toEqual([10176, 7]);
  });

  it('rejects budgets with no room for a filter byte', () => {
    expect(() => filterBitsForMtu({ mtu: 200, authenticationLength: 20, signatureLength: 64 })).toThrow(RangeError);
    expect(() => filterBitsForMtu({ mtu: 1500, authenticationLength: 1500, signatureLength: 0 })).toThrow(RangeError);
  });
});
