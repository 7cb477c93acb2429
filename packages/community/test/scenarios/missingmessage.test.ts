// Ports of the original's tests/test_missingmessage.py (spec §14, §8.5): NODE stores 10 messages at global times
// 10–19; OTHER asks for them with dispersy-missing-message and gets exactly the global times it asked for.
import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/message.ts';
import { MISSING_MESSAGE_RESPONSE_LIMIT } from '../../src/builtins/index.ts';
import { buildMissingMessage } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

async function withOrder(batches: (messages: Message[]) => Message[][]): Promise<void> {
  const env = await environment();
  const [node, other] = await env.createNodes(2);
  node!.sendIdentity(other!);
  const messages: Message[] = range(10).map((i) => node!.createFullSyncText(`Message #${i}`, i + 10));
  node!.giveMessages(messages, node!);
  for (const batch of batches(messages)) {
    const globalTimes = batch.map((m) => m.globalTime).sort((a, b) => a - b);
    node!.giveMessage(buildMissingMessage(other!, node!.publicKey, globalTimes), other!);
    const responses = other!.receive({ names: ['full-sync-text'] });
    expect(responses.map((r) => r.globalTime).sort((a, b) => a - b)).toEqual(globalTimes);
  }
}

describe('test_missingmessage', () => {
  test('test_missingmessage.test_single_request: one global time per request, in order', async () => {
    await withOrder((messages) => messages.map((m) => [m]));
  });

  test('test_missingmessage.test_single_request_out_of_order: one per request, shuffled (seeded)', async () => {
    const rng = createSeededRandom(11);
    await withOrder((messages) => {
      const shuffled = [...messages];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      return shuffled.map((m) => [m]);
    });
  });

  test('test_missingmessage.test_two_at_a_time: two global times per request', async () => {
    await withOrder((messages) => range(5).map((i) => [messages[2 * i]!, messages[2 * i + 1]!]));
  });

  test('unknown global times and unknown members get nothing; the answer is bounded in bytes', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    node!.giveMessage(buildMissingMessage(other!, node!.publicKey, [500, 501]), other!);
    node!.giveMessage(buildMissingMessage(other!, other!.publicKey, [2, 3, 4]), other!);
    expect(other!.receive({ names: ['full-sync-text'] })).toHaveLength(0);

    const big = range(40).map((i) => node!.createFullSyncText('x'.repeat(1000) + i, 100 + i));
    node!.giveMessages(big, node!);
    node!.giveMessage(buildMissingMessage(other!, node!.publicKey, big.map((m) => m.globalTime)), other!);
    const answered = other!.receive({ names: ['full-sync-text'] });
    const bytes = answered.reduce((n, m) => n + m.packet.length, 0);
    expect(answered.length).toBeLessThan(big.length);
    expect(bytes).toBeGreaterThanOrEqual(MISSING_MESSAGE_RESPONSE_LIMIT);
    expect(bytes - answered.at(-1)!.packet.length).toBeLessThan(MISSING_MESSAGE_RESPONSE_LIMIT);
  });
});
