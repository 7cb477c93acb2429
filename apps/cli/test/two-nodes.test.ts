import { describe, expect, it } from 'vitest';
import { call, eventually, masterKey, openEvents, post, startTestNode, type TestNode } from './node-helpers.ts';

function logsOf(name: string, node: TestNode): string {
  return `--- ${name} (${node.running.ready.udp}) log ---\n${node.logs.join('')}`;
}

async function texts(node: TestNode, cid: string): Promise<string[]> {
  const r = await call(node, `/v1/communities/${cid}/messages?meta=full-sync-text`);
  return (r.body?.messages ?? []).map((m: { payload: { text: string } }) => m.payload.text);
}

describe('two nodes on 127.0.0.1', () => {
  // NODE A (founder) <-- bootstrap -- NODE B: B walks to A (introduction-request with a Bloom filter), A answers and
  // sends what B lacks; later messages reach B by forwarding (B is a verified candidate of A).
  it('B bootstraps from A and receives the messages POSTed on A (sync, then forwarding)', async () => {
    const master = masterKey();
    const a = await startTestNode({ community: [`debug-master:${master.file}`] });
    const before = await post(a, master.cid, 'posted before B started');
    expect(before.status).toBe(201);
    const b = await startTestNode({ community: [`debug:${master.publicHex}`], bootstrap: [a.running.ready.udp], walkInterval: '0.5' });
    const dump = (): string => `${logsOf('A', a)}\n${logsOf('B', b)}`;

    await eventually(async () => ((await texts(b, master.cid)).includes('posted before B started') ? true : undefined), 40_000, dump);

    // Each knows the other as a candidate now.
    const candidates = await call(b, `/v1/communities/${master.cid}/candidates`);
    expect(candidates.body.candidates.map((c: { address: string }) => c.address), dump()).toContain(a.running.ready.udp);
    await eventually(async () => {
      const r = await call(a, `/v1/communities/${master.cid}/candidates`);
      return r.body.candidates.some((c: { address: string }) => c.address === b.running.ready.udp) ? true : undefined;
    }, 10_000, dump);

    // A later message reaches B, and B's event stream reports it.
    const events = await openEvents(b, '?events=message');
    try {
      await post(a, master.cid, 'posted while B listens');
      const event = await events.next('message', 20_000);
      expect(event.data, dump()).toMatchObject({ cid: master.cid, meta: 'full-sync-text', member: a.running.ready.mid, payload: { text: 'posted while B listens' } });
    } finally {
      events.close();
    }
    expect(await texts(b, master.cid)).toEqual(['posted before B started', 'posted while B listens']);
    // B stored A's messages with A's signatures: the same packets.
    const onA = await call(a, `/v1/communities/${master.cid}/messages?meta=full-sync-text`);
    const onB = await call(b, `/v1/communities/${master.cid}/messages?meta=full-sync-text`);
    expect(onB.body.messages.map((m: { packet: string }) => m.packet)).toEqual(onA.body.messages.map((m: { packet: string }) => m.packet));
  }, 90_000);

  // NODE A (founder) <-- bootstrap -- NODE B (joined by cid only): B learns the master's public key from A
  // (dispersy-missing-identity for the master, asked of verified candidates every 15 s) and syncs A's messages.
  it('B joined by cid only fetches the master key from A', async () => {
    const master = masterKey();
    const a = await startTestNode({ community: [`debug-master:${master.file}`] });
    await post(a, master.cid, 'hello, cid-only peer');
    const b = await startTestNode({ community: [master.cid], bootstrap: [a.running.ready.udp], walkInterval: '0.5' });
    const dump = (): string => `${logsOf('A', a)}\n${logsOf('B', b)}`;
    const before = await call(b, '/v1/communities');
    expect(before.body.communities[0]).toMatchObject({ cid: master.cid, masterPublicKey: null });
    const masterPublicKey = await eventually(async () => {
      const r = await call(b, '/v1/communities');
      return (r.body.communities[0]?.masterPublicKey as string | null) ?? undefined;
    }, 40_000, dump);
    expect(masterPublicKey).toBe(master.publicHex);
    await eventually(async () => ((await texts(b, master.cid)).includes('hello, cid-only peer') ? true : undefined), 40_000, dump);
  }, 90_000);
});
