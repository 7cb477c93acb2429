// Ports of the original's tests/test_timeline.py (spec §14, §6.1, §6.3, §8.5): delay by proof, and answering
// dispersy-missing-proof. mm's member holds permit / authorize / revoke on protected-full-sync-text (Linear).
import { permissionTriplets, type MissingProofPayload, type PermissionsPayload } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/message.ts';
import { buildAuthorize, buildMissingProof, type DebugNode } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

function triplets(message: Message): string[] {
  return permissionTriplets(message.payload as PermissionsPayload).map((t) => `${Buffer.from(t.member.mid).toString('hex')}/${t.meta}/${t.permission}`);
}

function triplet(node: DebugNode, meta: string, permission: string): string {
  return `${Buffer.from(node.publicKey.mid).toString('hex')}/${meta}/${permission}`;
}

describe('test_timeline', () => {
  test('test_timeline.test_delay_by_proof: a message without proof is delayed, missing-proof sent, stored after the authorize', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const proof = buildAuthorize(env.mm, [
      { member: node!, meta: 'protected-full-sync-text', permission: 'permit' },
      { member: node!, meta: 'protected-full-sync-text', permission: 'authorize' },
    ]);

    const message = node!.createText('protected-full-sync-text', 'Protected message', { globalTime: 42 });
    other!.giveMessage(message, node!);
    other!.assertNotStored(message);

    const responses = node!.receive();
    expect(responses).toHaveLength(1);
    expect(responses[0]!.name).toBe('dispersy-missing-proof');
    const payload = responses[0]!.payload as MissingProofPayload;
    expect(payload.member.bytes).toEqual(node!.publicKey.bytes);
    expect(payload.globalTime).toBe(42);

    other!.giveMessage(proof, node!);
    other!.assertStored(message);
    expect(other!.community.delays.size).toBe(0);
  });

  test('test_timeline.test_missing_proof: the answer is the authorize granting permit', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const authorize = buildAuthorize(env.mm, [
      { member: node!, meta: 'protected-full-sync-text', permission: 'permit' },
      { member: node!, meta: 'protected-full-sync-text', permission: 'authorize' },
    ]);
    node!.giveMessage(authorize, env.mm);

    const message = node!.createText('protected-full-sync-text', 'Protected message', { globalTime: 42 });
    node!.community.storeUpdateForward([message], { update: false, forward: false });

    node!.giveMessage(buildMissingProof(other!, node!.publicKey, 42), other!);
    const answers = other!.receive({ names: ['dispersy-authorize'] });
    expect(answers).toHaveLength(1);
    expect(triplets(answers[0]!)).toContain(triplet(node!, 'protected-full-sync-text', 'permit'));
  });

  test('test_timeline.test_missing_authorize_proof: the proof of an authorize is the master\'s authorize of its signer', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const authorize = buildAuthorize(env.mm, [
      { member: node!, meta: 'protected-full-sync-text', permission: 'permit' },
      { member: node!, meta: 'protected-full-sync-text', permission: 'authorize' },
    ]);
    node!.giveMessage(authorize, env.mm);

    node!.giveMessage(buildMissingProof(other!, env.mm.publicKey, authorize.globalTime), other!);
    const answers = other!.receive({ names: ['dispersy-authorize'] });
    expect(answers).toHaveLength(1);
    expect(answers[0]!.members[0]!.mid).toEqual(env.mm.community.cid); // signed by the master
    expect(triplets(answers[0]!)).toContain(triplet(env.mm, 'protected-full-sync-text', 'permit'));
  });

  test('missing-proof for an unknown message, or a Public one, is answered with nothing', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const text = node!.createFullSyncText('public', 30);
    node!.giveMessage(text, node!);
    node!.giveMessage(buildMissingProof(other!, node!.publicKey, 30), other!);
    node!.giveMessage(buildMissingProof(other!, node!.publicKey, 31), other!);
    node!.giveMessage(buildMissingProof(other!, other!.publicKey, 31), other!);
    expect(other!.receivePackets()).toHaveLength(0);
  });
});
