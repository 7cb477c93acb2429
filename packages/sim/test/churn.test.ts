/** Churn: exponential sessions and offline periods from the seed; offline nodes neither send nor receive. */
import { describe, expect, test } from 'vitest';
import { createSeededRandom } from '@dispersy/interfaces';
import { Churn, SimNetwork, VirtualClock, exponential, type SimNode } from '../src/index.ts';

describe('exponential', () => {
  test('mean within 5σ over 20,000 draws; never negative', () => {
    const random = createSeededRandom(2);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = exponential(random, 30);
      expect(x).toBeGreaterThanOrEqual(0);
      sum += x;
    }
    // sd of an exponential = its mean; of the sample mean: 30 / sqrt(n) ≈ 0.212
    expect(Math.abs(sum / n - 30)).toBeLessThan(5 * (30 / Math.sqrt(n)));
    expect(() => exponential(random, 0)).toThrow(RangeError);
  });
});

describe('Churn', () => {
  test('observed session and offline means match the configuration (5σ)', () => {
    // Topology: 200 public nodes, no traffic; sessions mean 30 s, offline mean 10 s, for 3,000 s
    const network = new SimNetwork({ seed: 8 });
    const nodes = Array.from({ length: 200 }, () => network.createNode());
    const churn = network.churn(nodes, { meanSession: 30, meanOffline: 10 });
    network.runFor(3000);
    churn.stop();
    const { sessions, meanSession, offPeriods, meanOffline } = churn.stats;
    expect(sessions).toBeGreaterThan(10_000);
    expect(Math.abs(meanSession - 30)).toBeLessThan(5 * (30 / Math.sqrt(sessions)));
    expect(Math.abs(meanOffline - 10)).toBeLessThan(5 * (10 / Math.sqrt(offPeriods)));
    // long-run online share 30 / 40 = 75 %
    expect(churn.onlineCount).toBeGreaterThan(120);
    expect(churn.onlineCount).toBeLessThan(180);
  });

  test('offline nodes drop what they send and what arrives; callbacks fire on every change', () => {
    // Topology: A <-> B (public); B churns
    const network = new SimNetwork({ seed: 3, start: 0 });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    let received = 0;
    b.onPacket(() => received++);
    a.onPacket(() => received++);
    const events: string[] = [];
    const churn = network.churn([b.node], {
      meanSession: 5,
      meanOffline: 5,
      initial: 'offline',
      onOnline: (n) => events.push(`on:${n.name}`),
      onOffline: (n) => events.push(`off:${n.name}`),
    });
    expect(events).toEqual(['off:node1']);
    expect(b.node.online).toBe(false);
    expect(churn.isOnline(0)).toBe(false);
    a.send(b.address, Uint8Array.of(1));
    b.send(a.address, Uint8Array.of(1));
    network.deliverAll({ until: 'no-datagrams' });
    expect(received).toBe(0);
    expect(network.stats.dropped.offline).toBe(2);
    expect(b.counters.packetsDropped).toBe(1); // the offline sender's endpoint refuses
    network.runUntil(() => b.node.online, { maxSeconds: 100 });
    expect(events).toEqual(['off:node1', 'on:node1']);
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll({ until: 'no-datagrams' });
    expect(received + network.stats.dropped.offline).toBe(3); // delivered unless it went offline within 20 ms
    churn.stop();
    churn.stop();
    const state = b.node.online;
    network.runFor(1000);
    expect(b.node.online).toBe(state); // stopped: no more transitions
    expect(network.clock.pending).toBe(0);
  });

  test('initial online state does not call onOnline for nodes that already are online; stationary mixes', () => {
    const clock = new VirtualClock();
    const online = new Map<number, boolean>();
    const calls: string[] = [];
    const setOnline = (n: number, on: boolean): boolean => {
      const changed = (online.get(n) ?? true) !== on;
      online.set(n, on);
      return changed;
    };
    const nodes = Array.from({ length: 1000 }, (_, i) => i);
    const c = new Churn({ clock, random: createSeededRandom(4), setOnline }, nodes, {
      meanSession: 30,
      meanOffline: 10,
      initial: 'stationary',
      onOnline: () => calls.push('on'),
      onOffline: () => calls.push('off'),
    });
    expect(calls.includes('on')).toBe(false);
    expect(calls.length).toBe(1000 - c.onlineCount);
    expect(c.onlineCount).toBeGreaterThan(700); // ≈ 750
    expect(c.onlineCount).toBeLessThan(800);
    expect(() => new Churn({ clock, random: createSeededRandom(1), setOnline }, nodes, { meanSession: 0, meanOffline: 1 })).toThrow(RangeError);
    expect(() => new Churn({ clock, random: createSeededRandom(1), setOnline }, nodes, { meanSession: 1, meanOffline: 1, initial: 'maybe' as never })).toThrow(RangeError);
    c.stop();
  });

  test('the same seed gives the same churn', () => {
    const run = (seed: number): string => {
      const network = new SimNetwork({ seed });
      const nodes: SimNode[] = Array.from({ length: 20 }, () => network.createNode());
      const log: string[] = [];
      network.onTrace((e) => log.push(JSON.stringify(e)));
      network.churn(nodes, { meanSession: 10, meanOffline: 10 });
      network.runFor(200);
      return log.join('\n');
    };
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });
});
