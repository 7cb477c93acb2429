// Ports of the original's tests/test_walker.py (spec §14, §7.6–7.8) at the runtime level: N nodes (tunnelled per
// flag 't') send introduction-requests to MM in one batch; each gets one response that never introduces itself;
// tunnelled requesters get someone when there is more than one node; non-tunnelled requesters only ever get
// non-tunnelled peers. Plus the four-message walk (request, response, puncture-request, puncture) end to end, run by
// the community's @dispersy/walker (reworked from the runtime's former simple walker: outstanding requests are the
// walker's, and the §7.8 checks report the walker's finer reasons — see walker-checks.test.ts for all of them).
import { describe, expect, test } from 'vitest';
import type { IntroductionResponsePayload } from '@dispersy/codec';
import { formatAddress, NO_ADDRESS, type Address } from '@dispersy/interfaces';
import { INTRODUCTION_REQUEST_TIMEOUT } from '../../src/request-cache.ts';
import { buildIntroductionRequest, type DebugNode } from '../../src/testing/index.ts';
import { outstandingRequest } from '../../src/walk.ts';
import { environment } from '../helpers.ts';

const key = (a: Address): string => formatAddress(a);

async function checkWalker(flags: readonly string[]): Promise<void> {
  const env = await environment();
  const mm = env.mm;
  const nodes: DebugNode[] = [];
  for (const f of flags) nodes.push(await env.createNode({ tunnel: f.includes('t') }));
  const requests = nodes.map((node, i) => buildIntroductionRequest(node, mm, { identifier: i + 1, globalTime: 42 }));
  // all requests in one batch
  mm.dispersy.receivePackets(nodes.map((node, i) => ({ packet: requests[i]!.packet, source: { address: node.address, tunnel: node.tunnel } })));
  const tunnelled = new Map(nodes.map((n) => [key(n.address), n.tunnel]));
  const nonTunnelled = nodes.filter((n) => !n.tunnel).length;
  for (const [i, node] of nodes.entries()) {
    const responses = node.receive({ names: ['dispersy-introduction-response'] });
    expect(responses).toHaveLength(1);
    const p = responses[0]!.payload as IntroductionResponsePayload;
    expect(p.identifier).toBe(i + 1);
    expect(p.destinationAddress).toEqual(node.address);
    // MM must not introduce NODE to itself
    expect(key(p.lanIntroductionAddress)).not.toBe(key(node.address));
    expect(key(p.wanIntroductionAddress)).not.toBe(key(node.address));
    const someone = node.tunnel ? nodes.length > 1 : nonTunnelled > 1;
    if (someone) {
      expect(p.lanIntroductionAddress).not.toEqual(NO_ADDRESS);
      expect(p.wanIntroductionAddress).not.toEqual(NO_ADDRESS);
      expect(tunnelled.has(key(p.lanIntroductionAddress))).toBe(true);
      expect(tunnelled.has(key(p.wanIntroductionAddress))).toBe(true);
    }
    if (!node.tunnel && !(p.lanIntroductionAddress.host === NO_ADDRESS.host)) {
      // a non-tunnelled NODE is only introduced to non-tunnelled peers
      expect(tunnelled.get(key(p.lanIntroductionAddress))).toBe(false);
      expect(p.tunnel).toBe(false);
    }
  }
}

describe('test_walker', () => {
  test('TestWalker.test_one_walker', () => checkWalker(['']));
  test('TestWalker.test_two_walker', () => checkWalker(['', '']));
  test('TestWalker.test_many_walker', () => checkWalker(Array(22).fill('')));
  test('TestWalker.test_one_t_walker', () => checkWalker(['t']));
  test('TestWalker.test_two_t_walker', () => checkWalker(['t', 't']));
  test('TestWalker.test_many_t_walker', () => checkWalker(Array(22).fill('t')));
  test('TestWalker.test_two_mixed_walker_a', () => checkWalker(['', 't']));
  test('TestWalker.test_many_mixed_walker_a', () => checkWalker(Array(11).fill(['', 't']).flat()));
  test('TestWalker.test_two_mixed_walker_b', () => checkWalker(['t', '']));
  test('TestWalker.test_many_mixed_walker_b', () => checkWalker(Array(11).fill(['t', '']).flat()));
});

describe('introduce rules', () => {
  test('TestCandidates.test_get_introduce_candidate (runtime level): five nodes stumble in turn, each is introduced to the previous ones in round robin', async () => {
    const env = await environment();
    const mm = env.mm;
    const nodes = await env.createNodes(5, { candidates: false });
    const introduced: (string | undefined)[] = [];
    for (const [i, node] of nodes.entries()) {
      mm.giveMessage(buildIntroductionRequest(node, mm, { identifier: i + 1 }), node);
      const p = node.receive({ names: ['dispersy-introduction-response'] })[0]!.payload as IntroductionResponsePayload;
      introduced.push(p.lanIntroductionAddress.host === NO_ADDRESS.host ? undefined : key(p.lanIntroductionAddress));
    }
    expect(introduced).toEqual([undefined, ...nodes.slice(0, 4).map((n) => key(n.address))]);
  });

  test('advice off: the response introduces nobody and no puncture-request is sent', async () => {
    const env = await environment();
    const [node] = await env.createNodes(2);
    env.mm.giveMessage(buildIntroductionRequest(node!, env.mm, { advice: false }), node!);
    const p = node!.receive({ names: ['dispersy-introduction-response'] })[0]!.payload as IntroductionResponsePayload;
    expect([p.lanIntroductionAddress, p.wanIntroductionAddress]).toEqual([NO_ADDRESS, NO_ADDRESS]);
    expect(env.network.pending).toBe(0);
  });
});

describe('the four-message walk', () => {
  test('A walks to B, B introduces C: A gets the response, C punctures A; A has B as walk and C as intro', async () => {
    const env = await environment();
    const [a, b, c] = await env.createNodes(3, { candidates: false });
    for (const [x, y] of [[a, b], [a, c], [b, c]] as const) x!.sendIdentity(y!);
    b!.community.addCandidate(c!.address, { category: 'stumble' });
    const request = a!.community.takeStep(b!.address)!;
    expect(request.payload.sync).toBeDefined();
    const outstanding = outstandingRequest(a!.community, request.payload.identifier)!;
    expect(outstanding.helper.address).toEqual(b!.address);
    env.deliverAll();
    const now = env.clock.now();
    const atA = (n: DebugNode) => a!.community.candidates.get(n.address);
    expect(atA(b!)!.category(now)).toBe('walk');
    expect(atA(c!)!.category(now)).toBe('intro');
    expect(b!.community.candidates.get(a!.address)!.category(now)).toBe('stumble');
    expect(outstanding.responseAt !== undefined && outstanding.punctureAt !== undefined).toBe(true);
    expect(outstanding.introduced?.key).toBe(key(c!.address));
    expect(outstanding.punctured?.key).toBe(key(c!.address));
    expect(outstandingRequest(a!.community, request.payload.identifier)).toBeUndefined(); // complete: removed
    expect(a!.community.statistics.snapshot().walk).toMatchObject({ attempt: 1, success: 1, failure: 0 });
  });

  test('a response whose identifier matches no request is a counted drop (invalid_response_identifier)', async () => {
    const env = await environment();
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.sendIdentity(b!);
    a!.giveMessage(buildIntroductionRequest(b!, a!, { identifier: 777 }), b!);
    const response = b!.receive({ names: ['dispersy-introduction-response'] })[0]!;
    b!.giveMessage(response, a!);
    const snapshot = b!.community.statistics.snapshot();
    expect(snapshot.drops.byStage.message).toMatchObject({ invalid_response_identifier: 1 });
    expect(snapshot.invalidResponseIdentifiers).toBe(1);
  });

  test('no response within 10.5 s: a walk failure, and the helper cannot be in the walk category', async () => {
    const env = await environment();
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.community.takeStep(b!.address);
    env.network.clear();
    env.clock.advance(INTRODUCTION_REQUEST_TIMEOUT);
    expect(a!.community.statistics.snapshot().walk).toMatchObject({ attempt: 1, failure: 1 });
    const helper = a!.community.candidates.get(b!.address)!;
    expect(helper.lastWalkReply).toBe(-1);
    expect(a!.community.walker.requests.size).toBe(0);
  });

  test('puncture-request checks: asking a peer to puncture the sender itself, or me, or a bad address is dropped', async () => {
    const env = await environment();
    const [b, c] = await env.createNodes(2, { candidates: false });
    const build = (lan: Address, wan: Address) => b!.build('dispersy-puncture-request', { lanWalkerAddress: lan, wanWalkerAddress: wan, identifier: 1 }, { globalTime: 9 });
    const elsewhere = { host: '10.9.9.9', port: 1 };
    c!.giveMessage(build(b!.address, elsewhere), b!);
    c!.giveMessage(build(elsewhere, c!.address), b!);
    c!.giveMessage(build(NO_ADDRESS, elsewhere), b!);
    // the walker's reasons (formerly puncture_sender_itself / puncture_myself / invalid_walker_address): the LAN walker
    // address is the sender itself, the WAN walker address is my WAN, the LAN walker address is invalid
    expect(c!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ puncture_herself_lan: 1, puncture_myself_wan: 1, invalid_lan_walker: 1 });
    c!.giveMessage(build(elsewhere, elsewhere), b!);
    const sent = env.network.queued(elsewhere);
    expect(sent).toHaveLength(1);
  });

  test('a puncture without an outstanding request is dropped; responses are never sent when walker responses are off', async () => {
    const env = await environment();
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.sendIdentity(b!);
    a!.giveMessage(b!.build('dispersy-puncture', { sourceLanAddress: b!.address, sourceWanAddress: b!.address, identifier: 5 }, { globalTime: 9 }), b!);
    expect(a!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ invalid_puncture_identifier: 1 });
  });

  test('the periodic walker steps every 5 s when enabled (first after database id mod 3 s) and stops at unload', async () => {
    const { createDebugCommunityDefinition } = await import('../../src/testing/index.ts');
    const env = await environment({ definition: createDebugCommunityDefinition({ knobs: { enableCandidateWalker: true } }) });
    const [node] = await env.createNodes(1);
    const community = node!.community;
    expect(community.tasks.has('candidate-walker')).toBe(true);
    // mm is its walk candidate since time 0: eligible again at 27.5 s, walked at the step after that
    env.clock.advance(27);
    expect(community.statistics.snapshot().walk.attempt).toBe(0);
    env.advance(5);
    expect(community.statistics.snapshot().walk).toMatchObject({ attempt: 1, success: 1 });
    community.unload();
    expect(community.tasks.has('candidate-walker')).toBe(false);
  });

  test('the walk choice: candidates without a category are removed; one walked recently is not eligible', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1, { candidates: false });
    const c = node!.community;
    c.addCandidate({ host: '10.7.7.7', port: 1 }, {});
    const walked = c.addCandidate({ host: '10.7.7.8', port: 1 }, { category: 'stumble' });
    expect(c.takeStep()?.payload.destinationAddress).toEqual(walked.address);
    expect(c.candidates.size).toBe(1);
    expect(c.takeStep()).toBeUndefined(); // last walk < 27.5 s ago
    env.clock.advance(27.5);
    expect(c.takeStep()?.payload.destinationAddress).toEqual(walked.address);
  });
});
