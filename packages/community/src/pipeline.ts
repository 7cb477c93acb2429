/**
 * The first half of the incoming pipeline (spec §12.2 steps 2–3, architecture.md "How a packet flows"): group
 * packets by (community version, message id), find the conversion and the meta, keep batched metas for their
 * window, decode without verifying (an unknown sha1 member delays the PACKET and asks the sender for the
 * identity, once), verify the signatures — inline, or as one batch through the node's verification pool — and hand
 * the valid messages to {@link onMessages}.
 *
 * Nothing from the network throws out of here: decode errors are drops counted by their code, anything else is a
 * counted `decode_failed` / `verify_failed` drop — except in the node's fragile mode, which rethrows unexpected
 * (non-DecodeError) exceptions so bugs surface in tests.
 */
import { conversionForPacket, DecodeError, HEADER_LENGTH, MissingMemberError, type Conversion } from '@dispersy/codec';
import type { PacketSource } from '@dispersy/interfaces';
import { sendRequest } from './builtins/requests.ts';
import type { Community } from './community.ts';
import { allSignatureChecks, verifyAllSignatures } from './embedded-signatures.ts';
import { toMessage, type Message } from './message.ts';
import { onMessages } from './pipeline-messages.ts';
import type { BatchItem } from './pipeline-support.ts';
import type { DropStage } from './statistics.ts';

/** A received packet (tunnel prefix already stripped) and where it came from. */
export interface IncomingPacket {
  readonly packet: Uint8Array;
  readonly source: PacketSource;
}

/** Options of {@link receivePackets}. */
export interface ReceiveOptions {
  /** Honour the metas' batch windows (network packets do; injected test packets by default do not). @default false */
  readonly cache?: boolean;
  /** The packets were delayed and are resumed (not counted as received again). @default false */
  readonly resumed?: boolean;
}

/**
 * Counts an unexpected error as a drop and, in fragile mode, rethrows it.
 * @param c the community
 * @param err the error
 * @param stage the pipeline stage
 * @param reason the drop reason
 * @param count how many items it cost
 * @throws err in fragile mode
 * @example `catch (err) { unexpected(c, err, 'message', 'check_failed', messages.length); }`
 */
export function unexpected(c: Community, err: unknown, stage: DropStage, reason: string, count = 1): void {
  c.statistics.drop(stage, reason, count);
  if (c.node.fragile) throw err;
}

/**
 * Feeds packets into a community's pipeline (serialised on its work queue).
 * @param c the community
 * @param items the packets with their sources
 * @param options batch-window handling
 * @example `receivePackets(community, [{ packet, source }], { cache: true })`
 */
export function receivePackets(c: Community, items: readonly IncomingPacket[], options: ReceiveOptions): void {
  c.work.run(() => receiveNow(c, items, options.cache ?? false, options.resumed ?? false));
}

function receiveNow(c: Community, items: readonly IncomingPacket[], cache: boolean, resumed: boolean): void {
  let group: BatchItem[] = [];
  const close = (): void => {
    if (group.length > 0) processGroup(c, group, cache, resumed);
    group = [];
  };
  for (const item of items) {
    if (item.packet.length < HEADER_LENGTH) {
      c.statistics.packetIn('unknown', item.packet.length);
      c.statistics.drop('batch', 'too_short');
      continue;
    }
    const conversion = conversionForPacket(c.conversions, item.packet);
    if (conversion === undefined) {
      c.statistics.packetIn('unknown', item.packet.length);
      c.statistics.drop('batch', 'unknown_conversion');
      continue;
    }
    const previous = group[0];
    if (previous !== undefined && (previous.conversion !== conversion || previous.packet[HEADER_LENGTH - 1] !== item.packet[HEADER_LENGTH - 1])) close();
    group.push({ packet: item.packet, source: item.source, conversion });
  }
  close();
}

function processGroup(c: Community, items: BatchItem[], cache: boolean, resumed: boolean): void {
  const first = items[0] as BatchItem;
  const meta = first.conversion.metaById(first.packet[HEADER_LENGTH - 1] as number);
  if (meta === undefined) return; // conversionForPacket checked the id
  let bytes = 0;
  for (const item of items) bytes += item.packet.length;
  if (!resumed) c.statistics.packetIn(meta.name, bytes, items.length);
  const window = meta.batchWindow ?? 0;
  if (cache && window > 0) {
    c.batches.add(meta.name, items, window, (name, batch) => c.work.run(() => processBatch(c, name, batch)));
  } else processBatch(c, meta.name, items);
}

/**
 * Processes the waiting batches now.
 * @param c the community
 * @param names only these metas @default all
 * @example `flushBatches(community, ['batched-text'])`
 */
export function flushBatches(c: Community, names?: readonly string[]): void {
  for (const name of names ?? c.batches.names()) {
    const items = c.batches.take(name);
    if (items.length > 0) c.work.run(() => processBatch(c, name, items));
  }
}

/**
 * Decodes a batch of one meta, verifies it and continues with {@link onMessages}.
 * @param c the community
 * @param name the meta name
 * @param items the packets
 * @example `community.work.run(() => processBatch(community, name, items))`
 */
export function processBatch(c: Community, name: string, items: readonly BatchItem[]): void {
  if (!c.loaded) {
    c.statistics.drop('packet', 'not_loaded', items.length);
    return;
  }
  const messages: Message[] = [];
  for (const item of items) {
    const message = decode(c, item.conversion, item.packet, item.source);
    if (message !== undefined) messages.push(message);
  }
  if (messages.length === 0) return;
  const pool = c.node.verifyPool;
  if (pool === undefined) {
    onMessages(c, name, messages.filter((m) => verified(c, m)));
    return;
  }
  // Embedded packets (signature request/response) were decoded unverified too: their checks join the batch.
  const checks = messages.map((m) => allSignatureChecks(m));
  const flat = checks.flat().map((check) => ({ publicKey: check.publicKey, data: check.data, signature: check.signature }));
  c.node.track(
    pool.verifyBatch(flat).then(
      (results) => {
        let at = 0;
        const valid = messages.filter((_, i) => {
          const n = (checks[i] as unknown[]).length;
          const ok = results.slice(at, at + n).every(Boolean);
          at += n;
          if (!ok) c.statistics.drop('packet', 'BAD_SIGNATURE');
          return ok;
        });
        c.work.run(() => onMessages(c, name, valid));
      },
      () => c.statistics.drop('packet', 'verify_failed', messages.length),
    ),
  );
}

function verified(c: Community, message: Message): boolean {
  let ok: boolean;
  try {
    const cache = c.node.verificationCache;
    ok = cache === undefined ? verifyAllSignatures(message) : cache.verifyOnce(message.packet, () => verifyAllSignatures(message));
  } catch (err) {
    unexpected(c, err, 'packet', 'verify_failed');
    return false;
  }
  if (!ok) c.statistics.drop('packet', 'BAD_SIGNATURE');
  return ok;
}

function decode(c: Community, conversion: Conversion, packet: Uint8Array, source: PacketSource): Message | undefined {
  try {
    return toMessage(conversion.decode(packet, { verify: false, lookupMember: (mid) => c.getMember(mid) }), source);
  } catch (err) {
    if (MissingMemberError.is(err) && err.section === 'authentication') {
      const { request } = c.delays.delay({ stage: 'packet', value: packet }, { kind: 'identity', mid: err.mid }, source, c.clock.now());
      if (request) sendRequest(c, { kind: 'identity', mid: err.mid }, source);
    } else if (DecodeError.is(err)) {
      c.statistics.drop('packet', err.code);
    } else unexpected(c, err, 'packet', 'decode_failed');
    return undefined;
  }
}
