// The signature-request / -response behaviours beyond the original's four tests (spec §4.2 steps 2–5): the check
// rules of both sides, embedded signatures verified inline and on a worker pool, the NHop depth exemption, the
// request-cache bound, and the original's one-byte split (quirk 1) as an interop option.
import { createDebugCommunityMessages } from '@dispersy/codec/debug';
import type { SignatureRequestPayload } from '@dispersy/codec';
import { createVerifyPool } from '@dispersy/crypto';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Message } from '../src/message.ts';
import { RequestCacheError } from '../src/request-cache.ts';
import { signatureResponseChanged } from '../src/signature-request.ts';
import { createDebugCommunityDefinition, type DebugNode } from '../src/testing/index.ts';
import { environment, text } from './helpers.ts';

async function pair(options: Parameters<typeof environment>[0] = {}): Promise<{ env: Awaited<ReturnType<typeof environment>>; node: DebugNode; other: DebugNode }> {
  const env = await environment(options);
  const [node, other] = (await env.createNodes(2)) as [DebugNode, DebugNode];
  other.sendIdentity(node);
  return { env, node, other };
}

/** A signature-request or -response built by `from` around `sub` (not sent). */
function wrap(from: DebugNode, name: 'dispersy-signature-request' | 'dispersy-signature-response', identifier: number, sub: Message): Message {
  return from.build(name, { identifier, message: { packet: sub.packet } }, { globalTime: from.community.globalTime });
}

function drops(node: DebugNode, stage: 'message' | 'packet'): Record<string, number> {
  return node.community.statistics.snapshot().drops.byStage[stage] ?? {};
}

describe('signature request: the co-signer side', () => {
  test('Allow=False: allowSignature refuses, nothing is answered (counted signature_refused)', async () => {
    const { node, other } = await pair();
    other.giveMessage(wrap(node, 'dispersy-signature-request', 7, node.createDoubleSignedText(other, 'Allow=False')), node);
    expect(node.receive({ names: ['dispersy-signature-response'] })).toHaveLength(0);
    expect(drops(other, 'message')).toMatchObject({ signature_refused: 1 });
  });

  test('drops requests it cannot sign: not its member, already signed, not double-signed', async () => {
    const { env, node, other } = await pair();
    const notMine = node.createDoubleSignedText(env.mm.publicKey, 'Allow=True');
    const signed = node.createText('double-signed-text', 'Allow=True', { members: [node.myMember, other.myMember] });
    const single = node.createFullSyncText('Allow=True', 5);
    for (const sub of [notMine, signed, single]) other.giveMessage(wrap(node, 'dispersy-signature-request', 1, sub), node);
    expect(node.receive({ names: ['dispersy-signature-response'] })).toHaveLength(0);
    expect(drops(other, 'message')).toMatchObject({ not_my_signature: 1, already_signed: 1, not_double_signed: 1 });
  });

  test('a forged creator signature inside the request is a BAD_SIGNATURE drop (inline verification)', async () => {
    const { node, other } = await pair();
    const request = wrap(node, 'dispersy-signature-request', 3, node.createDoubleSignedText(other, 'Allow=True'));
    const sub = (request.payload as SignatureRequestPayload).message;
    const forged = request.packet.slice();
    const at = request.packet.length - sub.packet.length + sub.signatureOffset;
    forged[at] = (forged[at] as number) ^ 0x01;
    other.givePacket(forged, node);
    expect(node.receive({ names: ['dispersy-signature-response'] })).toHaveLength(0);
    expect(drops(other, 'packet')).toEqual({ BAD_SIGNATURE: 1 });
  });

  test('embedded signatures are verified on the worker pool too', async () => {
    const pool = createVerifyPool({ size: 1 });
    onTestFinished(() => pool.close());
    const { node, other } = await pair({ nodeOptions: { verifyPool: pool } });
    await other.dispersy.idle();
    const good = wrap(node, 'dispersy-signature-request', 4, node.createDoubleSignedText(other, 'Allow=True'));
    const sub = (good.payload as SignatureRequestPayload).message;
    const forged = wrap(node, 'dispersy-signature-request', 5, node.createDoubleSignedText(other, 'Allow=True')).packet.slice();
    const at = forged.length - sub.packet.length + sub.signatureOffset + 1;
    forged[at] = (forged[at] as number) ^ 0x80;
    other.givePackets([good.packet, forged], node);
    await other.dispersy.idle();
    const answers = node.receive({ names: ['dispersy-signature-response'] }) as Message<SignatureRequestPayload>[];
    expect(answers.map((m) => m.payload.identifier)).toEqual([4]);
    expect(drops(other, 'packet')).toEqual({ BAD_SIGNATURE: 1 });
  });
});

describe('signature response: the requester side', () => {
  test('drops responses that break the rules, once each', async () => {
    const { env, node, other } = await pair();
    const calls: unknown[] = [];
    const message = node.createDoubleSignedText(other, 'Allow=True', { globalTime: 20 });
    const entry = node.community.createSignatureRequest(other.address, message, (...args) => void calls.push(args));
    const id = entry.number;
    const cosigned = (text: string, options: Parameters<DebugNode['createText']>[2] = {}) =>
      other.createText('double-signed-text', text, { globalTime: 20, members: [node.publicKey, other.myMember], ...options });
    node.giveMessage(wrap(other, 'dispersy-signature-response', (id + 1) % 65536, cosigned('Allow=True')), other);
    node.giveMessage(wrap(other, 'dispersy-signature-response', id, message), other); // OTHER did not sign
    node.giveMessage(wrap(other, 'dispersy-signature-response', id, cosigned('Allow=True', { globalTime: 21 })), other);
    node.giveMessage(wrap(other, 'dispersy-signature-response', id, other.createText('double-signed-text-split', 'x', {
      globalTime: 20, members: [node.publicKey, other.myMember] })), other);
    node.giveMessage(wrap(other, 'dispersy-signature-response', id, other.createText('double-signed-text', 'x', {
      globalTime: 20, members: [other.myMember, node.publicKey] })), other);
    node.giveMessage(wrap(other, 'dispersy-signature-response', id, other.createText('double-signed-text', 'x', {
      globalTime: 20, members: [env.mm.publicKey, other.myMember] })), other);
    expect(calls).toHaveLength(0);
    expect(drops(node, 'message')).toMatchObject({
      unknown_identifier: 1, unsigned_member: 1, global_time_changed: 1, meta_changed: 1, member_changed: 1, not_my_signature: 1,
    });
    expect(node.community.statistics.snapshot().invalidResponseIdentifiers).toBe(1);
    // two valid responses in one batch: the first is used, the second dropped
    const valid = wrap(other, 'dispersy-signature-response', id, cosigned('Allow=True'));
    node.givePackets([valid.packet, valid.packet], other);
    expect(calls).toHaveLength(1);
    expect(drops(node, 'message')).toMatchObject({ duplicate_identifier: 1 });
    expect(node.community.requestCache.size).toBe(0);
  });

  test('an NHop depth decremented by one is not a change; any other difference is', async () => {
    const { node, other } = await pair();
    const original = node.createDoubleSignedText(other, 'Allow=True', { globalTime: 9 });
    const build = (value: string, depth: number) => node.createDoubleSignedText(other, value, { globalTime: 9, depth });
    expect(signatureResponseChanged(original, build('Allow=True', 42))).toBe(false);
    expect(signatureResponseChanged(original, build('Allow=True', 41))).toBe(false);
    expect(signatureResponseChanged(original, build('Allow=True', 40))).toBe(true);
    expect(signatureResponseChanged(original, build('Allow=True', 43))).toBe(true);
    expect(signatureResponseChanged(original, build('Allow=Truf', 42))).toBe(true);
    expect(signatureResponseChanged(original, build('Allow=Trud', 41))).toBe(true);
    // through the pipeline: an original peer answers with depth 41 and its own signature
    const entryCalls: boolean[] = [];
    const entry = node.community.createSignatureRequest(other.address, original, (_, __, changed) => void entryCalls.push(changed));
    const answer = other.createText('double-signed-text', 'Allow=True', { globalTime: 9, depth: 41, members: [node.publicKey, other.myMember] });
    node.giveMessage(wrap(other, 'dispersy-signature-response', entry.number, answer), other);
    expect(entryCalls).toEqual([false]);
  });

  test('createSignatureRequest checks its message, and the request cache bounds it', async () => {
    const definition = createDebugCommunityDefinition({ knobs: { maxRequestCaches: 1 } });
    const { node, other } = await pair({ definition });
    const cb = (): boolean => false;
    expect(() => node.community.createSignatureRequest(other.address, node.createFullSyncText('x', 3), cb)).toThrow(TypeError);
    const full = node.createText('double-signed-text', 'x', { members: [node.myMember, other.myMember] });
    expect(() => node.community.createSignatureRequest(other.address, full, cb)).toThrow(RangeError);
    const mineEmpty = other.createText('double-signed-text', 'x', { members: [other.myMember, node.publicKey] });
    expect(() => node.community.createSignatureRequest(other.address, mineEmpty, cb)).toThrow(RangeError);
    node.community.createSignatureRequest(other.address, node.createDoubleSignedText(other, 'a'), cb);
    let error: unknown;
    try {
      node.community.createSignatureRequest(other.address, node.createDoubleSignedText(other, 'b'), cb);
    } catch (err) {
      error = err;
    }
    expect(RequestCacheError.is(error) && error.code).toBe('REQUEST_CACHE_FULL');
    expect(node.community.statistics.snapshot().drops.byStage.cache).toEqual({ REQUEST_CACHE_FULL: 1 });
    expect(other.receive({ names: ['dispersy-signature-request'] })).toHaveLength(1);
  });
});

describe("quirk 1: the original's one-byte split, createDebugCommunityMessages({ doubleSplit: 'original-one-byte' })", () => {
  test('each member signs one byte; the request/response flow works and the result verifies at MM', async () => {
    const metas = createDebugCommunityMessages({ doubleSplit: 'original-one-byte' });
    expect(metas.find((m) => m.name === 'double-signed-text')?.authentication).toMatchObject({ split: 'original-one-byte' });
    expect(metas.find((m) => m.name === 'last-1-doublemember-text')?.authentication).toMatchObject({ split: 'original-one-byte' });
    const { env, node, other } = await pair({ definition: createDebugCommunityDefinition({ doubleSplit: 'original-one-byte' }) });
    const message = node.createDoubleSignedText(other, 'Allow=True', { name: 'last-1-doublemember-text' });
    // Ed25519 is deterministic: member 0 signed exactly byte 0 (the dispersy version byte)
    expect(message.signatures[0]).toEqual(node.myMember.sign(message.packet.subarray(0, 1)));
    const changes: boolean[] = [];
    node.community.createSignatureRequest(other.address, message, (_, response, changed) => {
      changes.push(changed);
      expect(response!.signatures[1]).toEqual(other.myMember.sign(message.packet.subarray(1, 2)));
      return true;
    });
    env.deliverAll();
    expect(changes).toEqual([false]);
    const [done] = node.storedMessages('last-1-doublemember-text');
    expect(done).toBeDefined();
    env.mm.assertStored(done!);
    expect(text(done!)).toBe('Allow=True');
  });

  test('a modified payload keeps the creator signature (one byte still verifies): both signed, changed', async () => {
    const { env, node, other } = await pair({ definition: createDebugCommunityDefinition({ doubleSplit: 'original-one-byte' }) });
    const seen: { both: boolean; changed: boolean }[] = [];
    node.community.createSignatureRequest(other.address, node.createDoubleSignedText(other, 'Allow=Modify'), (_, response, changed) => {
      seen.push({ both: response!.signatures.every((s) => s.some((b) => b !== 0)), changed });
      return true;
    });
    env.deliverAll();
    expect(seen).toEqual([{ both: true, changed: true }]);
    expect(node.community.handled.map((m) => text(m))).toEqual(['MODIFIED']);
  });
});
