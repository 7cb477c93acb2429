/**
 * Sizing sync filters so an introduction-request fits one datagram (spec §8.2), and the special filters Dispersy
 * sends.
 * @module
 */
import { BloomFilter } from './bloom-filter.ts';
import { assertBytes, assertInteger, describe } from './internal/assert.ts';
import { type FilterParameters, filterParameters } from './parameters.ts';

/** The MTU the original sizes for (`community.py`). */
export const DISPERSY_MTU = 1500;

/** The original's `dispersy_sync_bloom_filter_error_rate`. */
export const SYNC_FILTER_ERROR_RATE = 0.01;

/**
 * The largest filter an introduction-request can describe: the size field is a uint16 in bits (spec §2.5), and the
 * size must be a multiple of 8.
 */
export const WIRE_MAX_FILTER_BITS = 65_528;

/** Bytes of an introduction-request payload before the sync section (spec §2.5). */
export const INTRODUCTION_REQUEST_PAYLOAD_BYTES = 21;

/** Bytes of the sync section before the filter bytes: time_low 8, time_high 8, modulo 2, offset 2, k 1, m 2, prefix 1. */
export const SYNC_HEADER_BYTES = 24;

/**
 * The original's budget, byte by byte: MTU 1500 − IP header 60 (the IPv4 maximum) − UDP 8 − "dispersy header" 51
 * (22-byte prefix + message id + 20-byte mid + 8-byte global time) − signature − payload 21 − sync header estimate 30
 * (the real sync header is 24 bytes).
 */
const ORIGINAL_OVERHEAD = 60 + 8 + 51 + 21 + 30;

/**
 * The original's `dispersy_sync_bloom_filter_bits`: `(1500 − 60 − 8 − 51 − signatureLength − 21 − 30) · 8`.
 *
 * | signature length | m (bits) | bytes | k | capacity |
 * | --- | --- | --- | --- | --- |
 * | 42 | 10304 | 1288 | 7 | 1075 |
 * | 60 | 10160 | 1270 | 7 | 1059 |
 * | 64 | 10128 | 1266 | 7 | 1056 |
 * | 104 | 9808 | 1226 | 7 | 1023 |
 * | 144 | 9488 | 1186 | 7 | 989 |
 *
 * @param signatureLength the requester's signature length in bytes (a non-negative integer)
 * @returns m in bits
 * @throws TypeError when `signatureLength` is not an integer
 * @throws RangeError when it is negative or leaves no room for a filter byte
 * @example
 * ```ts
 * syncFilterBits(64); // 10128 (curve25519)
 * ```
 */
export function syncFilterBits(signatureLength: number): number {
  assertInteger(signatureLength, 'signatureLength');
  const bytes = DISPERSY_MTU - ORIGINAL_OVERHEAD - signatureLength;
  if (signatureLength < 0 || bytes < 1) {
    throw new RangeError(`signatureLength must be between 0 and ${DISPERSY_MTU - ORIGINAL_OVERHEAD - 1}, got ${signatureLength}`);
  }
  return bytes * 8;
}

/**
 * The full sync-filter parameters the original uses for a signature length (m from {@link syncFilterBits}, error
 * rate 0.01).
 * @param signatureLength the requester's signature length in bytes
 * @returns m, m/8, k, capacity and error rate
 * @throws TypeError / RangeError as {@link syncFilterBits}
 * @example
 * ```ts
 * syncFilterParameters(60); // { bits: 10160, bytes: 1270, functions: 7, capacity: 1059, errorRate: 0.01 }
 * ```
 */
export function syncFilterParameters(signatureLength: number): FilterParameters {
  return filterParameters(syncFilterBits(signatureLength), SYNC_FILTER_ERROR_RATE);
}

/** The datagram budget of one introduction-request, for {@link filterBitsForMtu}. All lengths are in bytes. */
export interface MtuBudget {
  /**
   * The path MTU.
   * @default 1500
   */
  readonly mtu?: number;
  /**
   * The IP header: 20 for IPv4 without options, 60 for the IPv4 maximum (what the original assumes), 40 for IPv6.
   * @default 60
   */
  readonly ipHeader?: number;
  /**
   * The UDP header.
   * @default 8
   */
  readonly udpHeader?: number;
  /**
   * Whether the 4-byte tunnel prefix `FF FF FF FF` precedes the packet (spec §2.1).
   * @default false
   */
  readonly tunnel?: boolean;
  /**
   * Dispersy version + community version + cid + message id.
   * @default 23
   */
  readonly headerLength?: number;
  /** The authentication section as encoded: 20 for a `sha1` mid, 2 + key length for `bin`. */
  readonly authenticationLength: number;
  /**
   * The resolution section (1 for DynamicResolution).
   * @default 0
   */
  readonly resolutionLength?: number;
  /**
   * The destination section.
   * @default 0
   */
  readonly destinationLength?: number;
  /**
   * The distribution section (DirectDistribution: the 8-byte global time).
   * @default 8
   */
  readonly distributionLength?: number;
  /**
   * The payload before the sync section (21; the discovery community's variant adds 21 more).
   * @default 21
   */
  readonly payloadLength?: number;
  /**
   * The sync section before the filter bytes.
   * @default 24
   */
  readonly syncHeaderLength?: number;
  /** The requester's signature length. */
  readonly signatureLength: number;
  /**
   * Never return more than this many bits.
   * @default 65528 (the wire's uint16 size field)
   */
  readonly maxBits?: number;
}

/**
 * The largest filter size m (a multiple of 8) for which an introduction-request with the real header,
 * authentication and signature lengths, the 21-byte payload, the 24-byte sync header and m/8 filter bytes fits the
 * MTU. Unlike {@link syncFilterBits} (the original's formula, with 6 bytes of slack), this counts every byte.
 *
 * @param budget the datagram budget; `authenticationLength` and `signatureLength` are required
 * @returns m in bits, at most `maxBits`
 * @throws TypeError when `budget` is not an object or a field has the wrong type
 * @throws RangeError when a length is negative, or nothing is left for one filter byte
 * @example
 * ```ts
 * // curve25519 member, v1 community (sha1 mid), worst-case IPv4 header
 * filterBitsForMtu({ authenticationLength: 20, signatureLength: 64 }); // 10176
 * ```
 */
export function filterBitsForMtu(budget: MtuBudget): number {
  if (typeof budget !== 'object' || budget === null) {
    throw new TypeError(`budget must be an object, got ${describe(budget)}`);
  }
  const {
    mtu = DISPERSY_MTU,
    ipHeader = 60,
    udpHeader = 8,
    tunnel = false,
    headerLength = 23,
    authenticationLength,
    resolutionLength = 0,
    destinationLength = 0,
    distributionLength = 8,
    payloadLength = INTRODUCTION_REQUEST_PAYLOAD_BYTES,
    syncHeaderLength = SYNC_HEADER_BYTES,
    signatureLength,
    maxBits = WIRE_MAX_FILTER_BITS,
  } = budget;
  if (typeof tunnel !== 'boolean') throw new TypeError(`budget.tunnel must be a boolean, got ${describe(tunnel)}`);
  const lengths = {
    mtu,
    ipHeader,
    udpHeader,
    headerLength,
    authenticationLength,
    resolutionLength,
    destinationLength,
    distributionLength,
    payloadLength,
    syncHeaderLength,
    signatureLength,
    maxBits,
  };
  for (const [name, value] of Object.entries(lengths)) {
    assertInteger(value, `budget.${name}`);
    if (value < 0) throw new RangeError(`budget.${name} must not be negative, got ${value}`);
  }
  if (maxBits < 8) throw new RangeError(`budget.maxBits must be at least 8, got ${maxBits}`);
  const overhead =
    ipHeader +
    udpHeader +
    (tunnel ? 4 : 0) +
    headerLength +
    authenticationLength +
    resolutionLength +
    destinationLength +
    distributionLength +
    payloadLength +
    syncHeaderLength +
    signatureLength;
  const available = mtu - overhead;
  if (available < 1) {
    throw new RangeError(`no room for a filter: the request takes ${overhead} bytes of the ${mtu}-byte MTU`);
  }
  return Math.min(available * 8, maxBits - (maxBits % 8));
}

/**
 * A new, empty sync filter as the original builds one for a requester with this signature length: m from
 * {@link syncFilterBits}, error rate 0.01, the given 1-byte prefix.
 * @param signatureLength the requester's signature length in bytes
 * @param prefix the salt; Dispersy draws one random byte per new filter
 * @returns an empty filter (for signature length 64: m 10128, k 7, capacity 1056, MD5)
 * @throws TypeError / RangeError on invalid arguments
 * @example
 * ```ts
 * const filter = createSyncFilter(64, crypto.getRandomValues(new Uint8Array(1)));
 * ```
 */
export function createSyncFilter(signatureLength: number, prefix: Uint8Array): BloomFilter {
  assertBytes(prefix, 'prefix');
  return BloomFilter.fromBits(syncFilterBits(signatureLength), SYNC_FILTER_ERROR_RATE, prefix);
}

/**
 * The "nothing to sync" filter: `BloomFilter(8, 0.1, prefix 0x00)` → m 8, k 6, the single byte `00` (spec §8.2).
 * Sent when no packet falls in the advertised range.
 * @returns a new empty 8-bit filter
 * @example
 * ```ts
 * emptySyncFilter().toBytes(); // Uint8Array [0]
 * ```
 */
export function emptySyncFilter(): BloomFilter {
  return BloomFilter.fromBits(8, 0.1, new Uint8Array([0x00]));
}
