/** Link models: latency, jitter, loss, bandwidth serialisation, MTU and per-pair overrides, all from the seed. */
import { describe, expect, test } from 'vitest';
import { DEFAULT_LINK, IP_UDP_HEADER_BYTES, LinkTable, SimNetwork, checkOverride, resolveLink, type SimEndpoint } from '../src/index.ts';

function setup(init: ConstructorParameters<typeof SimNetwork>[0] = {}) {
  const network = new SimNetwork({ start: 0, ...init });
  /** Records (virtual time, first byte) of every packet an endpoint receives. */
  const arrivals = (endpoint: SimEndpoint): { t: number; id: number }[] => {
    const log: { t: number; id: number }[] = [];
    endpoint.onPacket((packet) => log.push({ t: network.now(), id: packet[0] ?? -1 }));
    return log;
  };
  return { network, arrivals };
}

describe('latency and jitter', () => {
  test('one-way delay is the sum of both access links (default 10 ms each)', () => {
    // Topology: A (public) -> B (public)
    const { network, arrivals } = setup();
    const a = network.createEndpoint();
    const b = network.createEndpoint({ link: { latency: 0.05 } });
    const log = arrivals(b);
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(log).toHaveLength(1);
    expect(log[0]!.t).toBeCloseTo(0.06, 12);
  });

  test('jitter adds U(0, jitter) per link, reorders, and replays from the seed', () => {
    // Topology: A -> B, both with latency 10 ms and jitter 20 ms
    const run = (seed: number): { t: number; id: number }[] => {
      const { network, arrivals } = setup({ seed, defaultLink: { latency: 0.01, jitter: 0.02 } });
      const a = network.createEndpoint();
      const b = network.createEndpoint();
      const log = arrivals(b);
      for (let i = 0; i < 2000; i++) a.send(b.address, Uint8Array.of(i & 255));
      network.deliverAll();
      return log;
    };
    const log = run(11);
    expect(log).toHaveLength(2000);
    const delays = log.map((x) => x.t);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0.02);
    expect(Math.max(...delays)).toBeLessThan(0.06);
    const mean = delays.reduce((s, d) => s + d, 0) / delays.length;
    // Sum of two U(0, 0.02): mean 0.02, sd 0.02/sqrt(6) ≈ 0.00816; 5σ of the mean over 2000 samples ≈ 0.00091.
    expect(Math.abs(mean - 0.04)).toBeLessThan(0.00091);
    expect(log.map((x) => x.id)).not.toEqual(log.map((_, i) => i & 255)); // reordered
    expect(run(11)).toEqual(log);
    expect(run(12)).not.toEqual(log);
  });
});

describe('loss', () => {
  test('10,000 datagrams at 5 % loss: drops within binomial 5σ', () => {
    // Topology: A (loss 5 %) -> B (lossless)
    const { network, arrivals } = setup({ seed: 3 });
    const a = network.createEndpoint({ link: { loss: 0.05 } });
    const b = network.createEndpoint();
    const log = arrivals(b);
    for (let i = 0; i < 10_000; i++) a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    const n = 10_000;
    const p = 0.05;
    const sigma = Math.sqrt(n * p * (1 - p)); // ≈ 21.8
    const lost = network.stats.dropped.loss;
    expect(Math.abs(lost - n * p)).toBeLessThan(5 * sigma);
    expect(log.length + lost).toBe(n);
    expect(a.counters.packetsSent).toBe(n); // the endpoint handed all of them over, like UDP
  });

  test('loss combines independently over both links', () => {
    // Topology: A (loss 10 %) -> B (loss 20 %): 1 − 0.9 × 0.8 = 28 %
    const { network } = setup({ seed: 4 });
    const a = network.createEndpoint({ link: { loss: 0.1 } });
    const b = network.createEndpoint({ link: { loss: 0.2 } });
    b.onPacket(() => {});
    const n = 20_000;
    for (let i = 0; i < n; i++) a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    const sigma = Math.sqrt(n * 0.28 * 0.72);
    expect(Math.abs(network.stats.dropped.loss - n * 0.28)).toBeLessThan(5 * sigma);
  });
});

describe('bandwidth', () => {
  test('upload serialisation queues datagrams per sender', () => {
    // Topology: A (upload 100,000 B/s) -> B; ten 1,000-byte IP datagrams at t = 0
    const { network, arrivals } = setup();
    const a = network.createEndpoint({ link: { upload: 100_000 } });
    const b = network.createEndpoint();
    const log = arrivals(b);
    const payload = new Uint8Array(1000 - IP_UDP_HEADER_BYTES);
    for (let i = 0; i < 10; i++) {
      payload[0] = i;
      a.send(b.address, payload);
    }
    network.deliverAll();
    // Each takes 10 ms on the uplink; then 20 ms of latency.
    log.forEach((x, i) => expect(x.t).toBeCloseTo(0.01 * (i + 1) + 0.02, 9));
    expect(log.map((x) => x.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // An idle uplink starts fresh.
    const t0 = network.now();
    network.clock.schedule(10, () => a.send(b.address, payload));
    network.deliverAll();
    expect(log[10]!.t - t0).toBeCloseTo(10 + 0.01 + 0.02, 9);
  });

  test('download serialisation queues in arrival order at the receiver', () => {
    // Topology: SLOW (latency 100 ms) -> R <- FAST (latency 0); R downloads 10,000 B/s
    const { network, arrivals } = setup();
    const slow = network.createEndpoint({ link: { latency: 0.1 } });
    const fast = network.createEndpoint({ link: { latency: 0 } });
    const r = network.createEndpoint({ link: { latency: 0, download: 10_000 } });
    const log = arrivals(r);
    const payload = new Uint8Array(100 - IP_UDP_HEADER_BYTES); // 10 ms on R's downlink
    payload[0] = 1;
    slow.send(r.address, payload);
    network.clock.schedule(0.05, () => {
      payload[0] = 2;
      fast.send(r.address, payload);
      payload[0] = 3;
      fast.send(r.address, payload);
    });
    network.deliverAll();
    expect(log.map((x) => x.id)).toEqual([2, 3, 1]);
    expect(log[0]!.t).toBeCloseTo(0.06, 9);
    expect(log[1]!.t).toBeCloseTo(0.07, 9);
    expect(log[2]!.t).toBeCloseTo(0.11, 9);
  });
});

describe('MTU', () => {
  test('datagrams larger than the path MTU (payload + 28) are dropped and counted', () => {
    // Topology: A (MTU 1500) -> B
    const { network, arrivals } = setup();
    const a = network.createEndpoint({ link: { mtu: 1500 } });
    const b = network.createEndpoint();
    const log = arrivals(b);
    a.send(b.address, new Uint8Array(1472)); // 1500 on the wire: fits
    a.send(b.address, new Uint8Array(1473)); // too big
    a.send(b.address, new Uint8Array(1468), true); // 1472 + prefix: fits
    a.send(b.address, new Uint8Array(1469), true); // too big with the prefix
    network.deliverAll();
    expect(log).toHaveLength(2);
    expect(network.stats.dropped.mtu).toBe(2);
    b.send(a.address, new Uint8Array(1473)); // the smaller MTU of the path counts in both directions
    network.deliverAll();
    expect(network.stats.dropped.mtu).toBe(3);
  });
});

describe('per-pair overrides', () => {
  test('setLink replaces latency, loss, MTU and bandwidth between two nodes; clearLink restores', () => {
    // Topology: A -> B (overridden), A -> C (default)
    const { network, arrivals } = setup();
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    const c = network.createEndpoint();
    const logB = arrivals(b);
    const logC = arrivals(c);
    network.setLink(a.node, b.node, { latency: 0.5 });
    a.send(b.address, Uint8Array.of(1));
    a.send(c.address, Uint8Array.of(1));
    network.deliverAll();
    expect(logB[0]!.t).toBeCloseTo(0.5, 12);
    expect(logC[0]!.t).toBeCloseTo(0.02, 12);
    const t0 = network.now();
    b.send(a.address, Uint8Array.of(1)); // bidirectional by default
    const logA = arrivals(a);
    network.deliverAll();
    expect(logA[0]!.t - t0).toBeCloseTo(0.5, 12);
    network.setLink(a.node, b.node, { loss: 1 }, { bidirectional: false });
    a.send(b.address, Uint8Array.of(1));
    b.send(a.address, Uint8Array.of(1)); // the reverse keeps latency 0.5 and no loss
    network.deliverAll();
    expect(network.stats.dropped.loss).toBe(1);
    network.setLink(a.node, b.node, { mtu: 100, bandwidth: 1000 });
    a.send(b.address, new Uint8Array(73));
    const t1 = network.now();
    a.send(b.address, new Uint8Array(72)); // 100 bytes at 1000 B/s: 0.1 s + default latency 20 ms
    network.deliverAll();
    expect(network.stats.dropped.mtu).toBe(1);
    expect(logB.at(-1)!.t - t1).toBeCloseTo(0.12, 9);
    network.clearLink(a.node, b.node);
    const t2 = network.now();
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(logB.at(-1)!.t - t2).toBeCloseTo(0.02, 12);
  });

  test('LinkTable keys directions by node id', () => {
    const table = new LinkTable();
    table.set(1, 2, { latency: 0.3 });
    expect(table.get(1, 2)?.latency).toBe(0.3);
    expect(table.get(2, 1)).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.delete(1, 2)).toBe(true);
    expect(table.get(1, 2)).toBeUndefined();
  });
});

describe('validation', () => {
  test('resolveLink completes from the default and rejects nonsense', () => {
    expect(resolveLink({ loss: 0.05 })).toEqual({ ...DEFAULT_LINK, loss: 0.05 });
    expect(Object.isFrozen(resolveLink())).toBe(true);
    expect(() => resolveLink({ latency: -1 })).toThrow(RangeError);
    expect(() => resolveLink({ latency: Infinity })).toThrow(RangeError);
    expect(() => resolveLink({ jitter: NaN })).toThrow(RangeError);
    expect(() => resolveLink({ loss: 1.5 })).toThrow(RangeError);
    expect(() => resolveLink({ upload: 0 })).toThrow(RangeError);
    expect(() => resolveLink({ download: -5 })).toThrow(RangeError);
    expect(() => resolveLink({ mtu: 28 })).toThrow(RangeError);
    expect(() => checkOverride({ loss: -0.1 })).toThrow(RangeError);
    expect(() => checkOverride({ bandwidth: 0 })).toThrow(RangeError);
    expect(checkOverride({ latency: 0.1, jitter: undefined })).toEqual({ latency: 0.1 });
    const network = new SimNetwork();
    expect(() => network.createNode({ link: { loss: 2 } })).toThrow(RangeError);
  });
});
