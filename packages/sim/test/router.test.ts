/** The datagram path: realms (Internet, LANs), source rewriting, hairpinning, arrival-time filtering, drops. */
import { describe, expect, test } from 'vitest';
import type { Address } from '@dispersy/interfaces';
import { SimNetwork, type SimEndpoint } from '../src/index.ts';

function listen(endpoint: SimEndpoint, network: SimNetwork): { from: Address; t: number }[] {
  const log: { from: Address; t: number }[] = [];
  endpoint.onPacket((_p, { address }) => log.push({ from: address, t: network.now() }));
  return log;
}

describe('source rewriting', () => {
  test('receivers see the NAT’s external address (what the walker’s WAN vote observes)', () => {
    // Topology: A (10.0.1.2, full-cone NAT 20.0.0.2) -> P (public 20.0.0.1)
    const network = new SimNetwork({ start: 0 });
    const p = network.createEndpoint();
    const nat = network.createNat({ type: 'full-cone' });
    const a = network.createEndpoint({ nat });
    const seen = listen(p, network);
    a.send(p.address, Uint8Array.of(1));
    network.deliverAll();
    expect(seen[0]!.from).toEqual({ host: nat.host, port: 6421 });
    expect(network.observedAddress(a, p.address)).toEqual(seen[0]!.from);
    expect(network.observedAddress(p, a.address)).toBe(p.address);
  });

  test('a symmetric NAT shows each destination a different port', () => {
    // Topology: A (symmetric NAT) -> P1, P2 (public)
    const network = new SimNetwork();
    const p1 = network.createEndpoint();
    const p2 = network.createEndpoint();
    const a = network.createEndpoint({ nat: network.createNat({ type: 'symmetric' }) });
    const s1 = listen(p1, network);
    const s2 = listen(p2, network);
    a.send(p1.address, Uint8Array.of(1));
    a.send(p2.address, Uint8Array.of(1));
    network.deliverAll();
    expect(s1[0]!.from.host).toBe(s2[0]!.from.host);
    expect(s1[0]!.from.port).not.toBe(s2[0]!.from.port);
  });
});

describe('shared LAN', () => {
  test('hosts behind one NAT reach each other directly by LAN address, with LAN latency', () => {
    // Topology: A, B on LAN 10.0.1.x behind one port-restricted NAT
    const network = new SimNetwork({ start: 0 });
    const nat = network.createNat({ type: 'port-restricted', lanLatency: 0.001 });
    const a = network.createEndpoint({ nat });
    const b = network.createEndpoint({ nat });
    const seen = listen(b, network);
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(seen).toEqual([{ from: a.address, t: 0.001 }]); // the LAN address, no NAT involved
    expect(nat.mappings(network.now())).toHaveLength(0);
  });

  test('LAN addresses are private to their NAT: unreachable from outside and from other LANs', () => {
    // Topology: P (public); A on NAT1 (10.0.1.x); C on NAT2 (10.0.2.x)
    const network = new SimNetwork();
    const p = network.createEndpoint();
    const a = network.createEndpoint({ nat: network.createNat({ type: 'full-cone' }) });
    const c = network.createEndpoint({ nat: network.createNat({ type: 'full-cone' }) });
    listen(a, network);
    p.send(a.address, Uint8Array.of(1));
    c.send(a.address, Uint8Array.of(1));
    a.send({ host: '10.0.1.99', port: 6421 }, Uint8Array.of(1)); // own prefix, nobody there
    network.deliverAll();
    expect(network.stats.dropped.no_route).toBe(3);
  });

  test('two homes can use the same LAN prefix without seeing each other', () => {
    // Topology: A on NAT1 192.168.1.2, B on NAT2 192.168.1.2 (same LAN address), P public
    const network = new SimNetwork();
    const nat1 = network.createNat({ type: 'full-cone', lanPrefix: '192.168.1' });
    const nat2 = network.createNat({ type: 'full-cone', lanPrefix: '192.168.1' });
    const a = network.createEndpoint({ nat: nat1 });
    const b = network.createEndpoint({ nat: nat2 });
    const twin = network.createEndpoint({ nat: nat1 }); // 192.168.1.3 on NAT1
    expect(a.address).toEqual(b.address);
    const atA = listen(a, network);
    const atB = listen(b, network);
    twin.send(a.address, Uint8Array.of(1)); // stays on NAT1's LAN
    network.deliverAll();
    expect([atA.length, atB.length]).toEqual([1, 0]);
  });
});

describe('hairpinning', () => {
  test('off (the default): sending to your own NAT’s public address is dropped', () => {
    // Topology: A, B behind one full-cone NAT; B has a mapping (it talked to P)
    const network = new SimNetwork();
    const p = network.createEndpoint();
    const nat = network.createNat({ type: 'full-cone' });
    const a = network.createEndpoint({ nat });
    const b = network.createEndpoint({ nat });
    const atB = listen(b, network);
    b.send(p.address, Uint8Array.of(1));
    network.deliverAll();
    const external = network.observedAddress(b, p.address)!;
    a.send(external, Uint8Array.of(1));
    network.deliverAll();
    expect(atB).toHaveLength(0);
    expect(network.stats.dropped.hairpin).toBe(1);
    a.send(b.address, Uint8Array.of(1)); // the LAN address works
    network.deliverAll();
    expect(atB).toHaveLength(1);
  });

  test('on: the datagram loops through the NAT and arrives from the sender’s external address', () => {
    const network = new SimNetwork({ start: 0 });
    const p = network.createEndpoint();
    const nat = network.createNat({ type: 'full-cone', hairpinning: true });
    const a = network.createEndpoint({ nat });
    const b = network.createEndpoint({ nat });
    const atB = listen(b, network);
    b.send(p.address, Uint8Array.of(1));
    network.deliverAll();
    const t0 = network.now();
    a.send(network.observedAddress(b, p.address)!, Uint8Array.of(1));
    network.deliverAll();
    expect(atB).toHaveLength(1);
    expect(atB[0]!.from.host).toBe(nat.host);
    expect(atB[0]!.from.port).toBe(network.observedAddress(a, network.observedAddress(b, p.address)!)!.port);
    expect(atB[0]!.t - t0).toBeCloseTo(2 * nat.lanLatency, 12);
  });
});

describe('filtering is evaluated on arrival', () => {
  test('simultaneous open: a hole punched while the datagram is in flight lets it in', () => {
    // Topology: A (port-restricted NAT, latency 100 ms) and B (port-restricted NAT, latency 10 ms), P public
    const network = new SimNetwork({ start: 0 });
    const p = network.createEndpoint({ link: { latency: 0 } });
    const a = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }), link: { latency: 0.1 } });
    const b = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }), link: { latency: 0.01 } });
    a.send(p.address, Uint8Array.of(0));
    b.send(p.address, Uint8Array.of(0));
    network.deliverAll();
    const eA = network.observedAddress(a, p.address)!;
    const eB = network.observedAddress(b, p.address)!;
    const atA = listen(a, network);
    const atB = listen(b, network);
    a.send(eB, Uint8Array.of(1)); // arrives at B's NAT after 110 ms
    network.clock.schedule(0.05, () => b.send(eA, Uint8Array.of(1))); // B opens its NAT 50 ms later: in time
    network.deliverAll();
    expect([atA.length, atB.length]).toEqual([1, 1]);
  });

  test('a datagram to a NAT port without a mapping is filtered at send time', () => {
    const network = new SimNetwork();
    const p = network.createEndpoint();
    const nat = network.createNat({ type: 'full-cone' });
    network.createEndpoint({ nat });
    p.send({ host: nat.host, port: 6421 }, Uint8Array.of(1));
    network.deliverAll();
    expect(network.stats.dropped.nat_filtered).toBe(1);
  });

  test('a mapping that expires while the datagram is in flight drops it', () => {
    // Topology: A (full-cone NAT, mapping timeout 1 s) <- P (latency 2 s)
    const network = new SimNetwork({ start: 0 });
    const p = network.createEndpoint({ link: { latency: 2 } });
    const a = network.createEndpoint({ nat: network.createNat({ type: 'full-cone', mappingTimeout: 1 }), link: { latency: 0 } });
    listen(a, network);
    a.send(p.address, Uint8Array.of(1));
    p.send(network.observedAddress(a, p.address)!, Uint8Array.of(1));
    network.deliverAll();
    expect(network.stats.dropped.nat_filtered).toBe(1);
  });
});

describe('receivers', () => {
  test('offline receivers and unbound ports drop on arrival', () => {
    const network = new SimNetwork();
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    listen(b, network);
    a.send({ host: b.address.host, port: 9999 }, Uint8Array.of(1));
    network.deliverAll();
    a.send(b.address, Uint8Array.of(1));
    network.setOnline(b.node, false);
    network.deliverAll();
    expect(network.stats.dropped).toMatchObject({ no_listener: 1, offline: 1 });
    expect(network.setOnline(b.node, false)).toBe(false);
    expect(network.setOnline(b.node, true)).toBe(true);
  });
});
