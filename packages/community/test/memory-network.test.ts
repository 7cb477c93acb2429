import { describe, expect, test } from 'vitest';
import { MemoryNetwork, unwrap } from '../src/testing/index.ts';

describe('MemoryNetwork', () => {
  test('queues until delivered; FIFO; the tunnel prefix is added and stripped', () => {
    const network = new MemoryNetwork();
    const a = network.createEndpoint(undefined, { record: true });
    const b = network.createEndpoint();
    expect([a.address, b.address]).toEqual([{ host: '10.0.0.1', port: 6421 }, { host: '10.0.0.2', port: 6421 }]);
    const got: [number, boolean][] = [];
    b.onPacket((packet, source) => got.push([packet[0] as number, source.tunnel]));
    a.send(b.address, Uint8Array.of(1));
    a.send(b.address, Uint8Array.of(2), true);
    expect(got).toEqual([]);
    expect(network.queued(b.address).map((d) => d.data.length)).toEqual([1, 5]);
    expect(network.deliverAll()).toBe(2);
    expect(got).toEqual([[1, false], [2, true]]);
    expect(a.sent).toHaveLength(2);
    expect(b.counters.packetsReceived).toBe(2);
  });

  test('take removes datagrams without delivering; unknown or closed receivers count as undeliverable', async () => {
    const network = new MemoryNetwork();
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    a.send(b.address, Uint8Array.of(7), true);
    a.send({ host: '10.9.9.9', port: 1 }, Uint8Array.of(8));
    const taken = network.take(b.address, a.address).map(unwrap);
    expect(taken.map((d) => [d.packet[0], d.tunnel])).toEqual([[7, true]]);
    network.deliverAll();
    expect(network.undeliverable).toBe(1);
    await b.close();
    a.send(b.address, Uint8Array.of(9));
    network.deliverAll();
    expect(network.undeliverable).toBe(2);
    expect(() => network.createEndpoint(a.address)).toThrow(RangeError);
  });

  test('the ping-pong guard stops endless delivery', () => {
    const network = new MemoryNetwork();
    const a = network.createEndpoint();
    a.onPacket((packet) => a.send(a.address, packet));
    a.send(a.address, Uint8Array.of(1));
    expect(() => network.deliverAll(100)).toThrow(/more than 100/);
  });
});

describe('recording what a node sent', () => {
  test('recordSent keeps every datagram a harness node sends', async () => {
    const { createNodes } = await import('../src/testing/index.ts');
    const { env, mm, nodes } = await createNodes(1, { recordSent: true });
    try {
      mm.community.create('dispersy-missing-identity', { mid: new Uint8Array(20) }, { destinations: [nodes[0]!.address] });
      expect(mm.sentPackets(nodes[0]).map((d) => d.packet[22])).toEqual([247]);
      expect(mm.sentPackets()).toHaveLength(1);
    } finally {
      await env.stop();
    }
  });
});
