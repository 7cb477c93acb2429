/** SimNetwork: determinism, the address plan, run methods, statistics, fragile mode. */
import { describe, expect, test } from 'vitest';
import { SimError, SimNetwork, type NatType, type TraceEntry } from '../src/index.ts';

/**
 * A small busy scenario for the determinism tests.
 * Topology: 6 public + 6 NATed nodes (one NAT each, mixed types) on jittery, lossy 3G/WiFi links, plus churn;
 * every node pings two random peers (their public addresses or their observed ones) every 1 s for 60 s,
 * and echoes what it receives.
 */
function scenario(seed: number): string[] {
  const network = new SimNetwork({ seed, defaultLink: '3G' });
  const types: NatType[] = ['full-cone', 'address-restricted', 'port-restricted', 'symmetric', 'full-cone', 'symmetric'];
  const publics = Array.from({ length: 6 }, (_, i) => network.createEndpoint({ link: i % 2 === 0 ? 'WiFi' : '3G' }));
  const natted = types.map((type) => network.createEndpoint({ nat: network.createNat({ type }) }));
  const all = [...publics, ...natted];
  const trace: string[] = [];
  network.onTrace((e: TraceEntry) => trace.push(JSON.stringify(e)));
  for (const endpoint of all) {
    const random = network.random();
    endpoint.onPacket((packet, { address }) => {
      if (packet[0] === 1) endpoint.send(address, Uint8Array.of(2));
    });
    for (let i = 0; i < 60; i++) {
      network.clock.schedule(i + random.next(), () => {
        for (let k = 0; k < 2; k++) {
          const peer = all[random.int(all.length)]!;
          if (peer !== endpoint) endpoint.send(publics.includes(peer) ? peer.address : network.observedAddress(peer, endpoint.address) ?? peer.address, Uint8Array.of(1), random.next() < 0.3);
        }
      });
    }
  }
  network.churn(natted.map((e) => e.node), { meanSession: 20, meanOffline: 5 });
  network.runFor(70);
  trace.push(JSON.stringify(network.stats));
  return trace;
}

describe('determinism', () => {
  test('the same seed gives an identical event trace; another seed differs', () => {
    const a = scenario(1234);
    const b = scenario(1234);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(scenario(1235)).not.toEqual(a);
  });

  test('random() hands out independent, replayable sources', () => {
    const draw = (seed: number): number[] => {
      const network = new SimNetwork({ seed });
      const r1 = network.random();
      const r2 = network.random();
      return [r1.next(), r1.next(), r2.next()];
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
    const [x, , z] = draw(5);
    expect(x).not.toBe(z);
  });

  test('the seed must be an integer', () => {
    expect(() => new SimNetwork({ seed: 1.5 })).toThrow(TypeError);
  });
});

describe('running', () => {
  test('deliverAll with a periodic timer: EVENT_LIMIT / TIME_LIMIT; until no-datagrams works', () => {
    // Topology: A -> B (public); A also has a 5 s periodic "walker" timer
    const network = new SimNetwork({ start: 0 });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    let got = 0;
    b.onPacket(() => got++);
    const step = (): void => void network.clock.schedule(5, step);
    step();
    a.send(b.address, Uint8Array.of(1));
    expect(network.deliverAll({ until: 'no-datagrams' })).toBe(1);
    expect(got).toBe(1);
    expect(network.now()).toBeCloseTo(0.02, 12);
    expect(() => network.deliverAll({ maxSeconds: 60 })).toThrow(SimError);
    expect(() => network.deliverAll({ maxEvents: 3 })).toThrow(/maxEvents/);
  });

  test('runUntil and runFor drive the clock', () => {
    const network = new SimNetwork({ start: 0 });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    let got = 0;
    b.onPacket(() => got++);
    for (let i = 1; i <= 5; i++) network.clock.schedule(i, () => a.send(b.address, Uint8Array.of(i)));
    expect(network.runUntil(() => got === 3, { maxSeconds: 10 })).toBe(true);
    expect(network.now()).toBeCloseTo(3.02, 12);
    network.runFor(10);
    expect(got).toBe(5);
    expect(network.now()).toBeCloseTo(13.02, 12);
  });
});

describe('statistics', () => {
  test('sent = delivered + dropped + in flight; per-node bytes; resetStats keeps the invariant', () => {
    // Topology: A (loss 30 %) -> B
    const network = new SimNetwork({ seed: 2, start: 0 });
    const a = network.createEndpoint({ link: { loss: 0.3 } });
    const b = network.createEndpoint();
    b.onPacket(() => {});
    for (let i = 0; i < 100; i++) a.send(b.address, new Uint8Array(10));
    let s = network.stats;
    expect(s.sent).toBe(100);
    expect(s.delivered + s.droppedTotal + s.inFlight).toBe(100);
    expect(s.inFlight).toBeGreaterThan(0);
    network.resetStats();
    s = network.stats;
    expect(s.sent).toBe(s.inFlight);
    network.deliverAll();
    s = network.stats;
    expect(s.inFlight).toBe(0);
    expect(s.sent).toBe(s.delivered + s.droppedTotal);
    expect(a.node.stats).toMatchObject({ sent: 100, bytesSent: 1000 });
    expect(a.node.stats.dropped).toBe(100 - b.node.stats.received);
    expect(b.node.stats.bytesReceived).toBe(10 * b.node.stats.received);
  });
});

describe('fragile mode', () => {
  test('a handler exception ends the run by default', () => {
    const network = new SimNetwork();
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    b.onPacket(() => {
      throw new Error('handler bug');
    });
    a.send(b.address, Uint8Array.of(1));
    expect(() => network.deliverAll()).toThrow('handler bug');
  });

  test('onHandlerError collects them instead', () => {
    const errors: unknown[] = [];
    const network = new SimNetwork({ onHandlerError: (error) => errors.push(error) });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    b.onPacket(() => {
      throw new Error('handler bug');
    });
    a.send(b.address, Uint8Array.of(1));
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(errors).toHaveLength(2);
    expect(network.stats.delivered).toBe(2);
  });
});

describe('trace', () => {
  test('lists sends, deliveries and drops; unsubscribe stops it', () => {
    const network = new SimNetwork({ start: 0 });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    b.onPacket(() => {});
    const log: TraceEntry[] = [];
    const off = network.onTrace((e) => log.push(e));
    a.send(b.address, Uint8Array.of(1, 2));
    a.send({ host: '20.5.5.5', port: 1 }, Uint8Array.of(1));
    network.setOnline(b.node, false);
    network.setOnline(b.node, true);
    network.deliverAll();
    expect(log.map((e) => e.type)).toEqual(['send', 'send', 'drop', 'offline', 'online', 'deliver']);
    expect(log[2]).toMatchObject({ type: 'drop', reason: 'no_route', from: '20.0.0.1:6421', to: '20.5.5.5:1' });
    expect(log[5]).toMatchObject({ type: 'deliver', from: '20.0.0.1:6421', to: '20.0.0.2:6421', size: 2, time: 0.02 });
    off();
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(log).toHaveLength(6);
  });
});
