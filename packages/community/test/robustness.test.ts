// "Nothing from the network throws" (architecture.md, house style §2.6): random bytes and mutated valid packets fed
// to a node in FRAGILE mode (unexpected exceptions would surface) are each either processed, delayed, or a counted
// drop — exactly one of those per packet.
import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import { createDebugCommunityDefinition, type DebugNode } from '../src/testing/index.ts';
import { environment, range } from './helpers.ts';

const ENC = new TextEncoder();

function outcomes(node: DebugNode): number {
  const s = node.dispersy.statistics.snapshot();
  return s.drops.total + s.processed.total + s.delays.received;
}

let port = 10_000;
/** Feeds one packet from a fresh source address (so per-source delay bounds never evict) and checks it counted once. */
function feed(node: DebugNode, packet: Uint8Array): void {
  const before = outcomes(node);
  node.givePacket(packet, { host: '192.168.1.1', port: port++ });
  const after = outcomes(node);
  if (after - before !== 1) throw new Error(`packet ${Buffer.from(packet).toString('hex')} counted ${after - before} times`);
}

describe('robustness', () => {
  test('random bytes, bare and behind a valid community prefix, are counted drops', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const rng = createSeededRandom(2024);
    const prefix = node!.community.conversion.prefix;
    for (let i = 0; i < 400; i++) {
      const length = rng.int(120);
      const bytes = Uint8Array.from({ length }, () => rng.int(256));
      feed(node!, bytes);
      const withPrefix = new Uint8Array(22 + 1 + length);
      withPrefix.set(prefix);
      withPrefix[22] = i % 2 === 0 ? rng.int(256) : [236, 237, 238, 239, 242, 243, 244, 247, 248, 253, 254, 101, 105, 109, 112][rng.int(15)]!;
      withPrefix.set(bytes, 23);
      feed(node!, withPrefix);
    }
    const drops = node!.dispersy.statistics.snapshot().drops.byStage;
    expect(Object.keys(drops.batch).length + Object.keys(drops.packet).length).toBeGreaterThan(2);
  });

  test('mutated valid packets (flipped bytes, truncation, extension) never throw and are counted once', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const rng = createSeededRandom(7);
    const valid = [
      other!.createFullSyncText('mutate me', 50),
      other!.createSequenceText('sequence', 51, 1),
      other!.createLast9Text('last nine', 52),
      other!.createLast1DoubleMemberText('double', node!, 53),
      other!.createMissingIdentity(node!.publicKey.mid),
      other!.build('dispersy-missing-sequence', { member: other!.publicKey, meta: 'sequence-text', missingLow: 1, missingHigh: 3 }, { globalTime: 5 }),
      other!.build('dispersy-missing-proof', { member: other!.publicKey, globalTime: 3 }, { globalTime: 5 }),
      other!.build('bin-key-text', { text: ENC.encode('bin key') }, { globalTime: 54 }),
      other!.build('dynamic-resolution-text', { text: ENC.encode('dynamic') }, { globalTime: 55, resolutionIndex: 1 }),
    ].map((m) => m.packet);
    valid.push(other!.identityPacket());
    for (const packet of valid) {
      for (const i of range(60)) {
        const copy = packet.slice();
        const mode = i % 4;
        if (mode === 0) {
          const at = rng.int(copy.length);
          copy[at] = (copy[at] as number) ^ (1 << rng.int(8));
        }
        else if (mode === 1) for (const _ of range(1 + rng.int(3))) copy[rng.int(copy.length)] = rng.int(256);
        if (mode === 2) feed(node!, packet.subarray(0, rng.int(packet.length)));
        else if (mode === 3) feed(node!, Uint8Array.from([...packet, ...range(1 + rng.int(8)).map(() => rng.int(256))]));
        else feed(node!, copy);
      }
    }
    const drops = node!.dispersy.statistics.snapshot().drops.byStage.packet;
    expect(drops).toMatchObject({ BAD_SIGNATURE: expect.any(Number), TRUNCATED: expect.any(Number) });
  });

  test('non-fragile: a throwing check callback is a counted drop, not an exception', async () => {
    const base = createDebugCommunityDefinition({ classification: 'ThrowingCheck' });
    const throwing = (): never => {
      throw new Error('check exploded');
    };
    const definition = { ...base, metas: base.metas.map((m) => (m.name === 'last-9-test' ? { ...m, check: throwing } : m)) };
    const env = await environment({ definition, fragile: false });
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const message = other!.createLast9Text('checked', 10);
    expect(() => node!.giveMessage(message, other!)).not.toThrow();
    node!.assertNotStored(message);
    expect(node!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ check_failed: 1 });
    const fine = other!.createFullSyncText('unaffected', 11);
    node!.giveMessage(fine, other!);
    node!.assertStored(fine);
  });
});
