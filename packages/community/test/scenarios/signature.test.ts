// Ports of the original's tests/test_signature.py (spec §2.3 bin member encoding, §2.4 signatures).
// Topology: NODE -> OTHER.
import { describe, expect, test } from 'vitest';
import type { DebugNode } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('test_signature', () => {
  test("test_signature.test_invalid_public_key: a bin-key message whose key bytes are 'I's is dropped", async () => {
    const env = await environment();
    const [node, other] = (await env.createNodes(2)) as [DebugNode, DebugNode];
    const message = node.createText('bin-key-text', 'Should drop', { globalTime: 10 });
    const key = node.publicKey.bytes;
    const at = indexOf(message.packet, key);
    expect(at).toBeGreaterThan(0);
    const invalid = message.packet.slice();
    invalid.fill(0x49, at, at + key.length); // 'I' * len(public_key)
    expect(invalid).not.toEqual(message.packet);
    other.givePacket(invalid, node);
    other.assertNotStored(message);
    other.assertCount('bin-key-text', 0);
    const drops = other.community.statistics.snapshot().drops.byStage.packet ?? {};
    expect(drops).toEqual({ BAD_KEY: 1 });
    expect(other.receive()).toHaveLength(0); // dropped, not delayed: nothing asked back
    // the untouched packet is accepted (the key travels in the packet: no identity needed)
    other.giveMessage(message, node);
    other.assertStored(message);
  });

  test('test_signature.test_invalid_signature: a message with a garbage signature is dropped', async () => {
    const env = await environment();
    const [node, other] = (await env.createNodes(2)) as [DebugNode, DebugNode];
    node.sendIdentity(other);
    const message = node.createFullSyncText('Should drop', 10);
    const invalid = message.packet.slice();
    invalid.fill(0x49, message.signatureOffset); // 'I' * signature_length
    other.givePacket(invalid, node);
    other.assertNotStored(message);
    other.assertCount('full-sync-text', 0);
    expect(other.community.statistics.snapshot().drops.byStage.packet).toEqual({ BAD_SIGNATURE: 1 });
  });
});
