// The sync requester (spec §8.3): the sync cache (reuse < 100 times while responses arrive, fed by onStored), the
// skip curve, and the 'largest' and 'modulo' strategies (priority > 32, undone = 0, a range never splits a global
// time, the small-database / pivot modes).
import { describe, expect, test } from 'vitest';
import { BloomFilter } from '@dispersy/bloom';
import type { Community } from '../src/community.ts';
import { claimLargest, claimModulo, syncFilterSize } from '../src/sync-filter.ts';
import { claimSyncFilter, SKIP_CURVE, SYNC_CACHE_MAX_USES, syncRequesterState } from '../src/sync-requester.ts';
import { createDebugCommunityDefinition, type DebugNode } from '../src/testing/index.ts';
import { environment, range } from './helpers.ts';

const PEER = { host: '10.99.0.1', port: 7 };

function peer(c: Community) {
  return c.candidates.get(PEER) ?? c.addCandidate(PEER, { category: 'walk' });
}

function filterOf(sync: NonNullable<ReturnType<typeof claimSyncFilter>>): BloomFilter {
  return BloomFilter.fromBytes(sync.bloom.bytes, sync.bloom.functions, Uint8Array.of(sync.bloom.prefix));
}

/** NODE stores `n` full-sync-texts of OTHER and `n` of its own at the same global times (pairs share one). */
async function pairsAtSameGlobalTimes(n: number, knobs: Parameters<typeof createDebugCommunityDefinition>[0] = {}): Promise<{ node: DebugNode; packets: { gt: number; packet: Uint8Array }[] }> {
  const env = await environment({ definition: createDebugCommunityDefinition(knobs) });
  const [node, other] = await env.createNodes(2, { candidates: false });
  node!.sendIdentity(other!);
  const theirs = range(n).map((i) => other!.createFullSyncText(`other ${i}`, 10 + i));
  const mine = range(n).map((i) => node!.createFullSyncText(`mine ${i}`, 10 + i));
  node!.giveMessages(theirs, other!);
  node!.community.storeUpdateForward(mine, { forward: false });
  const packets = [...theirs, ...mine].map((m) => ({ gt: m.globalTime, packet: m.packet }));
  return { node: node!, packets };
}

describe('sync cache', () => {
  test('a filter that brought packets from its peer is reused with them added, fewer than 100 times', async () => {
    const env = await environment();
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.sendIdentity(b!);
    for (const i of range(10)) b!.community.create('full-sync-text', { text: new TextEncoder().encode(`b ${i}`) }, { forward: false });
    const first = a!.community.takeStep(b!.address)!;
    env.deliverAll();
    const state = syncRequesterState(a!.community);
    expect(state.cache!.responsesReceived).toBeGreaterThanOrEqual(10); // the texts (and the master's authorize, if missing)
    const second = a!.community.takeStep(b!.address)!;
    expect(second.payload.sync!.bloom.prefix).toBe(first.payload.sync!.bloom.prefix);
    const filter = filterOf(second.payload.sync!);
    for (const packet of b!.storedPackets('full-sync-text')) expect(filter.contains(packet)).toBe(true);
    expect(state.cache!.timesUsed).toBe(1);
    expect(a!.community.statistics.snapshot().syncBloom).toMatchObject({ new: 1, reuse: 1, send: 2 });
    // used up: a response no longer buys a reuse
    state.cache!.timesUsed = SYNC_CACHE_MAX_USES;
    state.cache!.responsesReceived = 1;
    a!.community.takeStep(b!.address);
    expect(a!.community.statistics.snapshot().syncBloom).toMatchObject({ new: 2, reuse: 1, send: 3 });
    expect(state.cache!.timesUsed).toBe(0);
  });

  test('skip curve: each fresh filter without responses raises the counter (≤ 11); rounds are skipped from 3 on; a response resets it', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1, { candidates: false });
    const c = node!.community;
    c.create('full-sync-text', { text: new TextEncoder().encode('x') }, { forward: false });
    const state = syncRequesterState(c);
    const counts: number[] = [];
    for (const _ of range(3)) {
      expect(claimSyncFilter(c, peer(c))).toBeDefined();
      counts.push(state.skipCount);
    }
    expect(counts).toEqual([0, 1, 2]);
    let skipped = 0;
    let rounds = 0;
    for (const _ of range(400)) {
      const before = state.skipCount;
      const sync = claimSyncFilter(c, peer(c));
      if (sync === undefined) {
        skipped++;
        expect(state.skipCount).toBeGreaterThanOrEqual(3);
        expect(state.cache).toBeUndefined();
      }
      expect(state.skipCount).toBeLessThanOrEqual(SKIP_CURVE.length);
      if (before === SKIP_CURVE.length) rounds++;
    }
    expect(state.skipCount).toBe(11);
    expect(skipped / 400).toBeGreaterThan(0.75);
    expect(c.statistics.snapshot().syncBloom.skip).toBe(skipped);
    expect(rounds).toBeGreaterThan(300);
    // a response resets the counter and the cache is reused
    while (state.cache === undefined) claimSyncFilter(c, peer(c));
    state.cache.responsesReceived = 1;
    claimSyncFilter(c, peer(c));
    expect(state.skipCount).toBe(0);
    expect(state.cache.timesUsed).toBe(1);
  });

  test('with syncSkipEnable off no round is skipped', async () => {
    const env = await environment({ definition: createDebugCommunityDefinition({ knobs: { syncSkipEnable: false } }) });
    const [node] = await env.createNodes(1, { candidates: false });
    const c = node!.community;
    for (const _ of range(100)) expect(claimSyncFilter(c, peer(c))).toBeDefined();
    expect(c.statistics.snapshot().syncBloom.skip).toBe(0);
  });

  test('pending batches of sync metas are processed before the filter is built', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2, { candidates: false });
    node!.sendIdentity(other!);
    const batched = other!.createBatchedText('waiting in the window', 50);
    node!.giveMessage(batched, other!, { cache: true });
    node!.assertNotStored(batched);
    const request = node!.community.createIntroductionRequest(PEER, { allowSync: true })!;
    node!.assertStored(batched);
    expect(filterOf(request.payload.sync!).contains(batched.packet)).toBe(true);
  });
});

describe("strategy 'largest'", () => {
  test('small database: the range is [1, acceptable] and the filter holds every syncable packet (no identities, no undone rows)', async () => {
    const { node, packets } = await pairsAtSameGlobalTimes(20);
    const c = node.community;
    const undone = packets[20]!; // my first one
    c.storage.store.undo.markUndoneByPolicy(c.storage.store.sync.getByGlobalTimes(c.storage.id, c.myMemberId, [undone.gt])[0]!.id);
    const claim = claimLargest(c, syncRequesterState(c));
    expect([claim.timeLow, claim.timeHigh, claim.modulo, claim.offset]).toEqual([1, c.acceptableGlobalTime, 1, 0]);
    expect(claim.filter.bits).toBe(syncFilterSize(c));
    for (const { packet } of packets.filter((p) => p !== undone)) expect(claim.filter.contains(packet)).toBe(true);
    const identity = c.storage.rowsOf('dispersy-identity', c.myMemberId)[0]!;
    expect(claim.filter.contains(identity.packet)).toBe(false);
    expect(claim.filter.contains(undone.packet)).toBe(false);
  });

  test('more rows than capacity: pivot mode, at most capacity rows, every row of the range included (no global time split)', async () => {
    const { node, packets } = await pairsAtSameGlobalTimes(100, { knobs: { syncBloomFilterBits: 512 } });
    const c = node.community;
    const state = syncRequesterState(c);
    const capacity = BloomFilter.fromBits(512, 0.01).capacityFor(0.01);
    const first = claimLargest(c, state);
    expect(state.nrSyncPackets).toBe(capacity + 1);
    expect(first.timeLow).toBe(1);
    for (const _ of range(40)) {
      const claim = claimLargest(c, state);
      const inRange = packets.filter((p) => p.gt >= claim.timeLow && p.gt <= claim.timeHigh);
      expect(inRange.length).toBeLessThanOrEqual(capacity);
      expect(inRange.length).toBeGreaterThan(0);
      for (const p of inRange) expect(claim.filter.contains(p.packet)).toBe(true);
      expect(claim.timeHigh).toBeLessThanOrEqual(c.acceptableGlobalTime);
    }
  });

  test('no syncable row yet: the 8-bit "nothing to sync" filter over [1, acceptable]', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1, { candidates: false, storeIdentity: false });
    const c = node!.community;
    const claim = claimLargest(c, syncRequesterState(c));
    expect([claim.timeLow, claim.timeHigh, claim.filter.bits, claim.filter.functions]).toEqual([1, c.acceptableGlobalTime, 8, 6]);
  });
});

describe("strategy 'modulo'", () => {
  test('modulo = ceil(n / capacity); the filter holds exactly one residue class; the range is [1, acceptable]', async () => {
    const { node, packets } = await pairsAtSameGlobalTimes(100, { knobs: { syncBloomFilterBits: 512, syncBloomFilterStrategy: 'modulo' } });
    const c = node.community;
    const capacity = BloomFilter.fromBits(512, 0.01).capacityFor(0.01);
    const n = c.storage.store.selection.countSyncable(c.storage.id);
    const sync = claimSyncFilter(c, peer(c))!;
    expect(sync.modulo).toBe(Math.ceil(n / capacity));
    expect(sync.offset).toBeLessThan(sync.modulo);
    expect([sync.timeLow, sync.timeHigh]).toEqual([1, c.acceptableGlobalTime]);
    const filter = filterOf(sync);
    for (const p of packets.filter((p) => (p.gt + sync.offset) % sync.modulo === 0)) expect(filter.contains(p.packet)).toBe(true);
    const claim = claimModulo(c, syncRequesterState(c));
    expect(claim.modulo).toBe(sync.modulo);
  });
});
