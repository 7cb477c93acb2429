import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_LABELS,
  DROP_STAGES,
  MAX_LABEL_LENGTH,
  OTHER_LABEL,
  sanitizeLabel,
  Statistics,
} from '../src/statistics.ts';

describe('Statistics counting', () => {
  it('starts at zero with every fixed key present', () => {
    const snap = new Statistics().snapshot();
    expect(snap).toEqual({
      packets: { in: { total: 0, byLabel: {} }, out: { total: 0, byLabel: {} } },
      bytes: { in: { total: 0, byLabel: {} }, out: { total: 0, byLabel: {} } },
      created: { total: 0, byLabel: {} },
      processed: { total: 0, byLabel: {} },
      drops: { total: 0, byStage: { batch: {}, packet: {}, message: {}, delay: {}, cache: {}, send: {} } },
      delays: { received: 0, send: 0, success: 0, timeout: 0 },
      walk: { attempt: 0, success: 0, failure: 0 },
      syncBloom: { new: 0, reuse: 0, send: 0, skip: 0 },
      invalidResponseIdentifiers: 0,
      candidatesDiscovered: 0,
      foldedLabels: 0,
    });
  });

  it('counts every family', () => {
    const s = new Statistics();
    s.packetIn('dispersy-identity', 100);
    s.packetIn('dispersy-identity', 250, 2);
    s.packetIn('text', 60);
    s.packetOut('dispersy-introduction-request', 160, 3);
    s.drop('packet', 'BAD_SIGNATURE');
    s.drop('packet', 'BAD_SIGNATURE', 2);
    s.drop('message', 'duplicate');
    s.drop('cache', 'REQUEST_CACHE_FULL');
    s.delay('received', 2);
    s.delay('send');
    s.delay('success');
    s.delay('timeout');
    s.created('text', 4);
    s.processed('dispersy-identity');
    s.walk('attempt', 3);
    s.walk('success', 2);
    s.walk('failure');
    s.syncBloom('new');
    s.syncBloom('reuse', 5);
    s.syncBloom('send', 6);
    s.syncBloom('skip', 7);
    s.invalidResponseIdentifier();
    s.candidateDiscovered(8);
    const snap = s.snapshot();
    expect(snap.packets.in).toEqual({ total: 4, byLabel: { 'dispersy-identity': 3, text: 1 } });
    expect(snap.bytes.in).toEqual({ total: 410, byLabel: { 'dispersy-identity': 350, text: 60 } });
    expect(snap.packets.out).toEqual({ total: 3, byLabel: { 'dispersy-introduction-request': 3 } });
    expect(snap.bytes.out).toEqual({ total: 160, byLabel: { 'dispersy-introduction-request': 160 } });
    expect(snap.drops.total).toBe(5);
    expect(snap.drops.byStage.packet).toEqual({ BAD_SIGNATURE: 3 });
    expect(snap.drops.byStage.message).toEqual({ duplicate: 1 });
    expect(snap.drops.byStage.cache).toEqual({ REQUEST_CACHE_FULL: 1 });
    expect(snap.delays).toEqual({ received: 2, send: 1, success: 1, timeout: 1 });
    expect(snap.created).toEqual({ total: 4, byLabel: { text: 4 } });
    expect(snap.processed).toEqual({ total: 1, byLabel: { 'dispersy-identity': 1 } });
    expect(snap.walk).toEqual({ attempt: 3, success: 2, failure: 1 });
    expect(snap.syncBloom).toEqual({ new: 1, reuse: 5, send: 6, skip: 7 });
    expect(snap.invalidResponseIdentifiers).toBe(1);
    expect(snap.candidatesDiscovered).toBe(8);
  });

  it('a community propagates to its node; the node also sums other communities', () => {
    const node = new Statistics();
    const c1 = new Statistics({ parent: node });
    const c2 = new Statistics({ parent: node });
    c1.packetIn('text', 10);
    c2.packetIn('text', 20);
    c1.drop('message', 'old');
    c2.walk('attempt');
    c2.syncBloom('skip');
    node.candidateDiscovered();
    expect(c1.snapshot().packets.in.total).toBe(1);
    expect(node.snapshot().bytes.in.byLabel).toEqual({ text: 30 });
    expect(node.snapshot().drops.byStage.message).toEqual({ old: 1 });
    expect(node.snapshot().walk.attempt).toBe(1);
    expect(node.snapshot().syncBloom.skip).toBe(1);
    expect(c1.snapshot().candidatesDiscovered).toBe(0);
  });

  it('rejects bad counts and unknown fixed-set keys', () => {
    const s = new Statistics();
    expect(() => s.created('x', -1)).toThrow(RangeError);
    expect(() => s.packetIn('x', 1.5)).toThrow(RangeError);
    expect(() => s.walk('attempt', Number.NaN)).toThrow(RangeError);
    expect(() => s.delay('bogus' as never)).toThrow(TypeError);
    expect(() => s.walk('toString' as never)).toThrow(TypeError);
    expect(() => s.drop('bogus' as never, 'x')).toThrow(TypeError);
    expect(() => new Statistics({ maxLabels: -1 })).toThrow(RangeError);
    expect(s.snapshot().delays).toEqual({ received: 0, send: 0, success: 0, timeout: 0 });
  });
});

describe('Statistics snapshot', () => {
  it('is plain JSON and detached', () => {
    const s = new Statistics();
    s.packetIn('text', 10);
    s.drop('packet', 'TRUNCATED');
    const snap = s.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    snap.delays.received = 99;
    snap.packets.in.byLabel['text'] = 99;
    expect(s.snapshot().delays.received).toBe(0);
    expect(s.snapshot().packets.in.byLabel['text']).toBe(1);
  });

  it('hostile label text cannot touch the prototype', () => {
    const s = new Statistics();
    s.drop('message', '__proto__');
    s.created('constructor');
    const snap = s.snapshot();
    expect(Object.hasOwn(snap.drops.byStage.message, '__proto__')).toBe(true);
    expect(snap.drops.byStage.message['__proto__']).toBe(1);
    expect(snap.created.byLabel['constructor']).toBe(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('samples() maps every counter to a Prometheus metric with fixed label names', () => {
    const s = new Statistics();
    s.packetIn('text', 10);
    s.packetOut('text', 12);
    s.drop('delay', 'timeout', 2);
    s.created('text');
    const samples = s.samples();
    expect(samples).toContainEqual({
      name: 'dispersy_packets_total',
      labels: { direction: 'in', message: 'text' },
      value: 1,
    });
    expect(samples).toContainEqual({
      name: 'dispersy_bytes_total',
      labels: { direction: 'out', message: 'text' },
      value: 12,
    });
    expect(samples).toContainEqual({
      name: 'dispersy_drops_total',
      labels: { stage: 'delay', reason: 'timeout' },
      value: 2,
    });
    expect(samples).toContainEqual({ name: 'dispersy_messages_created_total', labels: { message: 'text' }, value: 1 });
    expect(samples).toContainEqual({ name: 'dispersy_walk_total', labels: { event: 'failure' }, value: 0 });
    expect(samples).toContainEqual({ name: 'dispersy_candidates_discovered_total', labels: {}, value: 0 });
    for (const sample of samples) {
      expect(sample.name).toMatch(/^dispersy_[a-z_]+_total$/);
      for (const key of Object.keys(sample.labels))
        expect(['direction', 'message', 'stage', 'reason', 'event']).toContain(key);
    }
  });
});

describe('Statistics label cardinality', () => {
  it('keeps at most maxLabels distinct reasons and folds the rest into other', () => {
    const s = new Statistics({ maxLabels: 3 });
    for (let i = 0; i < 10; i++) s.drop('message', `remote-reason-${i}`);
    s.drop('message', 'remote-reason-0'); // an already-known label keeps counting
    s.drop('packet', 'fresh'); // the cap is shared by all drop stages: folds into packet/other
    const snap = s.snapshot();
    expect(snap.drops.byStage.message).toEqual({
      'remote-reason-0': 2,
      'remote-reason-1': 1,
      'remote-reason-2': 1,
      [OTHER_LABEL]: 7,
    });
    expect(snap.drops.byStage.packet).toEqual({ [OTHER_LABEL]: 1 });
    expect(snap.drops.total).toBe(12);
    expect(snap.foldedLabels).toBe(8);
  });

  it('the default cap is 256 per family and totals stay exact', () => {
    const s = new Statistics();
    for (let i = 0; i < 1000; i++) s.packetIn(`meta-${i}`, 10);
    const snap = s.snapshot();
    expect(Object.keys(snap.packets.in.byLabel)).toHaveLength(DEFAULT_MAX_LABELS + 1);
    expect(snap.packets.in.byLabel[OTHER_LABEL]).toBe(1000 - DEFAULT_MAX_LABELS);
    expect(snap.packets.in.total).toBe(1000);
    expect(snap.bytes.in.total).toBe(10_000);
    expect(s.samples().length).toBeLessThan(4 * (DEFAULT_MAX_LABELS + 1) + 64);
  });

  it('an explicit other label does not use up a slot', () => {
    const s = new Statistics({ maxLabels: 1 });
    s.created(OTHER_LABEL);
    s.created('a');
    s.created('b');
    expect(s.snapshot().created.byLabel).toEqual({ [OTHER_LABEL]: 2, a: 1 });
  });

  it('sanitises label text', () => {
    expect(sanitizeLabel('drop\nme\u0000')).toBe('drop_me_');
    expect(sanitizeLabel('')).toBe('unknown');
    expect(sanitizeLabel('x'.repeat(500))).toHaveLength(MAX_LABEL_LENGTH);
    expect(sanitizeLabel('dispersy-identity')).toBe('dispersy-identity');
    const s = new Statistics();
    s.drop('batch', 'unknown community: <script>');
    expect(Object.keys(s.snapshot().drops.byStage.batch)).toEqual(['unknown community: _script_']);
    // every stage is a valid label
    expect(DROP_STAGES).toEqual(['batch', 'packet', 'message', 'delay', 'cache', 'send']);
  });
});
