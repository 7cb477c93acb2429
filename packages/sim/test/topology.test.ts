/** The topology: the address plan (public 20.x, private LAN prefixes), explicit addresses, links from specs. */
import { describe, expect, test } from 'vitest';
import { SimError, SimNetwork } from '../src/index.ts';

describe('address plan', () => {
  test('public hosts and NAT routers get 20.x addresses, LANs get their own 10.a.b prefix', () => {
    const network = new SimNetwork();
    const p = network.createEndpoint();
    const nat1 = network.createNat({ type: 'full-cone' });
    const nat2 = network.createNat({ type: 'symmetric' });
    const a = network.createEndpoint({ nat: nat1 });
    const b = network.createEndpoint({ nat: nat1 });
    const c = network.createEndpoint({ nat: nat2 });
    expect([p.address.host, nat1.host, nat2.host]).toEqual(['20.0.0.1', '20.0.0.2', '20.0.0.3']);
    expect([nat1.lanPrefix, nat2.lanPrefix]).toEqual(['10.0.1', '10.0.2']);
    expect([a.address.host, b.address.host, c.address.host]).toEqual(['10.0.1.2', '10.0.1.3', '10.0.2.2']);
    expect(network.nodes.map((n) => n.name)).toEqual(['node0', 'node1', 'node2', 'node3']);
    expect(network.nats).toEqual([nat1, nat2]);
    expect(a.node.nat).toBe(nat1);
    expect(p.node.nat).toBeUndefined();
  });

  test('explicit addresses are checked', () => {
    const network = new SimNetwork();
    const nat = network.createNat({ type: 'full-cone', host: '81.2.3.4', lanPrefix: '192.168.1' });
    expect(network.createNode({ nat, host: '192.168.1.50' }).host).toBe('192.168.1.50');
    expect(network.createNode({ host: '81.2.3.5', name: 'server' }).name).toBe('server');
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return SimError.is(err) ? err.code : (err as Error).name;
      }
      return undefined;
    };
    expect(codeOf(() => network.createNode({ nat, host: '192.168.1.50' }))).toBe('ADDRESS_IN_USE');
    expect(codeOf(() => network.createNode({ host: '81.2.3.4' }))).toBe('ADDRESS_IN_USE'); // the NAT's
    expect(codeOf(() => network.createNat({ type: 'full-cone', host: '81.2.3.5' }))).toBe('ADDRESS_IN_USE');
    expect(codeOf(() => network.createNode({ nat, host: '192.168.2.1' }))).toBe('RangeError');
    expect(codeOf(() => network.createNode({ host: '192.168.2.1' }))).toBe('RangeError');
    expect(codeOf(() => network.createNode({ host: 'example.org' }))).toBe('TypeError');
    expect(codeOf(() => network.createNode({ nat: new SimNetwork().createNat({ type: 'full-cone' }) }))).toBe('RangeError');
    expect(codeOf(() => network.createNat({ type: 'full-cone', lanPrefix: '8.8' }))).toBe('RangeError');
  });

  test('a full /24 LAN is POOL_EXHAUSTED', () => {
    const network = new SimNetwork();
    const nat = network.createNat({ type: 'full-cone', lanPrefix: '192.168.7' });
    for (let i = 2; i <= 254; i++) network.createNode({ nat });
    expect(() => network.createNode({ nat })).toThrow(SimError);
  });
});

describe('links', () => {
  test('fields are completed from the network default; profiles are drawn per node', () => {
    const network = new SimNetwork({ defaultLink: { latency: 0.05, loss: 0.01 } });
    expect(network.createNode({ link: { jitter: 0.002 } }).link).toMatchObject({ latency: 0.05, loss: 0.01, jitter: 0.002 });
    const a = network.createNode({ link: '3G' }).link;
    const b = network.createNode({ link: '3G' }).link;
    expect(a.latency).not.toBe(b.latency);
    expect(() => new SimNetwork({ defaultLink: { mtu: 10 } })).toThrow(RangeError);
  });
});
