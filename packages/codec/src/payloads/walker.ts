/**
 * Payloads of the candidate walker's four messages (spec §2.5, §7): introduction-request (with the optional
 * Bloom-filter sync range), introduction-response, puncture-request and puncture. Addresses are 6 bytes.
 */
import { address, assertAddress, type Address } from '../address.ts';
import { assertBoolean, assertBytes, assertInteger, assertObject, assertOneOf } from '../internal/assert.ts';
import type { PayloadCodec } from '../payload.ts';
import type { Reader } from '../reader.ts';
import type { Writer } from '../writer.ts';

/** A peer's NAT situation as the flags byte's bits 6–7 carry it: 0x00, 0x80, 0xC0 (0x40 is invalid). */
export type ConnectionType = 'unknown' | 'public' | 'symmetric-NAT';

const CONNECTION_BITS: Record<ConnectionType, number> = { unknown: 0x00, public: 0x80, 'symmetric-NAT': 0xc0 };
const CONNECTION_TYPES = ['unknown', 'public', 'symmetric-NAT'] as const;

function readConnectionType(r: Reader, flags: number): ConnectionType {
  const bits = flags & 0xc0;
  if (bits === 0x40) {
    r.pos--;
    r.fail('INVALID_FIELD', 'connection type 0x40 is invalid');
  }
  return bits === 0x80 ? 'public' : bits === 0xc0 ? 'symmetric-NAT' : 'unknown';
}

/** The Bloom filter of a sync request, as bytes (the codec does not interpret it; see @dispersy/bloom). */
export interface SyncBloomFilter {
  /** Number of hash functions k, 1..255. */
  readonly functions: number;
  /** The salt byte prefixed to every hashed packet. */
  readonly prefix: number;
  /** The filter bits, m/8 bytes (1..8191); m = `bytes.length * 8`. */
  readonly bytes: Uint8Array;
}

/** The sync part of an introduction-request: which stored messages the requester offers in its filter. */
export interface SyncRange {
  /** First global time of the range, > 0. */
  readonly timeLow: number;
  /** Last global time, ≥ timeLow, or 0 for "up to the responder's global time". */
  readonly timeHigh: number;
  /** > 0; with `offset`, selects messages with (gt + offset) % modulo == 0. */
  readonly modulo: number;
  /** 0 ≤ offset < modulo. */
  readonly offset: number;
  readonly bloom: SyncBloomFilter;
}

/** dispersy-introduction-request (id 246). */
export interface IntroductionRequestPayload {
  /** Where the request is sent (the receiver's address as the sender sees it). */
  readonly destinationAddress: Address;
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  /** Flag 0x01: the requester wants an introduction. */
  readonly advice: boolean;
  readonly connectionType: ConnectionType;
  /** The requester's request-cache number, echoed in the response, puncture-request and puncture. */
  readonly identifier: number;
  /** Flag 0x02: present iff the request carries a sync range. */
  readonly sync?: SyncRange | undefined;
}

function checkSync(sync: unknown): asserts sync is SyncRange {
  assertObject(sync, 'sync');
  assertInteger(sync.timeLow, 'sync.timeLow', 1, Number.MAX_SAFE_INTEGER);
  assertInteger(sync.timeHigh, 'sync.timeHigh', 0, Number.MAX_SAFE_INTEGER);
  if (sync.timeHigh !== 0 && sync.timeHigh < sync.timeLow) throw new RangeError('sync.timeHigh must be 0 or ≥ timeLow');
  assertInteger(sync.modulo, 'sync.modulo', 1, 0xffff);
  assertInteger(sync.offset, 'sync.offset', 0, sync.modulo - 1);
  assertObject(sync.bloom, 'sync.bloom');
  assertInteger(sync.bloom.functions, 'sync.bloom.functions', 1, 255);
  assertInteger(sync.bloom.prefix, 'sync.bloom.prefix', 0, 255);
  assertBytes(sync.bloom.bytes, 'sync.bloom.bytes');
  assertInteger(sync.bloom.bytes.length, 'sync.bloom.bytes.length', 1, 8191);
}

function checkAddresses(value: Record<string, unknown>, names: readonly string[]): void {
  for (const n of names) assertAddress(value[n], n);
}

const REQUEST_ADDRESSES = ['destinationAddress', 'sourceLanAddress', 'sourceWanAddress'] as const;

function writeAddresses(w: Writer, value: Record<string, unknown>, names: readonly string[]): void {
  for (const n of names) address.encode(w, value[n] as Address);
}

/**
 * The introduction-request payload codec. Decode checks (spec §2.5): connection type 0x40 → INVALID_FIELD; with
 * the sync flag: time_low > 0, time_high 0 or ≥ time_low, modulo > 0, offset < modulo, k > 0, m > 0 and a multiple
 * of 8 (INVALID_FIELD), and the filter bytes exactly the rest of the payload (TRUNCATED / TRAILING_BYTES).
 * Flag bits 2–5 are ignored.
 * @example `conversion.encode('dispersy-introduction-request', { signer, globalTime, payload })`
 */
export const introductionRequestPayload: PayloadCodec<IntroductionRequestPayload> = {
  size(value) {
    assertObject(value, 'payload');
    checkAddresses(value, REQUEST_ADDRESSES);
    assertBoolean(value.advice, 'advice');
    assertOneOf(value.connectionType, 'connectionType', CONNECTION_TYPES);
    assertInteger(value.identifier, 'identifier', 0, 0xffff);
    if (value.sync === undefined) return 21;
    checkSync(value.sync);
    return 21 + 24 + value.sync.bloom.bytes.length;
  },
  encode(w, value) {
    writeAddresses(w, value as unknown as Record<string, unknown>, REQUEST_ADDRESSES);
    const sync = value.sync;
    w.u8((value.advice ? 0x01 : 0) | (sync === undefined ? 0 : 0x02) | CONNECTION_BITS[value.connectionType]);
    w.u16(value.identifier);
    if (sync === undefined) return;
    w.u64(sync.timeLow);
    w.u64(sync.timeHigh);
    w.u16(sync.modulo);
    w.u16(sync.offset);
    w.u8(sync.bloom.functions);
    w.u16(sync.bloom.bytes.length * 8);
    w.u8(sync.bloom.prefix);
    w.bytes(sync.bloom.bytes);
  },
  decode(r) {
    const destinationAddress = address.decode(r);
    const sourceLanAddress = address.decode(r);
    const sourceWanAddress = address.decode(r);
    const flags = r.u8('flags');
    const connectionType = readConnectionType(r, flags);
    const identifier = r.u16('identifier');
    const base = { destinationAddress, sourceLanAddress, sourceWanAddress, advice: (flags & 0x01) !== 0, connectionType, identifier };
    if ((flags & 0x02) === 0) return { ...base, sync: undefined };
    const at = r.pos;
    const timeLow = r.u64('time_low');
    const timeHigh = r.u64('time_high');
    const modulo = r.u16('modulo');
    const offset = r.u16('offset');
    const functions = r.u8('functions');
    const bits = r.u16('bloom size');
    const prefix = r.u8('bloom prefix');
    const invalid = (why: string): never => {
      r.pos = at;
      return r.fail('INVALID_FIELD', why);
    };
    if (timeLow === 0) invalid('time_low must be > 0');
    if (timeHigh !== 0 && timeHigh < timeLow) invalid('time_high must be 0 or ≥ time_low');
    if (modulo === 0) invalid('modulo must be > 0');
    if (offset >= modulo) invalid('offset must be < modulo');
    if (functions === 0) invalid('the Bloom filter needs at least one function');
    if (bits === 0 || bits % 8 !== 0) invalid('the Bloom filter size must be a non-zero multiple of 8 bits');
    const bytes = r.bytes(bits / 8, 'bloom filter');
    return { ...base, sync: { timeLow, timeHigh, modulo, offset, bloom: { functions, prefix, bytes } } };
  },
};

/** dispersy-introduction-response (id 245), 33 bytes. */
export interface IntroductionResponsePayload {
  /** The requester's address as the responder sees it. */
  readonly destinationAddress: Address;
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  /** The introduced peer's LAN address, or `0.0.0.0:0` when nobody is introduced. */
  readonly lanIntroductionAddress: Address;
  /** The introduced peer's WAN address, or `0.0.0.0:0`. */
  readonly wanIntroductionAddress: Address;
  /** The responder's connection type (bits 6–7). */
  readonly connectionType: ConnectionType;
  /** Flag 0x04: the introduced peer is tunnelled. */
  readonly tunnel: boolean;
  readonly identifier: number;
}

const RESPONSE_ADDRESSES = [
  'destinationAddress',
  'sourceLanAddress',
  'sourceWanAddress',
  'lanIntroductionAddress',
  'wanIntroductionAddress',
] as const;

/**
 * The introduction-response payload codec. Decode check: connection type 0x40 → INVALID_FIELD (as for the
 * request); the advice/sync bits and bits 3–5 are ignored.
 * @example `conversion.encode('dispersy-introduction-response', { signer, globalTime, payload })`
 */
export const introductionResponsePayload: PayloadCodec<IntroductionResponsePayload> = {
  size(value) {
    assertObject(value, 'payload');
    checkAddresses(value, RESPONSE_ADDRESSES);
    assertOneOf(value.connectionType, 'connectionType', CONNECTION_TYPES);
    assertBoolean(value.tunnel, 'tunnel');
    assertInteger(value.identifier, 'identifier', 0, 0xffff);
    return 33;
  },
  encode(w, value) {
    writeAddresses(w, value as unknown as Record<string, unknown>, RESPONSE_ADDRESSES);
    w.u8((value.tunnel ? 0x04 : 0) | CONNECTION_BITS[value.connectionType]);
    w.u16(value.identifier);
  },
  decode(r) {
    const destinationAddress = address.decode(r);
    const sourceLanAddress = address.decode(r);
    const sourceWanAddress = address.decode(r);
    const lanIntroductionAddress = address.decode(r);
    const wanIntroductionAddress = address.decode(r);
    const flags = r.u8('flags');
    const connectionType = readConnectionType(r, flags);
    return {
      destinationAddress,
      sourceLanAddress,
      sourceWanAddress,
      lanIntroductionAddress,
      wanIntroductionAddress,
      connectionType,
      tunnel: (flags & 0x04) !== 0,
      identifier: r.u16('identifier'),
    };
  },
};

/** dispersy-puncture-request (id 250), 14 bytes: asks the receiver to puncture towards a walker. */
export interface PunctureRequestPayload {
  readonly lanWalkerAddress: Address;
  readonly wanWalkerAddress: Address;
  readonly identifier: number;
}

/** dispersy-puncture (id 249), 14 bytes: opens the NAT towards the walker. */
export interface PuncturePayload {
  readonly sourceLanAddress: Address;
  readonly sourceWanAddress: Address;
  readonly identifier: number;
}

function twoAddressPayload<K1 extends string, K2 extends string>(
  first: K1,
  second: K2,
): PayloadCodec<Record<K1 | K2, Address> & { readonly identifier: number }> {
  return {
    size(value) {
      assertObject(value, 'payload');
      checkAddresses(value, [first, second]);
      assertInteger(value.identifier, 'identifier', 0, 0xffff);
      return 14;
    },
    encode(w, value) {
      address.encode(w, value[first]);
      address.encode(w, value[second]);
      w.u16(value.identifier);
    },
    decode(r) {
      const a = address.decode(r);
      const b = address.decode(r);
      return { [first]: a, [second]: b, identifier: r.u16('identifier') } as Record<K1 | K2, Address> & { identifier: number };
    },
  };
}

/** The puncture-request payload codec (no decode checks beyond the sizes). @example `payload: { lanWalkerAddress, wanWalkerAddress, identifier }` */
export const punctureRequestPayload: PayloadCodec<PunctureRequestPayload> = twoAddressPayload('lanWalkerAddress', 'wanWalkerAddress');

/** The puncture payload codec (no decode checks beyond the sizes). @example `payload: { sourceLanAddress, sourceWanAddress, identifier }` */
export const puncturePayload: PayloadCodec<PuncturePayload> = twoAddressPayload('sourceLanAddress', 'sourceWanAddress');
