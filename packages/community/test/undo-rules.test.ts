// The two batch rules of check_undo (spec §6.3 last bullet, §6.4): the batch dependency of one signer's undo
// messages, and the duplicate undo-own rule (both stored, the binary-lowest effective).
import type { MissingMessagePayload } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import { checkUndo, handleUndo } from '../src/builtins/undo.ts';
import type { Message } from '../src/message.ts';
import { buildAuthorize, buildUndoOther, buildUndoOwn, type DebugNode } from '../src/testing/index.ts';
import { environment } from './helpers.ts';

function lowHigh(a: Message, b: Message): [Message, Message] {
  return Buffer.compare(Buffer.from(a.packet), Buffer.from(b.packet)) < 0 ? [a, b] : [b, a];
}

/** Stores a message as received (no check, no handle): the state before the rule under test runs. */
function storeOnly(node: DebugNode, messages: readonly Message[]): void {
  node.community.storeUpdateForward(messages, { update: false, forward: false });
}

describe('batch dependency (check_undo)', () => {
  test('a later undo of the same signer shares the delay of an earlier one: one request, both resume', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const missing = node!.createFullSyncText('not yet at OTHER', 10);
    const present = node!.createFullSyncText('already at OTHER', 11);
    other!.giveMessage(present, node!);
    const undo1 = buildUndoOwn(node!, missing, { globalTime: 20, sequenceNumber: 1 });
    const undo2 = buildUndoOwn(node!, present, { globalTime: 21, sequenceNumber: 2 });
    other!.giveMessages([undo1, undo2], node!);

    // undo2's own target is present, but storing it without undo1 would leave a gap in NODE's sequence
    other!.assertNotStored(undo1);
    other!.assertNotStored(undo2);
    other!.assertStored(present);
    const requests = node!.receive({ names: ['dispersy-missing-message'] });
    expect(requests.map((r) => (r.payload as MissingMessagePayload).globalTimes)).toEqual([[10]]);
    expect(other!.community.delays.size).toBe(2);

    other!.giveMessage(missing, node!);
    other!.assertUndone(missing, undo1);
    other!.assertUndone(present, undo2);
  });

  test('a later undo of the same signer is dropped with an earlier one that is not undoable', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const last = node!.createLastSyncText('last-1-test has no undo callback', 10);
    const text = node!.createFullSyncText('undoable', 11);
    other!.giveMessages([last], node!);
    other!.giveMessages([text], node!);
    const undo1 = buildUndoOwn(node!, last, { globalTime: 20, sequenceNumber: 1 });
    const undo2 = buildUndoOwn(node!, text, { globalTime: 21, sequenceNumber: 2 });
    other!.giveMessages([undo1, undo2], node!);
    expect(other!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ not_undoable: 2 });
    other!.assertStored(text);
    other!.assertCount('dispersy-undo-own', 0);
  });

  test('the dependency is per signer: another member\'s undo in the same batch is accepted', async () => {
    const env = await environment();
    const [node, other, third] = await env.createNodes(3);
    node!.sendIdentity(other!);
    third!.sendIdentity(other!);
    const missing = node!.createFullSyncText('not at OTHER', 10);
    const present = third!.createFullSyncText('at OTHER', 11);
    other!.giveMessage(present, third!);
    const undoNode = buildUndoOwn(node!, missing, { globalTime: 20, sequenceNumber: 1 });
    const undoThird = buildUndoOwn(third!, present, { globalTime: 21, sequenceNumber: 1 });
    other!.giveMessages([undoNode, undoThird], node!);
    other!.assertNotStored(undoNode);
    other!.assertUndone(present, undoThird);
  });

  test('undo-other without the undo permission waits for a proof; the authorize resumes it', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const message = other!.createFullSyncText('target', 10);
    other!.giveMessage(message, other!);
    const undo = buildUndoOther(node!, message, { globalTime: 20, sequenceNumber: 1 });
    other!.giveMessage(undo, node!);
    other!.assertNotStored(undo);
    expect(node!.receive({ names: ['dispersy-missing-proof'] })).toHaveLength(1);
    other!.giveMessage(buildAuthorize(env.mm, [{ member: node!, meta: 'full-sync-text', permission: 'undo' }]), env.mm);
    other!.assertUndone(message, undo);
  });
});

describe('duplicate undo-own (check_undo / on_undo)', () => {
  async function setUp() {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const target = node!.createFullSyncText('undo me twice', 10);
    other!.giveMessage(target, node!);
    const [low, high] = lowHigh(
      buildUndoOwn(node!, target, { globalTime: 11, sequenceNumber: 1 }),
      buildUndoOwn(node!, target, { globalTime: 12, sequenceNumber: 2 }),
    );
    const source = { address: node!.address, tunnel: false };
    return { env, node: node!, other: other!, target, low: { ...low, source }, high: { ...high, source } };
  }

  test('stored lower, new higher: accepted without effect, undone by the lower, the lower sent back', async () => {
    const { node, other, target, low, high } = await setUp();
    other.giveMessage(low, node);
    other.giveMessage(high, node);
    expect(node.receivePackets().map((d) => d.packet)).toEqual([low.packet]);
    other.assertStored(low);
    other.assertUndone(high, low);
    other.assertUndone(target, low);
    expect(other.community.undoCalls.flatMap((c) => c.records)).toHaveLength(1); // the target was undone once
  });

  test('stored higher, new lower: the lower becomes effective and marks the higher undone', async () => {
    const { node, other, target, low, high } = await setUp();
    const c = other.community;
    c.storeUpdateForward([high], { forward: false }); // the higher one undid the target
    other.assertUndone(target, high);
    const verdicts = checkUndo([low], c);
    expect(verdicts).toEqual([{ kind: 'accept' }]); // nothing to send back
    storeOnly(other, [low]);
    handleUndo([low], c);
    other.assertStored(low);
    other.assertUndone(high, low);
    other.assertUndone(target, low);
    expect(node.receivePackets()).toHaveLength(0);
  });

  test('both in one batch, in either order: the lowest is effective, the other undone by it', async () => {
    for (const order of ['low-first', 'high-first'] as const) {
      const { other, target, low, high } = await setUp();
      const c = other.community;
      const batch = order === 'low-first' ? [low, high] : [high, low];
      expect(checkUndo(batch, c).map((v) => v.kind)).toEqual(['accept', 'accept']);
      storeOnly(other, batch);
      handleUndo(batch, c);
      other.assertStored(low);
      other.assertUndone(high, low);
      other.assertUndone(target, low);
      expect(c.undoCalls.flatMap((call) => call.records).map((r) => r.globalTime)).toEqual([10]);
    }
  });
});
