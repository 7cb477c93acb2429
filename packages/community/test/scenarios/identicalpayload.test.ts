// Ports of the original's tests/test_identicalpayload.py (spec §14, §4.6 `_is_duplicate_sync_message`, quirk 2).
// ECDSA keys ('low') give a new signature each time, so the same content can carry two valid signatures.
import { describe, expect, test } from 'vitest';
import { compareBytes } from '../../src/distribution.ts';
import { environment } from '../helpers.ts';

describe('test_identicalpayload', () => {
  test.each([
    ['lower first', false],
    ['higher first', true],
  ])('test_identicalpayload.test_drop_identical_payload: the binary-higher packet ends up stored (%s)', async (_, higherFirst) => {
    const env = await environment();
    const [node, other] = await env.createNodes(2, { memberLevel: 'low' });
    node!.sendIdentity(other!);
    const a = node!.createFullSyncText('Identical payload', 10);
    const b = node!.createFullSyncText('Identical payload', 10);
    expect(a.packet.subarray(0, a.signatureOffset)).toEqual(b.packet.subarray(0, b.signatureOffset));
    expect(compareBytes(a.packet, b.packet)).not.toBe(0);
    const [low, high] = compareBytes(a.packet, b.packet) < 0 ? [a, b] : [b, a];
    for (const m of higherFirst ? [high, low] : [low, high]) other!.giveMessage(m, node!);
    other!.assertStored(high);
    other!.assertNotStored(low);
    other!.assertCount('full-sync-text', 1);
    expect(other!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ duplicate_signature: 1 });
  });

  test('test_identicalpayload.test_drop_identical: the same packet twice is stored once', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const message = node!.createFullSyncText('Identical', 10);
    other!.giveMessage(message, node!);
    other!.giveMessage(message, node!);
    other!.giveMessages([message, message], node!);
    other!.assertStored(message);
    other!.assertCount('full-sync-text', 1);
    expect(other!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ duplicate: 2, duplicate_in_batch: 1 });
  });
});
