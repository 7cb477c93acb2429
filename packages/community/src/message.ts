/**
 * What check, handle and undo callbacks receive and return: the runtime's {@link Message} (a decoded message plus
 * where it came from), the check verdicts, and undo records.
 */
import type { DecodedMessage } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { PacketSource } from '@dispersy/interfaces';
import type { DelayCause } from './delays.ts';

/**
 * A message inside the runtime: the codec's decoded message plus its origin.
 *
 * @example
 * ```ts
 * handle(messages) { for (const m of messages) console.log(m.name, m.globalTime, m.source?.address); }
 * ```
 */
export interface Message<T = unknown> extends DecodedMessage<T> {
  /** Who sent it; `undefined` for a message this node created. */
  readonly source: PacketSource | undefined;
  /**
   * NHop destination only: the remaining hop count. Received messages hold the wire depth minus one when it was
   * positive (spec §2.3); created messages hold the wire depth. A message whose remaining depth is 0 is never
   * forwarded. The packet bytes are never rewritten (the depth byte is signed over; quirk 14).
   */
  readonly remainingDepth: number | undefined;
}

/**
 * The verdict of a check callback on one message.
 * - `accept`: continue (store, handle).
 * - `drop`: count a drop with `reason` and forget the message.
 * - `delay`: wait for `cause` (identity, proof, sequence range or message); the runtime registers the delay, sends
 *   the request for it once (to the message's sender) and re-runs the message when the cause is satisfied.
 *   `sendBack` packets go to the sender first (e.g. the dynamic-settings proofs of spec §4.3).
 */
export type CheckVerdict =
  | { readonly kind: 'accept'; readonly sendBack?: readonly Uint8Array[] }
  | { readonly kind: 'drop'; readonly reason: string; readonly sendBack?: readonly Uint8Array[] }
  | { readonly kind: 'delay'; readonly cause: DelayCause; readonly sendBack?: readonly Uint8Array[] };

/** The shared `accept` verdict. */
export const ACCEPT: CheckVerdict = Object.freeze({ kind: 'accept' });

/**
 * A `drop` verdict.
 * @param reason a short stable reason (a statistics label), e.g. `'not_allowed'`
 * @param sendBack packets to send to the sender
 * @returns the verdict
 * @example `return messages.map((m) => (ok(m) ? ACCEPT : dropVerdict('bad_text')));`
 */
export function dropVerdict(reason: string, sendBack?: readonly Uint8Array[]): CheckVerdict {
  return sendBack === undefined ? { kind: 'drop', reason } : { kind: 'drop', reason, sendBack };
}

/**
 * A `delay` verdict.
 * @param cause what the message waits for
 * @param sendBack packets to send to the sender first
 * @returns the verdict
 * @example `delayVerdict({ kind: 'proof', mid: m.members[0].mid, globalTime: m.globalTime })`
 */
export function delayVerdict(cause: DelayCause, sendBack?: readonly Uint8Array[]): CheckVerdict {
  return sendBack === undefined ? { kind: 'delay', cause } : { kind: 'delay', cause, sendBack };
}

/** One undone message, as an undo callback receives it (the original's `(member, global_time, packet)`). */
export interface UndoRecord {
  /** The undone message's meta name. */
  readonly meta: string;
  /** Its creator. */
  readonly member: PublicKey;
  readonly globalTime: number;
  /** The stored packet. */
  readonly packet: Uint8Array;
  /**
   * Why: `'undo'` (an undo-own / undo-other), `'policy'` (a revoke or dynamic-settings change), or
   * `'replaced'` (deleted by a sequence-number conflict; quirk 18).
   */
  readonly reason: 'undo' | 'policy' | 'replaced';
}

/**
 * Builds a runtime message from a decoded one.
 * @param decoded the codec's message
 * @param source the sender, or `undefined` for our own
 * @returns the message
 * @example `const message = toMessage(conversion.decode(packet, { verify: false }), source);`
 */
export function toMessage<T>(decoded: DecodedMessage<T>, source: PacketSource | undefined): Message<T> {
  const depth = decoded.depth;
  const remainingDepth = depth === undefined ? undefined : source !== undefined && depth > 0 ? depth - 1 : depth;
  return { ...decoded, source, remainingDepth };
}
