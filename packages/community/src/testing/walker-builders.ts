/**
 * Builders of walker and sync requests for tests, like the original DebugNode's `create_introduction_request`
 * (with the test filter `BloomFilter(4096 bits, 0.001, prefix 'x')`, k = 10, spec §14) and
 * `create_missing_sequence`. The messages are encoded and signed by the node but neither stored nor sent.
 */
import { BloomFilter } from '@dispersy/bloom';
import type { ConnectionType, IntroductionRequestPayload, MissingSequencePayload } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { Address } from '@dispersy/interfaces';
import type { Message } from '../message.ts';
import type { DebugNode } from './debug-node.ts';

/** Size of the test nodes' sync filter in bits. */
export const TEST_SYNC_FILTER_BITS = 4096;
/** Error rate of the test nodes' sync filter. */
export const TEST_SYNC_FILTER_ERROR_RATE = 0.001;
/** Prefix of the test nodes' sync filter: `'x'`. */
export const TEST_SYNC_FILTER_PREFIX: Uint8Array = Uint8Array.of(0x78);

/**
 * The original test nodes' sync filter, holding `packets`.
 * @param packets the packets the requester claims to have
 * @returns `BloomFilter(4096, 0.001, 'x')` (k = 10) with the packets added
 * @example `testSyncFilter([message.packet]).contains(message.packet) // true`
 */
export function testSyncFilter(packets: readonly Uint8Array[] = []): BloomFilter {
  return BloomFilter.fromBits(TEST_SYNC_FILTER_BITS, TEST_SYNC_FILTER_ERROR_RATE, TEST_SYNC_FILTER_PREFIX).addKeys(packets);
}

/** The sync section of a test introduction-request (the original's `(time_low, time_high, modulo, offset, packets)`). */
export interface TestSync {
  readonly timeLow: number;
  /** 0: up to the responder's global time. */
  readonly timeHigh: number;
  /** @default 1 */
  readonly modulo?: number;
  /** @default 0 */
  readonly offset?: number;
  /** Packets put in the {@link testSyncFilter}. @default [] */
  readonly packets?: readonly Uint8Array[];
  /** Use this filter instead of {@link testSyncFilter}. */
  readonly filter?: BloomFilter;
}

/** Options of {@link buildIntroductionRequest}. */
export interface IntroductionRequestBuildOptions {
  /** @default the node's address */
  readonly sourceLan?: Address;
  /** @default the node's address */
  readonly sourceWan?: Address;
  /** @default true */
  readonly advice?: boolean;
  /** @default 'unknown' */
  readonly connectionType?: ConnectionType;
  /** A sync section (none by default). */
  readonly sync?: TestSync;
  /** @default 42 */
  readonly identifier?: number;
  /** @default the node's current global time */
  readonly globalTime?: number;
}

/**
 * Builds a dispersy-introduction-request signed by `node` (not sent).
 * @param node the requester
 * @param destination the node (or address) it is addressed to
 * @param options addresses, advice, connection type, sync, identifier, global time
 * @returns the message
 * @example `other.giveMessage(buildIntroductionRequest(node, other, { sync: { timeLow: 1, timeHigh: 0 } }), node)`
 */
export function buildIntroductionRequest(
  node: DebugNode,
  destination: DebugNode | Address,
  options: IntroductionRequestBuildOptions = {},
): Message<IntroductionRequestPayload> {
  const sync = options.sync;
  const filter = sync === undefined ? undefined : (sync.filter ?? testSyncFilter(sync.packets));
  const payload: IntroductionRequestPayload = {
    destinationAddress: 'address' in destination ? destination.address : destination,
    sourceLanAddress: options.sourceLan ?? node.address,
    sourceWanAddress: options.sourceWan ?? node.address,
    advice: options.advice ?? true,
    connectionType: options.connectionType ?? 'unknown',
    identifier: options.identifier ?? 42,
    sync:
      sync === undefined || filter === undefined
        ? undefined
        : {
            timeLow: sync.timeLow,
            timeHigh: sync.timeHigh,
            modulo: sync.modulo ?? 1,
            offset: sync.offset ?? 0,
            bloom: { functions: filter.functions, prefix: filter.prefix[0] ?? 0, bytes: filter.toBytes() },
          },
  };
  return node.build<IntroductionRequestPayload>('dispersy-introduction-request', payload, { globalTime: options.globalTime ?? node.community.globalTime });
}

/**
 * Builds a dispersy-missing-sequence request from `node` (not sent): "send me `member`'s `meta` messages with
 * sequence numbers low..high".
 * @param node the requester
 * @param member whose messages (a node or its key)
 * @param meta the meta name
 * @param low first sequence number
 * @param high last sequence number
 * @returns the message
 * @example `other.giveMessage(buildMissingSequence(node, other, 'sequence-text', 1, 4), node, { cache: true })`
 */
export function buildMissingSequence(node: DebugNode, member: DebugNode | PublicKey, meta: string, low: number, high: number): Message<MissingSequencePayload> {
  const key = 'publicKey' in member ? member.publicKey : member;
  return node.build<MissingSequencePayload>('dispersy-missing-sequence', { member: key, meta, missingLow: low, missingHigh: high }, { globalTime: node.community.globalTime });
}
