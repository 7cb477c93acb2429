// Ports of the original's tests/test_classification.py where they apply (spec §14, §12.1): reclassify,
// load stored communities, auto-load on an incoming message (on/off).
import { describe, expect, test } from 'vitest';
import { createDebugCommunityDefinition, DebugCommunity } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

const ClassA = createDebugCommunityDefinition({ classification: 'ClassTestA' });
const ClassB = createDebugCommunityDefinition({ classification: 'ClassTestB' });

describe('test_classification', () => {
  test('test_classification.test_reclassify_unloaded_community', async () => {
    const env = await environment();
    const node = env.mm.dispersy;
    const a = node.createCommunity(ClassA);
    const cid = a.cid;
    a.unload();
    expect(node.getCommunity(cid, { autoLoad: false })).toBeUndefined();
    const b = node.reclassifyCommunity(cid, ClassB);
    expect(b).toBeInstanceOf(DebugCommunity);
    expect(b.classification).toBe('ClassTestB');
    expect(b.cid).toEqual(cid);
    expect(node.storedCommunities('ClassTestB').map((s) => s.cid)).toEqual([cid]);
    expect(node.storedCommunities('ClassTestA')).toEqual([]);
  });

  test('test_classification.test_reclassify_loaded_community', async () => {
    const env = await environment();
    const node = env.mm.dispersy;
    const a = node.createCommunity(ClassA);
    const b = node.reclassifyCommunity(a, ClassB);
    expect(a.loaded).toBe(false);
    expect(b.loaded).toBe(true);
    expect(b.classification).toBe('ClassTestB');
    expect(node.getCommunity(a.cid)).toBe(b);
    expect(node.storedCommunities('ClassTestB')).toHaveLength(1);
    // its data survived: the identity and the master's authorize are still stored
    expect(b.storage.hasIdentity(b.myMemberId)).toBe(true);
    expect(b.globalTime).toBe(4);
  });

  test('test_classification.test_load_one_communities', async () => {
    const env = await environment();
    const node = env.mm.dispersy;
    const a = node.createCommunity(ClassA);
    a.unload();
    const stored = node.storedCommunities('ClassTestA');
    expect(stored.map((s) => s.cid)).toEqual([a.cid]);
    expect(stored[0]!.master?.mid).toEqual(a.cid);
    const loaded = node.getCommunity(a.cid, { load: true });
    expect(loaded?.classification).toBe('ClassTestA');
  });

  test('test_classification.test_load_two_communities', async () => {
    const env = await environment();
    const node = env.mm.dispersy;
    const first = node.createCommunity(ClassA);
    const second = node.createCommunity(ClassA);
    first.unload();
    second.unload();
    expect(node.storedCommunities('ClassTestA').map((s) => s.cid)).toEqual([first.cid, second.cid]);
  });

  test('test_classification.test_enable_autoload: an incoming message loads the community and is stored', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const cid = node!.community.cid;
    node!.community.unload();
    expect(node!.dispersy.getCommunity(cid, { autoLoad: false })).toBeUndefined();
    const message = other!.createFullSyncText('Should auto-load', 10);
    node!.giveMessage(message, other!);
    expect(node!.dispersy.communities.has(node!.community.cidHex)).toBe(true);
    node!.assertStored(message);
  });

  test('test_classification.test_enable_disable_autoload: with auto-load off it is neither loaded nor stored', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const community = node!.community;
    const cid = community.cid;
    const storage = community.storage;
    community.unload();
    expect(node!.dispersy.setAutoLoad(cid, false)).toBe(true);
    const message = other!.createFullSyncText('Should not auto-load', 10);
    node!.giveMessage(message, other!);
    expect(node!.dispersy.getCommunity(cid, { autoLoad: true })).toBeUndefined();
    expect(node!.dispersy.statistics.snapshot().drops.byStage.batch).toMatchObject({ unknown_community: 1 });
    expect(storage.store.sync.get({ community: storage.id, member: node!.dispersy.members.idOf(other!.publicKey), globalTime: 10 })).toBeUndefined();
    // turned on again, the next message loads it
    node!.dispersy.setAutoLoad(cid, true);
    node!.giveMessage(message, other!);
    node!.assertStored(message);
  });
});
