/** Virtual time: the queue is the clock; every run is bounded (event cap, time cap, stall guard). */
import { describe, expect, test } from 'vitest';
import { DispersyError, type Clock } from '@dispersy/interfaces';
import { SimError, VirtualClock } from '../src/index.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (SimError.is(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('VirtualClock', () => {
  test('implements Clock; starts at 1000 by default', () => {
    const clock: Clock = new VirtualClock();
    expect(clock.now()).toBe(1000);
    expect(new VirtualClock({ start: 0 }).now()).toBe(0);
  });

  test('time jumps from event to event; ties run in scheduling order', () => {
    const clock = new VirtualClock({ start: 0 });
    const log: string[] = [];
    clock.schedule(2, () => log.push(`b@${clock.now()}`));
    clock.schedule(1, () => log.push(`a@${clock.now()}`));
    clock.schedule(2, () => log.push(`c@${clock.now()}`));
    clock.schedule(0, () => log.push(`z@${clock.now()}`));
    expect(clock.pending).toBe(4);
    expect(clock.runUntilIdle()).toBe(4);
    expect(log).toEqual(['z@0', 'a@1', 'b@2', 'c@2']);
    expect(clock.now()).toBe(2);
    expect(clock.eventsRun).toBe(4);
  });

  test('events scheduled by events run in order too', () => {
    const clock = new VirtualClock({ start: 0 });
    const log: number[] = [];
    clock.schedule(1, () => {
      log.push(clock.now());
      clock.schedule(0.5, () => log.push(clock.now()));
      clock.schedule(0, () => log.push(clock.now()));
    });
    clock.schedule(1.2, () => log.push(clock.now()));
    clock.runUntilIdle();
    expect(log).toEqual([1, 1, 1.2, 1.5]);
  });

  test('cancel is idempotent, skips the callback and updates pending', () => {
    const clock = new VirtualClock({ start: 0 });
    let ran = 0;
    const t = clock.schedule(1, () => ran++);
    clock.schedule(2, () => ran++);
    t.cancel();
    t.cancel();
    expect(clock.pending).toBe(1);
    expect(clock.nextEventTime()).toBe(2);
    clock.runUntilIdle();
    expect(ran).toBe(1);
    t.cancel(); // after the run: still harmless
    expect(clock.pending).toBe(0);
  });

  test('many cancellations are compacted away', () => {
    const clock = new VirtualClock({ start: 0 });
    const timers = Array.from({ length: 5000 }, (_, i) => clock.schedule(i, () => {}));
    for (const t of timers.slice(0, 4990)) t.cancel();
    expect(clock.pending).toBe(10);
    expect(clock.runUntilIdle()).toBe(10);
  });

  test('runFor runs what is due and ends exactly at the window end', () => {
    const clock = new VirtualClock({ start: 10 });
    const log: number[] = [];
    for (const d of [1, 5, 5.0001, 9]) clock.schedule(d, () => log.push(d));
    expect(clock.runFor(5)).toBe(2);
    expect(clock.now()).toBe(15);
    expect(log).toEqual([1, 5]);
    clock.runFor(0);
    expect(clock.now()).toBe(15);
    clock.runFor(100);
    expect(log).toEqual([1, 5, 5.0001, 9]);
    expect(clock.now()).toBe(115);
  });

  test('step runs one event', () => {
    const clock = new VirtualClock({ start: 0 });
    let n = 0;
    clock.schedule(3, () => n++);
    clock.schedule(4, () => n++);
    expect(clock.step()).toBe(true);
    expect([n, clock.now()]).toEqual([1, 3]);
    expect(clock.step()).toBe(true);
    expect(clock.step()).toBe(false);
  });

  test('runUntil stops as soon as the predicate holds', () => {
    const clock = new VirtualClock({ start: 0 });
    let n = 0;
    const tick = (): void => {
      n++;
      clock.schedule(1, tick);
    };
    clock.schedule(1, tick);
    expect(clock.runUntil(() => n === 5)).toBe(true);
    expect(clock.now()).toBe(5);
    expect(clock.runUntil(() => true)).toBe(true); // already true: nothing runs
    expect(clock.now()).toBe(5);
  });

  test('runUntil times out (UNTIL_TIMEOUT) or finds nothing left (UNTIL_IDLE)', () => {
    const clock = new VirtualClock({ start: 0 });
    const tick = (): void => void clock.schedule(1, tick);
    clock.schedule(1, tick);
    expect(code(() => clock.runUntil(() => false, { maxSeconds: 30 }))).toBe('UNTIL_TIMEOUT');
    expect(clock.now()).toBe(30);
    expect(clock.runUntil(() => false, { maxSeconds: 10, throwOnTimeout: false })).toBe(false);
    expect(clock.now()).toBe(40);
    const idle = new VirtualClock({ start: 0 });
    idle.schedule(1, () => {});
    expect(code(() => idle.runUntil(() => false))).toBe('UNTIL_IDLE');
    expect(idle.now()).toBe(1);
  });

  test('a periodic timer makes runUntilIdle throw TIME_LIMIT or EVENT_LIMIT, never loop forever', () => {
    const clock = new VirtualClock({ start: 0 });
    const tick = (): void => void clock.schedule(5, tick);
    clock.schedule(0, tick);
    expect(code(() => clock.runUntilIdle({ maxSeconds: 600 }))).toBe('TIME_LIMIT');
    expect(clock.now()).toBeLessThanOrEqual(600);
    expect(code(() => clock.runUntilIdle({ maxEvents: 50 }))).toBe('EVENT_LIMIT');
    const err = (() => {
      try {
        clock.runUntilIdle({ maxEvents: 10 });
      } catch (e) {
        return e as SimError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DispersyError);
    expect(err?.message).toMatch(/runFor|runUntil/);
  });

  test('a zero-delay loop is STALLED', () => {
    const clock = new VirtualClock({ start: 0, maxEventsPerInstant: 1000 });
    const spin = (): void => void clock.schedule(0, spin);
    clock.schedule(0, spin);
    expect(code(() => clock.runFor(1))).toBe('STALLED');
  });

  test('the default event cap applies to runFor too', () => {
    const clock = new VirtualClock({ start: 0, maxEvents: 100 });
    const tick = (): void => void clock.schedule(0.001, tick);
    clock.schedule(0, tick);
    expect(code(() => clock.runFor(10))).toBe('EVENT_LIMIT');
  });

  test('run methods are not reentrant', () => {
    const clock = new VirtualClock({ start: 0 });
    let inner: string | undefined;
    clock.schedule(1, () => {
      inner = code(() => clock.runFor(1));
    });
    clock.runUntilIdle();
    expect(inner).toBe('REENTRANT');
    clock.schedule(1, () => {});
    expect(clock.runUntilIdle()).toBe(1); // usable again afterwards
  });

  test('an exception from an event propagates and leaves the clock usable', () => {
    const clock = new VirtualClock({ start: 0 });
    clock.schedule(1, () => {
      throw new Error('boom');
    });
    clock.schedule(2, () => {});
    expect(() => clock.runUntilIdle()).toThrow('boom');
    expect(clock.now()).toBe(1);
    expect(clock.runUntilIdle()).toBe(1);
  });

  test('rejects bad arguments', () => {
    const clock = new VirtualClock();
    expect(() => clock.schedule(-1, () => {})).toThrow(RangeError);
    expect(() => clock.schedule(NaN, () => {})).toThrow(RangeError);
    expect(() => clock.schedule(Infinity, () => {})).toThrow(RangeError);
    expect(() => clock.runFor(-1)).toThrow(RangeError);
    expect(() => clock.enqueue({ time: 0, seq: 0, cancelled: false, fire() {} }, clock.now() - 1)).toThrow(RangeError);
    expect(() => new VirtualClock({ start: NaN })).toThrow(RangeError);
    expect(() => new VirtualClock({ maxEvents: 0 })).toThrow(RangeError);
  });

  test('enqueue runs a custom event record at an absolute time', () => {
    const clock = new VirtualClock({ start: 0 });
    const seen: number[] = [];
    clock.enqueue({ time: 0, seq: 0, cancelled: false, fire: () => seen.push(clock.now()) }, 2.5);
    expect(clock.pending).toBe(1);
    clock.runUntilIdle();
    expect(seen).toEqual([2.5]);
  });
});
