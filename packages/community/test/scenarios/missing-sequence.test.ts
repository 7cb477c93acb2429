// Ports of the original's tests/test_sequence.py TestIncomingMissingSequence (spec §14, §8.5): OTHER stores
// sequence-text #1..#10 at global times 11..20; each of 1 or 2 NODEs sends missing-sequence requests that arrive in
// one 0.1 s batch and must get exactly the expected sequence numbers, in order.
import { describe, expect, test } from 'vitest';
import { mergeRanges } from '../../src/builtins/missing-sequence.ts';
import { buildMissingSequence } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

type Range = readonly [number, number];

async function requests(nodeCount: number, expected: readonly number[], ...ranges: Range[]): Promise<void> {
  const env = await environment();
  const [other, ...nodes] = await env.createNodes(1 + nodeCount);
  const messages = range(10).map((i) => other!.createSequenceText(`Sequence message #${i + 1}`, i + 11, i + 1));
  other!.community.storeUpdateForward(messages, { forward: false });
  for (const node of nodes) other!.sendIdentity(node);
  // first create all requests, then give them to OTHER; the 0.1 s batch window collects them
  const built = nodes.map((node) => ranges.map(([low, high]) => buildMissingSequence(node, other!, 'sequence-text', low, high)));
  nodes.forEach((node, i) => other!.giveMessages(built[i]!, node, { cache: true }));
  expect(other!.receivePackets()).toHaveLength(0);
  env.clock.advance(0.1);
  for (const node of nodes) {
    const answer = node.receive({ names: ['sequence-text'] });
    expect(answer.map((m) => m.sequenceNumber)).toEqual(expected);
  }
}

const CASES: readonly { readonly n: number; readonly expected: readonly number[]; readonly ranges: readonly Range[] }[] = [
  // single range
  { n: 1, expected: [1], ranges: [[1, 1]] },
  { n: 2, expected: [10], ranges: [[10, 10]] },
  { n: 3, expected: range(10).map((i) => i + 1), ranges: [[1, 10]] },
  { n: 4, expected: range(8).map((i) => i + 3), ranges: [[3, 10]] },
  { n: 5, expected: range(7).map((i) => i + 1), ranges: [[1, 7]] },
  { n: 6, expected: range(5).map((i) => i + 3), ranges: [[3, 7]] },
  // multi range
  { n: 7, expected: [1], ranges: [[1, 1], [1, 1], [1, 1]] },
  { n: 9, expected: [1, 2, 3, 4, 5], ranges: [[1, 2], [2, 3], [3, 4], [4, 5]] },
  { n: 11, expected: [1, 2, 4, 5, 7, 8], ranges: [[1, 2], [4, 5], [7, 8]] },
  { n: 13, expected: [1], ranges: [[1, 1], [1, 1], [1, 1]] },
  { n: 15, expected: [1, 2, 3, 4, 5], ranges: [[4, 5], [3, 4], [1, 2], [2, 3]] },
  { n: 16, expected: [1, 5], ranges: [[5, 5], [1, 1]] },
  { n: 17, expected: [1, 2, 4, 5, 7, 8], ranges: [[1, 2], [7, 8], [4, 5]] },
  // out of range
  { n: 19, expected: [10], ranges: [[10, 11]] },
  { n: 20, expected: [], ranges: [[11, 11]] },
  { n: 23, expected: [10], ranges: [[10, 11], [10, 100], [50, 75]] },
  { n: 24, expected: [], ranges: [[11, 11], [11, 50], [100, 200]] },
];

describe('TestIncomingMissingSequence', () => {
  for (const nodes of [1, 2]) {
    for (const { n, expected, ranges } of CASES) {
      const shown = ranges.map(([a, b]) => `(${a},${b})`).join('');
      test(`TestIncomingMissingSequence.test_requests_${nodes}_${n}: ${shown} → [${expected.join(',')}]`, () => requests(nodes, expected, ...ranges));
    }
  }

  test('merge_ranges: overlapping ranges merge, touching ones stay apart', () => {
    expect(mergeRanges([[4, 5], [3, 4], [1, 2], [2, 3]])).toEqual([[1, 5]]);
    expect(mergeRanges([[1, 2], [7, 8], [4, 5]])).toEqual([[1, 2], [4, 5], [7, 8]]);
    expect(mergeRanges([[10, 11], [10, 100], [50, 75]])).toEqual([[10, 100]]);
    expect(mergeRanges([])).toEqual([]);
  });

  test('the answer per requester stops at 10 KiB, the crossing packet included', async () => {
    const env = await environment();
    const [other, node] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(150).map((i) => other!.createSequenceText(`#${i + 1} ${'y'.repeat(60)}`, i + 11, i + 1));
    other!.community.storeUpdateForward(messages, { forward: false });
    other!.giveMessage(buildMissingSequence(node!, other!, 'sequence-text', 1, 150), node!);
    const answer = node!.receive({ names: ['sequence-text'] });
    const bytes = answer.reduce((sum, m) => sum + m.packet.length, 0);
    expect(answer.length).toBeLessThan(150);
    expect(bytes).toBeGreaterThanOrEqual(10_240);
    expect(bytes - answer.at(-1)!.packet.length).toBeLessThan(10_240);
    expect(answer.map((m) => m.sequenceNumber)).toEqual(range(answer.length).map((i) => i + 1));
  });

  test('a request naming a member without a known identity is a counted drop and asks for nothing', async () => {
    const env = await environment();
    const [other, node, stranger] = await env.createNodes(3);
    other!.sendIdentity(node!);
    node!.givePacket(stranger!.identityPacket(), stranger!); // NODE can build it; OTHER never saw STRANGER's identity
    const request = node!.build('dispersy-missing-sequence', { member: stranger!.publicKey, meta: 'sequence-text', missingLow: 1, missingHigh: 2 }, { globalTime: 3 });
    other!.giveMessage(request, node!);
    expect(other!.community.statistics.snapshot().drops.byStage.packet).toMatchObject({ UNKNOWN_MEMBER: 1 });
    expect(node!.receivePackets()).toHaveLength(0);
    expect(other!.community.delays.size).toBe(0);
  });
});
