/**
 * Scale (performance-model.md B13: ≥ 1,000 nodes per process in virtual time). Asserts counts, not wall time; the
 * measured rate is printed for the record.
 *
 * Topology: 500 public hosts; 500 hosts behind NATs — 250 with a NAT each (full-cone, address-restricted,
 * port-restricted, symmetric in turn) and 250 sharing 50 home NATs (5 per LAN). Every NATed host sends 100 requests
 * of 200 bytes to random public hosts over 100 virtual seconds; each public host answers the observed source address
 * (the NAT mapping). Links: 20 ms ± 10 ms, 20 Mbit/s up and down (so datagrams take the download stage too), lossless.
 */
import { expect, test } from 'vitest';
import { NAT_TYPES, SimNetwork, type SimEndpoint } from '../src/index.ts';

test('1,000 nodes exchange 100,000 datagrams in virtual time', () => {
  const started = performance.now();
  const network = new SimNetwork({ seed: 1000, defaultLink: { latency: 0.02, jitter: 0.01, upload: 2_500_000, download: 2_500_000 } });
  const publics: SimEndpoint[] = [];
  for (let i = 0; i < 500; i++) publics.push(network.createEndpoint());
  const natted: SimEndpoint[] = [];
  for (let i = 0; i < 250; i++) natted.push(network.createEndpoint({ nat: network.createNat({ type: NAT_TYPES[i % 4]! }) }));
  for (let h = 0; h < 50; h++) {
    const nat = network.createNat({ type: NAT_TYPES[h % 3]! });
    for (let k = 0; k < 5; k++) natted.push(network.createEndpoint({ nat }));
  }
  expect(network.nodes).toHaveLength(1000);

  let requests = 0;
  let replies = 0;
  const request = new Uint8Array(200).fill(1);
  const reply = new Uint8Array(200).fill(2);
  for (const p of publics) {
    p.onPacket((packet, { address }) => {
      requests++;
      p.send(address, reply);
      void packet;
    });
  }
  for (const n of natted) {
    n.onPacket(() => replies++);
    const random = network.random();
    for (let i = 0; i < 100; i++) {
      network.clock.schedule(i + random.next(), () => n.send(publics[random.int(publics.length)]!.address, request));
    }
  }
  const events = network.deliverAll();
  const wall = (performance.now() - started) / 1000;

  expect(requests).toBe(50_000);
  expect(replies).toBe(50_000);
  const stats = network.stats;
  expect(stats.sent).toBe(100_000);
  expect(stats.delivered).toBe(100_000);
  expect(stats.droppedTotal).toBe(0);
  expect(stats.bytesDelivered).toBe(100_000 * 200);
  expect(publics.reduce((s, p) => s + p.node.stats.received, 0)).toBe(50_000);
  expect(natted.every((n) => n.node.stats.received === 100)).toBe(true);
  expect(events).toBe(50_000 + 2 * 100_000); // timers + (download stage + delivery) per datagram
  console.log(`scale: 1,000 nodes, ${stats.delivered} datagrams, ${events} events, ${wall.toFixed(2)} s wall (setup included), ${Math.round(events / wall)} events/s`);
});
