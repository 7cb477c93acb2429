// Incoming batches verified on the crypto package's worker pool (architecture.md "Crypto speed"): the pipeline
// continues asynchronously; `node.idle()` waits for it. Invalid signatures are dropped either way.
import { createVerifyPool } from '@dispersy/crypto';
import { describe, expect, onTestFinished, test } from 'vitest';
import { environment, range } from './helpers.ts';

describe('verification on a worker pool', () => {
  test('valid messages are stored after idle(); a forged signature is dropped', async () => {
    const pool = createVerifyPool({ size: 1 });
    onTestFinished(() => pool.close());
    const env = await environment({ nodeOptions: { verifyPool: pool } });
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    await node!.dispersy.idle();
    const messages = range(20).map((i) => other!.createFullSyncText(`pooled ${i}`, 10 + i));
    const forged = other!.createFullSyncText('forged', 99).packet.slice();
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 0xff;
    node!.giveMessages(messages, other!);
    node!.givePacket(forged, other!);
    for (const m of messages) node!.assertNotStored(m);
    await node!.dispersy.idle();
    for (const m of messages) node!.assertStored(m);
    expect(node!.community.statistics.snapshot().drops.byStage.packet).toEqual({ BAD_SIGNATURE: 1 });
  });
});
