import { ManualClock, type PacketSource } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  DELAY_EXPIRY,
  DelayRegistry,
  midKey,
  rangesCover,
  type DelayCause,
  type ProcessedRecord,
} from '../src/delays.ts';
import { Statistics } from '../src/statistics.ts';

const T0 = 1000;

function mid(n: number): Uint8Array {
  return new Uint8Array(20).fill(n);
}

function src(port: number, host = '10.0.0.1'): PacketSource {
  return { address: { host, port }, tunnel: false };
}

function record(name: string, m: Uint8Array | null, globalTime = 1, sequence: number | null = null): ProcessedRecord {
  return { name, mid: m, globalTime, sequence };
}

function setup(init = {}): { stats: Statistics; delays: DelayRegistry<string, string> } {
  const stats = new Statistics();
  return { stats, delays: new DelayRegistry<string, string>({ statistics: stats }, init) };
}

const A = mid(0xaa);
const B = mid(0xbb);

describe('identity delays', () => {
  it('resume on a dispersy-identity by that mid, and nothing else', () => {
    const { delays } = setup();
    const out = delays.delay({ stage: 'packet', value: 'p1' }, { kind: 'identity', mid: A }, src(1), T0);
    expect(out).toEqual({ request: true, registered: true, evicted: [] });
    // wrong mid, wrong meta, no mid
    for (const r of [record('dispersy-identity', B), record('text', A), record('dispersy-identity', null)]) {
      expect(delays.processed([r])).toEqual({ packets: [], messages: [] });
    }
    const resumed = delays.processed([record('dispersy-identity', A, 7)]);
    expect(resumed.packets.map((e) => e.value)).toEqual(['p1']);
    expect(resumed.packets[0]?.source).toEqual(src(1));
    expect(resumed.messages).toEqual([]);
    expect(delays.size).toBe(0);
  });

  it('the same missing identity twice yields ONE request (test_outgoing_missing_identity_twice)', () => {
    const { stats, delays } = setup();
    const cause: DelayCause = { kind: 'identity', mid: A };
    expect(delays.delay({ stage: 'packet', value: 'p1' }, cause, src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'packet', value: 'p2' }, cause, src(1), T0).request).toBe(false);
    expect(delays.size).toBe(2);
    expect(stats.snapshot().delays).toEqual({ received: 2, send: 1, success: 0, timeout: 0 });
    // both resume together
    expect(delays.processed([record('dispersy-identity', A)]).packets.map((e) => e.value)).toEqual(['p1', 'p2']);
    expect(stats.snapshot().delays.success).toBe(2);
    // once resolved the key is new again
    expect(delays.delay({ stage: 'packet', value: 'p3' }, cause, src(1), T0).request).toBe(true);
  });

  it('delaying an item that is already waiting changes nothing', () => {
    const { delays } = setup();
    delays.delay({ stage: 'packet', value: 'p1' }, { kind: 'identity', mid: A }, src(1), T0);
    expect(delays.delay({ stage: 'packet', value: 'p1' }, { kind: 'identity', mid: B }, src(1), T0)).toEqual({
      request: false,
      registered: false,
      evicted: [],
    });
    expect(delays.size).toBe(1);
    // packets and messages are separate namespaces
    expect(delays.delay({ stage: 'message', value: 'p1' }, { kind: 'identity', mid: B }, src(1), T0).registered).toBe(
      true,
    );
  });
});

describe('proof delays', () => {
  const proof = (m: Uint8Array): DelayCause => ({ kind: 'proof', mid: m, globalTime: 5 });

  it('resume immediately on ANY authorize or dynamic-settings', () => {
    for (const name of ['dispersy-authorize', 'dispersy-dynamic-settings']) {
      const { delays } = setup();
      delays.delay({ stage: 'message', value: 'm1' }, proof(A), src(1), T0);
      delays.delay({ stage: 'message', value: 'm2' }, proof(B), src(2), T0);
      expect(delays.processed([record('dispersy-revoke', B), record('text', A, 5)]).messages).toEqual([]);
      // an authorize by an unrelated member, without mid even, resumes them all
      expect(delays.processed([record(name, null, 99)]).messages.map((e) => e.value)).toEqual(['m1', 'm2']);
      expect(delays.size).toBe(0);
    }
  });

  it('share their keys: one request while any proof delay waits', () => {
    const { delays } = setup();
    expect(delays.delay({ stage: 'message', value: 'm1' }, proof(A), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'm2' }, proof(B), src(2), T0).request).toBe(false);
  });
});

describe('sequence delays', () => {
  const seq = (low: number, high: number, meta = 'text', m = A): DelayCause => ({
    kind: 'sequence',
    mid: m,
    meta,
    low,
    high,
  });

  it('need every number of low..high of that member and meta', () => {
    const { delays } = setup();
    delays.delay({ stage: 'message', value: 'm' }, seq(3, 5), src(1), T0);
    const rest = [
      record('text', A, 1, 2), // below range
      record('text', A, 1, 6), // above range
      record('text', B, 1, 4), // other member
      record('other-meta', A, 1, 4), // other meta (the original matched any meta here)
      record('text', A, 1, null), // no sequence
      record('text', A, 1, 3),
      record('text', A, 1, 3), // repeated: still only one of three
      record('text', A, 1, 5),
    ];
    expect(delays.processed(rest).messages).toEqual([]);
    expect(delays.size).toBe(1);
    expect(delays.processed([record('text', A, 1, 4)]).messages.map((e) => e.value)).toEqual(['m']);
    expect(delays.size).toBe(0);
  });

  it('resume within one batch that covers the whole range', () => {
    const { delays } = setup();
    delays.delay({ stage: 'message', value: 'm' }, seq(1, 2), src(1), T0);
    expect(delays.processed([record('text', A, 1, 2), record('text', A, 1, 1)]).messages).toHaveLength(1);
  });

  it('request only when part of the range is not already waited for', () => {
    const { delays } = setup();
    expect(delays.delay({ stage: 'message', value: 'm1' }, seq(3, 5), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'm2' }, seq(4, 5), src(1), T0).request).toBe(false);
    expect(delays.delay({ stage: 'message', value: 'm3' }, seq(6, 7), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'm4' }, seq(3, 7), src(1), T0).request).toBe(false);
    expect(delays.delay({ stage: 'message', value: 'm5' }, seq(3, 8), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'm6' }, seq(3, 5, 'other'), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'm7' }, seq(3, 5, 'text', B), src(1), T0).request).toBe(true);
  });

  it('a huge range costs no memory up front', () => {
    const { delays } = setup();
    delays.delay({ stage: 'message', value: 'm' }, seq(1, 2 ** 32), src(1), T0);
    expect(delays.processed([record('text', A, 1, 7)]).messages).toEqual([]);
    expect(delays.size).toBe(1);
  });
});

describe('message delays', () => {
  it('resume on a message of that member at that global time, of any meta', () => {
    const { delays } = setup();
    delays.delay({ stage: 'message', value: 'undo' }, { kind: 'message', mid: A, globalTime: 42 }, src(1), T0);
    expect(delays.processed([record('text', A, 41), record('text', B, 42), record('text', null, 42)]).messages).toEqual(
      [],
    );
    expect(delays.processed([record('anything', A, 42, 9)]).messages.map((e) => e.value)).toEqual(['undo']);
  });

  it('de-duplicate requests per (member, global time)', () => {
    const { delays } = setup();
    const cause = (gt: number): DelayCause => ({ kind: 'message', mid: A, globalTime: gt });
    expect(delays.delay({ stage: 'message', value: 'u1' }, cause(42), src(1), T0).request).toBe(true);
    expect(delays.delay({ stage: 'message', value: 'u2' }, cause(42), src(2), T0).request).toBe(false);
    expect(delays.delay({ stage: 'message', value: 'u3' }, cause(43), src(1), T0).request).toBe(true);
  });
});

describe('mixed batches', () => {
  it('one processed batch resumes several kinds, packets and messages apart, in registration order', () => {
    const { delays } = setup();
    delays.delay({ stage: 'message', value: 'proof' }, { kind: 'proof', mid: B, globalTime: 1 }, src(1), T0);
    delays.delay({ stage: 'packet', value: 'ident' }, { kind: 'identity', mid: A }, src(2), T0);
    delays.delay({ stage: 'message', value: 'msg' }, { kind: 'message', mid: A, globalTime: 3 }, src(3), T0);
    delays.delay({ stage: 'message', value: 'stay' }, { kind: 'identity', mid: B }, src(3), T0);
    const out = delays.processed([record('dispersy-identity', A, 3), record('dispersy-authorize', A, 4)]);
    expect(out.packets.map((e) => e.value)).toEqual(['ident']);
    expect(out.messages.map((e) => e.value)).toEqual(['proof', 'msg']);
    expect(delays.itemsFor().map((e) => e.value)).toEqual(['stay']);
  });
});

describe('expiry', () => {
  it('sweep drops items at 10 s, not at 9.9 s, and counts delay_timeout', () => {
    const { stats, delays } = setup();
    delays.delay({ stage: 'packet', value: 'old' }, { kind: 'identity', mid: A }, src(1), T0);
    delays.delay({ stage: 'packet', value: 'new' }, { kind: 'identity', mid: A }, src(1), T0 + 3);
    expect(delays.sweep(T0 + 9.9)).toEqual([]);
    expect(delays.sweep(T0 + DELAY_EXPIRY).map((e) => e.value)).toEqual(['old']);
    expect(delays.itemsFor().map((e) => e.value)).toEqual(['new']);
    const snap = stats.snapshot();
    expect(snap.delays.timeout).toBe(1);
    expect(snap.drops.byStage.delay).toEqual({ timeout: 1 });
  });

  it('start(clock) sweeps every 5 s on the clock; stop() leaves no timer', () => {
    const clock = new ManualClock(T0);
    const { delays } = setup();
    delays.start(clock);
    delays.start(clock); // idempotent
    expect(clock.pending).toBe(1);
    delays.delay({ stage: 'packet', value: 'p' }, { kind: 'identity', mid: A }, src(1), clock.now());
    clock.advance(9.9);
    expect(delays.size).toBe(1); // the sweep at +5 kept it
    clock.advance(0.1);
    expect(delays.size).toBe(0); // the sweep at +10 dropped it
    delays.delay({ stage: 'packet', value: 'q' }, { kind: 'identity', mid: A }, src(1), clock.now() + 1);
    clock.advance(10);
    expect(delays.size).toBe(1); // since +1: the +20 sweep sees age 9
    clock.advance(5);
    expect(delays.size).toBe(0);
    delays.stop();
    expect(clock.pending).toBe(0);
    delays.stop();
  });
});

describe('bounds', () => {
  it('evicts the oldest item of a source past maxPerSource, counted', () => {
    const { stats, delays } = setup({ maxPerSource: 2, maxTotal: 100 });
    delays.delay({ stage: 'packet', value: 'a1' }, { kind: 'identity', mid: A }, src(1), T0);
    delays.delay({ stage: 'packet', value: 'b1' }, { kind: 'identity', mid: A }, src(2), T0);
    delays.delay({ stage: 'packet', value: 'a2' }, { kind: 'identity', mid: A }, src(1), T0 + 1);
    const out = delays.delay({ stage: 'packet', value: 'a3' }, { kind: 'identity', mid: B }, src(1), T0 + 2);
    expect(out.registered).toBe(true);
    expect(out.evicted.map((e) => e.value)).toEqual(['a1']);
    expect(delays.itemsFor(src(1).address).map((e) => e.value)).toEqual(['a2', 'a3']);
    expect(delays.itemsFor(src(2).address).map((e) => e.value)).toEqual(['b1']);
    expect(delays.itemsFor({ host: '10.0.0.9', port: 1 })).toEqual([]);
    expect(stats.snapshot().drops.byStage.delay).toEqual({ evicted_source: 1 });
    // the evicted item is gone from the key indexes too
    expect(delays.processed([record('dispersy-identity', A)]).packets.map((e) => e.value)).toEqual(['b1', 'a2']);
  });

  it('evicts the globally oldest item past maxTotal, counted', () => {
    const { stats, delays } = setup({ maxPerSource: 10, maxTotal: 3 });
    for (let i = 0; i < 3; i++)
      delays.delay({ stage: 'message', value: `m${i}` }, { kind: 'proof', mid: A, globalTime: i }, src(i), T0 + i);
    const out = delays.delay(
      { stage: 'message', value: 'm3' },
      { kind: 'proof', mid: A, globalTime: 3 },
      src(9),
      T0 + 3,
    );
    expect(out.evicted.map((e) => e.value)).toEqual(['m0']);
    expect(delays.size).toBe(3);
    expect(stats.snapshot().drops.byStage.delay).toEqual({ evicted_total: 1 });
    expect(delays.processed([record('dispersy-authorize', null)]).messages.map((e) => e.value)).toEqual([
      'm1',
      'm2',
      'm3',
    ]);
  });

  it('one flooding source cannot exceed its share', () => {
    const { delays } = setup();
    for (let i = 0; i < 1000; i++)
      delays.delay({ stage: 'packet', value: `x${i}` }, { kind: 'identity', mid: mid(i % 256) }, src(1), T0);
    expect(delays.size).toBe(64);
    delays.delay({ stage: 'packet', value: 'good' }, { kind: 'identity', mid: A }, src(2), T0);
    expect(delays.itemsFor(src(2).address)).toHaveLength(1);
  });

  it('rejects bad bounds, causes and times', () => {
    expect(() => new DelayRegistry({}, { maxPerSource: 0 })).toThrow(RangeError);
    expect(() => new DelayRegistry({}, { maxTotal: 1.5 })).toThrow(RangeError);
    const { delays } = setup();
    const item = { stage: 'packet', value: 'p' } as const;
    expect(() => delays.delay(item, { kind: 'sequence', mid: A, meta: 'text', low: 5, high: 4 }, src(1), T0)).toThrow(
      RangeError,
    );
    expect(() => delays.delay(item, { kind: 'sequence', mid: A, meta: 'text', low: 0, high: 4 }, src(1), T0)).toThrow(
      RangeError,
    );
    expect(() => delays.delay(item, { kind: 'sequence', mid: A, meta: '', low: 1, high: 4 }, src(1), T0)).toThrow(
      TypeError,
    );
    expect(() => delays.delay(item, { kind: 'identity', mid: 'aa' as unknown as Uint8Array }, src(1), T0)).toThrow(
      TypeError,
    );
    expect(() => delays.delay(item, { kind: 'bogus', mid: A } as unknown as DelayCause, src(1), T0)).toThrow(TypeError);
    expect(() => delays.delay(item, { kind: 'identity', mid: A }, src(1), Number.NaN)).toThrow(RangeError);
    expect(delays.size).toBe(0);
  });

  it('clear() drops everything without counting', () => {
    const { stats, delays } = setup();
    delays.delay({ stage: 'packet', value: 'p' }, { kind: 'identity', mid: A }, src(1), T0);
    delays.delay({ stage: 'message', value: 'm' }, { kind: 'proof', mid: A, globalTime: 1 }, src(1), T0);
    delays.clear();
    expect(delays.size).toBe(0);
    expect(delays.processed([record('dispersy-identity', A), record('dispersy-authorize', A)])).toEqual({
      packets: [],
      messages: [],
    });
    expect(delays.delay({ stage: 'packet', value: 'p' }, { kind: 'identity', mid: A }, src(1), T0).request).toBe(true);
    expect(stats.snapshot().drops.total).toBe(0);
  });
});

describe('helpers', () => {
  it('midKey is lower-case hex', () => {
    expect(midKey(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
  });

  it('rangesCover', () => {
    expect(rangesCover([], 1, 1)).toBe(false);
    expect(
      rangesCover(
        [
          [4, 9],
          [1, 3],
        ],
        2,
        8,
      ),
    ).toBe(true);
    expect(
      rangesCover(
        [
          [1, 3],
          [5, 9],
        ],
        2,
        8,
      ),
    ).toBe(false);
    expect(
      rangesCover(
        [
          [1, 10],
          [2, 3],
        ],
        4,
        10,
      ),
    ).toBe(true);
  });
});
