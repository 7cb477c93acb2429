/** SimEndpoint honours the Endpoint contract of @dispersy/interfaces (spec §2.1, §11.4). */
import { describe, expect, test } from 'vitest';
import type { Endpoint, PacketSource } from '@dispersy/interfaces';
import { MAX_DATAGRAM_SIZE, SimError, SimNetwork, TUNNEL_PREFIX_LENGTH, type SimEndpoint } from '../src/index.ts';

function pair(init: ConstructorParameters<typeof SimNetwork>[0] = {}) {
  // Topology: A <-> B (public hosts)
  const network = new SimNetwork(init);
  const a = network.createEndpoint();
  const b = network.createEndpoint();
  const received: { packet: Uint8Array; source: PacketSource }[] = [];
  b.onPacket((packet, source) => received.push({ packet, source }));
  return { network, a, b, received };
}

describe('SimEndpoint', () => {
  test('is an Endpoint with a bound address', () => {
    const { a } = pair();
    const endpoint: Endpoint = a;
    expect(endpoint.address).toEqual({ host: '20.0.0.1', port: 6421 });
    expect(Object.isFrozen(endpoint.address)).toBe(true);
    expect(endpoint.counters).toEqual({ packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, packetsDropped: 0 });
  });

  test('tunnel: the sender prepends FF FF FF FF, the receiver strips it and reports tunnel: true', () => {
    const { network, a, b, received } = pair();
    const wire: number[] = [];
    network.onTrace((e) => {
      if (e.type === 'send') wire.push(e.size);
    });
    a.send(b.address, Uint8Array.of(0, 1, 2), true);
    a.send(b.address, Uint8Array.of(0, 1, 2));
    network.deliverAll();
    expect(received.map((r) => [[...r.packet], r.source.tunnel])).toEqual([
      [[0, 1, 2], true],
      [[0, 1, 2], false],
    ]);
    expect(received[0]!.source.address).toEqual(a.address);
    expect(wire).toEqual([7, 3]);
    expect(a.counters).toMatchObject({ packetsSent: 2, bytesSent: 10 });
    expect(b.counters).toMatchObject({ packetsReceived: 2, bytesReceived: 10 });
  });

  test('an untunnelled datagram that starts with FF FF FF FF is reported as tunnelled (as the real endpoint does)', () => {
    const { network, a, b, received } = pair();
    a.send(b.address, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 9));
    network.deliverAll();
    expect([...received[0]!.packet]).toEqual([9]);
    expect(received[0]!.source.tunnel).toBe(true);
  });

  test(`datagrams above ${MAX_DATAGRAM_SIZE} bytes (prefix included) are refused and counted`, () => {
    const { network, a, b, received } = pair();
    a.send(b.address, new Uint8Array(MAX_DATAGRAM_SIZE));
    a.send(b.address, new Uint8Array(MAX_DATAGRAM_SIZE + 1));
    a.send(b.address, new Uint8Array(MAX_DATAGRAM_SIZE - TUNNEL_PREFIX_LENGTH), true);
    a.send(b.address, new Uint8Array(MAX_DATAGRAM_SIZE - TUNNEL_PREFIX_LENGTH + 1), true);
    network.deliverAll();
    expect(received.map((r) => r.packet.length)).toEqual([MAX_DATAGRAM_SIZE, MAX_DATAGRAM_SIZE - 4]);
    expect(a.counters.packetsDropped).toBe(2);
    expect(a.counters.packetsSent).toBe(2);
    expect(network.stats.sent).toBe(2); // refused datagrams never reach the network
  });

  test('the sender may reuse its buffer at once: the network copied it', () => {
    const { network, a, b, received } = pair();
    const buffer = Uint8Array.of(1, 2, 3);
    a.send(b.address, buffer);
    buffer.fill(0);
    network.deliverAll();
    expect([...received[0]!.packet]).toEqual([1, 2, 3]);
  });

  test("copy: 'none' passes untunnelled packets by reference; 'pooled' copies into shared slabs", () => {
    const none = pair({ copy: 'none' });
    const buffer = Uint8Array.of(1, 2, 3);
    none.a.send(none.b.address, buffer);
    none.a.send(none.b.address, buffer, true); // the prefix needs a new buffer anyway
    none.network.deliverAll();
    expect(none.received[0]!.packet).toBe(buffer);
    expect([...none.received[1]!.packet]).toEqual([1, 2, 3]);
    const pooled = pair({ copy: 'pooled' });
    pooled.a.send(pooled.b.address, buffer);
    pooled.a.send(pooled.b.address, Uint8Array.of(4, 5), true);
    buffer.fill(0);
    pooled.network.deliverAll();
    expect(pooled.received.map((r) => [...r.packet])).toEqual([[1, 2, 3], [4, 5]]);
    expect(pooled.received[0]!.packet.buffer).toBe(pooled.received[1]!.packet.buffer);
    expect(() => new SimNetwork({ copy: 'some' as never })).toThrow(RangeError);
  });

  test('a Buffer is copied, not viewed', () => {
    const { network, a, b, received } = pair();
    const buffer = Buffer.from([4, 5, 6]);
    a.send(b.address, buffer.subarray(1));
    buffer.fill(0);
    network.deliverAll();
    expect([...received[0]!.packet]).toEqual([5, 6]);
  });

  test('send never throws for network conditions; invalid destinations are refused like the UDP endpoint does', () => {
    const { network, a } = pair();
    expect(() => a.send({ host: '20.9.9.9', port: 1 }, Uint8Array.of(1))).not.toThrow(); // nobody there
    expect(() => a.send({ host: '0.0.0.0', port: 6421 }, Uint8Array.of(1))).not.toThrow(); // nobody there either
    expect(() => a.send({ host: 'not-an-ip', port: 1 }, Uint8Array.of(1))).not.toThrow(); // refused
    expect(() => a.send({ host: '20.0.0.2', port: 0 }, Uint8Array.of(1))).not.toThrow(); // refused
    expect(() => a.send({ host: '20.0.0.2', port: 65536 }, Uint8Array.of(1))).not.toThrow(); // refused
    network.deliverAll();
    expect(network.stats.dropped.no_route).toBe(2);
    expect(network.stats.sent).toBe(2);
    expect(a.counters).toMatchObject({ packetsSent: 2, packetsDropped: 3 });
  });

  test('programmer errors throw TypeError', () => {
    const { a, b } = pair();
    expect(() => a.send(b.address, [1, 2] as never)).toThrow(TypeError);
    expect(() => a.send(null as never, Uint8Array.of(1))).toThrow(TypeError);
    expect(() => a.send({ host: 1, port: 2 } as never, Uint8Array.of(1))).toThrow(TypeError);
  });

  test('close is idempotent, stops receiving and sending, and frees the port', async () => {
    const { network, a, b, received } = pair();
    a.send(b.address, Uint8Array.of(1)); // in flight while b closes
    await b.close();
    await b.close();
    expect(b.closed).toBe(true);
    network.deliverAll();
    expect(received).toHaveLength(0);
    expect(network.stats.dropped.no_listener).toBe(1);
    b.send(a.address, Uint8Array.of(1));
    expect(b.counters.packetsDropped).toBe(1);
    const again: SimEndpoint = b.node.bind(b.address.port); // the port is free again
    let got = 0;
    again.onPacket(() => got++);
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(got).toBe(1);
  });

  test('a datagram to an endpoint without a handler is dropped and counted there', () => {
    const network = new SimNetwork();
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(b.counters.packetsDropped).toBe(1);
    expect(network.stats.dropped.no_listener).toBe(1);
  });

  test('onPacket replaces the handler', () => {
    const { network, a, b, received } = pair();
    const other: number[] = [];
    b.onPacket((p) => other.push(p.length));
    a.send(b.address, Uint8Array.of(1, 2));
    network.deliverAll();
    expect(received).toHaveLength(0);
    expect(other).toEqual([2]);
  });

  test('nodes bind several ports; port 0 picks a free one; a taken port is ADDRESS_IN_USE', () => {
    const network = new SimNetwork();
    const node = network.createNode();
    const e1 = node.bind();
    const e2 = node.bind(0);
    const e3 = node.bind(0);
    expect([e1.address.port, e2.address.port, e3.address.port]).toEqual([6421, 49152, 49153]);
    expect(node.endpoints).toEqual([e1, e2, e3]);
    expect(node.endpoint(49152)).toBe(e2);
    try {
      node.bind(6421);
      expect.unreachable();
    } catch (err) {
      expect(SimError.is(err) && err.code).toBe('ADDRESS_IN_USE');
    }
    expect(() => node.bind(70000)).toThrow(RangeError);
    expect(() => node.bind(1.5)).toThrow(RangeError);
  });
});
