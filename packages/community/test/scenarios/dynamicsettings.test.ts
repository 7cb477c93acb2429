// Ports of the original's tests/test_dynamicsettings.py (spec §14, §4.3, §6.2). dynamic-resolution-text has
// DynamicResolution(Public, Linear): policy 0 (Public) by default; mm's member holds permit on
// dispersy-dynamic-settings and everything on dynamic-resolution-text.
import { describe, expect, test } from 'vitest';
import { buildDynamicSettings, type DebugNode } from '../../src/testing/index.ts';
import { environment } from '../helpers.ts';

const META = 'dynamic-resolution-text';

/** Asserts the policy `node` applies at every global time in [low, high). */
function checkPolicy(node: DebugNode, low: number, high: number, policy: 'public' | 'linear'): void {
  for (let gt = low; gt < high; gt++) expect([gt, node.community.timeline.resolutionPolicy(META, gt).policy]).toEqual([gt, policy]);
}

function text(node: DebugNode, globalTime: number, resolutionIndex: number) {
  return node.createText(META, `Message #${globalTime}`, { globalTime, resolutionIndex });
}

describe('test_dynamicsettings', () => {
  test('test_dynamicsettings.test_default_resolution: Public, without proof, accepts a message', async () => {
    const env = await environment();
    const [other] = await env.createNodes(1);
    const policy = env.mm.community.timeline.resolutionPolicy(META, env.mm.community.globalTime);
    expect(policy.policy).toBe('public');
    expect(policy.proof).toBeUndefined();
    const message = text(env.mm, 10, policy.index);
    other!.giveMessage(message, env.mm);
    other!.assertStored(message);
  });

  test('test_dynamicsettings.test_change_resolution: Linear from 43 on; 42 accepted, 43 and 44 rejected', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    expect(env.mm.community.timeline.resolutionPolicy(META, env.mm.community.globalTime).policy).toBe('public');

    const settings = buildDynamicSettings(env.mm, [{ meta: META, index: 1 }], { globalTime: 42 });
    env.mm.giveMessage(settings, env.mm);
    node!.giveMessage(settings, env.mm);
    other!.giveMessage(settings, env.mm);
    for (const n of [env.mm, node!, other!]) n.assertStored(settings);

    const linear = node!.community.timeline.resolutionPolicy(META, 43);
    expect(linear.policy).toBe('linear');
    expect(linear.proof?.globalTime).toBe(42);

    const at42 = text(node!, 42, 0); // the new policy starts at global time + 1
    other!.giveMessage(at42, node!);
    other!.assertStored(at42);
    const at43 = text(node!, 43, 0); // claims Public: refused under Linear
    other!.giveMessage(at43, node!);
    other!.assertNotStored(at43);
    const at44 = text(node!, 44, 1); // claims Linear, but NODE holds no permit
    other!.giveMessage(at44, node!);
    other!.assertNotStored(at44);
  });

  test('test_dynamicsettings.test_change_resolution_undo: a Linear change undoes, a Public change redoes', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const toLinear = buildDynamicSettings(env.mm, [{ meta: META, index: 1 }], { globalTime: 11 }); // Linear from 12
    const toPublic = buildDynamicSettings(env.mm, [{ meta: META, index: 0 }], { globalTime: 21 }); // Public from 22
    checkPolicy(other!, 1, 32, 'public');

    const message = text(node!, 25, 0);
    other!.giveMessage(message, node!);
    other!.assertStored(message);

    other!.giveMessage(toLinear, env.mm);
    checkPolicy(other!, 1, 12, 'public');
    checkPolicy(other!, 12, 32, 'linear');
    other!.assertUndone(message);
    expect(other!.community.undoCalls.at(-1)?.records.map((r) => [r.globalTime, r.reason])).toEqual([[25, 'policy']]);

    const handled = other!.community.handled.length;
    other!.giveMessage(toPublic, env.mm);
    checkPolicy(other!, 1, 12, 'public');
    checkPolicy(other!, 12, 22, 'linear');
    checkPolicy(other!, 22, 32, 'public');
    other!.assertStored(message);
    expect(other!.community.handled.slice(handled).map((m) => m.globalTime)).toEqual([25]);
  });

  test('test_dynamicsettings.test_change_resolution_reject: rejected under Linear, missing-proof sent, stored after the Public change', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const toLinear = buildDynamicSettings(env.mm, [{ meta: META, index: 1 }], { globalTime: 11 });
    const toPublic = buildDynamicSettings(env.mm, [{ meta: META, index: 0 }], { globalTime: 21 });
    checkPolicy(other!, 1, 32, 'public');

    other!.giveMessage(toLinear, env.mm);
    checkPolicy(other!, 1, 12, 'public');
    checkPolicy(other!, 12, 32, 'linear');

    const message = text(node!, 25, 0);
    other!.giveMessage(message, node!);
    other!.assertNotStored(message);
    expect(node!.receive({ names: ['dispersy-missing-proof'] })).toHaveLength(1);

    other!.giveMessage(toPublic, env.mm);
    other!.assertStored(message);
  });

  test('test_dynamicsettings.test_change_resolution_send_proof: the rejecting node sends the dynamic-settings proof back', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    other!.sendIdentity(node!);
    const toLinear = buildDynamicSettings(env.mm, [{ meta: META, index: 1 }], { globalTime: 11 });
    const toPublic = buildDynamicSettings(env.mm, [{ meta: META, index: 0 }], { globalTime: 21 });
    other!.giveMessage(toLinear, env.mm);
    other!.giveMessage(toPublic, env.mm);
    checkPolicy(other!, 1, 12, 'public');
    checkPolicy(other!, 12, 22, 'linear');
    checkPolicy(other!, 22, 32, 'public');

    const message = text(node!, 12, 0);
    other!.giveMessage(message, node!);
    const proofs = node!.receive({ names: ['dispersy-dynamic-settings'] });
    expect(proofs.map((p) => p.packet)).toEqual([toLinear.packet]);
  });
});
