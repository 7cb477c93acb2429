import { describe, expect, it } from 'vitest';
import { MAX_EVENT_CLIENTS } from '../src/index.ts';
import { call, eventually, masterKey, openEvents, post, startTestNode } from './node-helpers.ts';

/** `name{labels} value` or `name value` (exposition format 0.0.4). */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/;
const COMMENT = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/;

async function founderNode() {
  const master = masterKey();
  const node = await startTestNode({ community: [`debug-master:${master.file}`] });
  return { node, cid: master.cid };
}

describe('HTTP API: events', () => {
  it('delivers a message event after a POST, and an undo event after an undo', async () => {
    const { node, cid } = await founderNode();
    const events = await openEvents(node);
    try {
      const created = (await post(node, cid, 'live!')).body;
      const message = await events.next('message');
      expect(message.data).toMatchObject({ cid, meta: 'full-sync-text', globalTime: created.globalTime, payload: { text: 'live!' }, packet: created.packet });
      expect(Number(message.id)).toBeGreaterThan(0);
      await call(node, `/v1/communities/${cid}/undo`, { body: { member: created.member, globalTime: created.globalTime } });
      const undo = await events.next('undo');
      expect(undo.data).toMatchObject({ cid, meta: 'dispersy-undo-own', member: created.member, target: { member: created.member, globalTime: created.globalTime } });
    } finally {
      events.close();
    }
  });

  it('publishes candidate changes and walker activity by polling the community', async () => {
    const { node, cid } = await founderNode();
    const events = await openEvents(node, '?events=candidate,sync');
    try {
      const community = node.running.node.communities.get(cid);
      community?.addCandidate({ host: '127.0.0.1', port: 9 }, { category: 'discovered' });
      const candidate = await events.next('candidate', 3000);
      expect(candidate.data).toMatchObject({ cid, change: 'new', address: '127.0.0.1:9', category: 'discovered' });
      community?.takeStep(); // an introduction-request to nobody listening: a walk attempt
      const sync = await events.next('sync', 3000);
      expect(sync.data).toMatchObject({ cid, walk: { attempt: 1 } });
    } finally {
      events.close();
    }
  });

  it('filters by event name and refuses unknown names', async () => {
    const { node, cid } = await founderNode();
    const bad = await call(node, '/v1/events?events=message,gossip');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('gossip');
    const events = await openEvents(node, '?events=undo');
    try {
      const created = (await post(node, cid, 'filtered')).body;
      await call(node, `/v1/communities/${cid}/undo`, { body: { member: created.member, globalTime: created.globalTime } });
      expect((await events.next('undo')).data.target.globalTime).toBe(created.globalTime);
      await expect(events.next('message', 300)).rejects.toThrow(/no 'message' event/);
    } finally {
      events.close();
    }
  });

  it('bounds the number of event streams (429 beyond)', async () => {
    const { node } = await founderNode();
    const held = Array.from({ length: MAX_EVENT_CLIENTS }, () => node.running.hub.subscribe());
    const refused = await call(node, '/v1/events');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_EVENT_CLIENTS');
    held[0]?.close();
    const events = await openEvents(node);
    events.close();
  });

  it('forgets a client that disconnects', async () => {
    const { node } = await founderNode();
    const events = await openEvents(node);
    expect(node.running.hub.subscribers).toBe(1);
    events.close();
    await eventually(async () => (node.running.hub.subscribers === 0 ? true : undefined), 3000, () => `subscribers: ${node.running.hub.subscribers}`);
  });

  it('ends event streams when the node stops', async () => {
    const { node } = await founderNode();
    const events = await openEvents(node);
    expect(node.running.hub.subscribers).toBe(1);
    await node.running.stop();
    expect(node.running.hub.subscribers).toBe(0);
    events.close();
  });
});

describe('HTTP API: statistics', () => {
  it('GET /v1/stats gives the counters of the node and of each community', async () => {
    const { node, cid } = await founderNode();
    await post(node, cid, 'count me');
    const r = await call(node, '/v1/stats');
    expect(r.status).toBe(200);
    expect(r.body.node.created.byLabel['full-sync-text']).toBe(1);
    expect(r.body.node.walk).toEqual({ attempt: expect.any(Number), success: expect.any(Number), failure: expect.any(Number) });
    expect(r.body.node.punctures).toEqual({ received: 0, sent: 0 });
    expect(r.body.node.drops).toMatchObject({ total: 0 });
    expect(r.body.communities[cid].created.byLabel['full-sync-text']).toBe(1);
    expect(r.body.endpoint).toMatchObject({ packetsSent: expect.any(Number), packetsReceived: expect.any(Number) });
    expect(r.body.events).toEqual({ subscribers: 0, droppedSubscribers: 0 });
  });

  it('GET /metrics is Prometheus text: every line a comment or a sample', async () => {
    const { node, cid } = await founderNode();
    await post(node, cid, 'metric me');
    node.running.node.communities.get(cid)?.addCandidate({ host: '127.0.0.1', port: 9 }, { category: 'discovered' });
    const r = await call(node, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.text.endsWith('\n')).toBe(true);
    const lines = r.text.slice(0, -1).split('\n');
    for (const line of lines) expect(SAMPLE.test(line) || COMMENT.test(line), line).toBe(true);
    expect(lines).toContain('dispersy_messages_created_total{message="full-sync-text"} 1');
    expect(lines).toContain(`dispersy_candidates{community="${cid}"} 1`);
    expect(lines).toContain('# TYPE dispersy_packets_total counter');
    // One TYPE line per family, before its samples.
    const types = lines.filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
  });
});
