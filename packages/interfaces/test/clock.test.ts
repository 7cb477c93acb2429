import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../src/index.ts';

describe('ManualClock', () => {
  it('runs due timers in time order, then scheduling order, and only when advanced', () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.schedule(2, () => seen.push('b'));
    clock.schedule(1, () => seen.push('a'));
    clock.schedule(2, () => seen.push('c'));
    expect(seen).toEqual([]);
    clock.advance(1.5);
    expect(seen).toEqual(['a']);
    expect(clock.now()).toBe(1.5);
    clock.advance(1);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(clock.pending).toBe(0);
  });

  it('runs timers scheduled by callbacks within the same window, at their own time', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.schedule(1, () => {
      at.push(clock.now());
      clock.schedule(1, () => at.push(clock.now()));
    });
    clock.advance(5);
    expect(at).toEqual([1, 2]);
    expect(clock.now()).toBe(5);
  });

  it('cancel() prevents a timer and is idempotent; bad delays are RangeErrors', () => {
    const clock = new ManualClock();
    let ran = false;
    const t = clock.schedule(1, () => (ran = true));
    t.cancel();
    t.cancel();
    clock.advance(2);
    expect(ran).toBe(false);
    expect(() => clock.schedule(-1, () => {})).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});

describe('systemClock', () => {
  it('tells time in seconds and fires timers', async () => {
    const before = systemClock.now();
    expect(before).toBeGreaterThan(1.6e9);
    await new Promise<void>((resolve) => systemClock.schedule(0.01, resolve));
    expect(systemClock.now() - before).toBeGreaterThanOrEqual(0.009);
  });
});
