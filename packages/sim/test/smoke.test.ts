import { expect, test } from 'vitest';
import { SimNetwork } from '../src/index.ts';

test('smoke', () => {
  const network = new SimNetwork({ seed: 7 });
  const introducer = network.createEndpoint();
  const a = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }) });
  const seen: unknown[] = [];
  introducer.onPacket((packet, source) => { seen.push([packet.length, source]); introducer.send(source.address, packet, true); });
  a.onPacket((packet, source) => seen.push([packet.length, source]));
  a.send(introducer.address, Uint8Array.of(1, 2, 3));
  network.deliverAll();
  console.log(JSON.stringify(seen), a.address, network.stats, network.now());
  expect(seen.length).toBe(2);
});
