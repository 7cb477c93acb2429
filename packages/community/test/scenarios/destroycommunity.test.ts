// Ports of the original's tests/test_destroycommunity.py (spec §14, §6.5), plus the hard-killed community's
// behaviour: what it keeps, its epidemic re-forward, and its answer to introduction-requests.
import { describe, expect, test } from 'vitest';
import { HARD_KILLED_CLASSIFICATION } from '../../src/builtins/index.ts';
import { createDestroyCommunity } from '../../src/permission-api.ts';
import { buildDestroyCommunity, type DebugNode } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

/** Stored rows of a meta by name, through the store (a hard-killed community no longer knows the debug metas). */
function countStored(node: DebugNode, name: string): number {
  const community = node.community;
  const meta = community.storage.store.metas.list(community.storage.id).find((m) => m.name === name);
  return meta === undefined ? 0 : [...community.storage.store.sync.iterateByMeta(meta.id)].length;
}

function introductionRequest(from: DebugNode, to: DebugNode, globalTime: number) {
  return from.build('dispersy-introduction-request', {
    destinationAddress: to.address,
    sourceLanAddress: from.address,
    sourceWanAddress: from.address,
    advice: true,
    connectionType: 'unknown',
    identifier: 7,
  }, { globalTime });
}

describe('test_destroycommunity', () => {
  test('test_destroycommunity.test_hard_kill: the master\'s hard kill removes the stored full-sync message', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const message = node!.createFullSyncText('Should be removed', 42);
    node!.giveMessage(message, node!);
    node!.assertCount('full-sync-text', 1);

    const destroy = buildDestroyCommunity(env.mm);
    node!.giveMessage(destroy, env.mm);
    expect(countStored(node!, 'full-sync-text')).toBe(0);
    expect(node!.community.classification).toBe(HARD_KILLED_CLASSIFICATION);
    expect(node!.dispersy.store.communities.getById(node!.community.databaseId)?.classification).toBe(HARD_KILLED_CLASSIFICATION);
  });

  test('test_destroycommunity.test_hard_kill_without_permission: a destroy of an unauthorised member changes nothing', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const message = node!.createFullSyncText('Should not be removed', 42);
    node!.giveMessage(message, node!);
    node!.assertCount('full-sync-text', 1);

    const destroy = buildDestroyCommunity(other!);
    node!.giveMessage(destroy, env.mm);
    node!.assertCount('full-sync-text', 1);
    node!.assertNotStored(destroy);
    expect(node!.community.classification).toBe('DebugCommunity');
  });

  test('the hard kill keeps my identity, the destroy message and its permission chain with the signers\' identities', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    node!.giveMessages([node!.createFullSyncText('mine', 30), other!.createFullSyncText('theirs', 31)], other!);
    const destroy = buildDestroyCommunity(env.mm);
    node!.giveMessage(destroy, env.mm);

    const killed = node!.community;
    const kept = [...killed.storage.store.sync.iterateByMeta(killed.storage.metaId('dispersy-identity'))].map((r) => r.member);
    const members = killed.node.members;
    const expected = [node!.publicKey, env.mm.publicKey, env.mm.community.master!].map((k) => members.idOf(k));
    expect(kept.sort()).toEqual(expected.sort()); // OTHER's identity is gone
    expect(countStored(node!, 'dispersy-authorize')).toBe(1); // the master's authorize of mm's member
    expect(countStored(node!, 'dispersy-destroy-community')).toBe(1);
    expect(countStored(node!, 'full-sync-text')).toBe(0);
    node!.assertStored(destroy);
    // as the original's HardKilledCommunity it knows only the built-in metas: the master's authorize names community
    // metas, so it stays stored (served as a packet) but is not replayed into the timeline
    expect(killed.statistics.snapshot().drops.byStage.message).toMatchObject({ replay_failed: 1 });
  });

  test('a received destroy is re-forwarded, and the hard-killed community answers introduction-requests with it', async () => {
    const env = await environment({ recordSent: true });
    const [node, other] = await env.createNodes(2);
    node!.community.addCandidate(other!.address, { category: 'walk' });
    const destroy = buildDestroyCommunity(env.mm);
    node!.giveMessage(destroy, env.mm);
    const forwarded = node!.sentPackets().filter((d) => Buffer.compare(Buffer.from(d.packet), Buffer.from(destroy.packet)) === 0);
    expect(forwarded.map((d) => d.to.port).sort()).toEqual([env.mm.address.port, other!.address.port].sort());

    expect(other!.receivePackets(node!).map((d) => d.packet)).toEqual([destroy.packet]); // the forwarded copy
    other!.sendIdentity(node!);
    node!.giveMessage(introductionRequest(other!, node!, 5), other!);
    const answers = other!.receivePackets(node!).map((d) => d.packet);
    expect(answers).toEqual([destroy.packet]);
    // a community message is no longer accepted
    node!.giveMessage(other!.createFullSyncText('too late', 60), other!);
    expect(countStored(node!, 'full-sync-text')).toBe(0);
  });

  test('packets waiting in a batch window are discarded by the hard kill, not stored after it', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    // the creator's side (no pipeline work running: the unload alone would process the batch at once)
    env.mm.giveMessage(node!.createBatchedText('waiting at mm', 31), node!, { cache: true });
    node!.giveMessage(node!.createBatchedText('waiting at node', 30), node!, { cache: true });
    createDestroyCommunity(env.mm.community);
    expect(countStored(env.mm, 'batched-text')).toBe(0);
    // the receiver's side: the forwarded destroy arrives while a batch waits
    env.deliverAll();
    expect(node!.community.classification).toBe(HARD_KILLED_CLASSIFICATION);
    env.advance(10);
    expect(countStored(node!, 'batched-text')).toBe(0);
    for (const n of [env.mm, node!]) expect(n.dispersy.statistics.snapshot().drops.byStage.batch).toMatchObject({ community_destroyed: 1 });
  });

  test('createDestroyCommunity forwards first, then hard-kills the creator; a soft kill is refused', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    expect(() => createDestroyCommunity(node!.community, 'soft' as 'hard')).toThrow(RangeError);
    expect(() => createDestroyCommunity(node!.community)).toThrow(/permit on dispersy-destroy-community/);

    const destroy = createDestroyCommunity(env.mm.community);
    expect(env.mm.community.classification).toBe(HARD_KILLED_CLASSIFICATION);
    env.deliverAll();
    expect(node!.community.classification).toBe(HARD_KILLED_CLASSIFICATION);
    node!.assertStored(destroy);

    const soft = buildDestroyCommunity(env.mm, 'soft-kill');
    const [fresh] = await env.createNodes(1);
    fresh!.giveMessage(soft, env.mm);
    expect(fresh!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ soft_kill_not_supported: 1 });
    expect(fresh!.community.classification).toBe('DebugCommunity');
  });
});
