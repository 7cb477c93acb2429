/**
 * Benchmarks of the sync-filter hot paths (run with `npx vitest bench --run` in this package). Fixtures are
 * deterministic: packets of 180–220 bytes derived from SHA-512 of a counter.
 */
import { createHash } from 'node:crypto';
import { bench, describe } from 'vitest';
import { BloomFilter, syncFilterBits } from '../src/index.ts';

function packet(i: number): Uint8Array {
  const out = new Uint8Array(180 + (i % 41));
  for (let off = 0, block = 0; off < out.length; off += 64, block++) {
    out.set(createHash('sha512').update(`packet ${i} ${block}`).digest().subarray(0, out.length - off), off);
  }
  return out;
}

const BITS = syncFilterBits(64); // 10128 bits, k = 7, capacity 1056, MD5
const PREFIX = new Uint8Array([0x32]);
const PACKETS = Array.from({ length: 1056 }, (_, i) => packet(i));
const PROBES = Array.from({ length: 1056 }, (_, i) => packet(1_000_000 + i));
const FULL = BloomFilter.fromBits(BITS, 0.01, PREFIX).addKeys(PACKETS);
const WIRE = FULL.toBytes();

describe('sync filter (m 10128, k 7)', () => {
  bench('build: fromBits + addKeys(1056 packets)', () => {
    BloomFilter.fromBits(BITS, 0.01, PREFIX).addKeys(PACKETS);
  });

  bench('contains × 1056 (absent)', () => {
    for (const key of PROBES) FULL.contains(key);
  });

  bench('notFilter over 1056 present packets', () => {
    for (const _ of FULL.notFilter(PACKETS)) {
      // drain
    }
  });

  bench('fromBytes(1266 bytes) + toBytes', () => {
    BloomFilter.fromBytes(WIRE, 7, PREFIX, { bits: BITS }).toBytes();
  });
});
