// Ports of the Bloom-filter side of the original's tests/test_sync.py (spec §14, §8.4): OTHER stores messages,
// NODE sends introduction-requests with a sync section (the test filter BloomFilter(4096, 0.001, 'x')), OTHER answers
// with what the filter lacks. Plus test_pruning.test_sync_response_response_filtering_inactive.
import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/message.ts';
import { buildIntroductionRequest, type DebugNode, type TestSync } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

/** The original's setUp: NODE and OTHER know each other's identity. */
async function pair(): Promise<{ node: DebugNode; other: DebugNode }> {
  const env = await environment();
  const [node, other] = await env.createNodes(2);
  node!.sendIdentity(other!);
  return { node: node!, other: other! };
}

/** OTHER stores messages (built with explicit global times) without sending them. */
function store(other: DebugNode, messages: readonly Message[]): void {
  const byMeta = new Map<string, Message[]>();
  for (const m of messages) byMeta.set(m.name, [...(byMeta.get(m.name) ?? []), m]);
  for (const list of byMeta.values()) other.community.storeUpdateForward(list, { forward: false });
}

/** NODE asks OTHER with `sync` (advice off); returns what came back, in arrival order. */
function ask(node: DebugNode, other: DebugNode, sync: TestSync, names: readonly string[]): Message[] {
  other.giveMessage(buildIntroductionRequest(node, other, { advice: false, sync }), node);
  return node.receive({ names });
}

function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('test_sync (Bloom-filter responder)', () => {
  test('test_sync.test_modulo: for modulo 1..9 and every offset exactly the global times in that class come back', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createFullSyncText(`Message #${i}`, i + 10));
    store(other, messages);
    for (const modulo of range(10)) {
      for (const offset of range(modulo)) {
        const expected = messages.map((m) => m.globalTime).filter((gt) => (gt + offset) % modulo === 0);
        const received = ask(node, other, { timeLow: 1, timeHigh: 0, modulo, offset }, ['full-sync-text']).map((m) => m.globalTime);
        expect(received.sort((a, b) => a - b)).toEqual(expected);
      }
    }
  });

  test('test_sync.test_range: for time_low 1..10 and time_high 20..29 exactly the global times in range come back', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createFullSyncText(`Message #${i}`, i + 10));
    store(other, messages);
    for (const timeLow of range(10).map((i) => i + 1)) {
      for (const timeHigh of range(10).map((i) => i + 20)) {
        const expected = messages.map((m) => m.globalTime).filter((gt) => timeLow <= gt && gt <= timeHigh);
        const received = ask(node, other, { timeLow, timeHigh }, ['full-sync-text']).map((m) => m.globalTime);
        expect(received.sort((a, b) => a - b)).toEqual(expected);
      }
    }
  });

  test('test_sync.test_in_order: ASC-text comes back lowest global time first', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createText('ASC-text', `Message #${i}`, { globalTime: i + 10 }));
    store(other, seededShuffle(messages, 3));
    const received = ask(node, other, { timeLow: 10, timeHigh: 39 }, ['ASC-text']).map((m) => m.globalTime);
    expect(received).toEqual(range(30).map((i) => i + 10));
  });

  test('test_sync.test_out_order: DESC-text comes back highest global time first', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createText('DESC-text', `Message #${i}`, { globalTime: i + 10 }));
    store(other, seededShuffle(messages, 5));
    const received = ask(node, other, { timeLow: 10, timeHigh: 39 }, ['DESC-text']).map((m) => m.globalTime);
    expect(received).toEqual(range(30).map((i) => 39 - i));
  });

  test('test_sync.test_random_order: RANDOM-text comes back in neither order (all of them)', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createText('RANDOM-text', `Message #${i}`, { globalTime: i + 10 }));
    store(other, messages);
    const received = ask(node, other, { timeLow: 10, timeHigh: 39 }, ['RANDOM-text']).map((m) => m.globalTime);
    const ascending = range(30).map((i) => i + 10);
    expect(received).not.toEqual(ascending);
    expect(received).not.toEqual([...ascending].reverse());
    expect([...received].sort((a, b) => a - b)).toEqual(ascending);
  });

  test('test_sync.test_mixed_order: ASC metas ascending, DESC descending, RANDOM neither', async () => {
    const { node, other } = await pair();
    const gts = (start: number) => range(10).map((i) => start + 3 * i);
    const asc = gts(10).map((gt) => other.createText('ASC-text', `ASC ${gt}`, { globalTime: gt }));
    const desc = gts(11).map((gt) => other.createText('DESC-text', `DESC ${gt}`, { globalTime: gt }));
    const rnd = gts(12).map((gt) => other.createText('RANDOM-text', `RANDOM ${gt}`, { globalTime: gt }));
    store(other, seededShuffle([...asc, ...desc, ...rnd], 7));
    const received = ask(node, other, { timeLow: 1, timeHigh: 0 }, ['ASC-text', 'DESC-text', 'RANDOM-text']);
    const of = (name: string) => received.filter((m) => m.name === name).map((m) => m.globalTime);
    expect(of('ASC-text')).toEqual(gts(10));
    expect(of('DESC-text')).toEqual(gts(11).reverse());
    const random = of('RANDOM-text');
    expect([...random].sort((a, b) => a - b)).toEqual(gts(12));
    expect(random).not.toEqual(gts(12));
    expect(random).not.toEqual(gts(12).reverse());
  });

  test('test_sync.test_priority_order: all priority-200 messages first, then 150, then 100', async () => {
    const { node, other } = await pair();
    const high = range(5).map((i) => other.createText('high-priority-text', `high ${i}`, { globalTime: 10 + i }));
    const low = range(5).map((i) => other.createText('low-priority-text', `low ${i}`, { globalTime: 15 + i }));
    const medium = range(5).map((i) => other.createText('medium-priority-text', `medium ${i}`, { globalTime: 20 + i }));
    store(other, [...high, ...low, ...medium]);
    const names = ask(node, other, { timeLow: 1, timeHigh: 0 }, ['high-priority-text', 'medium-priority-text', 'low-priority-text']).map((m) => m.name);
    expect(names).toEqual([...Array(5).fill('high-priority-text'), ...Array(5).fill('medium-priority-text'), ...Array(5).fill('low-priority-text')]);
  });

  test('test_pruning.test_sync_response_response_filtering_inactive: only active messages are answered', async () => {
    const { node, other } = await pair();
    store(other, range(20).map((i) => other.createPruningText(`pruning #${i}`, i + 11)));
    const first = ask(node, other, { timeLow: 1, timeHigh: 0 }, ['full-sync-global-time-pruning-text']).map((m) => m.globalTime);
    expect(first.sort((a, b) => a - b)).toEqual(range(10).map((i) => i + 21));
    store(other, range(5).map((i) => other.createFullSyncText(`normal #${i}`, i + 31)));
    const second = ask(node, other, { timeLow: 1, timeHigh: 0 }, ['full-sync-global-time-pruning-text']).map((m) => m.globalTime);
    expect(second.sort((a, b) => a - b)).toEqual(range(5).map((i) => i + 26));
  });

  test('the filter holds what the requester has: only the others come back', async () => {
    const { node, other } = await pair();
    const messages = range(30).map((i) => other.createFullSyncText(`Message #${i}`, i + 10));
    store(other, messages);
    const have = messages.filter((_, i) => i % 3 !== 0);
    const received = ask(node, other, { timeLow: 1, timeHigh: 0, packets: have.map((m) => m.packet) }, ['full-sync-text']).map((m) => m.globalTime);
    expect(received.sort((a, b) => a - b)).toEqual(messages.filter((_, i) => i % 3 === 0).map((m) => m.globalTime));
  });

  test('undone rows and priority ≤ 32 metas (dispersy-identity) are never answered', async () => {
    const { node, other } = await pair();
    const messages = range(5).map((i) => other.createFullSyncText(`Message #${i}`, i + 10));
    store(other, messages);
    const target = messages[2]!;
    const row = other.community.storage.get(other.community.myMemberId, target.globalTime)!;
    other.community.storage.store.undo.markUndoneByPolicy(row.id);
    other.giveMessage(buildIntroductionRequest(node, other, { advice: false, sync: { timeLow: 1, timeHigh: 0 } }), node);
    const received = node.receive();
    expect(received.some((m) => m.name === 'dispersy-identity')).toBe(false);
    expect(received.filter((m) => m.name === 'full-sync-text').map((m) => m.globalTime).sort((a, b) => a - b)).toEqual([10, 11, 13, 14]);
  });

  test('the answer stops at 5 KiB, the crossing packet included, after the introduction-response', async () => {
    const { node, other } = await pair();
    const messages = range(100).map((i) => other.createFullSyncText(`Message #${i} ${'x'.repeat(40)}`, i + 10));
    store(other, messages);
    other.giveMessage(buildIntroductionRequest(node, other, { advice: false, sync: { timeLow: 1, timeHigh: 0 } }), node);
    const received = node.receive();
    expect(received[0]!.name).toBe('dispersy-introduction-response');
    const answer = received.slice(1); // the master's authorize (priority 128, global time 4) and full-sync-texts
    const bytes = answer.reduce((sum, m) => sum + m.packet.length, 0);
    expect(bytes).toBeGreaterThanOrEqual(5120);
    expect(bytes - answer.at(-1)!.packet.length).toBeLessThan(5120);
    const texts = answer.filter((m) => m.name === 'full-sync-text');
    expect(texts.length).toBeLessThan(100);
    expect(texts.map((m) => m.globalTime)).toEqual(range(texts.length).map((i) => i + 10));
  });

  test('a malformed filter (too many functions for its hash) drops the whole request, counted by its BloomError code', async () => {
    const { node, other } = await pair();
    const request = node.build('dispersy-introduction-request', {
      destinationAddress: other.address,
      sourceLanAddress: node.address,
      sourceWanAddress: node.address,
      advice: true,
      connectionType: 'unknown',
      identifier: 9,
      sync: { timeLow: 1, timeHigh: 0, modulo: 1, offset: 0, bloom: { functions: 200, prefix: 1, bytes: new Uint8Array(64) } },
    }, { globalTime: 5 });
    other.giveMessage(request, node);
    expect(other.community.statistics.snapshot().drops.byStage.message).toMatchObject({ HASH_BITS_EXCEEDED: 1 });
    expect(node.receive()).toHaveLength(0);
  });
});
