// community.create / encode / forward (spec §1 "Outgoing", §4.6 create phase, §4.5). Topology: MM with nodes.
import { describe, expect, test } from 'vitest';
import { environment } from './helpers.ts';

const T = (s: string) => ({ text: new TextEncoder().encode(s) });

describe('outgoing', () => {
  test('sync messages claim the global time and the sequence number; direct ones carry the current time', async () => {
    const env = await environment();
    const c = env.mm.community;
    const gt = c.globalTime;
    const first = c.create('sequence-text', T('#1'), { forward: false });
    const second = c.create('sequence-text', T('#2'), { forward: false });
    expect([first.globalTime, first.sequenceNumber, second.globalTime, second.sequenceNumber]).toEqual([gt + 1, 1, gt + 2, 2]);
    const request = c.create('dispersy-missing-identity', { mid: new Uint8Array(20) }, { forward: false });
    expect(request.globalTime).toBe(gt + 2);
    expect(c.globalTime).toBe(gt + 2);
    const explicit = c.create('sequence-text', T('#9'), { globalTime: 100, sequenceNumber: 9, forward: false });
    expect([explicit.globalTime, explicit.sequenceNumber]).toEqual([100, 9]);
    expect(c.create('sequence-text', T('#10'), { forward: false }).sequenceNumber).toBe(10);
    expect(c.statistics.snapshot().created.byLabel['sequence-text']).toBe(4);
  });

  test('create stores and handles; encode has no side effect', async () => {
    const env = await environment();
    const c = env.mm.community;
    const before = c.globalTime;
    const encoded = c.encode('full-sync-text', { globalTime: 50, payload: T('not stored') });
    expect(c.globalTime).toBe(before);
    env.mm.assertNotStored(encoded);
    const created = c.create('full-sync-text', T('stored'));
    env.mm.assertStored(created);
    expect(c.handled.map((m) => m.globalTime)).toEqual([created.globalTime]);
    const unstored = c.create('full-sync-text', T('no store'), { store: false, update: false, forward: false });
    env.mm.assertNotStored(unstored);
    expect(c.handled).toHaveLength(1);
  });

  test('signing with the master needs its private key; unknown metas throw', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    expect(() => node!.community.create('full-sync-text', T('x'), { signWithMaster: true })).toThrow(/master private key/);
    expect(() => node!.community.create('no-such-meta', {})).toThrow(RangeError);
    const byMaster = env.mm.community.create('full-sync-text', T('master'), { signWithMaster: true, forward: false });
    expect(byMaster.members[0]!.bytes).toEqual(env.mm.community.master!.bytes);
  });

  test('a double-signed message created with a public second member carries an empty second signature', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const message = env.mm.community.create('double-signed-text', T('Allow=True'), {
      members: [env.mm.myMember, node!.publicKey],
      forward: false,
    });
    expect(message.signatures[0]!.some((b) => b !== 0)).toBe(true);
    expect(message.signatures[1]!.every((b) => b === 0)).toBe(true);
    expect(message.remainingDepth).toBe(42);
  });

  test('forward: node count 0 sends to explicit destinations only (identity); candidates must be verified', async () => {
    const env = await environment();
    const nodes = await env.createNodes(3);
    const c = env.mm.community;
    expect(c.forward([c.encode('dispersy-identity', { globalTime: 9, payload: {} })])).toBe(0);
    // intro-only candidates are not verified: nothing is sent to them
    c.candidates.clear();
    for (const n of nodes) c.addCandidate(n.address, { category: 'intro' });
    expect(c.forward([c.encode('full-sync-text', { globalTime: 9, payload: T('x') })])).toBe(0);
    c.addCandidate(nodes[0]!.address, { category: 'walk' });
    expect(c.forward([c.encode('full-sync-text', { globalTime: 9, payload: T('x') })], [nodes[1]!.address])).toBe(2);
    expect(nodes.map((n) => n.receivePackets().length)).toEqual([1, 1, 0]);
    expect(c.statistics.snapshot().packets.out.byLabel['full-sync-text']).toBe(2);
  });
});
