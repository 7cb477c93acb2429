/**
 * The delay causes of spec §6.3 and their match keys: what a delayed packet or message waits for, and which
 * processed messages satisfy it. Used by {@link DelayRegistry} (delays.ts).
 *
 * Original match keys are `(meta name | None, mid | None, global time | None, sequence | None)` with `None` a
 * wildcard. Each cause here has one fixed key shape, so the registry indexes them directly instead of scanning:
 *
 * | cause | request (to the sender of the delayed item) | original key(s) | resumes when |
 * | --- | --- | --- | --- |
 * | identity | `dispersy-missing-identity(mid)` | `("dispersy-identity", mid, *, *)` | an identity by `mid` is processed |
 * | proof | `dispersy-missing-proof(mid, globalTime)` | `("dispersy-authorize", *, *, *)`, `("dispersy-dynamic-settings", *, *, *)` | ANY authorize or dynamic-settings (resume_immediately) |
 * | sequence | `dispersy-missing-sequence(mid, meta, low, high)` | `(*, mid, *, seq)` per seq in low..high | ALL of low..high of `mid` + `meta` are processed |
 * | message | `dispersy-missing-message(mid, [globalTime])` | `(*, mid, globalTime, *)` | a message of `mid` at `globalTime` is processed |
 *
 * Deliberate change: the original sequence key has a `None` meta name, so a message of *another* meta with the
 * same creator and sequence number satisfied it; sequence numbers are per member AND meta, so the meta is matched.
 */
import type { PacketSource } from '@dispersy/interfaces';

/** Meta name whose processing resumes identity delays. */
export const IDENTITY_META = 'dispersy-identity';
/** Meta name whose processing resumes every proof delay. */
export const AUTHORIZE_META = 'dispersy-authorize';
/** Meta name whose processing resumes every proof delay. */
export const DYNAMIC_SETTINGS_META = 'dispersy-dynamic-settings';

/** Waiting for the public key of member `mid` (a packet named it only by its sha1 mid). */
export interface IdentityCause {
  readonly kind: 'identity';
  /** The unknown 20-byte member id. */
  readonly mid: Uint8Array;
}

/**
 * Waiting for a permission proof. `mid` / `globalTime` (the delayed message's creator and time) are only the
 * request's content: any authorize or dynamic-settings resumes it.
 */
export interface ProofCause {
  readonly kind: 'proof';
  readonly mid: Uint8Array;
  readonly globalTime: number;
}

/** Waiting for sequence numbers `low..high` (inclusive) of member `mid` in meta `meta`. */
export interface SequenceCause {
  readonly kind: 'sequence';
  readonly mid: Uint8Array;
  readonly meta: string;
  readonly low: number;
  readonly high: number;
}

/** Waiting for the message of member `mid` at `globalTime` (e.g. an undo's target). */
export interface MessageCause {
  readonly kind: 'message';
  readonly mid: Uint8Array;
  readonly globalTime: number;
}

/** Why an item is delayed; decides the request to send and what resumes it. */
export type DelayCause = IdentityCause | ProofCause | SequenceCause | MessageCause;

/** Whether a packet (to re-enter decoding) or a decoded message (to re-run the checks) is delayed. */
export type DelayStage = 'packet' | 'message';

/**
 * What to delay: a packet of type `P` or a message of type `M` (opaque to the registry). The registry identifies
 * an item by `value` (SameValueZero): delaying a value that is already waiting changes nothing.
 */
export type DelayItem<P, M> =
  | { readonly stage: 'packet'; readonly value: P }
  | { readonly stage: 'message'; readonly value: M };

/** Common fields of a registered delay. */
export interface DelayEntryBase {
  /** What it waits for. */
  readonly cause: DelayCause;
  /** Who sent the delayed item: the request goes there, and the per-source bound counts it. */
  readonly source: PacketSource;
  /** Registration time in seconds (the `now` given to `delay`). */
  readonly since: number;
}

/** A delayed packet. */
export interface DelayedPacket<P> extends DelayEntryBase {
  readonly stage: 'packet';
  readonly value: P;
}

/** A delayed message. */
export interface DelayedMessage<M> extends DelayEntryBase {
  readonly stage: 'message';
  readonly value: M;
}

/** A registered delay. */
export type DelayEntry<P, M> = DelayedPacket<P> | DelayedMessage<M>;

/**
 * What the pipeline just processed successfully; matched against the waiting delays.
 * @example `{ name: 'dispersy-identity', mid, globalTime: 12, sequence: null }`
 */
export interface ProcessedRecord {
  /** Meta-message name. */
  readonly name: string;
  /** Creator's member id, `null` for messages without member authentication. */
  readonly mid: Uint8Array | null;
  /** The message's global time. */
  readonly globalTime: number;
  /** Its sequence number, `null` when the meta has none. */
  readonly sequence: number | null;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lower-case hex of a member id, the registry's map key.
 * @param bytes a mid
 * @returns its hex
 * @example midKey(new Uint8Array([1, 255])) // '01ff'
 */
export function midKey(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b] as string;
  return out;
}

function assertTime(n: number, what: string, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${what} must be a safe integer ≥ ${min}, got ${n}`);
}

/**
 * Checks a cause's shape (it comes from our own pipeline, so a bad one is a programmer error).
 * @param cause the cause
 * @throws TypeError for an unknown kind, a non-`Uint8Array` mid or an empty meta; RangeError for bad numbers
 * @example assertCause({ kind: 'sequence', mid, meta: 'text', low: 3, high: 5 });
 */
export function assertCause(cause: DelayCause): void {
  if (!(cause.mid instanceof Uint8Array) || cause.mid.length === 0)
    throw new TypeError('cause.mid must be a non-empty Uint8Array');
  switch (cause.kind) {
    case 'identity':
      return;
    case 'proof':
    case 'message':
      assertTime(cause.globalTime, 'cause.globalTime', 0);
      return;
    case 'sequence':
      if (typeof cause.meta !== 'string' || cause.meta.length === 0)
        throw new TypeError('cause.meta must be a non-empty string');
      assertTime(cause.low, 'cause.low', 1);
      assertTime(cause.high, 'cause.high', cause.low);
      return;
    default:
      throw new TypeError(`unknown delay cause ${String((cause as { kind: unknown }).kind)}`);
  }
}

/**
 * Whether the sequence ranges `ranges` together cover every number of `low..high`.
 * @param ranges inclusive `[low, high]` pairs, any order
 * @param low first number needed
 * @param high last number needed
 * @returns true when covered
 * @example rangesCover([[1, 3], [4, 9]], 2, 8) // true
 */
export function rangesCover(ranges: Iterable<readonly [number, number]>, low: number, high: number): boolean {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let next = low;
  for (const [l, h] of sorted) {
    if (l > next) break;
    if (h >= next) next = h + 1;
    if (next > high) return true;
  }
  return next > high;
}
