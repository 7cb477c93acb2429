/** Datagram framing (spec §2.1): the tunnel prefix helpers and the 23-byte header. */
import { describe, expect, test } from 'vitest';
import {
  addTunnelPrefix,
  communityPrefix,
  DecodeError,
  hasTunnelPrefix,
  HEADER_LENGTH,
  MAX_DATAGRAM_SIZE,
  PREFIX_LENGTH,
  readHeader,
  stripTunnelPrefix,
  TUNNEL_PREFIX,
} from '../src/index.ts';
import { hex, loadVectors } from './helpers.ts';

const packet = loadVectors()[0]!.packet;

describe('tunnel prefix', () => {
  test('add then strip gives the packet back and reports the tunnel', () => {
    const datagram = addTunnelPrefix(packet);
    expect(hex(datagram.subarray(0, 4))).toBe('ffffffff');
    expect(hasTunnelPrefix(datagram)).toBe(true);
    const { packet: inner, tunnel } = stripTunnelPrefix(datagram);
    expect(tunnel).toBe(true);
    expect(inner).toEqual(packet);
    expect(inner.buffer).toBe(datagram.buffer); // a view, not a copy
  });

  test('a packet without the prefix is returned as is', () => {
    const { packet: same, tunnel } = stripTunnelPrefix(packet);
    expect(tunnel).toBe(false);
    expect(same).toBe(packet);
    expect(hasTunnelPrefix(Uint8Array.of(255, 255, 255))).toBe(false);
    expect(hasTunnelPrefix(Uint8Array.of(255, 255, 255, 254))).toBe(false);
  });

  test('constants', () => {
    expect([...TUNNEL_PREFIX]).toEqual([255, 255, 255, 255]);
    expect([PREFIX_LENGTH, HEADER_LENGTH, MAX_DATAGRAM_SIZE]).toEqual([22, 23, 65_476]);
  });
});

describe('header', () => {
  test('readHeader reads the four fields without checking them', () => {
    const h = readHeader(packet);
    expect(h.dispersyVersion).toBe(0);
    expect(h.communityVersion).toBe(1);
    expect(hex(h.cid)).toBe('bab0f165522337e56540571d129c3d208149bd60');
    expect(h.messageId).toBe(packet[22]);
  });

  test('readHeader of fewer than 23 bytes is TRUNCATED', () => {
    expect(() => readHeader(packet.subarray(0, 22))).toThrow(DecodeError);
  });

  test('communityPrefix is 0x00 ‖ version ‖ cid', () => {
    expect(hex(communityPrefix(new Uint8Array(20).fill(0xab), 2))).toBe(`0002${'ab'.repeat(20)}`);
    expect(() => communityPrefix(new Uint8Array(20), 255)).toThrow(RangeError);
    expect(() => communityPrefix(new Uint8Array(21), 1)).toThrow(RangeError);
  });
});
