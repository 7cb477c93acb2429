// The harness itself: NAT mixes, seeded keys, the bootstrap variants, the shared verification cache, NAT sharing,
// and the walker really running (periodic steps, Bloom sync on).
//
// Topologies are stated per test.
import { TAKE_STEP_INTERVAL } from '@dispersy/community';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createSimHarness, deterministicKey, median, natMix, NODE_NATS, TRIBLER_NAT_WEIGHTS } from '../src/sim-harness.ts';

describe('natMix', () => {
  test('exact counts: 100 nodes → 40 public, 12 full-cone, 12 address-restricted, 24 port-restricted, 12 symmetric', () => {
    const specs = natMix(100, { seed: 3 });
    const count = (nat: string): number => specs.filter((s) => s.nat === nat).length;
    expect(specs).toHaveLength(100);
    expect([count('public'), count('full-cone'), count('address-restricted'), count('port-restricted'), count('symmetric')]).toEqual([40, 12, 12, 24, 12]);
    // pairs share a NAT: 10 % of each type's nodes, two per LAN, same type
    const lans = new Map<string, string[]>();
    for (const s of specs) if (s.lan !== undefined) lans.set(s.lan, [...(lans.get(s.lan) ?? []), s.nat]);
    expect([...lans.values()].every((types) => types.length === 2 && types[0] === types[1])).toBe(true);
    expect(lans.size).toBe(4); // round(24 · 0.1 / 2) = 1 port-restricted pair, round(12 · 0.1 / 2) = 1 of each other type
  });

  test('seeded: the same seed, the same order; the weights sum to 1; bad shares are refused', () => {
    expect(natMix(50, { seed: 9 })).toEqual(natMix(50, { seed: 9 }));
    expect(natMix(50, { seed: 9 })).not.toEqual(natMix(50, { seed: 10 }));
    expect(Object.values(TRIBLER_NAT_WEIGHTS).reduce((s, w) => s + w, 0)).toBeCloseTo(1);
    expect(() => natMix(10, { natedShare: 1.5 })).toThrow(RangeError);
    expect(() => natMix(10, { weights: { 'full-cone': 1, 'address-restricted': 1, 'port-restricted': 0, symmetric: 0 } })).toThrow(RangeError);
  });
});

test('deterministicKey: one key per (seed, label); it signs and verifies', () => {
  const key = deterministicKey(1, 'node-0');
  expect(key.publicKey.bytes).toEqual(deterministicKey(1, 'node-0').publicKey.bytes);
  expect(key.publicKey.bytes).not.toEqual(deterministicKey(2, 'node-0').publicKey.bytes);
  expect(key.publicKey.bytes).not.toEqual(deterministicKey(1, 'node-1').publicKey.bytes);
  const data = new TextEncoder().encode('x');
  expect(key.publicKey.verify(data, key.sign(data))).toBe(true);
});

test('median', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
  expect(median([1, undefined, 2])).toBe(2); // undefined = never = +∞
});

// Topology: NODE0 (public), NODE1 (full-cone), NODE2, NODE3 (one port-restricted NAT, one LAN) ──> TRACKER (public)
test('nodes get the NATs asked for; the periodic walker steps every 5 s with Bloom sync; verification goes through the shared cache', async () => {
  const sim = await createSimHarness({ seed: 5, nodes: [{ nat: 'public' }, { nat: 'full-cone' }, { nat: 'port-restricted', lan: 'a' }, { nat: 'port-restricted', lan: 'a' }] });
  onTestFinished(() => sim.stop());
  expect(sim.nodes.map((n) => n.nat?.type ?? 'public')).toEqual(['public', 'full-cone', 'port-restricted', 'port-restricted']);
  expect(sim.nodes[2]!.nat).toBe(sim.nodes[3]!.nat);
  expect(sim.nodes[1]!.nat).not.toBe(sim.nodes[2]!.nat);
  for (const n of sim.nodes) {
    expect(n.community.knobs.enableCandidateWalker).toBe(true);
    expect(n.community.knobs.enableBloomFilterSync).toBe(true);
    expect(n.dispersy.verificationCache).toBe(sim.network.verificationCache);
  }
  expect(TAKE_STEP_INTERVAL).toBe(5);
  sim.runSteps(12);
  const attempts = sim.nodes.map((n) => n.community.statistics.snapshot().walk.attempt);
  expect(Math.min(...attempts)).toBeGreaterThanOrEqual(6); // one attempt per 5 s step with a candidate to walk to
  expect(Math.max(...attempts)).toBeLessThanOrEqual(13);
  expect(sim.snapshot().syncBloom.send).toBeGreaterThan(0);
  expect(sim.verifiedCounts().every((c) => c === 3)).toBe(true); // everyone verified everyone in 60 s
  const text = sim.createPost(0);
  sim.runSteps(6);
  expect(sim.coverage(text)).toBe(4);
  expect(sim.network.verificationCache.misses).toBeGreaterThan(0);
  expect(sim.handlerErrors).toEqual([]);
  expect(sim.unexpectedDrops()).toEqual({});
});

// Topology: NODE0 … NODE5 (one of every kind, plus a second public) ──> BOOTSTRAP (public community member)
test('a public bootstrap node (a community member everyone knows as discovered) instead of a tracker', async () => {
  const sim = await createSimHarness({ seed: 6, nodes: [...NODE_NATS.map((nat) => ({ nat })), { nat: 'public' }], bootstrap: 'public-node' });
  onTestFinished(() => sim.stop());
  expect(sim.bootstrap.kind).toBe('public-node');
  expect(sim.bootstrap.community?.cid).toEqual(sim.nodes[0]!.community.cid);
  sim.runSteps(24);
  expect(Math.min(...sim.verifiedCounts())).toBeGreaterThanOrEqual(2);
  const spread = sim.spread(1, { maxSteps: 30 });
  expect(spread.reached).toBe(6);
  expect(sim.handlerErrors).toEqual([]);
});

test('stop() leaves no timers behind', async () => {
  const sim = await createSimHarness({ seed: 8, nodes: natMix(10, { seed: 8 }) });
  sim.startBackgroundPosts(5);
  sim.runSteps(3);
  await sim.stop();
  await sim.stop(); // idempotent
  // no walker, expiry, bootstrap or background timer left: what is pending is datagrams in flight (one event each)
  expect(sim.network.clock.pending).toBe(sim.network.stats.inFlight);
  sim.network.deliverAll(); // the datagrams in flight drain
  expect(sim.network.stats.inFlight).toBe(0);
});
