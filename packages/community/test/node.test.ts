import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@dispersy/crypto';
import { ManualClock, createSeededRandom } from '@dispersy/interfaces';
import { openStore } from '@dispersy/store';
import { describe, expect, onTestFinished, test } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { Dispersy } from '../src/node.ts';
import { createDebugCommunityDefinition, debugCommunity, MemoryNetwork, type DebugCommunity } from '../src/testing/index.ts';
import { environment } from './helpers.ts';

const ENC = new TextEncoder();

function node(network: MemoryNetwork, clock: ManualClock, init: Partial<ConstructorParameters<typeof Dispersy>[0]> = {}): Dispersy {
  return new Dispersy({ databasePath: ':memory:', endpoint: network.createEndpoint(), clock, random: createSeededRandom(3), fragile: true, ...init });
}

describe('Dispersy node lifecycle', () => {
  test('start/stop leaves no timers, closes the store and the owned endpoint', async () => {
    const clock = new ManualClock();
    const network = new MemoryNetwork();
    const n = node(network, clock);
    await n.start();
    const created = n.createCommunity(debugCommunity);
    const joined = n.joinCommunity(debugCommunity, { cid: generateKeyPair().publicKey.mid }); // master unknown: download task
    expect(joined.master).toBeUndefined();
    expect(joined.tasks.has('download-master')).toBe(true);
    created.receivePackets([{ packet: created.encode('batched-text', { globalTime: 9, payload: { text: ENC.encode('x') } }).packet, source: { address: { host: '10.9.9.9', port: 1 }, tunnel: false } }], { cache: true });
    expect(created.batches.size).toBe(1);
    expect(clock.pending).toBeGreaterThan(0);
    await n.stop();
    expect(clock.pending).toBe(0);
    expect(n.store.closed).toBe(true);
    expect(network.endpoint(n.address)?.closed).toBe(true);
    expect(n.communities.size).toBe(0);
    await n.stop(); // idempotent
    await expect(n.start()).rejects.toThrow(/stopped/);
  });

  test('a store given with ownsStore: false stays open; ownsEndpoint: false keeps the endpoint', async () => {
    const store = openStore(':memory:');
    onTestFinished(() => store.close());
    const network = new MemoryNetwork();
    const n = node(network, new ManualClock(), { store, databasePath: undefined, ownsStore: false, ownsEndpoint: false });
    await n.start();
    await n.stop();
    expect(store.closed).toBe(false);
    expect(network.endpoint(n.address)?.closed).toBe(false);
    expect(() => new Dispersy({ endpoint: network.createEndpoint() })).toThrow(TypeError);
  });

  test('create_community order: my identity gt 2, master identity gt 3, master authorize gt 4 seq 1, nothing sent', async () => {
    const env = await environment();
    const c = env.mm.community;
    const storage = c.storage;
    const me = storage.rowsOf('dispersy-identity', c.myMemberId);
    const masterId = c.node.members.idOf(c.master!);
    const master = storage.rowsOf('dispersy-identity', masterId);
    const authorize = storage.rowsOf('dispersy-authorize', masterId);
    expect([me[0]?.globalTime, master[0]?.globalTime, authorize[0]?.globalTime, authorize[0]?.sequence]).toEqual([2, 3, 4, 1]);
    expect(c.globalTime).toBe(4);
    expect(env.network.pending).toBe(0);
    // the timeline holds the initial grants: my member may create protected (Linear) messages
    expect(c.timeline.allowed(toHex(c.myMember.publicKey.mid), 'protected-full-sync-text', 5)).toBe(true);
    expect(c.timeline.allowed(toHex(c.myMember.publicKey.mid), 'protected-full-sync-text', 3)).toBe(false);
  });

  test('join by master public key knows the master; join by cid learns it from its identity and stops the download task', async () => {
    const env = await environment();
    const byKey = (await env.createDispersy()).dispersy;
    const joined = byKey.joinCommunity(env.definition, { masterKey: env.mm.community.master!.bytes });
    expect(joined.master?.bytes).toEqual(env.mm.community.master!.bytes);
    expect(joined.tasks.has('download-master')).toBe(false);
    await byKey.stop();

    const [node] = await env.createNodes(1, { storeIdentity: false });
    const c = node!.community;
    expect(c.master).toBeUndefined();
    // every 15 s one verified candidate (mm, a walk candidate) is asked for the master's identity
    env.clock.advance(15);
    const requests = env.mm.receive({ names: ['dispersy-missing-identity'] });
    expect(requests).toHaveLength(1);
    expect((requests[0]!.payload as { mid: Uint8Array }).mid).toEqual(c.cid);
    env.mm.giveMessages(requests, node!);
    env.deliverAll();
    expect(c.master?.mid).toEqual(c.cid);
    expect(c.tasks.has('download-master')).toBe(false);
    env.clock.advance(30);
    expect(env.mm.receive({ names: ['dispersy-missing-identity'] })).toHaveLength(0);
  });

  test('loads from the store: global time, sequence counters, timeline replay, no second identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispersy-community-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'node.db');
    const memberKey = generateKeyPair();
    const clock = new ManualClock();
    const network = new MemoryNetwork();
    const first = node(network, clock, { databasePath: path, memberKey });
    await first.start();
    const c1 = first.createCommunity(debugCommunity);
    c1.create('sequence-text', { text: ENC.encode('#1') });
    c1.create('sequence-text', { text: ENC.encode('#2') });
    c1.create('full-sync-text', { text: ENC.encode('hello') }, { globalTime: 40 });
    const cid = c1.cid;
    await first.stop();

    const second = node(network, clock, { databasePath: path, memberKey });
    second.defineAutoLoad(debugCommunity, { load: true });
    await second.start();
    const c2 = second.getCommunity(cid, { autoLoad: false }) as DebugCommunity;
    expect(c2).toBeDefined();
    expect(c2.globalTime).toBe(40);
    expect(c2.master?.mid).toEqual(cid);
    expect(c2.masterPrivateKey).toBeDefined();
    expect(c2.storage.rowsOf('dispersy-identity', c2.myMemberId)).toHaveLength(1);
    const third = c2.create('sequence-text', { text: ENC.encode('#3') });
    expect([third.sequenceNumber, third.globalTime]).toEqual([3, 41]);
    expect(c2.timeline.allowed(toHex(memberKey.publicKey.mid), 'protected-full-sync-text', 41)).toBe(true);
    await second.stop();
  });

  test('unknown community, short packets and a stopped node are counted drops', async () => {
    const env = await environment();
    const [n] = await env.createNodes(1);
    const d = n!.dispersy;
    const foreign = createDebugCommunityDefinition();
    const elsewhere = (await env.createDispersy()).dispersy.createCommunity(foreign);
    n!.givePacket(elsewhere.encode('full-sync-text', { globalTime: 5, payload: { text: ENC.encode('?') } }).packet, env.mm);
    n!.givePacket(new Uint8Array(22), env.mm);
    expect(d.statistics.snapshot().drops.byStage.batch).toEqual({ unknown_community: 1, too_short: 1 });
    await elsewhere.node.stop();
  });

  test('fragile mode rethrows a throwing handle callback; otherwise it is counted, rows stay, nothing resumes', async () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    const definition = createDebugCommunityDefinition({ classification: 'Boom' });
    const metas = definition.metas.map((m) => (m.name === 'full-sync-text' ? { ...m, handle: boom } : m));
    const broken = { ...definition, metas };
    for (const fragile of [true, false]) {
      const env = await environment({ definition: broken, fragile });
      const [n, other] = await env.createNodes(2);
      other!.sendIdentity(n!);
      const message = other!.createFullSyncText('boom', 10);
      if (fragile) expect(() => n!.giveMessage(message, other!)).toThrow('boom');
      else {
        n!.giveMessage(message, other!);
        expect(n!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ handle_failed: 1 });
      }
      n!.assertStored(message);
    }
  });

  test('the member cache is bounded', async () => {
    const clock = new ManualClock();
    const n = node(new MemoryNetwork(), clock, { memberCacheSize: 2 });
    const keys = [generateKeyPair(), generateKeyPair(), generateKeyPair()].map((k) => k.publicKey);
    const ids = keys.map((k) => n.members.idOf(k));
    expect(new Set(ids).size).toBe(3);
    expect(keys.map((k) => n.members.idOf(k))).toEqual(ids);
    expect(n.members.keyOf(ids[0]!)?.bytes).toEqual(keys[0]!.bytes);
    expect(n.members.byMid(keys[1]!.mid).map((e) => e.id)).toEqual([ids[1]]);
    await n.stop();
  });
});
