// Every check of spec §7.6–7.8 reaches a counted drop reason through the full pipeline (decode → verify → check),
// with the community's Statistics (stage `message`): one row per check, each on fresh nodes. A (the walker) has an
// outstanding request to B; B is the responder / the puncture-requester; C (= B here) is asked to puncture.
import { describe, expect, test } from 'vitest';
import type { IntroductionResponsePayload, PuncturePayload, PunctureRequestPayload } from '@dispersy/codec';
import { NO_ADDRESS, type Address } from '@dispersy/interfaces';
import { buildIntroductionRequest, createDebugCommunityDefinition, type DebugNode } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

const ELSEWHERE: Address = { host: '10.9.9.9', port: 1 };
const BAD: Address = { host: '0.0.0.0', port: 7 }; // not 0.0.0.0:0 (nobody), yet not a valid address

interface Nodes {
  readonly a: DebugNode;
  readonly b: DebugNode;
  /** A's outstanding request to B. */
  readonly identifier: number;
}

async function nodes(knobs: Parameters<typeof createDebugCommunityDefinition>[0] = {}): Promise<Nodes> {
  const env = await environment(knobs.knobs === undefined ? {} : { definition: createDebugCommunityDefinition(knobs) });
  const [a, b] = (await env.createNodes(2, { candidates: false })) as [DebugNode, DebugNode];
  a.sendIdentity(b);
  const identifier = a.community.takeStep(b.address)!.payload.identifier;
  env.network.clear();
  return { a, b, identifier };
}

function response(n: Nodes, payload: Partial<IntroductionResponsePayload>, globalTime = 5) {
  const base: IntroductionResponsePayload = {
    destinationAddress: n.a.address,
    sourceLanAddress: n.b.address,
    sourceWanAddress: n.b.address,
    lanIntroductionAddress: NO_ADDRESS,
    wanIntroductionAddress: NO_ADDRESS,
    connectionType: 'unknown',
    tunnel: false,
    identifier: n.identifier,
  };
  return n.b.build('dispersy-introduction-response', { ...base, ...payload }, { globalTime });
}

function punctureRequest(n: Nodes, lanWalkerAddress: Address, wanWalkerAddress: Address) {
  const payload: PunctureRequestPayload = { lanWalkerAddress, wanWalkerAddress, identifier: 1 };
  return n.a.build('dispersy-puncture-request', payload, { globalTime: 9 });
}

function puncture(n: Nodes, identifier: number, globalTime = 9) {
  const payload: PuncturePayload = { sourceLanAddress: n.b.address, sourceWanAddress: n.b.address, identifier };
  return n.b.build('dispersy-puncture', payload, { globalTime });
}

/** One row: what to give to whom, and the reason counted there. */
interface Row {
  readonly check: string;
  readonly reason: string;
  readonly knobs?: Parameters<typeof createDebugCommunityDefinition>[0];
  /** Gives the offending message(s); returns the receiving node. */
  readonly give: (n: Nodes) => DebugNode;
}

const NOBODY: Address = { host: '0.0.0.0', port: 0 };

const ROWS: readonly Row[] = [
  // §7.6 B: check_introduction_request
  { check: 'request: walker responses off', reason: 'walker_responses_disabled', knobs: { knobs: { enableCandidateWalkerResponses: false } }, give: (n) => (n.b.giveMessage(buildIntroductionRequest(n.a, n.b), n.a), n.b) },
  { check: 'request: source is not a valid address', reason: 'invalid_source', give: (n) => (n.b.giveMessage(buildIntroductionRequest(n.a, n.b), NOBODY), n.b) },
  { check: 'request: signed by my own member', reason: 'introduction_request_from_self', give: (n) => (n.b.giveMessage(buildIntroductionRequest(n.b, n.b), n.a), n.b) },
  // §7.8 A: check_introduction_response
  { check: 'response: source is not a valid address', reason: 'invalid_source', give: (n) => (n.a.giveMessage(response(n, {}), NOBODY), n.a) },
  { check: 'response: no outstanding request with that identifier', reason: 'invalid_response_identifier', give: (n) => (n.a.giveMessage(response(n, { identifier: (n.identifier + 1) % 65_536 }), n.b), n.a) },
  { check: 'response: the identifier twice in one batch', reason: 'duplicate_identifier', give: (n) => (n.a.giveMessages([response(n, {}, 5), response(n, {}, 6)], n.b), n.a) },
  { check: 'response: introduced LAN address invalid', reason: 'invalid_lan_introduction', give: (n) => (n.a.giveMessage(response(n, { lanIntroductionAddress: BAD }), n.b), n.a) },
  { check: 'response: introduced WAN address invalid', reason: 'invalid_wan_introduction', give: (n) => (n.a.giveMessage(response(n, { lanIntroductionAddress: ELSEWHERE, wanIntroductionAddress: BAD }), n.b), n.a) },
  { check: 'response: introduced WAN address is my WAN', reason: 'introduced_my_wan', give: (n) => (n.a.giveMessage(response(n, { lanIntroductionAddress: ELSEWHERE, wanIntroductionAddress: n.a.address }), n.b), n.a) },
  {
    check: 'response: same WAN IP and introduced LAN address is my LAN',
    reason: 'introduced_my_lan',
    give: (n) => (n.a.giveMessage(response(n, { lanIntroductionAddress: n.a.address, wanIntroductionAddress: { host: n.a.address.host, port: 9 } }), n.b), n.a),
  },
  { check: 'response: WAN unknown and introduced LAN address is my LAN', reason: 'introduced_my_lan', give: (n) => (n.a.giveMessage(response(n, { lanIntroductionAddress: n.a.address }), n.b), n.a) },
  // §7.8 C: check_puncture_request (B = n.a asks C = n.b)
  { check: 'puncture-request: source is not a valid address', reason: 'invalid_source', give: (n) => (n.b.giveMessage(punctureRequest(n, ELSEWHERE, ELSEWHERE), NOBODY), n.b) },
  { check: 'puncture-request: LAN walker address is the sender', reason: 'puncture_herself_lan', give: (n) => (n.b.giveMessage(punctureRequest(n, n.a.address, ELSEWHERE), n.a), n.b) },
  { check: 'puncture-request: WAN walker address is the sender', reason: 'puncture_herself_wan', give: (n) => (n.b.giveMessage(punctureRequest(n, ELSEWHERE, n.a.address), n.a), n.b) },
  { check: 'puncture-request: LAN walker address invalid', reason: 'invalid_lan_walker', give: (n) => (n.b.giveMessage(punctureRequest(n, NOBODY, ELSEWHERE), n.a), n.b) },
  { check: 'puncture-request: WAN walker address invalid', reason: 'invalid_wan_walker', give: (n) => (n.b.giveMessage(punctureRequest(n, ELSEWHERE, BAD), n.a), n.b) },
  { check: 'puncture-request: WAN walker address is my WAN', reason: 'puncture_myself_wan', give: (n) => (n.b.giveMessage(punctureRequest(n, ELSEWHERE, n.b.address), n.a), n.b) },
  {
    check: 'puncture-request: same WAN IP and LAN walker address is my LAN',
    reason: 'puncture_myself_lan',
    give: (n) => (n.b.giveMessage(punctureRequest(n, n.b.address, { host: n.b.address.host, port: 9 }), n.a), n.b),
  },
  // §7.8 A: check_puncture
  { check: 'puncture: source is not a valid address', reason: 'invalid_source', give: (n) => (n.a.giveMessage(puncture(n, n.identifier), NOBODY), n.a) },
  { check: 'puncture: no outstanding request with that identifier', reason: 'invalid_puncture_identifier', give: (n) => (n.a.giveMessage(puncture(n, (n.identifier + 1) % 65_536), n.b), n.a) },
  { check: 'puncture: the identifier twice in one batch', reason: 'duplicate_identifier', give: (n) => (n.a.giveMessages([puncture(n, n.identifier, 9), puncture(n, n.identifier, 10)], n.b), n.a) },
];

describe('spec §7.6–7.8 checks: each is a counted drop with its reason through the full pipeline', () => {
  test.each(ROWS.map((row) => [row.check, row] as const))('%s', async (_name, row) => {
    const n = await nodes(row.knobs);
    const receiver = row.give(n);
    const snapshot = receiver.community.statistics.snapshot();
    expect(snapshot.drops.byStage.message).toEqual({ [row.reason]: 1 });
    // the node-level statistics see it too
    expect(receiver.dispersy.statistics.snapshot().drops.byStage.message?.[row.reason]).toBe(1);
    if (row.reason === 'invalid_response_identifier' || (row.check.startsWith('response') && row.reason === 'duplicate_identifier')) {
      expect(snapshot.invalidResponseIdentifiers).toBe(1);
    }
  });

  test('a dropped response changes nothing: no walk success, the responder is not a walk candidate, the request still waits', async () => {
    const n = await nodes();
    n.a.giveMessage(response(n, { wanIntroductionAddress: n.a.address, lanIntroductionAddress: ELSEWHERE }), n.b);
    expect(n.a.community.statistics.snapshot().walk.success).toBe(0);
    expect(n.a.community.candidates.get(n.b.address)?.category(n.a.community.clock.now())).toBe('none');
    expect(n.a.community.walker.requests.isOutstanding(n.identifier, n.a.community.clock.now())).toBe(true);
    n.a.giveMessage(response(n, {}), n.b);
    expect(n.a.community.statistics.snapshot().walk.success).toBe(1);
  });
});
