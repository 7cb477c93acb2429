import { describe, expect, it } from 'vitest';
import { EventHub } from '../src/index.ts';

describe('EventHub', () => {
  it('delivers published events to every subscriber, in order, with increasing ids', async () => {
    const hub = new EventHub();
    const a = hub.subscribe();
    const b = hub.subscribe();
    hub.publish('message', { n: 1 });
    hub.publish('drop', { n: 2 });
    for (const sub of [a, b]) {
      const first = await sub.next();
      const second = await sub.next();
      expect(first).toEqual({ done: false, event: { id: 1, event: 'message', data: { n: 1 } } });
      expect(second).toEqual({ done: false, event: { id: 2, event: 'drop', data: { n: 2 } } });
    }
  });

  it('wakes a waiting subscriber, and filters by event name', async () => {
    const hub = new EventHub();
    const onlyUndo = hub.subscribe(new Set(['undo']));
    const waiting = onlyUndo.next();
    hub.publish('message', {});
    hub.publish('undo', { target: 1 });
    expect(await waiting).toMatchObject({ done: false, event: { event: 'undo', data: { target: 1 } } });
    expect(onlyUndo.queued).toBe(0);
  });

  it('publishes nothing without subscribers (ids are not consumed)', async () => {
    const hub = new EventHub();
    hub.publish('message', {});
    const sub = hub.subscribe();
    hub.publish('message', { second: true });
    expect(await sub.next()).toEqual({ done: false, event: { id: 1, event: 'message', data: { second: true } } });
    expect(hub.subscribers).toBe(1);
  });

  it('drops a subscriber whose bounded queue overflows, and counts it', async () => {
    const hub = new EventHub({ maxQueue: 3 });
    const slow = hub.subscribe();
    const fast = hub.subscribe();
    const ends: string[] = [];
    slow.onEnd((reason) => ends.push(reason));
    for (let i = 0; i < 3; i++) {
      hub.publish('message', { i });
      await fast.next();
    }
    expect(slow.queued).toBe(3);
    hub.publish('message', { i: 3 }); // the fourth: slow overflows
    expect(slow.ended).toBe('overflow');
    expect(ends).toEqual(['overflow']);
    expect(await slow.next()).toEqual({ done: true, reason: 'overflow' });
    expect(hub.subscribers).toBe(1);
    expect(hub.droppedSubscribers).toBe(1);
    expect((await fast.next()).done).toBe(false);
  });

  it('close() ends every subscription after its queued events', async () => {
    const hub = new EventHub();
    const sub = hub.subscribe();
    const idle = hub.subscribe();
    const pending = idle.next();
    hub.publish('sync', {});
    hub.close();
    expect(await pending).toMatchObject({ done: false });
    expect(await sub.next()).toMatchObject({ done: false, event: { event: 'sync' } });
    expect(await sub.next()).toEqual({ done: true, reason: 'closed' });
    expect(hub.subscribers).toBe(0);
    expect(hub.droppedSubscribers).toBe(0);
  });

  it('rejects a non-positive queue bound', () => {
    expect(() => new EventHub({ maxQueue: 0 })).toThrow(RangeError);
  });
});
