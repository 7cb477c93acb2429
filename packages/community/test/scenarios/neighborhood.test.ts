// Ports of the original's tests/test_neighborhood.py (spec §14, §4.5, §12.2 step 6). Topology: MM with N nodes as
// verified (stumble) candidates; MM creates a message with T of them as explicit destinations.
import { describe, expect, test } from 'vitest';
import { environment } from '../helpers.ts';

async function forward(nonTargeted: number, targeted: number): Promise<void> {
  const env = await environment();
  const nodes = await env.createNodes(nonTargeted + targeted);
  const meta = env.mm.community.metas.get('full-sync-text')!.meta;
  expect(meta.destination).toEqual({ kind: 'community', nodeCount: 10 });
  const targets = nodes.slice(0, targeted);
  env.mm.community.create('full-sync-text', { text: new TextEncoder().encode('Hello World!') }, {
    globalTime: 42,
    destinations: targets.map((n) => n.address),
  });
  let forwarded = 0;
  for (const node of nodes) {
    const received = node.receive({ names: ['full-sync-text'] });
    if (targets.includes(node)) expect(received).toHaveLength(1);
    expect(received.length).toBeLessThanOrEqual(1);
    forwarded += received.length;
  }
  expect(forwarded).toBe(Math.min(nonTargeted + targeted, 10 + targeted));
}

describe('test_neighborhood', () => {
  test('test_neighborhood.test_forward_1', () => forward(1, 0));
  test('test_neighborhood.test_forward_2', () => forward(2, 0));
  test('test_neighborhood.test_forward_3', () => forward(3, 0));
  test('test_neighborhood.test_forward_10', () => forward(10, 0));
  test('test_neighborhood.test_forward_20', () => forward(20, 0));
  test('test_neighborhood.test_forward_0_targeted_5', () => forward(0, 5));
  test('test_neighborhood.test_forward_0_targeted_20', () => forward(0, 20));
  test('test_neighborhood.test_forward_5_targeted_2', () => forward(5, 2));
  test('test_neighborhood.test_forward_2_targeted_5', () => forward(2, 5));

  test('test_neighborhood.test_forward_hop_timeout: NHop(1, depth 1) reaches one peer with depth 0, which forwards nothing', async () => {
    const env = await environment();
    const nodes = await env.createNodes(2);
    const meta = env.mm.community.metas.get('n-hop-sync-text')!.meta;
    expect(meta.destination).toEqual({ kind: 'nhop', nodeCount: 1, depth: 1 });
    const created = env.mm.community.create('n-hop-sync-text', { text: new TextEncoder().encode('Should be forwarded once') });
    expect(created.remainingDepth).toBe(1);
    const received = nodes.map((n) => n.receive({ names: ['n-hop-sync-text'] }));
    expect(received.map((r) => r.length).sort()).toEqual([0, 1]);
    const index = received.findIndex((r) => r.length === 1);
    const [message] = received[index]!;
    const receiver = nodes[index]!;
    expect(message!.depth).toBe(1); // the wire byte is unchanged (quirk 14)
    expect(message!.remainingDepth).toBe(0);
    receiver.community.addCandidate(nodes[1 - index]!.address, { category: 'walk' });
    expect(receiver.community.forward([message!])).toBe(0);
    expect(env.network.pending).toBe(0);
  });

  test('no forward on receipt: a received sync message is stored, not spread', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    node!.community.addCandidate(other!.address, { category: 'walk' });
    node!.giveMessage(other!.createFullSyncText('kept', 10), other!);
    expect(env.network.pending).toBe(0);
  });

  test('candidate destination messages go to the explicit destinations only; tunnelled ones get the prefix', async () => {
    const env = await environment();
    const [node, bystander] = await env.createNodes(2, { tunnel: false });
    const t = await env.createNode({ tunnel: true });
    env.mm.community.create('dispersy-missing-identity', { mid: node!.publicKey.mid }, { destinations: [node!.address, t.address] });
    expect(node!.receivePackets().map((d) => d.tunnel)).toEqual([false]);
    expect(t.receivePackets().map((d) => d.tunnel)).toEqual([true]);
    expect(bystander!.receivePackets()).toHaveLength(0);
  });
});
