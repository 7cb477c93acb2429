import { readFileSync } from 'node:fs';
import { test as propTest, fc } from '@fast-check/vitest';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { BloomFilter, capacityForBits, emptySyncFilter } from '../src/index.ts';
import { hex, setBits, toHex, utf8 } from './helpers.ts';

/** One entry of test/vectors/original-bloomfilter.json (copied from the shared vectors of the original implementation, bloom/). */
interface OriginalVector {
  constructor: 'bits' | 'capacity';
  requested_bits?: number;
  requested_capacity?: number;
  error_rate: number;
  prefix: string;
  bits: number;
  functions: number;
  capacity: number | null;
  items: string[];
  filter: string;
  probes: { item: string; contained: boolean }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/original-bloomfilter.json', import.meta.url), 'utf8'),
) as OriginalVector[];

function build(vector: OriginalVector): BloomFilter {
  const prefix = hex(vector.prefix);
  return vector.constructor === 'bits'
    ? BloomFilter.fromBits(vector.requested_bits as number, vector.error_rate, prefix)
    : BloomFilter.fromCapacity(vector.error_rate, vector.requested_capacity as number, prefix);
}

describe('original bloomfilter.py vectors (Python 2.7.18)', () => {
  it('has the expected number of entries', () => {
    expect(vectors).toHaveLength(39);
  });

  it.each(vectors.map((v, i) => [`#${i} ${v.constructor} p=${v.error_rate} m=${v.bits} k=${v.functions}`, v] as const))(
    '%s',
    (_name, vector) => {
      const filter = build(vector);
      expect(filter.bits).toBe(vector.bits);
      expect(filter.functions).toBe(vector.functions);
      expect(filter.errorRate).toBe(vector.error_rate);
      expect(filter.capacity).toBe(
        vector.constructor === 'capacity' ? vector.requested_capacity : capacityForBits(vector.bits, vector.error_rate),
      );
      expect(toHex(filter.prefix)).toBe(vector.prefix);

      const items = vector.items.map(hex);
      filter.addKeys(items);
      expect(toHex(filter.toBytes())).toBe(vector.filter);

      // one at a time gives the same bits
      const single = build(vector);
      for (const item of items) single.add(item);
      expect(toHex(single.bytes)).toBe(vector.filter);

      const probes = vector.probes.map((p) => hex(p.item));
      const expected = vector.probes.map((p) => p.contained);
      expect(probes.map((p) => filter.contains(p))).toEqual(expected);
      expect(filter.containsMany(probes)).toEqual(expected);
      expect([...filter.notFilter(probes)].map(toHex)).toEqual(
        vector.probes.filter((p) => !p.contained).map((p) => p.item),
      );

      // the same filter loaded from its wire bytes behaves identically
      const loaded = BloomFilter.fromBytes(hex(vector.filter), vector.functions, hex(vector.prefix), {
        bits: vector.bits,
      });
      expect(loaded.equals(filter)).toBe(true);
      expect(loaded.containsMany(probes)).toEqual(expected);
      expect(toHex(loaded.toBytes())).toBe(vector.filter);
    },
  );
});

describe('spec §18.1 table', () => {
  it('64 bits, 0.1, prefix "a", hello + world', () => {
    const filter = BloomFilter.fromBits(64, 0.1, utf8('a'));
    filter.add(utf8('hello')).add(utf8('world'));
    expect(filter.functions).toBe(4);
    expect(toHex(filter.toBytes())).toBe('1008801000015004');
    expect(filter.contains(utf8('hello'))).toBe(true);
    expect(filter.contains(utf8('world'))).toBe(true);
    expect(filter.contains(utf8('foo'))).toBe(false);
  });

  it('the empty sync filter: 8 bits, 0.1, prefix 0x00 → k 6, byte 00', () => {
    for (const filter of [BloomFilter.fromBits(8, 0.1, new Uint8Array([0])), emptySyncFilter()]) {
      expect(filter.bits).toBe(8);
      expect(filter.functions).toBe(6);
      expect(toHex(filter.prefix)).toBe('00');
      expect(toHex(filter.toBytes())).toBe('00');
    }
  });

  it('4096 bits, 0.001, prefix "x" → k 10', () => {
    expect(BloomFilter.fromBits(4096, 0.001, utf8('x')).functions).toBe(10);
  });

  it('(0.25, 142) → m 416, k 3', () => {
    const filter = BloomFilter.fromCapacity(0.25, 142);
    expect(filter.bits).toBe(416);
    expect(filter.functions).toBe(3);
    expect(filter.capacity).toBe(142);
  });

  it('1024 bits, 0.25 → k 3, capacity 354', () => {
    const filter = BloomFilter.fromBits(1024, 0.25);
    expect(filter.functions).toBe(3);
    expect(filter.capacity).toBe(354);
    expect(filter.capacityFor(0.25)).toBe(354);
  });

  it('10160 bits, 0.01, prefix 0x07, packet-one + packet-two → the 14 listed bits', () => {
    const filter = BloomFilter.fromBits(10160, 0.01, new Uint8Array([0x07]));
    expect(filter.functions).toBe(7);
    expect(filter.layout).toEqual({ chunkBytes: 2, bitsRequired: 112, algorithm: 'md5', digestBytes: 16 });
    filter.addKeys([utf8('packet-one'), utf8('packet-two')]);
    const bytes = filter.toBytes();
    expect(setBits(bytes)).toEqual([
      147, 1269, 3221, 3742, 4129, 4645, 6012, 6926, 7019, 7289, 7854, 8482, 8821, 10026,
    ]);
    const nonZero = Array.from(bytes.entries())
      .filter(([, b]) => b !== 0)
      .map(([i, b]) => `${i}:${b.toString(16).padStart(2, '0')}`);
    expect(nonZero).toEqual([
      '18:08', '158:20', '402:20', '467:40', '516:02', '580:20', '751:10',
      '865:40', '877:08', '911:02', '981:40', '1060:04', '1102:20', '1253:04',
    ]);
    expect(filter.countSetBits()).toBe(14);
  });

  it('MD5(0x07 ‖ "packet-one") → first chunk 0x9f53 → position 147', () => {
    const key = utf8('packet-one');
    expect(toHex(md5(new Uint8Array([0x07, ...key])))).toBe('9f53b0e583a5bb398e8c272a431bb27f');
    const filter = BloomFilter.fromBits(10160, 0.01, new Uint8Array([0x07]));
    expect(filter.positionsOf(key)[0]).toBe(0x9f53 % 10160);
    expect(filter.positionsOf(key)[0]).toBe(147);
  });
});

describe('BloomFilter API', () => {
  const prefix = new Uint8Array([0x32]);

  it('copies its inputs and outputs', () => {
    const source = new Uint8Array(8);
    const filter = BloomFilter.fromBytes(source, 3, prefix);
    source[0] = 0xff;
    prefix[0] = 0x33;
    expect(filter.toBytes()[0]).toBe(0);
    expect(filter.prefix[0]).toBe(0x32);
    prefix[0] = 0x32;
    filter.toBytes()[1] = 0xff;
    filter.bytes[1] = 0xff;
    filter.prefix[0] = 0xff;
    expect(filter.countSetBits()).toBe(0);
    expect(filter.prefix[0]).toBe(0x32);
  });

  it('reports unknown capacity and error rate for a loaded filter', () => {
    const filter = BloomFilter.fromBytes(new Uint8Array(1266), 7, prefix);
    expect(filter.bits).toBe(10128);
    expect(filter.capacity).toBeUndefined();
    expect(filter.errorRate).toBeUndefined();
    expect(filter.capacityFor(0.01)).toBe(1056);
  });

  it('clear, clone and equals', () => {
    const filter = BloomFilter.fromBits(1024, 0.01, prefix).add(utf8('a'));
    const copy = filter.clone();
    expect(copy.equals(filter)).toBe(true);
    expect(copy.capacity).toBe(filter.capacity);
    copy.add(utf8('b'));
    expect(copy.equals(filter)).toBe(false);
    expect(filter.contains(utf8('b'))).toBe(false);
    expect(copy.clear().countSetBits()).toBe(0);
    expect(filter.contains(utf8('a'))).toBe(true);
    expect(filter.equals(BloomFilter.fromBits(1024, 0.01, new Uint8Array([0x33])).add(utf8('a')))).toBe(false);
    expect(filter.equals({} as BloomFilter)).toBe(false);
  });

  it('notFilter takes rows with a key selector, like not_filter over (packet, …) tuples', () => {
    const filter = BloomFilter.fromBits(10128, 0.01, prefix);
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, packet: utf8(`packet-${i}`) }));
    filter.addKeys(rows.filter((r) => r.id % 2 === 0).map((r) => r.packet));
    const missing = [...filter.notFilter(rows, (r) => r.packet)].map((r) => r.id);
    expect(missing).toEqual(rows.filter((r) => !filter.contains(r.packet)).map((r) => r.id));
    expect(missing.every((id) => id % 2 === 1)).toBe(true);
  });

  it('notFilter is lazy', () => {
    const filter = BloomFilter.fromBits(1024, 0.01);
    let pulled = 0;
    function* keys(): Generator<Uint8Array> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield utf8(`k${i}`);
      }
    }
    const first = filter.notFilter(keys()).next();
    expect(first.done).toBe(false);
    expect(pulled).toBe(1);
  });

  it('produces k distinct positions for typical keys (no correlated indices)', () => {
    const filter = BloomFilter.fromBits(10128, 0.01, prefix);
    let distinct = 0;
    for (let i = 0; i < 1000; i++) {
      const positions = filter.positionsOf(utf8(`key ${i}`));
      expect(positions).toHaveLength(7);
      for (const p of positions) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(10128);
      }
      if (new Set(positions).size === 7) distinct++;
    }
    // P(all 7 distinct) = Π (1 − i/10128) ≈ 0.998; allow a few collisions
    expect(distinct).toBeGreaterThan(990);
  });

  it('hashes long keys and a 255-byte prefix (scratch growth)', () => {
    const longPrefix = new Uint8Array(255).fill(7);
    const filter = BloomFilter.fromBits(4096, 0.01, longPrefix);
    const small = utf8('x');
    const big = new Uint8Array(100_000).fill(1);
    const medium = new Uint8Array(3000).fill(2);
    filter.addKeys([small, big, medium]);
    expect(filter.containsMany([small, big, medium])).toEqual([true, true, true]);
    expect(filter.contains(new Uint8Array(100_000).fill(3))).toBe(false);
    const reference = BloomFilter.fromBits(4096, 0.01, longPrefix).add(medium).add(big).add(small);
    expect(reference.equals(filter)).toBe(true);
  });

  it('hashes an empty key', () => {
    const filter = BloomFilter.fromBits(64, 0.1, utf8('a')).add(new Uint8Array(0));
    expect(filter.contains(new Uint8Array(0))).toBe(true);
  });
});

/**
 * An independent model of the original: the filter is one big integer, `filter |= 1 << (chunk % m)`, serialised by
 * reversing its hex, with digests from @noble/hashes and chunks read with DataView. Shares no code with src/.
 */
function referenceBytes(bits: number, functions: number, prefix: Uint8Array, keys: Uint8Array[]): string {
  const chunk = bits >= 2 ** 31 ? 8 : bits >= 2 ** 15 ? 4 : 2;
  const needed = chunk * 8 * functions;
  const hash =
    needed > 384 ? sha512 : needed > 256 ? sha384 : needed > 160 ? sha256 : needed > 128 ? sha1 : md5;
  let filter = 0n;
  for (const key of keys) {
    const message = new Uint8Array(prefix.length + key.length);
    message.set(prefix);
    message.set(key, prefix.length);
    const view = new DataView(hash(message).buffer);
    for (let i = 0; i < functions; i++) {
      const value =
        chunk === 2
          ? BigInt(view.getUint16(2 * i))
          : chunk === 4
            ? BigInt(view.getUint32(4 * i))
            : view.getBigUint64(8 * i);
      filter |= 1n << (value % BigInt(bits));
    }
  }
  const text = filter.toString(16).padStart(bits / 4, '0');
  let out = '';
  for (let i = text.length - 2; i >= 0; i -= 2) out += text.slice(i, i + 2);
  return out;
}

describe('properties', () => {
  const sizes = fc.oneof(
    fc.integer({ min: 1, max: 512 }).map((n) => n * 8),
    fc.constantFrom(10128, 10160, 32760, 32768, 65536, 100_000),
  );
  const errorRates = fc.constantFrom(0.5, 0.25, 0.1, 0.05, 0.01, 0.001);
  const prefixes = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 1 }), fc.uint8Array({ maxLength: 255 }));
  const keyList = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 60 });

  /** fromBits for the generated parameters, or null when they are invalid (m too small for p). */
  function tryFromBits(bits: number, errorRate: number, prefix: Uint8Array): BloomFilter | null {
    try {
      return BloomFilter.fromBits(bits, errorRate, prefix);
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
  }

  propTest.prop([sizes, errorRates, prefixes, keyList])('no false negatives, ever', (bits, p, prefix, keys) => {
    const filter = tryFromBits(bits, p, prefix);
    fc.pre(filter !== null);
    if (filter === null) return;
    filter.addKeys(keys);
    for (const key of keys) expect(filter.contains(key)).toBe(true);
    expect(filter.containsMany(keys).every(Boolean)).toBe(true);
    expect([...filter.notFilter(keys)]).toEqual([]);
  });

  propTest.prop([sizes, errorRates, prefixes, keyList, keyList])(
    'notFilter yields exactly the keys contains() rejects, in order',
    (bits, p, prefix, added, probes) => {
      const filter = tryFromBits(bits, p, prefix);
      fc.pre(filter !== null);
      if (filter === null) return;
      filter.addKeys(added);
      const verdicts = probes.map((key) => filter.contains(key));
      expect(filter.containsMany(probes)).toEqual(verdicts);
      expect([...filter.notFilter(probes)]).toEqual(probes.filter((_, i) => !verdicts[i]));
    },
  );

  propTest.prop([sizes, errorRates, prefixes, keyList])(
    'matches an independent big-integer model of the original, and survives a wire round trip',
    (bits, p, prefix, keys) => {
      const filter = tryFromBits(bits, p, prefix);
      fc.pre(filter !== null);
      if (filter === null) return;
      filter.addKeys(keys);
      expect(toHex(filter.toBytes())).toBe(referenceBytes(bits, filter.functions, prefix, keys));
      const loaded = BloomFilter.fromBytes(filter.toBytes(), filter.functions, prefix, { bits });
      expect(loaded.equals(filter)).toBe(true);
      expect(loaded.containsMany(keys).every(Boolean)).toBe(true);
    },
  );

  propTest.prop([fc.integer({ min: 1, max: 64 }).map((n) => n * 8), fc.integer({ min: 1, max: 32 }), keyList])(
    'any loaded filter agrees with the model for any valid k (2-byte chunks)',
    (bits, k, keys) => {
      fc.pre(k <= bits);
      const filter = BloomFilter.fromBytes(new Uint8Array(bits / 8), k, new Uint8Array([9])).addKeys(keys);
      expect(toHex(filter.toBytes())).toBe(referenceBytes(bits, k, new Uint8Array([9]), keys));
    },
  );
});
