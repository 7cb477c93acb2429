/** The 3G and WiFi presets: per-node draws within the stated ranges, and what a ping actually measures. */
import { describe, expect, test } from 'vitest';
import { createSeededRandom } from '@dispersy/interfaces';
import { LINK_PROFILES, PROFILE_3G, PROFILE_WIFI, SimNetwork, sampleLink, type LinkProfileName } from '../src/index.ts';

const MBIT = 125_000;

describe('sampleLink', () => {
  test('3G draws stay within the preset ranges', () => {
    const random = createSeededRandom(9);
    for (let i = 0; i < 500; i++) {
      const link = sampleLink('3G', random);
      expect(link.latency).toBeGreaterThanOrEqual(0.075);
      expect(link.latency).toBeLessThanOrEqual(0.125);
      expect(link.jitter).toBe(0.025);
      expect(link.loss).toBeGreaterThanOrEqual(0.01);
      expect(link.loss).toBeLessThanOrEqual(0.03);
      expect(link.upload).toBe(0.4 * MBIT);
      expect(link.download).toBeGreaterThanOrEqual(1 * MBIT);
      expect(link.download).toBeLessThanOrEqual(2 * MBIT);
      expect(link.mtu).toBe(1500);
    }
  });

  test('WiFi is 20 Mbit/s, 0.5 % loss, MTU 1500', () => {
    const link = sampleLink(PROFILE_WIFI, createSeededRandom(1));
    expect([link.upload, link.download, link.loss, link.mtu]).toEqual([20 * MBIT, 20 * MBIT, 0.005, 1500]);
  });

  test('draws replay from the seed', () => {
    expect(sampleLink('3G', createSeededRandom(5))).toEqual(sampleLink('3G', createSeededRandom(5)));
    expect(sampleLink('3G', createSeededRandom(5))).not.toEqual(sampleLink('3G', createSeededRandom(6)));
  });

  test('rejects unknown names and inverted ranges', () => {
    expect(() => sampleLink('5G' as LinkProfileName, createSeededRandom(1))).toThrow(RangeError);
    expect(() => sampleLink({ ...PROFILE_3G, latency: [0.2, 0.1] }, createSeededRandom(1))).toThrow(RangeError);
    expect(LINK_PROFILES['3G']).toBe(PROFILE_3G);
  });
});

describe('measured round trips to a zero-latency host', () => {
  test.each([
    ['3G', 0.15, 0.3],
    ['WiFi', 0.005, 0.02],
  ] as const)('%s: every RTT is within [%s, %s] s and the range is used', (profile, min, max) => {
    // Topology: MOBILE_i (profile) <-> SERVER (public, zero latency, unlimited); small pings, well below the rates
    const network = new SimNetwork({ seed: 21, start: 0 });
    const server = network.createEndpoint({ link: { latency: 0 } });
    server.onPacket((packet, { address }) => server.send(address, packet));
    const rtts: number[] = [];
    for (let n = 0; n < 50; n++) {
      const mobile = network.createEndpoint({ link: profile });
      const sentAt = new Map<number, number>();
      mobile.onPacket((packet) => rtts.push(network.now() - (sentAt.get(packet[0]!) ?? NaN)));
      for (let i = 0; i < 20; i++) {
        network.clock.schedule(i, () => {
          sentAt.set(i, network.now());
          mobile.send(server.address, Uint8Array.of(i));
        });
      }
    }
    network.deliverAll();
    expect(rtts.length).toBeGreaterThan(900); // a few lost
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(min - 1e-9);
    expect(Math.max(...rtts)).toBeLessThanOrEqual(max + 0.001); // + serialising 29 bytes on the 3G up- and downlink
    expect(Math.min(...rtts)).toBeLessThan(min + (max - min) * 0.15);
    expect(Math.max(...rtts)).toBeGreaterThan(max - (max - min) * 0.15);
  });

  test('a network default link can be a profile', () => {
    const network = new SimNetwork({ defaultLink: 'WiFi' });
    expect(network.createNode().link.mtu).toBe(1500);
    network.setNodeLink(network.nodes[0]!, { latency: 0.3 });
    expect(network.nodes[0]!.link.latency).toBe(0.3);
  });
});
