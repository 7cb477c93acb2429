// The acceptance test (spec §8): two nodes in one process exchange identities, sync 1,000 DebugCommunity
// messages through Bloom filters only (no push: the messages are created with forwarding off), and agree on the
// database content — one direction, then with messages on both sides. Virtual time, seeded randomness.
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/internal/bytes.ts';
import type { DebugNode } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

const ENC = new TextEncoder();

/** Every stored row of the node's community as `mid:global time:packet` (member ids are local, so by mid). */
function content(node: DebugNode): Set<string> {
  const c = node.community;
  const out = new Set<string>();
  for (const rt of c.metas.values()) {
    if (rt.meta.distribution.kind === 'direct') continue;
    for (const row of c.storage.store.sync.iterateByMeta(c.storage.metaId(rt.name))) {
      const mid = c.node.members.keyOf(row.member)?.mid;
      out.add(`${mid === undefined ? '?' : toHex(mid)}:${row.globalTime}:${toHex(row.packet)}`);
    }
  }
  return out;
}

function createTexts(node: DebugNode, n: number, label: string): void {
  for (const i of range(n)) node.community.create('full-sync-text', { text: ENC.encode(`${label} message #${i}`) }, { forward: false });
}

describe('Bloom-filter sync acceptance', () => {
  test('1,000 messages created on A reach B through Bloom-filter sync only; both databases agree', async () => {
    const env = await environment();
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.sendIdentity(b!);
    createTexts(a!, 1000, 'A');
    expect(env.network.pending).toBe(0); // nothing pushed
    let rounds = 0;
    while (b!.storedPackets('full-sync-text').length < 1000 && rounds < 300) {
      b!.community.takeStep(a!.address);
      env.deliverAll();
      rounds++;
    }
    b!.assertCount('full-sync-text', 1000);
    expect(content(b!)).toEqual(content(a!));
    const stats = b!.community.statistics.snapshot();
    expect(stats.syncBloom.reuse).toBeGreaterThan(0);
    expect(rounds).toBeLessThan(100);
    // A only ever answered: every full-sync-text it sent was part of a sync response to B's requests
    expect(a!.community.statistics.snapshot().walk.attempt).toBe(0);
  });

  test('messages on both sides: walking to each other in turn, both end with the same 1,000 messages', async () => {
    const env = await environment({ seed: 11 });
    const [a, b] = await env.createNodes(2, { candidates: false });
    a!.sendIdentity(b!);
    createTexts(a!, 500, 'A');
    createTexts(b!, 500, 'B');
    let rounds = 0;
    const done = (): boolean => a!.storedPackets('full-sync-text').length === 1000 && b!.storedPackets('full-sync-text').length === 1000;
    while (!done() && rounds < 300) {
      a!.community.takeStep(b!.address);
      env.deliverAll();
      b!.community.takeStep(a!.address);
      env.deliverAll();
      rounds++;
    }
    expect(done()).toBe(true);
    expect(content(a!)).toEqual(content(b!));
    expect(rounds).toBeLessThan(100);
  });
});
