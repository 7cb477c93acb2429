import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint, PacketSource } from '@dispersy/interfaces';
import { detectLanAddress } from '../src/lan-address.ts';
import { EndpointError, MAX_DATAGRAM_BYTES, openUdpEndpoint } from '../src/udp-endpoint.ts';

const open: Endpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function endpoint(): Promise<Endpoint> {
  const e = await openUdpEndpoint({ host: '127.0.0.1', port: 0 });
  open.push(e);
  return e;
}

function nextPacket(e: Endpoint): Promise<{ packet: Uint8Array; source: PacketSource }> {
  return new Promise((resolve) => e.onPacket((packet, source) => resolve({ packet: packet.slice(), source })));
}

describe('UDP endpoint', () => {
  it('binds 127.0.0.1 and reports it as its LAN address', async () => {
    const e = await endpoint();
    expect(e.address.host).toBe('127.0.0.1');
    expect(e.address.port).toBeGreaterThan(0);
  });

  it('delivers datagrams with their source and counts bytes and packets both ways', async () => {
    const a = await endpoint();
    const b = await endpoint();
    const got = nextPacket(b);
    a.send(b.address, new Uint8Array([1, 2, 3]));
    const { packet, source } = await got;
    expect([...packet]).toEqual([1, 2, 3]);
    expect(source).toEqual({ address: a.address, tunnel: false });
    expect(a.counters).toMatchObject({ packetsSent: 1, bytesSent: 3 });
    expect(b.counters).toMatchObject({ packetsReceived: 1, bytesReceived: 3 });
  });

  it('adds and strips the FF FF FF FF tunnel prefix', async () => {
    const a = await endpoint();
    const b = await endpoint();
    const got = nextPacket(b);
    a.send(b.address, new Uint8Array([0, 1]), true);
    const { packet, source } = await got;
    expect([...packet]).toEqual([0, 1]);
    expect(source.tunnel).toBe(true);
    expect(a.counters.bytesSent).toBe(6);
  });

  it('drops (and counts) datagrams over 65,476 bytes and bad destinations without throwing', async () => {
    const a = await endpoint();
    a.send({ host: '127.0.0.1', port: 9 }, new Uint8Array(MAX_DATAGRAM_BYTES + 1));
    a.send({ host: '127.0.0.1', port: 9 }, new Uint8Array(MAX_DATAGRAM_BYTES - 3), true);
    a.send({ host: 'not-an-ip', port: 9 }, new Uint8Array(1));
    a.send({ host: '127.0.0.1', port: 0 }, new Uint8Array(1));
    expect(a.counters.packetsDropped).toBe(4);
    expect(a.counters.packetsSent).toBe(0);
  });

  it('a throwing handler does not break the endpoint', async () => {
    const a = await endpoint();
    const b = await endpoint();
    let calls = 0;
    const second = new Promise<void>((resolve) =>
      b.onPacket(() => {
        calls++;
        if (calls === 1) throw new Error('bug in a handler');
        resolve();
      }),
    );
    a.send(b.address, new Uint8Array([1]));
    a.send(b.address, new Uint8Array([2]));
    await second;
    expect(b.counters.packetsDropped).toBe(1);
  });

  it('closes cleanly and idempotently; sends after close are dropped', async () => {
    const a = await openUdpEndpoint({ host: '127.0.0.1' });
    await a.close();
    await a.close();
    a.send({ host: '127.0.0.1', port: 9 }, new Uint8Array(1));
    expect(a.counters.packetsDropped).toBe(1);
  });

  it('refuses a port in use with a typed error, and a non-IPv4 host', async () => {
    const a = await endpoint();
    await expect(openUdpEndpoint({ host: '127.0.0.1', port: a.address.port })).rejects.toBeInstanceOf(EndpointError);
    await expect(openUdpEndpoint({ host: '::1' })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('LAN address detection', () => {
  const lister = (ifaces: Record<string, { address: string; netmask: string; family?: string }[]>) => () =>
    Object.fromEntries(Object.entries(ifaces).map(([k, v]) => [k, v.map((i) => ({ family: 'IPv4', internal: false, mac: '', cidr: null, ...i }))])) as never;

  it('prefers a non-blacklisted interface with a broadcast address', () => {
    expect(detectLanAddress(lister({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0' }], eth0: [{ address: '192.168.1.20', netmask: '255.255.255.0' }] }))).toBe('192.168.1.20');
  });

  it('falls back to a point-to-point address, then to 127.0.0.1', () => {
    expect(detectLanAddress(lister({ tun0: [{ address: '10.8.0.2', netmask: '255.255.255.255' }] }))).toBe('10.8.0.2');
    expect(detectLanAddress(lister({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0' }] }))).toBe('127.0.0.1');
  });
});
