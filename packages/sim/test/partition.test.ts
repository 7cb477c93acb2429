/** Partitions: named groups that cannot reach each other, healable; checked at send and on arrival. */
import { describe, expect, test } from 'vitest';
import { PartitionTable, SimNetwork, type SimEndpoint } from '../src/index.ts';

describe('PartitionTable', () => {
  test('split blocks across groups only; unlisted members are unaffected', () => {
    const [a, b, c, d, e] = [{}, {}, {}, {}, {}];
    const t = new PartitionTable();
    t.split('p', [[a, b], [c, d]]);
    expect(t.blocks(a, b)).toBe(false);
    expect(t.blocks(a, c)).toBe(true);
    expect(t.blocks(d, b)).toBe(true);
    expect(t.blocks(a, e)).toBe(false);
    expect(t.blocks(e, c)).toBe(false);
    expect(t.active).toEqual(['p']);
  });

  test('isolate cuts members off from everyone else', () => {
    const [a, b, c, d] = [{}, {}, {}, {}];
    const t = new PartitionTable();
    t.isolate('island', [a, b]);
    expect(t.blocks(a, b)).toBe(false);
    expect(t.blocks(a, c)).toBe(true);
    expect(t.blocks(d, b)).toBe(true);
    expect(t.blocks(c, d)).toBe(false);
  });

  test('several partitions combine; heal ends one, healAll all', () => {
    const [a, b, c] = [{}, {}, {}];
    const t = new PartitionTable();
    t.split('ab', [[a], [b]]);
    t.split('bc', [[b], [c]]);
    expect([t.blocks(a, b), t.blocks(b, c), t.blocks(a, c)]).toEqual([true, true, false]);
    expect(t.heal('ab')).toBe(true);
    expect(t.heal('ab')).toBe(false);
    expect(t.blocks(a, b)).toBe(false);
    expect(t.size).toBe(1);
    t.healAll();
    expect(t.blocks(b, c)).toBe(false);
  });

  test('rejects bad partitions', () => {
    const t = new PartitionTable();
    const a = {};
    expect(() => t.split('x', [[a]])).toThrow(RangeError);
    expect(() => t.split('x', [[a], [a, {}]])).toThrow(RangeError);
    expect(() => t.split('', [[a], [{}]])).toThrow(TypeError);
  });
});

describe('partitions in the network', () => {
  function pair() {
    // Topology: A <-> B (public), C behind a full-cone NAT
    const network = new SimNetwork({ start: 0 });
    const a = network.createEndpoint();
    const b = network.createEndpoint();
    const c = network.createEndpoint({ nat: network.createNat({ type: 'full-cone' }) });
    const got = new Map<SimEndpoint, number>([
      [a, 0],
      [b, 0],
      [c, 0],
    ]);
    for (const e of [a, b, c]) e.onPacket(() => got.set(e, got.get(e)! + 1));
    return { network, a, b, c, got };
  }

  test('a partition drops traffic both ways until healed', () => {
    const { network, a, b, got } = pair();
    network.partition('split', [[a.node], [b.node]]);
    a.send(b.address, Uint8Array.of(1));
    b.send(a.address, Uint8Array.of(1));
    network.deliverAll();
    expect(network.stats.dropped.partition).toBe(2);
    expect(network.partitions).toEqual(['split']);
    network.heal('split');
    a.send(b.address, Uint8Array.of(1));
    network.deliverAll();
    expect(got.get(b)).toBe(1);
  });

  test('it also cuts datagrams already in flight, and applies behind NATs', () => {
    const { network, a, c, got } = pair();
    c.send(a.address, Uint8Array.of(1)); // opens C's mapping; arrives at t = 0.02
    network.clock.schedule(0.01, () => network.isolate('c-alone', [c.node]));
    network.deliverAll();
    expect(got.get(a)).toBe(0);
    expect(network.stats.dropped.partition).toBe(1);
    network.healAll();
    c.send(a.address, Uint8Array.of(1));
    network.deliverAll();
    expect(got.get(a)).toBe(1);
  });
});
