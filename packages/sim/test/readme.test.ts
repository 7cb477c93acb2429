/** The README's runnable example, kept compiling and passing. */
import { expect, test } from 'vitest';
import type { Address } from '@dispersy/interfaces';
import { SimNetwork } from '../src/index.ts';

test('README: two nodes behind NATs meet through an introducer', () => {
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);
  // --- example (README.md) ---
  // Topology: A (port-restricted NAT, WiFi) -> INTRODUCER (public) <- B (full-cone NAT, 3G)
  const network = new SimNetwork({ seed: 42 });
  const introducer = network.createEndpoint({ name: 'introducer' });
  const a = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }), link: 'WiFi' });
  const b = network.createEndpoint({ nat: network.createNat({ type: 'full-cone' }), link: '3G' });

  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const format = (x: Address): string => `${x.host}:${x.port}`;
  const parse = (s: string): Address => ({ host: s.split(':')[0] ?? '', port: Number(s.split(':')[1]) });

  // The introducer sees each peer's NAT mapping (what the walker's WAN vote observes) and tells each about the other.
  const observed: Address[] = [];
  introducer.onPacket((_packet, { address }) => {
    observed.push(address);
    const [first, second] = observed;
    if (first === undefined || second === undefined) return;
    introducer.send(first, text(format(second)));
    introducer.send(second, text(format(first)));
  });
  // Each peer sends to the address it was given (both punch at once) and logs what arrives from the other.
  for (const [name, me] of [['A', a], ['B', b]] as const) {
    me.onPacket((packet, { address }) => {
      const message = new TextDecoder().decode(packet);
      if (address.host === introducer.address.host) me.send(parse(message), text(`hello from ${name}`));
      else log(`${name} (${format(me.address)}) got "${message}" from ${format(address)} at t=${network.now().toFixed(3)}`);
    });
  }
  a.send(introducer.address, text('hi'));
  b.send(introducer.address, text('hi'));
  network.deliverAll();
  log(`delivered ${network.stats.delivered}, dropped ${network.stats.droppedTotal}`);
  // --- end of example ---
  console.log(lines.join('\n'));
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^B \(10\.0\.2\.2:6421\) got "hello from A" from 20\.0\.0\.2:\d+ at t=/);
  expect(lines[1]).toMatch(/^A \(10\.0\.1\.2:6421\) got "hello from B" from 20\.0\.0\.3:6421 at t=/);
  expect(lines[2]).toBe('delivered 6, dropped 0');
  expect(network.stats.dropped.nat_filtered).toBe(0);
});
