import { ManualClock } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import { Tasks } from '../src/tasks.ts';

describe('Tasks', () => {
  test('once runs once; the same name replaces a pending task', () => {
    const clock = new ManualClock();
    const tasks = new Tasks(clock);
    const ran: string[] = [];
    tasks.once('a', 5, () => ran.push('first'));
    tasks.once('a', 5, () => ran.push('second'));
    expect(tasks.size).toBe(1);
    clock.advance(5);
    expect(ran).toEqual(['second']);
    expect(tasks.has('a')).toBe(false);
    expect(clock.pending).toBe(0);
  });

  test('repeat keeps running after a throw; cancelAll leaves no timers', () => {
    const clock = new ManualClock();
    const tasks = new Tasks(clock);
    let runs = 0;
    tasks.repeat('r', 2, () => {
      runs++;
      if (runs === 1) throw new Error('first run fails');
    }, { delay: 0 });
    expect(() => clock.advance(0)).toThrow('first run fails');
    clock.advance(4);
    expect(runs).toBe(3);
    tasks.cancelAll();
    expect(clock.pending).toBe(0);
    expect(() => tasks.repeat('x', 0, () => undefined)).toThrow(RangeError);
  });
});
