// Tracker mode (spec §13.2) at the runtime level, on the in-memory network: a tracker answers introduction-requests
// of communities it has never heard of, introduces their peers to each other, and keeps bounded state. Includes the
// runtime-level port of test_tracker (identity exchange with a tracker).
import { onTestFinished, describe, expect, test } from 'vitest';
import { createSeededRandom, type Address } from '@dispersy/interfaces';
import type { Dispersy } from '../../src/node.ts';
import { createDebugEnvironment, createDebugCommunityDefinition, DebugNode, type DebugEnvironment } from '../../src/testing/index.ts';
import { createTracker, TRACKER_UNSUPPORTED, TrackerCommunity, type TrackerInit } from '../../src/tracker.ts';

/** An environment and a started tracker on its network, both stopped (and checked for timers) after the test. */
async function setup(init: Partial<TrackerInit> = {}): Promise<{ env: DebugEnvironment; tracker: Dispersy }> {
  const env = await createDebugEnvironment();
  const tracker = createTracker({ endpoint: env.network.createEndpoint({ host: '10.200.0.1', port: 6421 }), clock: env.clock, random: createSeededRandom(99), fragile: true, ...init });
  await tracker.start();
  onTestFinished(async () => {
    await tracker.stop();
    await env.stop();
    if (env.clock.pending !== 0) throw new Error(`${env.clock.pending} timers left after stop()`);
  });
  return { env, tracker };
}

function trackerCommunity(tracker: Dispersy, node: DebugNode): TrackerCommunity | undefined {
  const c = tracker.communities.get(node.community.cidHex);
  return c instanceof TrackerCommunity ? c : undefined;
}

const category = (node: DebugNode, address: Address) => node.community.candidates.get(address)?.category(node.community.clock.now());

describe('tracker mode (spec §13.2)', () => {
  test('test_tracker (runtime level): an unknown community is created on the fly; identities are exchanged both ways', async () => {
    const { env, tracker } = await setup();
    const [node] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    node.community.takeStep(tracker.address);
    env.network.deliverNext(); // the request: the tracker creates the community, and needs the node's identity
    const c = trackerCommunity(tracker, node)!;
    expect(c.classification).toBe('TrackerCommunity');
    expect(c.master).toBeUndefined();
    const [missing] = node.receive({ names: ['dispersy-missing-identity'] });
    expect((missing!.payload as { mid: Uint8Array }).mid).toEqual(node.publicKey.mid);
    node.giveMessage(missing!, tracker.address); // the node answers with its identity…
    env.deliverAll(); // …the tracker answers the request; the node asks for the tracker's identity and gets it
    expect(node.community.getMember(tracker.myMember.publicKey.mid)).toBeDefined();
    expect(node.community.statistics.snapshot().walk).toMatchObject({ attempt: 1, success: 1 });
    expect(category(node, tracker.address)).toBe('walk');
    expect(c.candidates.get(node.address)?.category(env.clock.now())).toBe('stumble');
    expect(c.tasks.has('candidate-walker')).toBe(false); // a tracker never walks
  });

  test('two nodes that know only the tracker find each other through it and sync a message', async () => {
    const { env, tracker } = await setup();
    const [a, b] = (await env.createNodes(2, { candidates: false })) as [DebugNode, DebugNode];
    for (const n of [a, b]) n.community.addCandidate(tracker.address, { category: 'discovered' });
    const message = a.createFullSyncText('hello through the tracker', 10);
    a.community.storeUpdateForward([message], { forward: false });
    a.community.takeStep();
    env.deliverAll();
    b.community.takeStep(); // the tracker introduces A to B and asks A to puncture B
    env.deliverAll();
    expect(category(b, a.address)).toBe('intro');
    expect(b.community.walker.statistics.puncturesReceived).toBe(1);
    b.community.takeStep(); // B walks to A (the tracker was walked to just now), with a sync filter
    env.deliverAll();
    expect(category(b, a.address)).toBe('walk');
    expect(category(a, b.address)).toBe('stumble');
    b.assertStored(message);
    const c = trackerCommunity(tracker, a)!;
    expect(c.candidates.verifiedCandidates(env.clock.now())).toHaveLength(2);
    expect(tracker.store.selection.countSyncable(c.databaseId)).toBe(0); // it stores no community data
  });

  test('answers a request in its own community version (a conversion per version seen)', async () => {
    const { env, tracker } = await setup();
    const [a] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    a.community.takeStep(tracker.address);
    env.deliverAll();
    const { dispersy, endpoint } = await env.createDispersy();
    const cid = a.community.cid;
    const v2 = dispersy.joinCommunity(createDebugCommunityDefinition({ communityVersion: 2, classification: 'DebugCommunityV2' }), { cid });
    env.nodes.push(new DebugNode(dispersy, endpoint, env.network, cid)); // stopped with the environment
    v2.takeStep(tracker.address);
    env.deliverAll();
    expect(v2.statistics.snapshot().walk).toMatchObject({ attempt: 1, success: 1 });
    expect(trackerCommunity(tracker, a)!.conversions.map((c) => c.communityVersion).sort()).toEqual([0, 1, 2]);
  });

  test('signatures are verified; built-ins other than the walker and identity messages are dropped; community metas are unknown', async () => {
    const { env, tracker } = await setup();
    const [a] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    a.community.takeStep(tracker.address);
    env.deliverAll();
    const c = trackerCommunity(tracker, a)!;
    const forged = a.community.createIntroductionRequest(tracker.address, { forward: false })!.packet.slice();
    forged[forged.length - 1]! ^= 0xff;
    const missingMessage = a.build('dispersy-missing-message', { member: a.publicKey, globalTimes: [1] }, { globalTime: 3 });
    const text = a.createFullSyncText('not for trackers', 20);
    tracker.receivePackets([forged, missingMessage.packet, text.packet].map((packet) => ({ packet, source: { address: a.address, tunnel: false } })));
    const drops = c.statistics.snapshot().drops.byStage;
    expect(drops.packet).toMatchObject({ BAD_SIGNATURE: 1 });
    expect(drops.message).toMatchObject({ [TRACKER_UNSUPPORTED]: 1 });
    expect(drops.batch).toMatchObject({ unknown_conversion: 1 });
  });

  test('bounded: at most maxCommunities loaded (least recently used unloaded, its rows deleted)', async () => {
    const { env, tracker } = await setup({ maxCommunities: 2 });
    const mm = env.mm;
    const communities = [mm.community, mm.dispersy.createCommunity(env.definition), mm.dispersy.createCommunity(env.definition)];
    const loaded = () => [...tracker.communities.keys()];
    for (const c of communities) {
      c.takeStep(tracker.address);
      env.deliverAll();
    }
    expect(loaded()).toEqual([communities[1]!.cidHex, communities[2]!.cidHex]);
    expect(tracker.store.sync.maxGlobalTime(1)).toBe(0); // the first tracker community's identities are gone
    communities[1]!.takeStep(tracker.address); // used again: now the most recent
    communities[0]!.takeStep(tracker.address); // comes back, evicting the least recently used
    env.deliverAll();
    expect(loaded().sort()).toEqual([communities[0]!.cidHex, communities[1]!.cidHex].sort());
  });

  test('bounded: a sweep forgets stored identities beyond maxIdentities (all but mine); peers stay candidates', async () => {
    const { env, tracker } = await setup({ maxIdentities: 2 });
    const nodes = await env.createNodes(3, { candidates: false });
    for (const n of nodes) n.community.takeStep(tracker.address);
    env.deliverAll();
    const c = trackerCommunity(tracker, nodes[0]!)!;
    const identities = () => [...c.storage.store.sync.iterateByMeta(c.storage.metaId('dispersy-identity'))].map((row) => row.member);
    expect(identities()).toHaveLength(4); // three peers and mine
    env.clock.advance(180);
    expect(identities()).toEqual([c.myMemberId]);
    expect(c.candidates.size).toBe(3);
  });

  test('bounded: a community without verified candidates for 3 consecutive 180 s sweeps is unloaded', async () => {
    const { env, tracker } = await setup();
    const mm = env.mm;
    mm.community.takeStep(tracker.address);
    env.deliverAll();
    const c = tracker.communities.get(mm.community.cidHex) as TrackerCommunity;
    env.clock.advance(180);
    expect(c.strikes).toBe(1); // mm stopped being verified after 57.5 s
    env.clock.advance(150);
    mm.community.takeStep(tracker.address);
    env.deliverAll();
    env.clock.advance(30);
    expect(c.strikes).toBe(0); // verified again at this sweep: the count starts over
    env.clock.advance(360);
    expect(c.loaded).toBe(true);
    env.clock.advance(180);
    expect(c.loaded).toBe(false);
    expect(tracker.communities.size).toBe(0);
    expect(tracker.store.sync.maxGlobalTime(c.databaseId)).toBe(0);
  });
});
