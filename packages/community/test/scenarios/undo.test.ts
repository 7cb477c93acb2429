// Ports of the original's tests/test_undo.py (spec §14, §6.4, §6.2). mm created the community (its member holds
// every initial grant, e.g. authorize / revoke / undo on full-sync-text); NODE and OTHER joined it.
import { permissionTriplets, type MissingMessagePayload } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import { createUndo } from '../../src/permission-api.ts';
import { buildAuthorize, buildRevoke, buildUndoOther, buildUndoOwn } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

describe('test_undo', () => {
  test('test_undo.test_self_undo_own: NODE undoes its own 10 messages', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const messages = range(10).map((i) => node!.createFullSyncText(`Should undo #${i}`, i + 10));
    node!.giveMessages(messages, node!);
    for (const m of messages) node!.assertStored(m);

    const undoes = messages.map((m, i) => buildUndoOwn(node!, m, { globalTime: i + 100, sequenceNumber: i + 1 }));
    node!.giveMessages(undoes, node!);
    messages.forEach((m, i) => node!.assertUndone(m, undoes[i]));
    for (const u of undoes) node!.assertStored(u);
    // the target meta's undo callback saw the ten targets, reason 'undo'
    const records = node!.community.undoCalls.flatMap((call) => call.records);
    expect(records.map((r) => r.globalTime)).toEqual(range(10).map((i) => i + 10));
    expect(new Set(records.map((r) => r.reason))).toEqual(new Set(['undo']));
  });

  test('test_undo.test_node_undo_other: with the undo permission NODE undoes 10 messages of OTHER', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const authorize = buildAuthorize(env.mm, [{ member: node!, meta: 'full-sync-text', permission: 'undo' }]);
    node!.giveMessage(authorize, env.mm);
    other!.giveMessage(authorize, env.mm);
    node!.assertStored(authorize);

    const messages = range(10).map((i) => other!.createFullSyncText(`Should undo #${i}`, i + 10));
    node!.giveMessages(messages, other!);
    for (const m of messages) node!.assertStored(m);

    const undoes = messages.map((m, i) => buildUndoOther(node!, m, { globalTime: m.globalTime + 100, sequenceNumber: i + 1 }));
    node!.giveMessages(undoes, node!);
    messages.forEach((m, i) => node!.assertUndone(m, undoes[i]));
    for (const u of undoes) node!.assertStored(u);
  });

  test('test_undo.test_self_attempt_undo_twice: the second create_undo returns the first undo', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const message = node!.createFullSyncText('Should undo @1', 1);
    node!.giveMessage(message, node!);
    const undo1 = createUndo(node!.community, message, { forward: false });
    const undo2 = createUndo(node!.community, message, { forward: false });
    expect(undo1?.name).toBe('dispersy-undo-own');
    expect(undo2?.packet).toEqual(undo1?.packet);
    node!.assertUndone(message, undo1);
    node!.assertCount('dispersy-undo-own', 1);
  });

  test('test_undo.test_node_resolve_undo_twice: both undo-owns stored, the lowest effective, sent back once', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const authorize = buildAuthorize(env.mm, [{ member: node!, meta: 'full-sync-text', permission: 'undo' }]);
    node!.giveMessage(authorize, env.mm);
    other!.giveMessage(authorize, env.mm);

    const message = node!.createFullSyncText('Should undo @10', 10);
    const undo1 = buildUndoOwn(node!, message, { globalTime: 11, sequenceNumber: 1 });
    const undo2 = buildUndoOwn(node!, message, { globalTime: 12, sequenceNumber: 2 });
    const [low, high] = Buffer.compare(Buffer.from(undo1.packet), Buffer.from(undo2.packet)) < 0 ? [undo1, undo2] : [undo2, undo1];
    other!.giveMessage(message, node!);
    other!.giveMessage(low, node!);
    other!.giveMessage(high, node!);

    // OTHER sends the lower undo back when the higher one arrives, and nothing else
    expect(node!.receivePackets().map((d) => d.packet)).toEqual([low.packet]);
    expect(other!.storedMessages('dispersy-undo-own')).toHaveLength(2);
    other!.assertStored(low);
    other!.assertUndone(high, low);
    other!.assertUndone(message, low);
  });

  test('test_undo.test_missing_message: undos before their targets request exactly those global times', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const messages = range(10).map((i) => node!.createFullSyncText(`Should undo @${i}`, i + 10));
    const undoes = messages.map((m, i) => buildUndoOwn(node!, m, { globalTime: m.globalTime + 100, sequenceNumber: i + 1 }));
    other!.giveMessages(undoes, node!);

    const requested: number[] = [];
    for (const request of node!.receive({ names: ['dispersy-missing-message'] })) {
      const payload = request.payload as MissingMessagePayload;
      expect(payload.member.bytes).toEqual(node!.publicKey.bytes);
      requested.push(...payload.globalTimes);
    }
    expect(requested.sort((a, b) => a - b)).toEqual(messages.map((m) => m.globalTime));

    other!.giveMessages(messages, node!);
    messages.forEach((m, i) => other!.assertUndone(m, undoes[i]));
    for (const u of undoes) other!.assertStored(u);
    expect(other!.community.delays.size).toBe(0);
  });

  test('test_undo.test_revoke_causing_undo: revoking the undoer\'s undo permission re-does the message', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const authorize = buildAuthorize(env.mm, [{ member: node!, meta: 'full-sync-text', permission: 'undo' }]);
    node!.giveMessage(authorize, env.mm);
    other!.giveMessage(authorize, env.mm);

    const message = other!.createFullSyncText('will be undone', 42);
    other!.giveMessage(message, other!);
    other!.assertStored(message);

    const undo = buildUndoOther(node!, message, { globalTime: message.globalTime + 1, sequenceNumber: 1 });
    other!.giveMessage(undo, node!);
    other!.assertUndone(message, undo);
    other!.assertStored(undo);

    // mm's revoke carries a global time far below 42: from then on NODE may not undo, so the undo is void
    const revoke = buildRevoke(env.mm, [{ member: node!, meta: 'full-sync-text', permission: 'undo' }]);
    expect(revoke.globalTime).toBeLessThan(42);
    const handledBefore = other!.community.handled.length;
    other!.giveMessage(revoke, env.mm);
    other!.assertStored(message);
    other!.assertStored(undo); // the undo message itself stays stored
    expect(other!.community.handled.slice(handledBefore).map((m) => m.globalTime)).toEqual([42]); // redo → handle callback
  });

  test('test_undo.test_revoke_causing_undo_permitted: the same for a Linear meta whose creator keeps permit', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const permit = buildAuthorize(env.mm, [{ member: other!, meta: 'protected-full-sync-text', permission: 'permit' }]);
    node!.giveMessage(permit, env.mm);
    other!.giveMessage(permit, env.mm);
    const undoGrant = buildAuthorize(env.mm, [{ member: node!, meta: 'protected-full-sync-text', permission: 'undo' }]);
    node!.giveMessage(undoGrant, env.mm);
    other!.giveMessage(undoGrant, env.mm);
    expect(permissionTriplets(undoGrant.payload).map((t) => t.permission)).toEqual(['undo']);

    const message = other!.createText('protected-full-sync-text', 'will be undone', { globalTime: 42 });
    other!.giveMessage(message, other!);
    other!.assertStored(message);

    const undo = buildUndoOther(node!, message, { globalTime: message.globalTime + 1, sequenceNumber: 1 });
    other!.giveMessage(undo, node!);
    other!.assertUndone(message, undo);
    other!.assertStored(undo);

    const revoke = buildRevoke(env.mm, [{ member: node!, meta: 'protected-full-sync-text', permission: 'undo' }]);
    other!.giveMessage(revoke, env.mm);
    other!.assertStored(message);
  });

  test('revoking permit undoes the member\'s messages in the range by policy (undo callback, reason policy)', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const permit = buildAuthorize(env.mm, [{ member: node!, meta: 'protected-full-sync-text', permission: 'permit' }]);
    other!.giveMessage(permit, env.mm);
    const early = node!.createText('protected-full-sync-text', 'before the revoke', { globalTime: permit.globalTime + 1 });
    const late = node!.createText('protected-full-sync-text', 'after the revoke', { globalTime: 40 });
    other!.giveMessages([early, late], node!);
    other!.assertStored(early);
    other!.assertStored(late);

    const revoke = buildRevoke(env.mm, [{ member: node!, meta: 'protected-full-sync-text', permission: 'permit' }], { globalTime: 20 });
    other!.giveMessage(revoke, env.mm);
    other!.assertStored(early); // before the revoke's global time: still permitted
    other!.assertUndone(late);
    const call = other!.community.undoCalls.at(-1);
    expect(call?.records.map((r) => [r.globalTime, r.reason])).toEqual([[40, 'policy']]);
    // a re-grant after the revoke does not reach back: the row stays undone
    const regrant = buildAuthorize(env.mm, [{ member: node!, meta: 'protected-full-sync-text', permission: 'permit' }], { globalTime: 50 });
    other!.giveMessage(regrant, env.mm);
    other!.assertUndone(late);
  });
});
