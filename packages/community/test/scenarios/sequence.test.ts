// Port of the original's tests/test_sequence.py TestOutgoingMissingSequence.test_missing (spec §14, §4.6 step 3):
// the request is sent; answering it comes with the missing-sequence behaviour. Topology: NODE <- OTHER.
import { describe, expect, test } from 'vitest';
import { environment, range } from '../helpers.ts';

describe('test_sequence', () => {
  test('TestOutgoingMissingSequence.test_missing: gaps are requested and filled', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(10).map((i) => other!.createSequenceText(`Sequence message #${i + 1}`, i + 11, i + 1));

    // NODE gets #5: requests #1..#4
    node!.giveMessage(messages[4]!, other!);
    node!.assertNotStored(messages[4]!);
    const first = other!.receive({ names: ['dispersy-missing-sequence'] });
    expect(first).toHaveLength(1);
    expect(first[0]!.payload).toMatchObject({ meta: 'sequence-text', missingLow: 1, missingHigh: 4 });
    expect((first[0]!.payload as { member: { bytes: Uint8Array } }).member.bytes).toEqual(other!.publicKey.bytes);

    // NODE gets #1..#4: all five are stored
    node!.giveMessages(messages.slice(0, 4), other!);
    for (const m of messages.slice(0, 5)) node!.assertStored(m);

    // NODE gets #10: requests #6..#9
    node!.giveMessage(messages[9]!, other!);
    const second = other!.receive({ names: ['dispersy-missing-sequence'] });
    expect(second).toHaveLength(1);
    expect(second[0]!.payload).toMatchObject({ meta: 'sequence-text', missingLow: 6, missingHigh: 9 });
    node!.giveMessages(messages.slice(5, 9).reverse(), other!);
    for (const m of messages) node!.assertStored(m);
    expect(node!.community.delays.size).toBe(0);
  });

  test('a chain given in reverse order resolves link by link without recursion', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(40).map((i) => other!.createSequenceText(`#${i + 1}`, i + 11, i + 1));
    for (const m of [...messages].reverse()) node!.giveMessage(m, other!);
    for (const m of messages) node!.assertStored(m);
    // one request per new missing range: #40 asks 1..39; the later ones are covered by it
    expect(other!.receive({ names: ['dispersy-missing-sequence'] })).toHaveLength(1);
  });

  test('sequence conflict: the lower (global time, packet) wins and is sent back to the other sender', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const stored = other!.createSequenceText('first #1', 11, 1);
    const rival = other!.createSequenceText('rival #1', 12, 1);
    node!.giveMessage(stored, other!);
    node!.giveMessage(rival, other!);
    node!.assertStored(stored);
    node!.assertNotStored(rival);
    const back = other!.receive({ names: ['sequence-text'] });
    expect(back.map((m) => m.packet)).toEqual([stored.packet]);
  });

  test('sequence conflict: a lower rival replaces the stored row and every later one (undo callback, quirk 18)', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const one = other!.createSequenceText('#1', 11, 1);
    const two = other!.createSequenceText('#2', 13, 2);
    const three = other!.createSequenceText('#3', 14, 3);
    node!.giveMessages([one, two, three], other!);
    const rival = other!.createSequenceText('rival #2', 12, 2);
    node!.giveMessage(rival, other!);
    node!.assertStored(one);
    node!.assertStored(rival);
    node!.assertNotStored(two);
    node!.assertNotStored(three);
    expect(node!.community.undoCalls).toHaveLength(1);
    expect(node!.community.undoCalls[0]!.records.map((r) => [r.globalTime, r.reason])).toEqual([
      [13, 'replaced'],
      [14, 'replaced'],
    ]);
  });
});
