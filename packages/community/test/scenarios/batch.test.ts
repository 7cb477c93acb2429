// Ports of the original's tests/test_batch.py (spec §14). Topology: NODE <- OTHER (messages injected at NODE).
import { describe, expect, test } from 'vitest';
import { environment, range } from '../helpers.ts';

describe('test_batch', () => {
  test('test_batch.test_one_batch: 10 batched messages in one call are stored after the 5 s window', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(10).map((i) => other!.createBatchedText(`duplicates ${i}`, 10 + i));
    node!.giveMessages(messages, other!, { cache: true });
    for (const m of messages) node!.assertNotStored(m);
    env.clock.advance(4.9);
    for (const m of messages) node!.assertNotStored(m);
    env.clock.advance(0.1);
    for (const m of messages) node!.assertStored(m);
  });

  test('test_batch.test_multiple_batch: 10 batched messages given one by one are stored after the window', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(10).map((i) => other!.createBatchedText(`duplicates ${i}`, 10 + i));
    for (const m of messages) {
      node!.giveMessage(m, other!, { cache: true });
      node!.assertNotStored(m);
    }
    env.clock.advance(5);
    for (const m of messages) node!.assertStored(m);
  });

  test('test_batch.test_one_big_batch: 1000 messages in one call are all stored', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(1000).map((i) => other!.createFullSyncText(`Dprint=False, big batch #${i}`, 10 + i));
    node!.giveMessages(messages, other!, { cache: true });
    for (const m of messages) node!.assertStored(m);
    node!.assertCount('full-sync-text', 1000);
  });

  test('test_batch.test_many_small_batches: 1000 messages one by one are all stored', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const messages = range(1000).map((i) => other!.createFullSyncText(`Dprint=False, small batch #${i}`, 10 + i));
    for (const m of messages) node!.giveMessage(m, other!, { cache: true });
    for (const m of messages) node!.assertStored(m);
    expect(node!.community.statistics.snapshot().processed.byLabel['full-sync-text']).toBe(1000);
  });

  test('batches of batched metas are processed at stop (flushed, not lost)', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const message = other!.createBatchedText('flushed at unload', 10);
    node!.giveMessage(message, other!, { cache: true });
    node!.assertNotStored(message);
    node!.community.flushBatches();
    node!.assertStored(message);
  });
});
