// Ports of the original's tests/test_double_signature.py (spec §4.2, §9 signature-request/-response, §11.1
// SignatureRequestCache, quirks 1 and 19), plus the storage and forwarding of the double-signed result.
// Topology: NODE <-> OTHER (both joined through MM; MM is each node's walk candidate, so the finished
// double-signed message is forwarded to MM).
import { isEmptySignature, type SignatureRequestPayload, type TextPayload } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/message.ts';
import type { DebugNode } from '../../src/testing/index.ts';
import { environment, text } from '../helpers.ts';

interface Call {
  readonly original: Message<TextPayload>;
  readonly response: Message<TextPayload> | undefined;
  readonly changed: boolean;
}

/** A response callback that records its calls and answers `accept`. */
function recorder(accept = false): { calls: Call[]; callback: (o: Message<TextPayload>, r: Message<TextPayload> | undefined, c: boolean) => boolean } {
  const calls: Call[] = [];
  return { calls, callback: (original, response, changed) => (calls.push({ original, response, changed }), accept) };
}

/** Signed by `node`: whether the signature of `node`'s member in `message` is non-empty. */
function signedBy(message: Message, node: DebugNode): boolean {
  const i = message.members.findIndex((k) => k.mid.every((b, j) => b === node.publicKey.mid[j]));
  expect(i).toBeGreaterThanOrEqual(0);
  return !isEmptySignature(message.signatures[i] as Uint8Array);
}

/** NODE asks OTHER to co-sign; OTHER processes the request; NODE processes the response (over the network). */
async function roundTrip(textValue: string, options: { accept?: boolean; name?: string } = {}) {
  const env = await environment();
  const [node, other] = (await env.createNodes(2)) as [DebugNode, DebugNode];
  other.sendIdentity(node);
  const { calls, callback } = recorder(options.accept ?? false);
  const message = node.createDoubleSignedText(other, textValue, options.name === undefined ? {} : { name: options.name });
  node.community.createSignatureRequest(other.address, message, callback, { timeout: 1 });
  const [request] = other.receive({ names: ['dispersy-signature-request'] }) as Message<SignatureRequestPayload>[];
  expect(request).toBeDefined();
  const sub = request!.payload.message;
  // the creator's signature is present, the co-signer's is all zeros
  const second = sub.packet.length - other.publicKey.signatureLength;
  const first = second - node.publicKey.signatureLength;
  expect(isEmptySignature(sub.packet.subarray(first, second))).toBe(false);
  expect(isEmptySignature(sub.packet.subarray(second))).toBe(true);
  other.giveMessage(request!, node);
  env.deliverAll();
  return { env, node, other, message, calls };
}

describe('test_double_signature', () => {
  test('test_double_signature.test_no_response_from_node: one timeout callback after 1 s, with the original message', async () => {
    const env = await environment();
    const [node, other] = (await env.createNodes(2)) as [DebugNode, DebugNode];
    other.sendIdentity(node);
    const { calls, callback } = recorder();
    const message = other.createDoubleSignedText(node, 'Allow=True');
    const entry = other.community.createSignatureRequest(node.address, message, callback, { timeout: 1 });
    expect(node.receive({ names: ['dispersy-signature-request'] })).toHaveLength(1); // NODE ignores it
    env.clock.advance(0.9);
    expect(calls).toHaveLength(0);
    env.clock.advance(0.1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.response).toBeUndefined();
    expect(calls[0]!.changed).toBe(true);
    expect(calls[0]!.original).toBe(message); // quirk 19 fixed: the message, not the cache entry
    env.clock.advance(10);
    expect(calls).toHaveLength(1);
    expect(other.community.requestCache.has('signature-request', entry.number)).toBe(false);
  });

  test('test_double_signature.test_response_from_node: Allow=True comes back signed by both, unchanged', async () => {
    const { env, node, other, message, calls } = await roundTrip('Allow=True');
    expect(calls).toHaveLength(1);
    const { original, response, changed } = calls[0]!;
    expect(original).toBe(message);
    expect(signedBy(response!, other)).toBe(true);
    expect(signedBy(response!, node)).toBe(true);
    expect(changed).toBe(false);
    env.clock.advance(1.5); // no timeout after the answer
    expect(calls).toHaveLength(1);
    expect(node.community.requestCache.size).toBe(0);
  });

  test('test_double_signature.test_modified_response_from_node: Allow=Modify comes back signed by the responder only, text MODIFIED', async () => {
    const { env, node, other, calls } = await roundTrip('Allow=Modify');
    expect(calls).toHaveLength(1);
    const { response, changed } = calls[0]!;
    expect(signedBy(response!, other)).toBe(true);
    expect(signedBy(response!, node)).toBe(false);
    expect(changed).toBe(true);
    expect(text(response!)).toBe('MODIFIED');
    env.clock.advance(1.5);
    expect(calls).toHaveLength(1);
  });

  test('test_double_signature.test_append_response_from_node: split payload, Allow=Append keeps the creator signature, changed', async () => {
    const { env, node, other, calls } = await roundTrip('Allow=Append,', { name: 'double-signed-text-split' });
    expect(calls).toHaveLength(1);
    const { response, changed } = calls[0]!;
    expect(response!.name).toBe('double-signed-text-split');
    expect(signedBy(response!, other)).toBe(true);
    expect(signedBy(response!, node)).toBe(true);
    expect(changed).toBe(true);
    expect(text(response!)).toBe('Allow=Append,MODIFIED');
    env.clock.advance(1.5);
    expect(calls).toHaveLength(1);
  });

  test('accepted: NODE adds its signature, handles the NHop message (103) and forwards it with its depth to MM', async () => {
    const { env, node, other, calls } = await roundTrip('Allow=Modify', { accept: true });
    expect(calls).toHaveLength(1);
    const handled = node.community.handled.filter((m) => m.name === 'double-signed-text');
    expect(handled).toHaveLength(1);
    const done = handled[0]!;
    expect(signedBy(done, node) && signedBy(done, other)).toBe(true);
    expect(text(done)).toBe('MODIFIED');
    expect(done.depth).toBe(42);
    // MM received the datagram, verified both signatures and handled it (Direct: not stored)
    const atMm = env.mm.community.handled.filter((m) => m.name === 'double-signed-text');
    expect(atMm).toHaveLength(1);
    expect(atMm[0]!.packet).toEqual(done.packet);
    expect(atMm[0]!.remainingDepth).toBe(41);
    expect(env.mm.community.statistics.snapshot().drops.byStage.packet ?? {}).toEqual({});
  });

  test('accepted: the double-member LastSync result (109) is stored at NODE and at MM', async () => {
    const { env, node, other, calls } = await roundTrip('Allow=True', { accept: true, name: 'last-1-doublemember-text' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.changed).toBe(false);
    const stored = node.storedMessages('last-1-doublemember-text');
    expect(stored).toHaveLength(1);
    const done = stored[0]!;
    expect(signedBy(done, node) && signedBy(done, other)).toBe(true);
    node.assertStored(done);
    env.mm.assertStored(done);
    // a second, older co-signed message of the same pair is not kept next to it (history 1 per pair)
    expect(env.mm.storedMessages('last-1-doublemember-text')).toHaveLength(1);
  });

  test('refused: the callback returning false stores and sends nothing', async () => {
    const { env, node } = await roundTrip('Allow=True', { name: 'last-1-doublemember-text' });
    node.assertCount('last-1-doublemember-text', 0);
    env.mm.assertCount('last-1-doublemember-text', 0);
  });
});
