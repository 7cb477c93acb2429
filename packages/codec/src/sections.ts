/**
 * The fixed-size policy sections between authentication and payload (spec §2.3), in wire order: resolution
 * (DynamicResolution: 1-byte policy index), destination (NHop: 1 signed depth byte — destination comes *before*
 * distribution), distribution (uint64 global time, plus uint32 sequence number for FullSync with sequence
 * numbers).
 *
 * Decode checks: a policy index ≥ the number of policies is `BAD_RESOLUTION` (the original lets index == count
 * through and crashes: quirk 12, fixed); a global time of 0 is `ZERO_GLOBAL_TIME` for *every* distribution
 * (the original accepts 0 for DirectDistribution: quirk 13, fixed); a sequence number of 0 is
 * `ZERO_SEQUENCE_NUMBER`.
 */
import type { Destination, Distribution, Resolution } from './policies.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';
import { assertInteger } from './internal/assert.ts';

/** Size of the resolution section: 1 for DynamicResolution, else 0. */
export function resolutionSize(resolution: Resolution): number {
  return resolution.kind === 'dynamic' ? 1 : 0;
}

/** Size of the destination section: 1 for NHop, else 0. */
export function destinationSize(destination: Destination): number {
  return destination.kind === 'nhop' ? 1 : 0;
}

/** Size of the distribution section: 12 for FullSync with sequence numbers, else 8. */
export function distributionSize(distribution: Distribution): number {
  return distribution.kind === 'full-sync' && distribution.sequenceNumbers ? 12 : 8;
}

/** The section values of one message, validated for its meta. */
export interface SectionValues {
  readonly resolutionIndex: number | undefined;
  readonly depth: number | undefined;
  readonly globalTime: number;
  readonly sequenceNumber: number | undefined;
}

/**
 * Validates and completes the section values an encoder was given for a meta.
 * @param resolution the meta's resolution
 * @param destination the meta's destination
 * @param distribution the meta's distribution
 * @param input the caller's values
 * @returns the values to write (defaults filled in)
 * @throws TypeError / RangeError for a missing, superfluous or out-of-range value
 * @example `sectionValues(meta.resolution, meta.destination, meta.distribution, { globalTime: 5 })`
 */
export function sectionValues(
  resolution: Resolution,
  destination: Destination,
  distribution: Distribution,
  input: { resolutionIndex?: unknown; depth?: unknown; globalTime?: unknown; sequenceNumber?: unknown },
): SectionValues {
  let resolutionIndex: number | undefined;
  if (resolution.kind === 'dynamic') {
    resolutionIndex = (input.resolutionIndex ?? 0) as number;
    assertInteger(resolutionIndex, 'resolutionIndex', 0, resolution.policies.length - 1);
  } else if (input.resolutionIndex !== undefined) {
    throw new TypeError('resolutionIndex is only for DynamicResolution');
  }
  let depth: number | undefined;
  if (destination.kind === 'nhop') {
    depth = (input.depth ?? destination.depth) as number;
    assertInteger(depth, 'depth', -128, 127);
  } else if (input.depth !== undefined) {
    throw new TypeError('depth is only for an NHop destination');
  }
  assertInteger(input.globalTime, 'globalTime', 1, Number.MAX_SAFE_INTEGER);
  let sequenceNumber: number | undefined;
  if (distribution.kind === 'full-sync' && distribution.sequenceNumbers) {
    assertInteger(input.sequenceNumber, 'sequenceNumber', 1, 0xffff_ffff);
    sequenceNumber = input.sequenceNumber;
  } else if (input.sequenceNumber !== undefined) {
    throw new TypeError('sequenceNumber is only for FullSync with sequence numbers');
  }
  return { resolutionIndex, depth, globalTime: input.globalTime, sequenceNumber };
}

/**
 * Writes the resolution, destination and distribution sections.
 * @param w the writer
 * @param v validated values from {@link sectionValues}
 */
export function writeSections(w: Writer, v: SectionValues): void {
  if (v.resolutionIndex !== undefined) w.u8(v.resolutionIndex, 'resolutionIndex');
  if (v.depth !== undefined) w.i8(v.depth, 'depth');
  w.u64(v.globalTime, 'globalTime');
  if (v.sequenceNumber !== undefined) w.u32(v.sequenceNumber, 'sequenceNumber');
}

/**
 * Reads the DynamicResolution index.
 * @param r the reader
 * @param resolution the meta's resolution
 * @returns the index, or `undefined` for Public/Linear
 * @throws DecodeError TRUNCATED, or BAD_RESOLUTION if the index is not below the number of policies
 */
export function readResolution(r: Reader, resolution: Resolution): number | undefined {
  if (resolution.kind !== 'dynamic') return undefined;
  const index = r.u8('resolution index');
  if (index >= resolution.policies.length) {
    r.pos--;
    r.fail('BAD_RESOLUTION', `resolution index ${index} is not below the ${resolution.policies.length} policies`);
  }
  return index;
}

/**
 * Reads the NHop depth byte.
 * @param r the reader
 * @param destination the meta's destination
 * @returns the signed depth, or `undefined` for other destinations
 * @throws DecodeError TRUNCATED
 */
export function readDestination(r: Reader, destination: Destination): number | undefined {
  return destination.kind === 'nhop' ? r.i8('depth') : undefined;
}

/**
 * Reads the global time of the distribution section.
 * @param r the reader
 * @returns the global time (> 0)
 * @throws DecodeError TRUNCATED, UNSAFE_INTEGER or ZERO_GLOBAL_TIME
 */
export function readGlobalTime(r: Reader): number {
  const globalTime = r.u64('global time');
  if (globalTime === 0) {
    r.pos -= 8;
    r.fail('ZERO_GLOBAL_TIME', 'global time must be > 0');
  }
  return globalTime;
}

/**
 * Reads the sequence number of a FullSync distribution with sequence numbers.
 * @param r the reader
 * @returns the sequence number (> 0)
 * @throws DecodeError TRUNCATED or ZERO_SEQUENCE_NUMBER
 */
export function readSequenceNumber(r: Reader): number {
  const seq = r.u32('sequence number');
  if (seq === 0) {
    r.pos -= 4;
    r.fail('ZERO_SEQUENCE_NUMBER', 'sequence number must be > 0');
  }
  return seq;
}
