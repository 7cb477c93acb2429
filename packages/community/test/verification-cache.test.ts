// DispersyInit.verificationCache (simulations): inline verification asks a shared outcome cache keyed by the
// received packet, so N nodes receiving one packet verify it once; a forged packet stays rejected.
// Topology: OTHER -> NODE_1, NODE_2 (the same packets given to both; DebugCommunity on the in-memory network).
import { describe, expect, test } from 'vitest';
import type { VerificationOutcomeCache } from '../src/index.ts';
import { environment, range } from './helpers.ts';

/** A cache like @dispersy/sim's, keyed by the bytes, counting the real checks. */
function countingCache(): VerificationOutcomeCache & { readonly keys: Map<string, boolean>; verified: number; hits: number } {
  const keys = new Map<string, boolean>();
  const cache = {
    keys,
    verified: 0,
    hits: 0,
    verifyOnce(key: Uint8Array, verify: () => boolean): boolean {
      const k = Buffer.from(key).toString('hex');
      const cached = keys.get(k);
      if (cached !== undefined) {
        cache.hits++;
        return cached;
      }
      cache.verified++;
      const ok = verify();
      keys.set(k, ok);
      return ok;
    },
  };
  return cache;
}

describe('a shared verification cache', () => {
  test('each distinct packet is verified once for every node; a forged one is dropped by every node', async () => {
    const cache = countingCache();
    const env = await environment({ nodeOptions: { verificationCache: cache } });
    const [node1, node2, other] = await env.createNodes(3);
    other!.sendIdentity(node1!);
    other!.sendIdentity(node2!);
    const before = cache.verified;
    const messages = range(5).map((i) => other!.createFullSyncText(`shared ${i}`, 10 + i));
    const forged = other!.createFullSyncText('forged', 99).packet.slice();
    forged[forged.length - 1] = (forged[forged.length - 1] as number) ^ 0xff;
    for (const node of [node1!, node2!]) {
      node.giveMessages(messages, other!);
      node.givePacket(forged, other!);
      for (const m of messages) node.assertStored(m);
      expect(node.community.statistics.snapshot().drops.byStage.packet).toEqual({ BAD_SIGNATURE: 1 });
    }
    expect(cache.verified - before).toBe(6); // 5 messages + the forged packet, once each
    expect(cache.hits).toBeGreaterThanOrEqual(6); // the second node's copies
    expect(node1!.dispersy.verificationCache).toBe(cache);
  });

  test('without a cache the node verifies inline as before', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    expect(node!.dispersy.verificationCache).toBeUndefined();
    const message = other!.createFullSyncText('plain', 10);
    node!.giveMessage(message, other!);
    node!.assertStored(message);
  });
});
