import { ManualClock } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import { GlobalTime, MAX_GLOBAL_TIME, upperMedian } from '../src/global-time.ts';

describe('GlobalTime (spec §5)', () => {
  test('value is at least 1; claim advances by one', () => {
    const gt = new GlobalTime({ clock: new ManualClock(), opinions: () => [] });
    expect(gt.value).toBe(1);
    expect(gt.raw).toBe(0);
    expect(gt.claim()).toBe(1);
    expect(gt.claim()).toBe(2);
    expect(gt.value).toBe(2);
  });

  test('update is the Lamport max and notifies only on increase', () => {
    const gt = new GlobalTime({ clock: new ManualClock(), opinions: () => [], initial: 10 });
    const seen: [number, number][] = [];
    const off = gt.onIncrease((value, previous) => seen.push([value, previous]));
    expect(gt.update(5)).toBe(false);
    expect(gt.update(10)).toBe(false);
    expect(gt.update(12)).toBe(true);
    expect(gt.claim()).toBe(13);
    off();
    gt.update(20);
    expect(seen).toEqual([[12, 10], [13, 12]]);
  });

  test('upperMedian needs more than 5 opinions and takes index n/2 of the sorted list', () => {
    expect(upperMedian([1, 2, 3, 4, 5])).toBe(0);
    expect(upperMedian([6, 1, 5, 2, 4, 3])).toBe(4);
    expect(upperMedian([1, 2, 3, 4, 5, 6, 7])).toBe(4);
    expect(upperMedian([0, 0, 0, 1, 2, 3, 4, 5])).toBe(0); // zeros do not count: 5 opinions
  });

  test('acceptable = max(own, median) + range, cached for 5 seconds', () => {
    const clock = new ManualClock();
    let opinions = [100, 200, 300, 400, 500, 600];
    const gt = new GlobalTime({ clock, opinions: () => opinions, initial: 50, range: 10_000 });
    expect(gt.acceptable()).toBe(400 + 10_000);
    opinions = [];
    clock.advance(4.9);
    expect(gt.acceptable()).toBe(10_400);
    clock.advance(0.1);
    expect(gt.acceptable()).toBe(10_050);
    gt.update(1_000);
    gt.invalidate();
    expect(gt.acceptable()).toBe(11_000);
  });

  test('bloom sync off accepts everything; the result is capped', () => {
    const off = new GlobalTime({ clock: new ManualClock(), opinions: () => [], bloomSync: false });
    expect(off.acceptable()).toBe(MAX_GLOBAL_TIME);
    const high = new GlobalTime({ clock: new ManualClock(), opinions: () => [], initial: MAX_GLOBAL_TIME - 5 });
    expect(high.acceptable()).toBe(MAX_GLOBAL_TIME);
    expect(() => new GlobalTime({ clock: new ManualClock(), opinions: () => [], initial: -1 })).toThrow(RangeError);
  });
});
