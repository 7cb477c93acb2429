// The runtime driving @dispersy/walker end to end (spec §7): WAN voting from the destination addresses of received
// requests (shared by every community of a node) and my connection type in my requests, the symmetric-NAT port
// change, duplicate-candidate merging, the introduction-request timeout, the fast walker and keep-alive.
import { describe, expect, test } from 'vitest';
import type { IntroductionRequestPayload } from '@dispersy/codec';
import { createSeededRandom, ManualClock, NO_ADDRESS, type Address } from '@dispersy/interfaces';
import { toHex } from '../../src/internal/bytes.ts';
import { Dispersy } from '../../src/node.ts';
import { openUdpEndpoint } from '../../src/udp-endpoint.ts';
import { buildIntroductionRequest, createDebugCommunityDefinition, type DebugNode } from '../../src/testing/index.ts';
import { WALKER_EXPIRY_TASK } from '../../src/walk.ts';
import { environment } from '../helpers.ts';

const at = (host: string, port = 6421): Address => ({ host, port });

/** `to` receives an introduction-request signed by `signer`, addressed to `destination`, from socket address `from`. */
function request(to: DebugNode, signer: DebugNode, destination: Address, from: Address, options: Parameters<typeof buildIntroductionRequest>[2] = {}): void {
  const packet = buildIntroductionRequest(signer, destination, { advice: false, ...options }).packet;
  to.dispersy.receivePackets([{ packet, source: { address: from, tunnel: false } }]);
}

describe('WAN voting and connection type through the runtime (spec §7.9)', () => {
  test('three peers report my address: my WAN switches only with strictly more votes, in every community of the node', async () => {
    const env = await environment();
    const mm = env.mm;
    const [p1, p2, p3] = (await env.createNodes(3)) as [DebugNode, DebugNode, DebugNode];
    const votes = mm.dispersy.votes;
    const [w1, w2] = [at('5.5.5.5'), at('6.6.6.6')];
    expect([votes.lan, votes.wan]).toEqual([mm.address, mm.address]);
    request(mm, p1, w1, at('1.0.0.1'), { identifier: 1 });
    expect(votes.wan).toEqual(w1); // 1 vote > 0 for the current WAN
    request(mm, p2, w2, at('1.0.0.2'), { identifier: 2 });
    expect(votes.wan).toEqual(w1); // 1 vote for w2 is not MORE than the 1 for w1: no flapping
    request(mm, p3, w2, at('1.0.0.3'), { identifier: 3 });
    expect(votes.wan).toEqual(w2);
    expect(votes.connectionType).toBe('unknown'); // w2 was voted from two IPs: one mapping, not symmetric
    // peers inside my LAN do not vote: they cannot see my WAN address
    request(mm, p1, at('9.9.9.9'), p1.address, { identifier: 4 });
    expect(votes.votesFor(at('9.9.9.9'))).toBe(0);
    env.network.clear();
    const second = mm.dispersy.createCommunity(env.definition);
    for (const community of [mm.community, second]) {
      const sent = community.takeStep(p1.address)!;
      expect(sent.payload).toMatchObject({ sourceLanAddress: mm.address, sourceWanAddress: w2, connectionType: 'unknown' });
    }
  });

  test('connection type in my requests: public (one voted address, LAN = WAN) and symmetric-NAT (one port per peer)', async () => {
    const env = await environment();
    const mm = env.mm;
    const pub = await env.createNode({ address: at('7.7.7.7') });
    request(pub, mm, pub.address, at('1.0.0.9'));
    expect(pub.dispersy.votes.connectionType).toBe('public');
    const [sym] = (await env.createNodes(1)) as [DebugNode];
    request(sym, mm, at('5.5.5.5', 1000), at('1.0.0.1'), { identifier: 1 });
    request(sym, mm, at('5.5.5.5', 2000), at('1.0.0.2'), { identifier: 2 });
    expect(sym.dispersy.votes.connectionType).toBe('symmetric-NAT');
    env.network.clear();
    expect(pub.community.takeStep(mm.address)!.payload).toMatchObject({ connectionType: 'public', sourceWanAddress: pub.address });
    expect(sym.community.takeStep(mm.address)!.payload).toMatchObject({ connectionType: 'symmetric-NAT', sourceWanAddress: at('5.5.5.5', 1000) });
    // and in my responses
    env.network.clear();
    mm.community.takeStep(sym.address);
    env.network.deliverNext();
    const [response] = mm.receive({ names: ['dispersy-introduction-response'] });
    expect(response?.payload).toMatchObject({ connectionType: 'symmetric-NAT', sourceWanAddress: at('5.5.5.5', 1000), sourceLanAddress: sym.address });
  });
});

describe('my LAN address (spec §7.9)', () => {
  test('is the endpoint address, 127.0.0.1 included (the original blacklisted loopback and advertised an address nobody listened on)', async () => {
    const endpoint = await openUdpEndpoint({ host: '127.0.0.1', port: 0 });
    const node = new Dispersy({ endpoint, databasePath: ':memory:', clock: new ManualClock(), random: createSeededRandom(3) });
    await node.start();
    try {
      const community = node.createCommunity(createDebugCommunityDefinition());
      expect([node.votes.lan, node.votes.wan, community.walker.lan]).toEqual([endpoint.address, endpoint.address, endpoint.address]);
      const sent = community.takeStep(at('127.0.0.1', 9))!;
      expect(sent.payload).toMatchObject({ sourceLanAddress: endpoint.address, sourceWanAddress: endpoint.address, connectionType: 'unknown' });
      expect(endpoint.address.host).toBe('127.0.0.1');
    } finally {
      await node.stop();
    }
  });
});

describe('candidates (spec §7.9)', () => {
  test('a symmetric-NAT peer on a new port is the same candidate, re-homed (walker message with its LAN; any packet when its LAN is unknown)', async () => {
    const env = await environment();
    const mm = env.mm;
    const [p] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    const lan = at('192.168.1.5');
    const [old, moved] = [at('1.1.1.1', 40_000), at('1.1.1.1', 40_001)];
    const candidate = mm.community.addCandidate(old, { category: 'walk', lanAddress: lan, wanAddress: old, connectionType: 'symmetric-NAT' });
    env.clock.advance(10);
    request(mm, p, mm.address, moved, { sourceLan: lan, sourceWan: old, connectionType: 'symmetric-NAT' });
    expect(mm.community.candidates.get(old)).toBeUndefined();
    expect(mm.community.candidates.get(moved)).toBe(candidate);
    expect([candidate.address, candidate.wan, candidate.lan]).toEqual([moved, moved, lan]);
    expect(candidate.category(env.clock.now())).toBe('walk'); // its timestamps are kept
    expect(candidate.memberId).toBe(toHex(p.publicKey.mid));
    expect(mm.community.candidates.size).toBe(1);

    // the incoming-packet lookup (§12.2 step 2): LAN unknown, any packet from a new port re-homes it
    const [from, to] = [at('3.3.3.3', 50_000), at('3.3.3.3', 50_001)];
    const other = mm.community.addCandidate(from, { category: 'stumble', lanAddress: NO_ADDRESS, connectionType: 'symmetric-NAT' });
    const plain = mm.community.addCandidate(at('4.4.4.4', 1), { category: 'stumble' });
    mm.giveMessage(p.createFullSyncText('hello', 10), to);
    mm.giveMessage(p.createFullSyncText('again', 11), at('4.4.4.4', 2));
    expect(other.address).toEqual(to);
    expect(mm.community.candidates.get(to)).toBe(other);
    expect(plain.address).toEqual(at('4.4.4.4', 1)); // not symmetric-NAT: never re-homed
  });

  test('duplicate candidates are merged: a peer seen at a second address with the same WAN IP and LAN address', async () => {
    const env = await environment();
    const mm = env.mm;
    const [p] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    const lan = at('192.168.0.5');
    const [first, second] = [at('2.2.2.2', 1000), at('2.2.2.2', 2000)];
    const before = mm.community.addCandidate(first, { category: 'stumble', lanAddress: lan, wanAddress: first, globalTime: 77 });
    env.clock.advance(1);
    request(mm, p, mm.address, second, { sourceLan: lan, sourceWan: second });
    const after = mm.community.candidates.get(second)!;
    expect(mm.community.candidates.get(first)).toBeUndefined();
    expect(mm.community.candidates.size).toBe(1);
    expect(after).not.toBe(before);
    expect(after.globalTime).toBe(77); // merged: the maximum of every timestamp and of the global time
    expect(after.lastStumble).toBe(env.clock.now());
  });
});

describe('the requester side', () => {
  test('introduction-request timeout: the walker expires it on a community timer — a walk failure, lastWalkReply −1, a late response dropped', async () => {
    const env = await environment();
    const [a, b] = (await env.createNodes(2, { candidates: false })) as [DebugNode, DebugNode];
    a.sendIdentity(b);
    a.community.takeStep(b.address);
    expect(a.community.tasks.has(WALKER_EXPIRY_TASK)).toBe(true);
    env.network.deliverNext(); // the request reaches B, whose response waits on the network
    const late = env.network.take(a.address);
    expect(late).toHaveLength(1);
    env.clock.advance(10.4);
    expect(a.community.statistics.snapshot().walk.failure).toBe(0);
    env.clock.advance(0.1);
    expect(a.community.statistics.snapshot().walk).toMatchObject({ attempt: 1, success: 0, failure: 1 });
    expect(a.community.walker.statistics.walkFailure).toBe(1);
    const helper = a.community.candidates.get(b.address)!;
    expect(helper.lastWalkReply).toBe(-1);
    expect(helper.category(env.clock.now())).not.toBe('walk');
    expect(a.community.tasks.has(WALKER_EXPIRY_TASK)).toBe(false);
    for (const d of late) env.network.enqueue(d);
    env.deliverAll();
    expect(a.community.statistics.snapshot().drops.byStage.message).toMatchObject({ invalid_response_identifier: 1 });
  });

  test('the fast walker at bootstrap sends requests without sync to every eligible candidate, every 2 s, then hands over', async () => {
    const knobs = { enableCandidateWalker: true, enableFastCandidateWalker: true };
    const env = await environment({ definition: createDebugCommunityDefinition({ knobs }) });
    const [node, ...others] = (await env.createNodes(4, { candidates: false })) as DebugNode[];
    for (const other of others) {
      node!.sendIdentity(other);
      node!.community.addCandidate(other.address, { category: 'discovered' });
    }
    expect(node!.community.walker.fastWalkerActive).toBe(true);
    env.clock.advance(2); // the first step comes database id mod 3 s after load
    for (const other of others) {
      const requests = other.receive({ names: ['dispersy-introduction-request'] }) as unknown as { payload: IntroductionRequestPayload }[];
      expect(requests).toHaveLength(1);
      expect(requests[0]!.payload).toMatchObject({ advice: true, sync: undefined });
    }
    expect(node!.community.walker.statistics.fastWalkerRequests).toBe(3);
    expect(node!.community.statistics.snapshot().walk.attempt).toBe(3);
    env.advance(40); // at most 15 fast steps of 2 s
    expect(node!.community.walker.fastWalkerActive).toBe(false);
  });

  test('without the fast walker a step walks to one candidate', async () => {
    const env = await environment({ definition: createDebugCommunityDefinition({ knobs: { enableCandidateWalker: true } }) });
    const [node, ...others] = (await env.createNodes(4, { candidates: false })) as DebugNode[];
    for (const other of others) node!.community.addCandidate(other.address, { category: 'discovered' });
    env.clock.advance(2);
    expect(node!.community.statistics.snapshot().walk.attempt).toBe(1);
  });

  test('keep-alive: an obsolete keep-alive candidate goes on life support and gets a keep-alive request (advice off, no sync)', async () => {
    const env = await environment();
    const mm = env.mm;
    const [p] = (await env.createNodes(1, { candidates: false })) as [DebugNode];
    mm.community.addCandidate(p.address, { category: 'stumble' });
    mm.community.walker.setKeepAlive(p.address);
    env.clock.advance(60); // past the stumble lifetime
    mm.community.takeStep();
    const requests = p.receive({ names: ['dispersy-introduction-request'] }) as unknown as { payload: IntroductionRequestPayload }[];
    const keepAlive = requests.find((m) => !m.payload.advice);
    expect(keepAlive?.payload.sync).toBeUndefined();
    expect(mm.community.walker.statistics.keepAliveRequests).toBe(1);
    expect(mm.community.candidates.get(p.address)?.onLifeSupport).toBe(true);
  });
});
