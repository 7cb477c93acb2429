/**
 * Sync filters captured on the wire between original Dispersy peers (test/vectors/wire, copied verbatim from
 * the shared vectors of the original implementation, wire/; the codec package holds the same files). Each introduction-request with sync carries
 * `bloom_filter_check`: the packets the sender put in the filter. Rebuilding a filter with the same size, functions
 * and prefix from exactly those packets must give the captured bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BloomFilter, SYNC_FILTER_ERROR_RATE, emptySyncFilter, syncFilterBits } from '../src/index.ts';
import { hex, toHex } from './helpers.ts';

interface WireVector {
  message: string;
  layout: { field: string; offset: number; length: number; hex: string }[];
  payload: {
    sync: boolean;
    bloom_filter: { bits_set: number; bytes_len: number; functions: number; prefix_hex: string; size_bits: number };
  };
  bloom_filter_check: {
    functions: number;
    prefix_hex: string;
    size_bits: number;
    rebuilt_from_those_packets_equals_captured_bytes: boolean;
    packets_in_filter: { packet_hex: string; message: string; global_time: number }[];
  };
}

const NAMES = [
  'v1-introduction-request-with-sync',
  'v1-introduction-request-with-sync-minimal',
  'v2-introduction-request-with-sync',
  'v2-introduction-request-with-sync-minimal',
];

/** Bytes of the introduction-request payload before the sync section (spec §2.5). */
const PLAIN_PAYLOAD = 21;

function load(name: string): WireVector {
  return JSON.parse(readFileSync(new URL(`./vectors/wire/${name}.json`, import.meta.url), 'utf8')) as WireVector;
}

/** Splits the sync section of the payload: time_low 8, time_high 8, modulo 2, offset 2, k 1, m 2, prefix 1, bytes. */
function syncSection(vector: WireVector): { functions: number; bits: number; prefix: Uint8Array; filter: Uint8Array } {
  const field = vector.layout.find((f) => f.field === 'payload');
  if (field === undefined) throw new Error('no payload in layout');
  const payload = hex(field.hex);
  const view = new DataView(payload.buffer, payload.byteOffset + PLAIN_PAYLOAD);
  return {
    functions: view.getUint8(20),
    bits: view.getUint16(21),
    prefix: payload.subarray(PLAIN_PAYLOAD + 23, PLAIN_PAYLOAD + 24),
    filter: payload.subarray(PLAIN_PAYLOAD + 24),
  };
}

describe.each(NAMES)('%s', (name) => {
  const vector = load(name);
  const check = vector.bloom_filter_check;
  const captured = syncSection(vector);

  it('the payload fields agree with the decoded description', () => {
    expect(vector.message).toBe('dispersy-introduction-request');
    expect(vector.payload.sync).toBe(true);
    expect(check.rebuilt_from_those_packets_equals_captured_bytes).toBe(true);
    expect(captured.functions).toBe(check.functions);
    expect(captured.bits).toBe(check.size_bits);
    expect(toHex(captured.prefix)).toBe(check.prefix_hex);
    expect(captured.filter.length * 8).toBe(captured.bits);
    expect(captured.filter.length).toBe(vector.payload.bloom_filter.bytes_len);
  });

  it('rebuilding from the packets in the filter gives the captured bytes', () => {
    const rebuilt = BloomFilter.fromBytes(new Uint8Array(captured.bits / 8), captured.functions, captured.prefix);
    const packets = check.packets_in_filter.map((p) => hex(p.packet_hex));
    rebuilt.addKeys(packets);
    expect(toHex(rebuilt.toBytes())).toBe(toHex(captured.filter));
    expect(rebuilt.countSetBits()).toBe(vector.payload.bloom_filter.bits_set);
  });

  it('the requester built it as fromBits(m, 0.01, prefix) (or the 8-bit empty filter)', () => {
    const built =
      captured.bits === 8
        ? emptySyncFilter()
        : BloomFilter.fromBits(captured.bits, SYNC_FILTER_ERROR_RATE, captured.prefix);
    expect(built.functions).toBe(captured.functions);
    built.addKeys(check.packets_in_filter.map((p) => hex(p.packet_hex)));
    expect(toHex(built.toBytes())).toBe(toHex(captured.filter));
    if (captured.bits !== 8) expect(captured.bits).toBe(syncFilterBits(64)); // curve25519: 64-byte signatures
  });

  it('a responder loading the captured filter skips exactly those packets', () => {
    const received = BloomFilter.fromBytes(captured.filter, captured.functions, captured.prefix, {
      bits: captured.bits,
    });
    const packets = check.packets_in_filter.map((p) => hex(p.packet_hex));
    expect([...received.notFilter(packets)]).toEqual([]);
  });
});
