// The incoming pipeline around the distribution rules: ordering (quirk 20), delays and their requests, direct
// messages and candidates, the acceptable global time, built-ins without behaviour. Topology: NODE <- OTHER.
import { describe, expect, test } from 'vitest';
import { textPayload } from '@dispersy/codec';
import { defineCommunityMeta } from '../src/community-meta.ts';
import { createDebugCommunityDefinition } from '../src/testing/index.ts';
import { environment, range } from './helpers.ts';

const ENC = new TextEncoder();

describe('incoming pipeline', () => {
  test('quirk 20: in one call, identities are processed first (total order), so nothing is delayed', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    const message = other!.createFullSyncText('after the identity', 10);
    node!.givePackets([message.packet, other!.identityPacket()], other!);
    node!.assertStored(message);
    expect(other!.receive({ names: ['dispersy-missing-identity'] })).toHaveLength(0);
    expect(node!.community.statistics.snapshot().delays.received).toBe(0);
  });

  test('a Linear message from a member without permit is delayed by proof and a missing-proof goes to the sender', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const protectedText = other!.createText('protected-full-sync-text', 'not permitted', { globalTime: 42 });
    node!.giveMessage(protectedText, other!);
    node!.giveMessage(protectedText, other!);
    node!.assertNotStored(protectedText);
    const requests = other!.receive({ names: ['dispersy-missing-proof'] });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.payload).toMatchObject({ globalTime: 42 });
    expect((requests[0]!.payload as { member: { bytes: Uint8Array } }).member.bytes).toEqual(other!.publicKey.bytes);
    // the second copy waits too (each delayed message is its own item), but asks nothing more
    expect(node!.community.delays.size).toBe(2);
  });

  test('a message signed by the master passes the Linear check (the master holds every permission)', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const mm = env.mm.community;
    const byMaster = mm.create('protected-full-sync-text', { text: ENC.encode('by master') }, { signWithMaster: true, forward: false });
    node!.giveMessage(byMaster, env.mm);
    node!.assertStored(byMaster);
  });

  test('a dynamic-resolution message claiming a policy other than the local one is delayed by proof', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const publicOne = other!.createText('dynamic-resolution-text', 'public (0)', { globalTime: 20, resolutionIndex: 0 });
    const linearOne = other!.createText('dynamic-resolution-text', 'linear (1)', { globalTime: 21, resolutionIndex: 1 });
    node!.giveMessages([publicOne, linearOne], other!);
    node!.assertStored(publicOne);
    node!.assertNotStored(linearOne);
    expect(other!.receive({ names: ['dispersy-missing-proof'] })).toHaveLength(1);
  });

  test('direct messages update the sender candidate (global time max, member) and are not stored', async () => {
    const base = createDebugCommunityDefinition({ classification: 'WithDirect' });
    const direct = defineCommunityMeta({
      name: 'direct-text',
      id: 120,
      authentication: { kind: 'member', encoding: 'default' },
      resolution: { kind: 'public' },
      distribution: { kind: 'direct' },
      destination: { kind: 'candidate' },
      payload: textPayload,
    });
    const env = await environment({ definition: { ...base, metas: [...base.metas, direct] } });
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const candidate = node!.community.addCandidate(other!.address, { category: 'stumble' });
    const before = node!.community.globalTime;
    node!.giveMessages([other!.createText('direct-text', 'a', { globalTime: 77 }), other!.createText('direct-text', 'b', { globalTime: 70 })], other!);
    expect(candidate.globalTime).toBe(77);
    expect(candidate.memberId).toBe(Buffer.from(other!.publicKey.mid).toString('hex'));
    expect(node!.community.statistics.snapshot().processed.byLabel['direct-text']).toBe(2);
    expect(node!.community.globalTime).toBe(before); // direct messages do not advance the clock
    // the same direct message again is processed again (no duplicate detection)
    node!.giveMessage(other!.createText('direct-text', 'a', { globalTime: 77 }), other!);
    expect(node!.community.statistics.snapshot().processed.byLabel['direct-text']).toBe(3);
  });

  test('built-ins without a behaviour are counted drops (not_implemented)', async () => {
    const env = await environment();
    const [other] = await env.createNodes(1);
    // Every built-in has a behaviour now: a fresh node loses one before its community builds its meta table.
    const { dispersy } = await env.createDispersy();
    (dispersy.builtins as Map<string, unknown>).delete('dispersy-introduction-request');
    const community = dispersy.joinCommunity(env.definition, { cid: env.mm.community.cid });
    const request = other!.build('dispersy-introduction-request', {
      destinationAddress: dispersy.address,
      sourceLanAddress: other!.address,
      sourceWanAddress: other!.address,
      advice: true,
      connectionType: 'unknown',
      identifier: 7,
    }, { globalTime: 77 });
    const source = { address: other!.address, tunnel: false };
    dispersy.receivePackets([{ packet: other!.identityPacket(), source }, { packet: request.packet, source }]);
    expect(community.statistics.snapshot().drops.byStage.message).toMatchObject({ not_implemented: 1 });
    expect(env.network.pending).toBe(0);
    await dispersy.stop();
  });

  test('sync messages above the acceptable global time are dropped; the median of > 5 verified candidates raises it', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const c = node!.community;
    const far = other!.createFullSyncText('far future', c.globalTime + 10_001);
    node!.giveMessage(far, other!);
    node!.assertNotStored(far);
    expect(c.statistics.snapshot().drops.byStage.message).toMatchObject({ global_time_not_acceptable: 1 });
    for (const i of range(6)) c.addCandidate({ host: '10.1.0.1', port: 100 + i }, { category: 'walk', globalTime: 50_000 });
    env.clock.advance(5); // the acceptable global time is cached for 5 s
    expect(c.acceptableGlobalTime).toBe(60_000);
    node!.giveMessage(far, other!);
    node!.assertStored(far);
  });

  test('the identity of a member known by mid resolves its sha1 packets; positive lookups are cached', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const c = node!.community;
    c.identities.clear();
    expect(c.getMember(other!.publicKey.mid)?.bytes).toEqual(other!.publicKey.bytes);
    expect(c.identities.has(other!.publicKey.mid)).toBe(true);
    expect(c.getMember(new Uint8Array(20))).toBeUndefined();
  });

  test('a community version 0x00 packet (DefaultConversion) of a built-in is decoded', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    const legacy = node!.community.conversions[0]!;
    expect(legacy.communityVersion).toBe(0);
    const packet = legacy.encode('dispersy-missing-identity', { globalTime: 3, payload: { mid: node!.publicKey.mid } });
    node!.givePacket(packet, other!);
    expect(other!.receive({ names: ['dispersy-identity'] })).toHaveLength(1);
  });
});
