// Ports of the original's tests/test_pruning.py (spec §14, §4.4; GlobalTimePruning inactive 10, pruned 20), the
// local and remote creation cases (the sync-response filtering case comes with Bloom sync).
import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/message.ts';
import type { DebugNode } from '../../src/testing/index.ts';
import { environment, range } from '../helpers.ts';

const PRUNING = 'full-sync-global-time-pruning-text';
const states = (node: DebugNode, messages: Message[]): string[] => [...new Set(messages.map((m) => node.community.pruningState(m)))];

describe('test_pruning', () => {
  test('test_pruning.test_local_creation_causes_pruning', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const c = node!.community;
    c.updateGlobalTime(10);
    const create = (): Message[] => range(10).map((i) => c.create(PRUNING, { text: new TextEncoder().encode(`Hello ${i}`) }, { forward: false }));
    const first = create();
    expect(first.map((m) => m.globalTime)).toEqual(range(10).map((i) => 11 + i));
    expect(states(node!, first)).toEqual(['active']);
    for (const m of first) node!.assertStored(m);

    const second = create();
    expect(states(node!, first)).toEqual(['inactive']);
    expect(states(node!, second)).toEqual(['active']);
    for (const m of [...first, ...second]) node!.assertStored(m);

    const third = create();
    expect(states(node!, first)).toEqual(['pruned']);
    expect(states(node!, second)).toEqual(['inactive']);
    expect(states(node!, third)).toEqual(['active']);
    for (const m of first) node!.assertNotStored(m);
    for (const m of [...second, ...third]) node!.assertStored(m);
  });

  test('test_pruning.test_local_creation_of_other_messages_causes_pruning', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const c = node!.community;
    c.updateGlobalTime(10);
    const pruning = range(10).map((i) => c.create(PRUNING, { text: new TextEncoder().encode(`Hello ${i}`) }, { forward: false }));
    const other = (): void => void range(10).map((i) => c.create('full-sync-text', { text: new TextEncoder().encode(`other ${i}`) }, { forward: false }));
    other();
    expect(states(node!, pruning)).toEqual(['inactive']);
    for (const m of pruning) node!.assertStored(m);
    other();
    expect(states(node!, pruning)).toEqual(['pruned']);
    for (const m of pruning) node!.assertNotStored(m);
  });

  test('test_pruning.test_remote_creation_causes_pruning', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const batch = (from: number): Message[] => range(10).map((i) => node!.createPruningText(`Hello ${from + i}`, from + i));
    const first = batch(11);
    other!.giveMessages(first, node!);
    expect(states(other!, first)).toEqual(['active']);
    for (const m of first) other!.assertStored(m);
    const second = batch(21);
    other!.giveMessages(second, node!);
    expect(states(other!, first)).toEqual(['inactive']);
    for (const m of [...first, ...second]) other!.assertStored(m);
    const third = batch(31);
    other!.giveMessages(third, node!);
    expect(states(other!, first)).toEqual(['pruned']);
    expect(states(other!, second)).toEqual(['inactive']);
    for (const m of first) other!.assertNotStored(m);
    for (const m of [...second, ...third]) other!.assertStored(m);
    // a pruned message offered again is dropped
    other!.giveMessages(first, node!);
    for (const m of first) other!.assertNotStored(m);
    expect(other!.community.statistics.snapshot().drops.byStage.message).toMatchObject({ pruned: 10 });
  });

  test('test_pruning.test_remote_creation_of_other_messages_causes_pruning', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const pruning = range(10).map((i) => node!.createPruningText(`Hello ${i}`, 11 + i));
    other!.giveMessages(pruning, node!);
    other!.giveMessages(range(10).map((i) => node!.createFullSyncText(`other ${i}`, 21 + i)), node!);
    expect(states(other!, pruning)).toEqual(['inactive']);
    for (const m of pruning) other!.assertStored(m);
    other!.giveMessages(range(10).map((i) => node!.createFullSyncText(`other ${i}`, 31 + i)), node!);
    expect(states(other!, pruning)).toEqual(['pruned']);
    for (const m of pruning) other!.assertNotStored(m);
  });
});
