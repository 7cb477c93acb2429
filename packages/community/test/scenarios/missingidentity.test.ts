// Ports of the original's tests/test_missingidentity.py (spec §14, §6.3). Topology: NODE <-> OTHER.
import { describe, expect, test } from 'vitest';
import { environment } from '../helpers.ts';

describe('test_missingidentity', () => {
  test('test_missingidentity.test_incoming_missing_identity: answered with exactly one identity', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    node!.giveMessage(other!.createMissingIdentity(node!.publicKey.mid), other!);
    const responses = other!.receive({ names: ['dispersy-identity'] });
    expect(responses).toHaveLength(1);
    expect(responses[0]!.members[0]!.bytes).toEqual(node!.publicKey.bytes);
    expect(other!.receive()).toHaveLength(0);
  });

  test('test_missingidentity.test_outgoing_missing_identity: unknown member delays, one request, stored after the identity', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    const message = other!.createFullSyncText('Hello World', 10);
    node!.giveMessage(message, other!);
    node!.assertNotStored(message);
    const requests = other!.receive({ names: ['dispersy-missing-identity'] });
    expect(requests).toHaveLength(1);
    expect((requests[0]!.payload as { mid: Uint8Array }).mid).toEqual(other!.publicKey.mid);
    // the identity arrives: the delayed packet resumes
    node!.givePacket(other!.identityPacket(), other!);
    node!.assertStored(message);
    expect(node!.community.delays.size).toBe(0);
    expect(node!.community.statistics.snapshot().delays).toMatchObject({ received: 1, send: 1, success: 1 });
  });

  test('test_missingidentity.test_outgoing_missing_identity_twice: the same message twice yields one request', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    const message = other!.createFullSyncText('Hello World', 10);
    node!.giveMessage(message, other!);
    node!.giveMessage(message, other!);
    expect(other!.receive({ names: ['dispersy-missing-identity'] })).toHaveLength(1);
    node!.givePacket(other!.identityPacket(), other!);
    node!.assertStored(message);
    node!.assertCount('full-sync-text', 1);
  });

  test('over the network: the request and the answer travel as datagrams (deliverAll)', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    const message = other!.createFullSyncText('over the wire', 10);
    other!.endpoint.send(node!.address, message.packet);
    env.deliverAll();
    node!.assertStored(message);
  });

  test('a missing identity expires after 10 s without an answer', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.giveMessage(other!.createFullSyncText('never resolved', 10), other!);
    expect(node!.community.delays.size).toBe(1);
    env.clock.advance(15);
    expect(node!.community.delays.size).toBe(0);
    expect(node!.community.statistics.snapshot().drops.byStage.delay).toEqual({ timeout: 1 });
  });
});
