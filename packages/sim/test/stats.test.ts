/** StatsCounter: snapshots and the sent = delivered + dropped + inFlight invariant across resets. */
import { expect, test } from 'vitest';
import { DROP_REASONS } from '../src/index.ts';
import { StatsCounter } from '../src/stats.ts';

test('snapshot sums drops; reset keeps in-flight datagrams counted as sent', () => {
  const c = new StatsCounter();
  c.sent = 10;
  c.bytesSent = 100;
  c.delivered = 5;
  c.dropped.loss = 2;
  c.dropped.nat_filtered = 1;
  c.inFlight = 2;
  c.inFlightBytes = 20;
  const s = c.snapshot();
  expect(s.droppedTotal).toBe(3);
  expect(s.sent).toBe(s.delivered + s.droppedTotal + s.inFlight);
  expect(Object.isFrozen(s) && Object.isFrozen(s.dropped)).toBe(true);
  expect(Object.keys(s.dropped)).toEqual([...DROP_REASONS]);
  c.reset();
  const r = c.snapshot();
  expect([r.sent, r.bytesSent, r.delivered, r.droppedTotal, r.inFlight]).toEqual([2, 20, 0, 0, 2]);
});
