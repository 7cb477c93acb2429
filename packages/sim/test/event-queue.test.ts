/** The binary heap behind the virtual clock: (time, seq) order, ties in insertion order, lazy cancellation. */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { EventQueue, type SimEvent } from '../src/index.ts';

function event(label: string, log: string[]): SimEvent {
  return { time: 0, seq: 0, cancelled: false, fire: () => log.push(label) };
}

function drain(queue: EventQueue): void {
  for (let e = queue.pop(); e !== undefined; e = queue.pop()) if (!e.cancelled) e.fire();
}

describe('EventQueue', () => {
  test('pops in time order', () => {
    const log: string[] = [];
    const q = new EventQueue();
    q.push(event('c', log), 3);
    q.push(event('a', log), 1);
    q.push(event('b', log), 2);
    expect(q.size).toBe(3);
    expect(q.peek()?.time).toBe(1);
    drain(q);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(q.pop()).toBeUndefined();
  });

  test('equal times fire in insertion order (stable)', () => {
    const log: string[] = [];
    const q = new EventQueue();
    for (const label of ['1', '2', '3', '4', '5']) q.push(event(label, log), 7);
    q.push(event('0', log), 6);
    drain(q);
    expect(log).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  test('push stamps time and a growing sequence number', () => {
    const q = new EventQueue();
    const a = event('a', []);
    const b = event('b', []);
    q.push(a, 5);
    q.push(b, 5);
    expect([a.time, b.time]).toEqual([5, 5]);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(() => q.push(event('x', []), NaN)).toThrow(RangeError);
  });

  test('compact removes cancelled records and keeps the order', () => {
    const log: string[] = [];
    const q = new EventQueue();
    const events = Array.from({ length: 100 }, (_, i) => {
      const e = event(String(i), log);
      q.push(e, (i * 37) % 11);
      return e;
    });
    for (const e of events) if (Number(e.seq) % 3 === 0) e.cancelled = true;
    expect(q.compact()).toBe(34);
    expect(q.size).toBe(66);
    drain(q);
    const expected = events
      .filter((e) => !e.cancelled)
      .sort((x, y) => x.time - y.time || x.seq - y.seq)
      .map((e) => String(events.indexOf(e)));
    expect(log).toEqual(expected);
  });

  test('clear empties it', () => {
    const q = new EventQueue();
    q.push(event('a', []), 1);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
  });

  describe('properties', () => {
    test.prop([fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 })])('pops exactly a stable sort of what was pushed', (times) => {
      const log: string[] = [];
      const q = new EventQueue();
      times.forEach((t, i) => q.push(event(String(i), log), t));
      drain(q);
      const expected = times
        .map((t, i) => ({ t, i }))
        .sort((a, b) => a.t - b.t || a.i - b.i)
        .map((x) => String(x.i));
      expect(log).toEqual(expected);
    });

    test.prop([fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 50 })), { maxLength: 200 })])(
      'interleaved push/pop always pops the minimum',
      (ops) => {
        const q = new EventQueue();
        const shadow: { time: number; seq: number }[] = [];
        for (const [isPush, t] of ops) {
          if (isPush || shadow.length === 0) {
            const e = event('', []);
            q.push(e, t);
            shadow.push({ time: e.time, seq: e.seq });
          } else {
            shadow.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const want = shadow.shift();
            const got = q.pop();
            expect({ time: got?.time, seq: got?.seq }).toEqual(want);
          }
        }
      },
    );
  });
});
