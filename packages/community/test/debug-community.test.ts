// The DebugCommunity fixture (spec §14 table) and its callbacks.
import { DEBUG_COMMUNITY_VERSION } from '@dispersy/codec/debug';
import { describe, expect, test } from 'vitest';
import { allowDoubleSignedText, createDebugCommunityDefinition, debugCommunity } from '../src/testing/index.ts';
import { environment } from './helpers.ts';

describe('DebugCommunity', () => {
  test('version 0x01, metas 101–119, undo callbacks on the undoable ones, walker off', () => {
    expect(debugCommunity.communityVersion).toBe(DEBUG_COMMUNITY_VERSION);
    expect(debugCommunity.metas.map((m) => m.id)).toEqual(Array.from({ length: 19 }, (_, i) => 101 + i));
    const undoable = debugCommunity.metas.filter((m) => m.undo !== undefined).map((m) => m.name);
    expect(undoable).toEqual([
      'full-sync-text', 'n-hop-sync-text', 'protected-full-sync-text', 'dynamic-resolution-text', 'sequence-text',
      'full-sync-global-time-pruning-text', 'bin-key-text',
    ]);
    expect(debugCommunity.metas.filter((m) => m.allowSignature !== undefined).map((m) => m.id)).toEqual([103, 104, 109]);
    expect(debugCommunity.knobs.enableCandidateWalker).toBe(false);
    expect(debugCommunity.knobs.enableCandidateWalkerResponses).toBe(true);
    expect(createDebugCommunityDefinition({ communityVersion: 2 }).communityVersion).toBe(2);
  });

  test('allow_double_signed_text', async () => {
    const env = await environment();
    const make = (text: string) => env.mm.createText('double-signed-text', text, { globalTime: 5, members: [env.mm.myMember, env.mm.myMember.publicKey] });
    const yes = make('Allow=True');
    expect(allowDoubleSignedText(yes)).toBe(yes);
    expect(new TextDecoder().decode((allowDoubleSignedText(make('Allow=Modify')) as { payload: { text: Uint8Array } }).payload.text)).toBe('MODIFIED');
    expect(new TextDecoder().decode((allowDoubleSignedText(make('Allow=Append,')) as { payload: { text: Uint8Array } }).payload.text)).toBe('Allow=Append,MODIFIED');
    expect(allowDoubleSignedText(make('Allow=False'))).toBeUndefined();
  });

  test('community version 2 carries full keys: no identity exchange needed', async () => {
    const env = await environment({ communityVersion: 2 });
    const [node, other] = await env.createNodes(2);
    const message = other!.createFullSyncText('bin member', 10);
    expect(message.memberEncoding).toBe('bin');
    node!.giveMessage(message, other!);
    node!.assertStored(message);
    expect(node!.community.handled.map((m) => m.globalTime)).toEqual([10]);
  });
});

describe('createNodes shorthand', () => {
  test('creates an environment with mm and n joined nodes', async () => {
    const { createNodes } = await import('../src/testing/index.ts');
    const { env, mm, nodes } = await createNodes(2, { communityVersion: 2, memberLevel: 'curve25519' });
    try {
      expect(nodes).toHaveLength(2);
      expect(env.nodes).toEqual([mm, ...nodes]);
      expect(nodes[0]!.community.conversion.communityVersion).toBe(2);
      expect(mm.community.candidates.verifiedCandidates(env.clock.now())).toHaveLength(2);
    } finally {
      await env.stop();
    }
  });
});
