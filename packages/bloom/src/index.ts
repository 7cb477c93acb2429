/**
 * The Dispersy Bloom filter, bit for bit: the same parameters, hashing and byte order as the original
 * `bloomfilter.py`, plus the MTU sizing of sync filters (spec §8.1–8.2).
 *
 * @example
 * ```ts
 * import { BloomFilter, syncFilterBits } from '@dispersy/bloom';
 *
 * const filter = BloomFilter.fromBits(syncFilterBits(64), 0.01, new Uint8Array([0x32])); // m 10128, k 7
 * filter.addKeys(packets);
 * const wire = filter.toBytes(); // 1266 bytes, wire order
 *
 * const received = BloomFilter.fromBytes(wire, filter.functions, filter.prefix, { bits: 10128 });
 * for (const missing of received.notFilter(myPackets)) send(missing);
 * ```
 * @packageDocumentation
 */
export { BloomFilter, MAX_PREFIX_BYTES, type FromBytesOptions } from './bloom-filter.ts';
export { BloomError, MAX_FILTER_BITS, type BloomErrorCode } from './errors.ts';
export {
  KeyHasher,
  MAX_HASH_BITS,
  chunkBytesFor,
  digestAlgorithmFor,
  hashLayout,
  type ChunkBytes,
  type DigestAlgorithm,
  type DigestBackend,
  type HashLayout,
} from './hashing.ts';
export {
  bitsForCapacity,
  capacityForBits,
  filterParameters,
  functionsFor,
  type FilterParameters,
} from './parameters.ts';
export {
  DISPERSY_MTU,
  INTRODUCTION_REQUEST_PAYLOAD_BYTES,
  SYNC_FILTER_ERROR_RATE,
  SYNC_HEADER_BYTES,
  WIRE_MAX_FILTER_BITS,
  createSyncFilter,
  emptySyncFilter,
  filterBitsForMtu,
  syncFilterBits,
  syncFilterParameters,
  type MtuBudget,
} from './sizing.ts';
