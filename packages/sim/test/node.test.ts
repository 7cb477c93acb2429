/** SimNode: identity, link, online flag, per-node statistics, bound endpoints. */
import { expect, test } from 'vitest';
import { DEFAULT_LINK, DEFAULT_PORT, SimNetwork } from '../src/index.ts';

test('a node knows its address, NAT, link, state and counters', async () => {
  // Topology: A (public) -> B (behind a full-cone NAT, 2 endpoints)
  const network = new SimNetwork();
  const a = network.createNode({ name: 'alice' });
  const nat = network.createNat({ type: 'full-cone' });
  const b = network.createNode({ nat });
  expect([a.id, a.name, a.host, a.nat]).toEqual([0, 'alice', '20.0.0.1', undefined]);
  expect([b.host, b.nat]).toEqual(['10.0.1.2', nat]);
  expect(a.link).toEqual(DEFAULT_LINK);
  expect(a.online).toBe(true);
  const ea = a.bind();
  expect(ea.address.port).toBe(DEFAULT_PORT);
  const eb = b.bind(7000);
  eb.onPacket(() => {});
  ea.send(eb.address, new Uint8Array(5)); // a LAN address: no route from outside
  eb.send(ea.address, new Uint8Array(7));
  ea.onPacket(() => {});
  network.deliverAll();
  expect(a.stats).toEqual({ sent: 1, received: 1, bytesSent: 5, bytesReceived: 7, dropped: 1 });
  expect(b.stats).toEqual({ sent: 1, received: 0, bytesSent: 7, bytesReceived: 0, dropped: 0 });
  await eb.close();
  expect(b.endpoints).toEqual([]);
  expect(b.endpoint(7000)).toBeUndefined();
});
