import { createConversion } from '@dispersy/codec';
import { ManualClock } from '@dispersy/interfaces';
import { describe, expect, test } from 'vitest';
import { BatchCache, WorkQueue, type BatchItem } from '../src/pipeline-support.ts';
import { Tasks } from '../src/tasks.ts';

const conversion = createConversion({ cid: new Uint8Array(20), communityVersion: 1, metas: [] });
const item = (n: number): BatchItem => ({ packet: Uint8Array.of(n), source: { address: { host: '10.0.0.1', port: 1 }, tunnel: false }, conversion });

describe('BatchCache', () => {
  test('the first packet starts the window; the batch runs once, in arrival order', () => {
    const clock = new ManualClock();
    const batches = new BatchCache(new Tasks(clock), 100);
    const runs: number[][] = [];
    const run = (_: string, items: BatchItem[]): void => void runs.push(items.map((i) => i.packet[0] as number));
    batches.add('m', [item(1)], 5, run);
    clock.advance(3);
    batches.add('m', [item(2), item(3)], 5, run);
    expect(batches.size).toBe(3);
    clock.advance(2);
    expect(runs).toEqual([[1, 2, 3]]);
    expect(batches.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  test('a full batch runs at once; take cancels the timer', () => {
    const clock = new ManualClock();
    const batches = new BatchCache(new Tasks(clock), 2);
    const runs: number[][] = [];
    batches.add('m', [item(1), item(2), item(3)], 5, (_, items) => void runs.push(items.map((i) => i.packet[0] as number)));
    expect(runs).toEqual([[1, 2, 3]]);
    expect(clock.pending).toBe(0);
    batches.add('n', [item(4)], 5, () => undefined);
    expect(batches.names()).toEqual(['n']);
    expect(batches.take('n').length).toBe(1);
    expect(clock.pending).toBe(0);
  });
});

describe('WorkQueue', () => {
  test('work queued while running runs afterwards, not nested', () => {
    const queue = new WorkQueue();
    const order: string[] = [];
    queue.run(() => {
      order.push('a start');
      queue.run(() => order.push('b'));
      order.push('a end');
    });
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(queue.running).toBe(false);
  });

  test('a throwing task clears the queue and propagates', () => {
    const queue = new WorkQueue();
    const order: string[] = [];
    expect(() =>
      queue.run(() => {
        queue.run(() => order.push('never'));
        throw new Error('x');
      }),
    ).toThrow('x');
    queue.run(() => order.push('later'));
    expect(order).toEqual(['later']);
  });
});
