/**
 * The Walker facade and the introduction state machine (spec §7.5–7.9), with in-process walkers.
 * Topology (unless a test says otherwise): A 1.0.0.1:6421, B 2.0.0.2:6421, C 3.0.0.3:6421, all public.
 */
import { createSeededRandom, ManualClock, NO_ADDRESS, type Address } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  Walker,
  WanVoting,
  type IntroductionRequestFields,
  type IntroductionResponseFields,
  type OutgoingIntroductionRequest,
  type WalkCandidate,
} from '../src/index.ts';
import { A, addr, B, C, from, only, rejected, stumbleCAtB, walkAtoB, world } from './helpers.ts';

describe('walking: takeStep builds the introduction-request (spec §7.5)', () => {
  it('registers an outstanding request, marks the walk, and fills the payload', () => {
    const { a, clock } = world();
    const req = walkAtoB(a);
    expect(req).toMatchObject({ kind: 'introduction-request', to: B, tunnel: false, allowSync: true, keepAlive: false, fastWalker: false });
    expect(req.payload).toEqual({
      destinationAddress: B,
      sourceLanAddress: A,
      sourceWanAddress: A,
      advice: true,
      connectionType: 'unknown',
      identifier: req.request.identifier,
    });
    expect(a.requests.has(req.payload.identifier)).toBe(true);
    expect(a.getCandidate(B)?.lastWalk).toBe(clock.now());
    expect(a.statistics.walkAttempts).toBe(1);
    expect(a.statistics.candidatesDiscovered).toBe(1);
    // not eligible again for 27.5 s
    expect(a.takeStep().target).toBeNull();
  });

  it('a request without a response times out after 10.5 s: walk failure, lastWalkReply = −1', () => {
    const { a, clock } = world();
    const req = walkAtoB(a);
    expect(a.nextExpiry()).toBe(clock.now() + 10.5);
    clock.advance(10.4);
    expect(a.expire()).toEqual([]);
    clock.advance(0.1);
    const [expired] = a.takeStep().expired;
    expect(expired?.request.identifier).toBe(req.payload.identifier);
    expect(a.getCandidate(B)?.lastWalkReply).toBe(-1);
    expect(a.statistics.walkFailure).toBe(1);
  });
});

describe('B handles an introduction-request (spec §7.6)', () => {
  it('stumble(now), vote, and a response without an introduction when nobody can be introduced', () => {
    const { a, b, clock } = world();
    const req = walkAtoB(a);
    const out = b.onIntroductionRequest(from(A), req.payload, { memberId: 'aa', globalTime: 12 });
    if (!out.accepted) throw new Error(out.reason);
    expect(out.candidate.lastStumble).toBe(clock.now());
    expect(out.candidate.category(clock.now())).toBe('stumble');
    expect([out.candidate.memberId, out.candidate.globalTime]).toEqual(['aa', 12]);
    expect(out.introduced).toBeNull();
    expect(out.send).toEqual([
      {
        kind: 'introduction-response',
        to: A,
        tunnel: false,
        payload: {
          destinationAddress: A,
          sourceLanAddress: B,
          sourceWanAddress: B,
          lanIntroductionAddress: NO_ADDRESS,
          wanIntroductionAddress: NO_ADDRESS,
          connectionType: 'public',
          tunnel: false,
          identifier: req.payload.identifier,
        },
      },
    ]);
    expect(b.votes.votesFor(B)).toBe(1); // A voted for B's address
    expect(b.statistics.incomingIntroductionRequests).toBe(1);
  });

  it('introduces a verified candidate: response names it, puncture-request to it carries the SELF-REPORTED addresses', () => {
    const { a, b } = world();
    stumbleCAtB(b);
    const req = walkAtoB(a);
    const selfReported = { ...req.payload, sourceLanAddress: addr('10.0.0.1', 6421) };
    const out = b.onIntroductionRequest(from(A), selfReported);
    if (!out.accepted) throw new Error(out.reason);
    expect(out.introduced?.address).toEqual(C);
    const [response] = only(out.send, 'introduction-response');
    expect(response?.payload).toMatchObject({ lanIntroductionAddress: C, wanIntroductionAddress: C, tunnel: false });
    const [punctureRequest] = only(out.send, 'puncture-request');
    expect(punctureRequest).toEqual({
      kind: 'puncture-request',
      to: C,
      tunnel: false,
      payload: { lanWalkerAddress: addr('10.0.0.1', 6421), wanWalkerAddress: A, identifier: req.payload.identifier },
    });
    expect(out.send.map((m) => m.kind)).toEqual(['introduction-response', 'puncture-request']);
    expect(b.statistics.introductionsMade).toBe(1);
  });

  it('advice false: no introduction', () => {
    const { a, b } = world();
    stumbleCAtB(b);
    const req = walkAtoB(a);
    const out = b.onIntroductionRequest(from(A), { ...req.payload, advice: false });
    expect(out.accepted && out.introduced).toBeNull();
  });

  it('drops requests signed by my own member, and from invalid sources', () => {
    const { make } = world();
    const b = make(B, 1, { myMemberId: 'bb' });
    const payload: IntroductionRequestFields = { destinationAddress: B, sourceLanAddress: A, sourceWanAddress: A, advice: true, connectionType: 'unknown', identifier: 1 };
    expect(rejected(b.onIntroductionRequest(from(A), payload, { memberId: 'bb' }))).toBe('OWN_MEMBER');
    expect(rejected(b.onIntroductionRequest(from(NO_ADDRESS), payload))).toBe('INVALID_SOURCE');
    expect(b.statistics.dropped).toEqual({ OWN_MEMBER: 1, INVALID_SOURCE: 1 });
    expect(b.table.size).toBe(0);
  });

  it('test_estimate_addresses_within_LAN: claimed 0.0.0.0:0 from inside my LAN', () => {
    const { make } = world();
    const other = make(addr('192.168.1.2', 6421), 1);
    const node = addr('192.168.1.3', 7000);
    const out = other.onIntroductionRequest(from(node), {
      destinationAddress: addr('192.168.1.2', 6421),
      sourceLanAddress: NO_ADDRESS,
      sourceWanAddress: NO_ADDRESS,
      advice: true,
      connectionType: 'unknown',
      identifier: 42,
    });
    if (!out.accepted) throw new Error(out.reason);
    expect(only(out.send, 'introduction-response')[0]?.payload.destinationAddress).toEqual(node);
    const candidates = other.candidates().filter((c) => c.address.host === node.host && c.address.port === node.port);
    expect(candidates.length).toBe(1);
    expect([candidates[0]?.address, candidates[0]?.lan, candidates[0]?.wan]).toEqual([node, node, NO_ADDRESS]);
    expect(other.votes.voterCount).toBe(0); // a voter inside my LAN cannot know my WAN address
  });

  it('test_walker: a batch of requesters; nobody is introduced to itself; tunnel rules hold', () => {
    for (const flags of [['', ''], Array(8).fill(''), ['t', 't'], Array(8).fill('t'), ['t', ''], ['', 't'], ['t', '', 't', '', '', 't']]) {
      const { make } = world(3);
      const mm = make(addr('9.9.9.9', 6421), 9);
      const nodes = flags.map((f, i) => ({ address: addr(`20.0.0.${i + 1}`, 6421), tunnel: f === 't' }));
      const outcomes = mm.onIntroductionRequests(
        nodes.map((n, i) => ({
          source: from(n.address, n.tunnel),
          payload: { destinationAddress: addr('9.9.9.9', 6421), sourceLanAddress: n.address, sourceWanAddress: n.address, advice: true, connectionType: 'unknown', identifier: i + 1 },
        })),
      );
      outcomes.forEach((o, i) => {
        if (!o.accepted) throw new Error(o.reason);
        const node = nodes[i] as { address: Address; tunnel: boolean };
        expect(o.introduced?.key).not.toBe(`${node.address.host}:${node.address.port}`);
        if (!node.tunnel && o.introduced !== null) expect(o.introduced.tunnel).toBe(false);
        if (node.tunnel && nodes.length > 1) expect(o.introduced).not.toBeNull();
      });
    }
  });
});

describe('symmetric NAT, WAN changes, shared votes', () => {
  it('a symmetric-NAT peer seen on a new port is re-homed; its old vote is withdrawn', () => {
    const { b, clock } = world();
    const request = (port: number): IntroductionRequestFields => ({
      destinationAddress: B,
      sourceLanAddress: addr('10.0.0.5', 6421),
      sourceWanAddress: addr('7.7.7.7', port),
      advice: false,
      connectionType: 'symmetric-NAT',
      identifier: port,
    });
    const first = b.onIntroductionRequest(from(addr('7.7.7.7', 1000)), request(1000));
    if (!first.accepted) throw new Error(first.reason);
    expect(b.votes.voterCount).toBe(1);
    const second = b.onIntroductionRequest(from(addr('7.7.7.7', 2000)), request(2000));
    if (!second.accepted) throw new Error(second.reason);
    expect(second.candidate).toBe(first.candidate);
    expect(second.candidate.address).toEqual(addr('7.7.7.7', 2000));
    expect(b.table.size).toBe(1);
    expect(b.votes.voterCount).toBe(1);
    expect(b.votes.withdraw(addr('7.7.7.7', 1000))).toBeUndefined();
    expect(second.candidate.lastStumble).toBe(clock.now());
  });

  it('after a WAN change my own LAN and WAN addresses leave the candidate table', () => {
    const { make } = world();
    const w = make(addr('192.168.1.2', 6421), 1);
    w.addDiscovered(addr('5.5.5.5', 6421)); // will become my WAN address
    w.addDiscovered(addr('8.8.8.8', 1));
    const result = w.votes.vote(addr('5.5.5.5', 6421), addr('8.8.8.8', 1));
    expect(result.wanChanged).toBe(true);
    expect(w.getCandidate(addr('5.5.5.5', 6421))).toBeUndefined();
    expect(w.getCandidate(addr('8.8.8.8', 1))).toBeDefined();
    w.dispose();
  });

  it('walkers of several communities can share one WanVoting', () => {
    const clock = new ManualClock();
    const votes = new WanVoting({ lan: addr('192.168.1.2', 6421) });
    const w1 = new Walker({ clock, random: createSeededRandom(1), votes });
    const w2 = new Walker({ clock, random: createSeededRandom(2), votes });
    w2.addDiscovered(addr('5.5.5.5', 6421));
    w1.onIntroductionRequest(from(addr('8.8.8.8', 1)), {
      destinationAddress: addr('5.5.5.5', 6421),
      sourceLanAddress: addr('8.8.8.8', 1),
      sourceWanAddress: addr('8.8.8.8', 1),
      advice: false,
      connectionType: 'unknown',
      identifier: 1,
    });
    expect(w2.wan).toEqual(addr('5.5.5.5', 6421));
    expect(w2.getCandidate(addr('5.5.5.5', 6421))).toBeUndefined();
    expect(() => new Walker({ clock, random: createSeededRandom(3) })).toThrow(RangeError);
  });
});

describe('keep-alive through the walker', () => {
  it('an obsolete keep-alive candidate gets a keep-alive request; an answer keeps it, silence drops it', () => {
    const { a, b, clock } = world();
    const req = walkAtoB(a);
    const out = b.onIntroductionRequest(from(A), req.payload);
    if (!out.accepted) throw new Error(out.reason);
    const response = only(out.send, 'introduction-response')[0]?.payload as IntroductionResponseFields;
    const ok = a.onIntroductionResponse(from(B), response);
    if (!ok.accepted) throw new Error(ok.reason);
    ok.candidate.keepAlive = true;

    clock.advance(57.5);
    const step = a.takeStep();
    const keepAlive = step.send.find((m) => m.keepAlive);
    expect(keepAlive).toMatchObject({ to: B, allowSync: false, keepAlive: true, payload: { advice: false } });
    expect(a.statistics.keepAliveRequests).toBe(1);
    expect(ok.candidate.onLifeSupport).toBe(true);
    expect(ok.candidate.category(clock.now())).toBe('walk');

    // B answers the keep-alive: life support ends
    const again = b.onIntroductionRequest(from(A), (keepAlive as OutgoingIntroductionRequest).payload);
    if (!again.accepted) throw new Error(again.reason);
    const answer = a.onIntroductionResponse(from(B), only(again.send, 'introduction-response')[0]?.payload as IntroductionResponseFields);
    expect(answer.accepted).toBe(true);
    expect(ok.candidate.onLifeSupport).toBe(false);

    // next time nobody answers (the walk request sent with the first keep-alive also failed: lastWalkReply = −1):
    // life support again, still as a walk candidate; the keep-alive times out, then the candidate goes
    clock.advance(57.5);
    const second = a.takeStep();
    expect(second.expired.some((e) => e.failed)).toBe(true);
    expect(second.send.some((m) => m.keepAlive)).toBe(true);
    expect(ok.candidate.category(clock.now())).toBe('walk');
    clock.advance(10.5);
    const last = a.takeStep();
    expect(ok.candidate.lastWalkReply).toBe(-1);
    expect(last.removed.map((c: WalkCandidate) => c.key)).toContain('2.0.0.2:6421');
    expect(a.getCandidate(B)).toBeUndefined();
    expect(a.statistics.walkFailure).toBe(3); // the walks sent at +57.5 and +115, and the keep-alive
  });
});

describe('fast walker and step()', () => {
  it('fast steps every 2 s without sync, 15 steps, then the normal walker every 5 s', () => {
    const { make } = world();
    const w = make(A, 0, { fastWalker: true });
    for (let i = 1; i <= 5; i++) w.addDiscovered(addr('20.0.0.1', i));
    const first = w.step();
    expect(first.mode).toBe('fast');
    expect(first.nextStepIn).toBe(2);
    expect(first.send.length).toBe(5);
    expect(first.send.every((m) => m.fastWalker && !m.allowSync)).toBe(true);
    let last = first;
    for (let i = 2; i <= 15; i++) last = w.step();
    expect(last.nextStepIn).toBe(5);
    expect(w.fastWalkerActive).toBe(false);
    expect(w.step().mode).toBe('normal');
    expect(w.statistics.fastWalkerRequests).toBe(5);
  });

  it('switches to the normal walker at once with more than 15 verified candidates', () => {
    const { make, clock } = world();
    const w = make(A, 0, { fastWalker: true });
    for (let i = 1; i <= 16; i++) w.table.create({ address: addr('20.0.0.1', i) }, clock.now()).stumble(clock.now());
    const r = w.step();
    expect([r.mode, r.nextStepIn, r.send.length]).toEqual(['fast', 5, 1]);
    expect(r.send[0]?.allowSync).toBe(true);
    expect(w.takeFastStep().done).toBe(true);
  });

  it('a normal walker by default', () => {
    const { a } = world();
    expect(a.step()).toMatchObject({ mode: 'normal', send: [], nextStepIn: 5 });
    expect(a.fastWalkerActive).toBe(false);
  });
});

describe('accessors', () => {
  it('lan, wan, connectionType, local, candidates, introduceCandidate, removeCandidate', () => {
    const { a, clock } = world();
    expect([a.lan, a.wan, a.connectionType]).toEqual([A, A, 'unknown']);
    expect(a.local).toEqual({ lan: A, wan: A, connectionType: 'unknown' });
    const s = a.table.create({ address: B }, clock.now());
    s.stumble(clock.now());
    a.table.create({ address: C }, clock.now()).intro(clock.now());
    expect(a.candidates().map((c) => c.key)).toEqual(['2.0.0.2:6421', '3.0.0.3:6421']);
    expect(a.candidates({ shuffle: true }).length).toBe(2);
    expect(a.verifiedCandidates({ shuffle: true })).toEqual([s]);
    expect(a.introduceCandidate()).toBe(s);
    expect(a.introduceCandidate(s)).toBeNull();
    expect(a.removeCandidate(B)).toBe(s);
    expect(Object.isFrozen(a.statistics)).toBe(true);
  });
});
