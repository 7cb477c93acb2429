// Ports of the storage side of the original's tests/test_sync.py: test_last_1, test_last_9 and
// test_last_1_doublemember (spec §14, §4.6 LastSync). Topology: NODE -> OTHER (OTHER stores).
import { describe, expect, test } from 'vitest';
import { compareBytes } from '../../src/distribution.ts';
import { environment } from '../helpers.ts';

const sorted = (packets: Uint8Array[]): Uint8Array[] => [...packets].sort(compareBytes);

describe('test_sync (LastSync storage)', () => {
  test('test_sync.test_last_1: newer replaces older; an older one is dropped and the newest sent back', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    const message = node!.createLastSyncText('should be accepted (1)', 10);
    other!.giveMessage(message, node!);
    other!.assertStored(message);

    const newer = node!.createLastSyncText('should be accepted (2)', 11);
    other!.giveMessage(newer, node!);
    other!.assertNotStored(message);
    other!.assertStored(newer);

    const older = node!.createLastSyncText('should be dropped (1)', 9);
    other!.giveMessage(older, node!);
    other!.assertNotStored(message);
    other!.assertNotStored(older);
    other!.assertStored(newer);
    const proof = node!.receive({ names: ['last-1-test'] });
    expect(proof.map((m) => m.globalTime)).toEqual([11]);
    other!.assertCount('last-1-test', 1);
  });

  test('test_sync.test_last_9: a window of 9 per member; older ones are dropped, newer ones evict the oldest', async () => {
    const env = await environment();
    const [node, other] = await env.createNodes(2);
    node!.sendIdentity(other!);
    let kept: { globalTime: number; packet: Uint8Array }[] = [];
    for (const globalTime of [21, 20, 28, 27, 22, 23, 24, 26, 25]) {
      const m = node!.createLast9Text(String(globalTime), globalTime);
      kept.push({ globalTime, packet: m.packet });
      other!.giveMessage(m, node!);
      expect(sorted(other!.storedPackets('last-9-test'))).toEqual(sorted(kept.map((k) => k.packet)));
    }
    for (const globalTime of [11, 12, 13, 19, 18, 17]) {
      other!.giveMessage(node!.createLast9Text(String(globalTime), globalTime), node!);
      expect(sorted(other!.storedPackets('last-9-test'))).toEqual(sorted(kept.map((k) => k.packet)));
    }
    for (const globalTime of [30, 35, 37, 31, 32, 34, 33, 36, 38, 45, 44, 43, 42, 41, 40, 39]) {
      const m = node!.createLast9Text(String(globalTime), globalTime);
      kept.sort((a, b) => a.globalTime - b.globalTime);
      kept = [...kept.slice(1), { globalTime, packet: m.packet }];
      other!.giveMessage(m, node!);
      expect(sorted(other!.storedPackets('last-9-test'))).toEqual(sorted(kept.map((k) => k.packet)));
    }
    other!.assertCount('last-9-test', 9);
  });

  test('test_sync.test_last_1_doublemember: the window is per member pair, order-independent', async () => {
    const env = await environment();
    const [a, b, c] = await env.createNodes(3);
    a!.sendIdentity(b!);
    a!.sendIdentity(c!);
    b!.sendIdentity(c!);

    // A+B at 10, then 11 replaces it
    const ab10 = a!.createLast1DoubleMemberText('A+B 10', b!, 10);
    c!.giveMessage(ab10, a!);
    c!.assertStored(ab10);
    const ab11 = a!.createLast1DoubleMemberText('A+B 11', b!, 11);
    c!.giveMessage(ab11, a!);
    c!.assertNotStored(ab10);
    c!.assertStored(ab11);

    // A+C is another pair
    const ac10 = a!.createLast1DoubleMemberText('A+C 10', c!, 10);
    c!.giveMessage(ac10, a!);
    c!.assertStored(ac10);
    c!.assertStored(ab11);

    // older A+B (signed B+A) is dropped; the newest A+B goes back
    const ba9 = b!.createLast1DoubleMemberText('B+A 9', a!, 9);
    c!.giveMessage(ba9, b!);
    c!.assertNotStored(ba9);
    expect(b!.receive({ names: ['last-1-doublemember-text'] }).map((m) => m.packet)).toEqual([ab11.packet]);

    // same global time, other content: dropped
    const ab11b = a!.createLast1DoubleMemberText('A+B 11 again', b!, 11);
    c!.giveMessage(ab11b, a!);
    c!.assertNotStored(ab11b);
    c!.assertStored(ab11);

    // newer B+A replaces A+B
    const ba12 = b!.createLast1DoubleMemberText('B+A 12', a!, 12);
    c!.giveMessage(ba12, b!);
    c!.assertStored(ba12);
    c!.assertNotStored(ab11);
    c!.assertStored(ac10);
    c!.assertCount('last-1-doublemember-text', 2);
  });
});
