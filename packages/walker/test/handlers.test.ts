/**
 * The message handlers (spec §7.6–7.8): every check of §7.8 with accept and reject cases, through the Walker facade
 * (three public walkers A 1.0.0.1, B 2.0.0.2, C 3.0.0.3), and the handler functions on assembled parts.
 */
import { createSeededRandom, NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  CandidateTable,
  createLanTest,
  handleIntroductionRequests,
  handleIntroductionResponses,
  handlePunctureRequest,
  handlePunctures,
  IntroduceSelector,
  IntroductionRequests,
  WalkerCounters,
  WanVoting,
  type IntroductionResponseFields,
  type Rejected,
  type WalkerParts,
} from '../src/index.ts';
import { A, addr, B, C, from, only, rejected, stumbleCAtB, walkAtoB, world } from './helpers.ts';

const T = 1000;
const ME = addr('4.4.4.4', 6421);

function parts(): WalkerParts {
  const rng = createSeededRandom(11);
  const votes = new WanVoting({ lan: ME });
  const table = new CandidateTable({ onRemove: (_c, _r, a) => void votes.withdraw(a) });
  return {
    table,
    votes,
    requests: new IntroductionRequests({ random: rng }),
    introduce: new IntroduceSelector(table, rng),
    counters: new WalkerCounters(),
    isInMyLan: createLanTest([]),
    myMemberId: undefined,
  };
}

describe('handlers on assembled parts', () => {
  it('requests of one batch are introduced to each other', () => {
    const p = parts();
    const peers = [addr('20.0.0.1', 1), addr('20.0.0.2', 1)];
    const outcomes = handleIntroductionRequests(
      p,
      peers.map((a, i) => ({
        source: { address: a, tunnel: false },
        payload: { destinationAddress: ME, sourceLanAddress: a, sourceWanAddress: a, advice: true, connectionType: 'unknown' as const, identifier: i },
      })),
      T,
    );
    expect(outcomes.map((o) => (o.accepted ? o.introduced?.key : o.reason))).toEqual(['20.0.0.2:1', '20.0.0.1:1']);
    expect(p.counters.snapshot().incomingIntroductionRequests).toBe(2);
  });

  it('responses and punctures need an outstanding request', () => {
    const p = parts();
    const b = p.table.create({ address: addr('20.0.0.9', 1) }, T);
    const request = p.requests.create(b, T);
    const response = {
      destinationAddress: ME,
      sourceLanAddress: b.address,
      sourceWanAddress: b.address,
      lanIntroductionAddress: NO_ADDRESS,
      wanIntroductionAddress: NO_ADDRESS,
      connectionType: 'unknown' as const,
      tunnel: false,
      identifier: request.identifier,
    };
    const [ok] = handleIntroductionResponses(p, [{ source: { address: b.address, tunnel: false }, payload: response }], T);
    expect(ok?.accepted).toBe(true);
    expect(b.category(T)).toBe('walk');
    const [late] = handleIntroductionResponses(p, [{ source: { address: b.address, tunnel: false }, payload: response }], T + 11);
    expect(late).toEqual({ accepted: false, reason: 'UNKNOWN_IDENTIFIER' });
    const [punctured] = handlePunctures(p, [{ source: { address: addr('20.0.0.8', 1), tunnel: false }, payload: { sourceLanAddress: addr('20.0.0.8', 1), sourceWanAddress: addr('20.0.0.8', 1), identifier: request.identifier } }], T);
    expect(punctured?.accepted && punctured.candidate?.category(T)).toBe('intro');
    const pr = handlePunctureRequest(p, { address: b.address, tunnel: false }, { lanWalkerAddress: addr('20.0.0.7', 1), wanWalkerAddress: addr('20.0.0.7', 1), identifier: 3 });
    expect(pr.accepted && pr.send[0].payload).toEqual({ sourceLanAddress: ME, sourceWanAddress: ME, identifier: 3 });
  });
});

describe('A handles an introduction-response: every check of spec §7.8', () => {
  function responded(overrides: Partial<IntroductionResponseFields> = {}) {
    const w = world();
    stumbleCAtB(w.b);
    const req = walkAtoB(w.a);
    const out = w.b.onIntroductionRequest(from(A), req.payload);
    if (!out.accepted) throw new Error(out.reason);
    const response = only(out.send, 'introduction-response')[0]?.payload as IntroductionResponseFields;
    return { ...w, req, response: { ...response, ...overrides } };
  }

  it('accepts: B → walk category, vote, C → intro candidate at its WAN address (another WAN IP)', () => {
    const { a, response, clock, req } = responded();
    const out = a.onIntroductionResponse(from(B), response, { memberId: 'bb' });
    if (!out.accepted) throw new Error(out.reason);
    expect(out.candidate.category(clock.now())).toBe('walk');
    expect(out.candidate.lastWalkReply).toBe(clock.now());
    expect(out.candidate.memberId).toBe('bb');
    expect(out.introduced?.address).toEqual(C);
    expect(out.introduced?.category(clock.now())).toBe('intro');
    expect(out.request.identifier).toBe(req.payload.identifier);
    expect(out.request.introduced).toBe(out.introduced);
    expect(a.votes.votesFor(A)).toBe(1);
    expect(a.statistics.walkSuccess).toBe(1);
    expect(a.verifiedCandidates().map((c) => c.key)).toEqual(['2.0.0.2:6421']);
  });

  it('the introduced candidate goes to its LAN address when it shares my WAN IP', () => {
    const { a, response } = responded({ lanIntroductionAddress: addr('10.0.0.7', 6421), wanIntroductionAddress: addr('1.0.0.1', 7000) });
    const out = a.onIntroductionResponse(from(B), response);
    expect(out.accepted && out.introduced?.address).toEqual(addr('10.0.0.7', 6421));
  });

  it('no introduction (zeros): accepted, nobody created', () => {
    const { a, response } = responded({ lanIntroductionAddress: NO_ADDRESS, wanIntroductionAddress: NO_ADDRESS });
    const out = a.onIntroductionResponse(from(B), response);
    expect(out.accepted && out.introduced).toBeNull();
    expect(a.table.size).toBe(1);
  });

  it('rejects an identifier that is not an outstanding request (invalid_response_identifier)', () => {
    const { a, response } = responded();
    expect(rejected(a.onIntroductionResponse(from(B), { ...response, identifier: (response.identifier + 1) % 65536 }))).toBe('UNKNOWN_IDENTIFIER');
    expect(a.statistics.invalidResponseIdentifier).toBe(1);
    expect(a.getCandidate(B)?.lastWalkReply).toBe(0);
  });

  it('rejects a response after the 10.5 s timeout', () => {
    const { a, response, clock } = responded();
    clock.advance(10.5);
    expect(rejected(a.onIntroductionResponse(from(B), response))).toBe('UNKNOWN_IDENTIFIER');
  });

  it('rejects the same identifier twice in one batch (both counted)', () => {
    const { a, response } = responded();
    const [first, second] = a.onIntroductionResponses([
      { source: from(B), payload: response },
      { source: from(B), payload: response },
    ]);
    expect(first?.accepted).toBe(true);
    expect(rejected(second as Rejected)).toBe('DUPLICATE_IDENTIFIER');
    expect(a.statistics.invalidResponseIdentifier).toBe(1);
  });

  it('rejects an invalid introduced LAN address', () => {
    const { a, response } = responded({ lanIntroductionAddress: addr('10.0.0.7', 0) });
    expect(rejected(a.onIntroductionResponse(from(B), response))).toBe('INVALID_LAN_INTRODUCTION');
  });

  it('rejects an invalid introduced WAN address', () => {
    const { a, response } = responded({ wanIntroductionAddress: addr('0.0.0.0', 7) });
    expect(rejected(a.onIntroductionResponse(from(B), response))).toBe('INVALID_WAN_INTRODUCTION');
  });

  it('rejects being introduced to my WAN address', () => {
    const { a, response } = responded({ wanIntroductionAddress: A });
    expect(rejected(a.onIntroductionResponse(from(B), response))).toBe('INTRODUCED_MY_WAN');
  });

  it('rejects my LAN address behind my WAN IP, and my LAN address with an unknown WAN', () => {
    const { a, response } = responded({ lanIntroductionAddress: A, wanIntroductionAddress: addr('1.0.0.1', 9999) });
    expect(rejected(a.onIntroductionResponse(from(B), response))).toBe('INTRODUCED_MY_LAN');
    expect(rejected(a.onIntroductionResponse(from(B), { ...response, wanIntroductionAddress: NO_ADDRESS }))).toBe('INTRODUCED_MY_LAN');
    expect(a.statistics.dropped).toEqual({ INTRODUCED_MY_LAN: 2 });
    expect(a.statistics.invalidResponseIdentifier).toBe(0);
  });

  it('rejects an invalid source address', () => {
    const { a, response } = responded();
    expect(rejected(a.onIntroductionResponse(from(addr('2.0.0.2', 0)), response))).toBe('INVALID_SOURCE');
  });
});

describe('C handles a puncture-request, A the puncture (spec §7.8)', () => {
  function fullWalk() {
    const w = world();
    stumbleCAtB(w.b);
    const req = walkAtoB(w.a);
    const out = w.b.onIntroductionRequest(from(A), req.payload);
    if (!out.accepted) throw new Error(out.reason);
    const response = only(out.send, 'introduction-response')[0]?.payload as IntroductionResponseFields;
    const punctureRequest = only(out.send, 'puncture-request')[0];
    if (punctureRequest === undefined) throw new Error('no puncture-request');
    return { ...w, req, response, punctureRequest };
  }

  it('the four messages end with A knowing B (walk) and C (intro); the request completes', () => {
    const { a, c, clock, response, punctureRequest, req } = fullWalk();
    expect(a.onIntroductionResponse(from(B), response).accepted).toBe(true);
    const pr = c.onPunctureRequest(from(B), punctureRequest.payload);
    if (!pr.accepted) throw new Error(pr.reason);
    const [puncture] = pr.send;
    expect(puncture).toEqual({ kind: 'puncture', to: A, tunnel: false, payload: { sourceLanAddress: C, sourceWanAddress: C, identifier: req.payload.identifier } });
    const p = a.onPuncture(from(C), puncture.payload, { memberId: 'cc' });
    if (!p.accepted) throw new Error(p.reason);
    expect(p.candidate?.category(clock.now())).toBe('intro');
    expect(p.candidate?.memberId).toBe('cc');
    expect(a.requests.has(req.payload.identifier)).toBe(false); // response + puncture: complete
    expect(a.statistics.puncturesReceived).toBe(1);
    expect(c.statistics.punctureRequestsReceived).toBe(1);
  });

  it('punctures the LAN walker address when the walker shares my WAN IP', () => {
    const { c } = fullWalk();
    const out = c.onPunctureRequest(from(B), { lanWalkerAddress: addr('10.3.0.9', 1), wanWalkerAddress: addr('3.0.0.3', 9), identifier: 5 });
    expect(out.accepted && out.send[0].to).toEqual(addr('10.3.0.9', 1));
  });

  it('punctures a known symmetric-NAT candidate at its current port, with its tunnel flag', () => {
    const { c, clock } = fullWalk();
    c.table.create({ address: addr('1.0.0.1', 40000), tunnel: true, lan: NO_ADDRESS, connectionType: 'symmetric-NAT' }, clock.now());
    const out = c.onPunctureRequest(from(B), { lanWalkerAddress: addr('10.0.0.1', 1), wanWalkerAddress: A, identifier: 5 });
    expect(out.accepted && [out.send[0].to, out.send[0].tunnel]).toEqual([addr('1.0.0.1', 40000), true]);
    expect(c.getCandidate(addr('1.0.0.1', 40000))).toBeDefined(); // looked up without replace
  });

  it('rejects each puncture-request check', () => {
    const { c, punctureRequest } = fullWalk();
    const p = punctureRequest.payload;
    expect(rejected(c.onPunctureRequest(from(B), { ...p, lanWalkerAddress: B }))).toBe('PUNCTURE_HERSELF_LAN');
    expect(rejected(c.onPunctureRequest(from(B), { ...p, wanWalkerAddress: B }))).toBe('PUNCTURE_HERSELF_WAN');
    expect(rejected(c.onPunctureRequest(from(B), { ...p, lanWalkerAddress: NO_ADDRESS }))).toBe('INVALID_LAN_WALKER');
    expect(rejected(c.onPunctureRequest(from(B), { ...p, wanWalkerAddress: addr('1.0.0.1', 0) }))).toBe('INVALID_WAN_WALKER');
    expect(rejected(c.onPunctureRequest(from(B), { ...p, wanWalkerAddress: C }))).toBe('PUNCTURE_MYSELF_WAN');
    expect(rejected(c.onPunctureRequest(from(B), { ...p, lanWalkerAddress: C, wanWalkerAddress: addr('3.0.0.3', 1) }))).toBe('PUNCTURE_MYSELF_LAN');
    expect(rejected(c.onPunctureRequest(from(NO_ADDRESS), p))).toBe('INVALID_SOURCE');
    expect(c.onPunctureRequest(from(B), p).accepted).toBe(true);
  });

  it('rejects punctures with an unknown identifier or a repeated one in a batch; zeros create nobody', () => {
    const { a, req } = fullWalk();
    const id = req.payload.identifier;
    const fields = { sourceLanAddress: C, sourceWanAddress: C, identifier: id };
    expect(rejected(a.onPuncture(from(C), { ...fields, identifier: (id + 1) % 65536 }))).toBe('UNKNOWN_IDENTIFIER');
    const [first, second] = a.onPunctures([
      { source: from(C), payload: fields },
      { source: from(C), payload: fields },
    ]);
    expect(first?.accepted).toBe(true);
    expect(rejected(second as Rejected)).toBe('DUPLICATE_IDENTIFIER');
    const { a: a2, req: req2 } = fullWalk();
    const zero = a2.onPuncture(from(C), { sourceLanAddress: NO_ADDRESS, sourceWanAddress: C, identifier: req2.payload.identifier });
    expect(zero.accepted && zero.candidate).toBeNull();
    expect(rejected(a2.onPuncture(from(NO_ADDRESS), fields))).toBe('INVALID_SOURCE');
  });
});
