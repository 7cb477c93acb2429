import { createSeededRandom, DispersyError, ManualClock, type Random } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CACHE_TIMEOUT,
  INTRODUCTION_REQUEST_TIMEOUT,
  RANDOM_NUMBER_ATTEMPTS,
  RequestCache,
  RequestCacheError,
  type RequestCacheEntry,
} from '../src/request-cache.ts';

/** A test entry that records its timeouts. */
class TestEntry implements RequestCacheEntry {
  readonly prefix: string;
  readonly number: number;
  readonly timeout: number | undefined;
  timeouts = 0;
  constructor(prefix: string, number: number, timeout?: number) {
    this.prefix = prefix;
    this.number = number;
    this.timeout = timeout;
  }
  onTimeout(): void {
    this.timeouts++;
  }
}

/** A signature-request entry keeping the original message (quirk 19: the timeout sees the message, not the cache). */
interface SignatureEntry extends RequestCacheEntry {
  readonly prefix: 'signature-request';
  readonly message: string;
}

function setup(init = {}, random: Random = createSeededRandom(7)): { clock: ManualClock; cache: RequestCache } {
  const clock = new ManualClock();
  return { clock, cache: new RequestCache({ clock, random }, init) };
}

function constantRandom(value: number): Random & { calls: number } {
  const r = { calls: 0, next: () => (r.calls++, value) };
  return r;
}

function expectCode(fn: () => unknown, code: string): RequestCacheError {
  try {
    fn();
  } catch (err) {
    expect(RequestCacheError.is(err)).toBe(true);
    expect(DispersyError.is(err)).toBe(true);
    expect((err as RequestCacheError).code).toBe(code);
    return err as RequestCacheError;
  }
  throw new Error(`expected ${code}`);
}

describe('RequestCache basics', () => {
  it('add / has / get / pop', () => {
    const { clock, cache } = setup();
    const entry = new TestEntry('ping', 5);
    expect(cache.add(entry)).toBe(entry);
    expect(cache.has('ping', 5)).toBe(true);
    expect(cache.has('ping', 6)).toBe(false);
    expect(cache.has('other', 5)).toBe(false);
    expect(cache.get('ping', 5)).toBe(entry);
    expect(cache.get('ping', 6)).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.count('ping')).toBe(1);
    expect(cache.pop('ping', 5)).toBe(entry);
    expect(cache.has('ping', 5)).toBe(false);
    expect(cache.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('pop of an absent entry returns undefined', () => {
    const { cache } = setup();
    expect(cache.pop('ping', 1)).toBeUndefined();
  });

  it('refuses a duplicate (prefix, number) with undefined and keeps the first', () => {
    const { clock, cache } = setup();
    const first = new TestEntry('ping', 5);
    cache.add(first);
    expect(cache.add(new TestEntry('ping', 5))).toBeUndefined();
    expect(cache.get('ping', 5)).toBe(first);
    expect(clock.pending).toBe(1);
    // the same number under another prefix is a different key
    expect(cache.add(new TestEntry('pong', 5))).toBeDefined();
  });

  it('rejects malformed keys and timeouts', () => {
    const { cache } = setup();
    expect(() => cache.add(new TestEntry('', 1))).toThrow(TypeError);
    expect(() => cache.add(new TestEntry('p', -1))).toThrow(RangeError);
    expect(() => cache.add(new TestEntry('p', 1.5))).toThrow(RangeError);
    expect(() => cache.add(new TestEntry('p', 1, -1))).toThrow(RangeError);
    expect(() => cache.add(new TestEntry('p', 1, Number.POSITIVE_INFINITY))).toThrow(RangeError);
    expect(
      () => new RequestCache({ clock: new ManualClock(), random: createSeededRandom(1) }, { maxSize: -1 }),
    ).toThrow(RangeError);
  });
});

describe('RequestCache timeouts', () => {
  it('fires once at the default 10 s and removes the entry', () => {
    const { clock, cache } = setup();
    const entry = new TestEntry('ping', 1);
    cache.add(entry);
    clock.advance(DEFAULT_CACHE_TIMEOUT - 0.001);
    expect(entry.timeouts).toBe(0);
    expect(cache.has('ping', 1)).toBe(true);
    clock.advance(0.001);
    expect(entry.timeouts).toBe(1);
    expect(cache.has('ping', 1)).toBe(false);
    clock.advance(100);
    expect(entry.timeouts).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it("uses the entry's own timeout (introduction-request: 10.5 s)", () => {
    const { clock, cache } = setup();
    const entry = new TestEntry('introduction-request', 1, INTRODUCTION_REQUEST_TIMEOUT);
    cache.add(entry);
    clock.advance(10.4);
    expect(entry.timeouts).toBe(0);
    clock.advance(0.1);
    expect(entry.timeouts).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('honours the init defaultTimeout', () => {
    const { clock, cache } = setup({ defaultTimeout: 2 });
    const entry = new TestEntry('p', 1);
    cache.add(entry);
    clock.advance(2);
    expect(entry.timeouts).toBe(1);
  });

  it('pop before the timeout cancels it', () => {
    const { clock, cache } = setup();
    const entry = new TestEntry('ping', 1);
    cache.add(entry);
    clock.advance(5);
    cache.pop('ping', 1);
    expect(clock.pending).toBe(0);
    clock.advance(20);
    expect(entry.timeouts).toBe(0);
  });

  it('the entry is still present during onTimeout and may pop itself', () => {
    const { clock, cache } = setup();
    let seen: boolean | undefined;
    cache.add({
      prefix: 'p',
      number: 1,
      onTimeout() {
        seen = cache.has('p', 1);
        expect(cache.pop('p', 1)).toBe(this);
      },
    });
    clock.advance(10);
    expect(seen).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('an entry re-added under the same number by onTimeout survives', () => {
    const { clock, cache } = setup();
    const replacement = new TestEntry('p', 1);
    cache.add({
      prefix: 'p',
      number: 1,
      onTimeout() {
        cache.pop('p', 1);
        cache.add(replacement);
      },
    });
    clock.advance(10);
    expect(cache.get('p', 1)).toBe(replacement);
    clock.advance(10);
    expect(replacement.timeouts).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('removes the entry even when onTimeout throws', () => {
    const { clock, cache } = setup();
    cache.add({
      prefix: 'p',
      number: 1,
      onTimeout: () => {
        throw new Error('boom');
      },
    });
    expect(() => clock.advance(10)).toThrow('boom');
    expect(cache.size).toBe(0);
  });

  it('quirk 19: the timeout handler sees what the owner stored', () => {
    const clock = new ManualClock();
    const cache = new RequestCache<{ 'signature-request': SignatureEntry }>({ clock, random: createSeededRandom(1) });
    const calls: [string, null, boolean][] = [];
    const entry = cache.addRandom('signature-request', (number) => ({
      prefix: 'signature-request',
      number,
      message: 'original message',
      timeout: 3,
      onTimeout() {
        calls.push([this.message, null, true]);
      },
    }));
    expect(cache.get('signature-request', entry.number)?.message).toBe('original message');
    clock.advance(3);
    expect(calls).toEqual([['original message', null, true]]);
  });
});

describe('RequestCache typing', () => {
  it('accepts an interface as the prefix → entry map', () => {
    interface Caches {
      'signature-request': SignatureEntry;
      ping: TestEntry;
    }
    const cache = new RequestCache<Caches>({ clock: new ManualClock(), random: createSeededRandom(3) });
    const ping = cache.addNumbered('ping', 1, (n) => new TestEntry('ping', n));
    const same: TestEntry | undefined = cache.pop('ping', 1);
    expect(same).toBe(ping);
    expect(cache.add(new TestEntry('ping', 2))).toBeDefined();
    cache.clear();
  });
});

describe('RequestCache numbers', () => {
  it('addRandom draws uint16 numbers from the injected Random', () => {
    const { cache } = setup({}, constantRandom(0.5));
    const entry = cache.addRandom('p', (n) => new TestEntry('p', n));
    expect(entry.number).toBe(32768);
    const { cache: c2 } = setup({}, constantRandom(0.9999999));
    expect(c2.randomNumber('p')).toBe(65535);
  });

  it('random allocation avoids numbers in use', () => {
    const values = [0.5, 0.5, 0.5, 0.25];
    const random = { next: () => values.shift() ?? 0 };
    const { cache } = setup({}, random);
    cache.add(new TestEntry('p', 32768));
    expect(cache.randomNumber('p')).toBe(16384);
    // in use under another prefix does not matter
    const { cache: c2 } = setup({}, constantRandom(0.5));
    c2.add(new TestEntry('q', 32768));
    expect(c2.randomNumber('p')).toBe(32768);
  });

  it('many random entries get distinct numbers', () => {
    const { cache } = setup();
    const numbers = new Set<number>();
    for (let i = 0; i < 2000; i++) numbers.add(cache.addRandom('p', (n) => new TestEntry('p', n)).number);
    expect(numbers.size).toBe(2000);
    for (const n of numbers) expect(n >= 0 && n < 65536 && Number.isInteger(n)).toBe(true);
  });

  it('fails with REQUEST_CACHE_NO_FREE_NUMBER after exactly 1000 attempts', () => {
    const random = constantRandom(0.5);
    const { cache } = setup({}, random);
    cache.add(new TestEntry('p', 32768));
    random.calls = 0;
    const err = expectCode(() => cache.addRandom('p', (n) => new TestEntry('p', n)), 'REQUEST_CACHE_NO_FREE_NUMBER');
    expect(err.prefix).toBe('p');
    expect(random.calls).toBe(RANDOM_NUMBER_ATTEMPTS);
    expect(cache.size).toBe(1);
  });

  it('addNumbered: fixed number, REQUEST_CACHE_NUMBER_IN_USE when taken', () => {
    const { cache } = setup();
    const entry = cache.addNumbered('p', 9, (n) => new TestEntry('p', n));
    expect(entry.number).toBe(9);
    expectCode(() => cache.addNumbered('p', 9, (n) => new TestEntry('p', n)), 'REQUEST_CACHE_NUMBER_IN_USE');
    expect(cache.get('p', 9)).toBe(entry);
  });

  it('create() must build the entry it was asked for', () => {
    const { clock, cache } = setup();
    expect(() => cache.addNumbered('p', 9, () => new TestEntry('p', 10))).toThrow(TypeError);
    expect(() => cache.addRandom('p', (n) => new TestEntry('q', n))).toThrow(TypeError);
    expect(cache.size).toBe(0);
    expect(clock.pending).toBe(0);
  });
});

describe('RequestCache bounds', () => {
  it('refuses new entries with REQUEST_CACHE_FULL at maxSize, and accepts again after a pop', () => {
    const { clock, cache } = setup({ maxSize: 3 });
    for (let i = 0; i < 3; i++) cache.add(new TestEntry(i % 2 === 0 ? 'a' : 'b', i));
    expectCode(() => cache.add(new TestEntry('c', 99)), 'REQUEST_CACHE_FULL');
    expectCode(() => cache.addRandom('c', (n) => new TestEntry('c', n)), 'REQUEST_CACHE_FULL');
    expectCode(() => cache.addNumbered('c', 1, (n) => new TestEntry('c', n)), 'REQUEST_CACHE_FULL');
    expect(cache.size).toBe(3);
    expect(clock.pending).toBe(3);
    // a duplicate is still reported as a duplicate, not as full
    expect(cache.add(new TestEntry('a', 0))).toBeUndefined();
    cache.pop('a', 0);
    expect(cache.add(new TestEntry('c', 99))).toBeDefined();
  });

  it('timeouts free room too', () => {
    const { clock, cache } = setup({ maxSize: 1 });
    cache.add(new TestEntry('a', 1));
    expectCode(() => cache.add(new TestEntry('a', 2)), 'REQUEST_CACHE_FULL');
    clock.advance(10);
    expect(cache.add(new TestEntry('a', 2))).toBeDefined();
  });

  it('per-prefix bounds (maxPerPrefix and prefixLimits)', () => {
    const { cache } = setup({ maxSize: 100, maxPerPrefix: 3, prefixLimits: { 'signature-request': 1 } });
    cache.add(new TestEntry('signature-request', 1));
    const err = expectCode(() => cache.add(new TestEntry('signature-request', 2)), 'REQUEST_CACHE_FULL');
    expect(err.prefix).toBe('signature-request');
    for (let i = 0; i < 3; i++) cache.add(new TestEntry('ping', i));
    expectCode(() => cache.add(new TestEntry('ping', 3)), 'REQUEST_CACHE_FULL');
    expect(cache.add(new TestEntry('other', 0))).toBeDefined();
    expect(cache.count('ping')).toBe(3);
    expect(cache.size).toBe(5);
  });

  it('the default bound is 10 000', () => {
    const { cache } = setup();
    for (let i = 0; i < 10_000; i++) cache.add(new TestEntry('p', i));
    expectCode(() => cache.add(new TestEntry('p', 10_000)), 'REQUEST_CACHE_FULL');
    cache.clear();
  });
});

describe('RequestCache.clear', () => {
  it('cancels every timer without calling onTimeout and stays usable', () => {
    const { clock, cache } = setup();
    const entries = [new TestEntry('a', 1), new TestEntry('a', 2), new TestEntry('b', 1, 10.5)];
    for (const e of entries) cache.add(e);
    expect(clock.pending).toBe(3);
    cache.clear();
    expect(clock.pending).toBe(0);
    expect(cache.size).toBe(0);
    expect(cache.count('a')).toBe(0);
    clock.advance(60);
    expect(entries.map((e) => e.timeouts)).toEqual([0, 0, 0]);
    expect(cache.add(new TestEntry('a', 1))).toBeDefined();
    expect(clock.pending).toBe(1);
  });
});
