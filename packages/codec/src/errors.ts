/**
 * The codec's error classes (house style §2.6): every failure to decode bytes from the network is a
 * {@link DecodeError} with a stable `code`; programmer errors (a wrong argument type or range) are plain
 * `TypeError` / `RangeError`.
 */
import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';
import { toHex } from './internal/assert.ts';

/**
 * Every code a {@link DecodeError} can carry. Codes are stable: callers (the runtime's drop counters, logs,
 * metrics) branch on them, so changing one is a breaking change.
 */
export const DECODE_ERROR_CODES = [
  /** A read needs more bytes than remain (also: a declared length larger than what is left). */
  'TRUNCATED',
  /** Bytes are left over after a payload (or a whole schema value) was decoded. */
  'TRAILING_BYTES',
  /** The dispersy version byte is not 0x00, or the community version byte is not this conversion's. */
  'BAD_HEADER',
  /** The 20-byte cid is not this conversion's community. */
  'UNKNOWN_COMMUNITY',
  /** A message id (in the header, or referenced by a payload) is not defined by this conversion. */
  'UNKNOWN_MESSAGE',
  /** A member given by its sha1 member id is not known to the caller's lookup ({@link MissingMemberError}). */
  'UNKNOWN_MEMBER',
  /** A public key in the packet cannot be parsed (the crypto package's error is the `cause`). */
  'BAD_KEY',
  /** A signature does not verify. */
  'BAD_SIGNATURE',
  /** A signature is empty (all zero bytes) and empty signatures were not allowed. */
  'EMPTY_SIGNATURE',
  /** The DynamicResolution index is not smaller than the meta's number of policies (spec quirk 12, fixed). */
  'BAD_RESOLUTION',
  /** A global time is 0 (every distribution, including DirectDistribution: spec quirk 13, fixed). */
  'ZERO_GLOBAL_TIME',
  /** A FullSync sequence number is 0. */
  'ZERO_SEQUENCE_NUMBER',
  /** A 64-bit integer decoded as a JS number is larger than `Number.MAX_SAFE_INTEGER`. */
  'UNSAFE_INTEGER',
  /** A length or a count is above the cap that the schema declares. */
  'LENGTH_LIMIT',
  /** A string is not valid UTF-8. */
  'INVALID_UTF8',
  /** A field holds a value that the original's decoder rejects (each payload documents its checks). */
  'INVALID_FIELD',
] as const;

/** A stable code of a {@link DecodeError}; see {@link DECODE_ERROR_CODES}. */
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number];

const DECODE_MARKER: unique symbol = Symbol.for('@dispersy/codec/decode-error') as never;

/** Options of {@link DecodeError}. */
export interface DecodeErrorOptions extends DispersyErrorOptions {
  /** Byte offset (from the start of the decoded buffer) at which the problem was found. */
  offset?: number;
}

/**
 * Bytes could not be decoded: the packet is malformed, unknown, or its signature is invalid.
 *
 * The runtime catches these and counts a drop per `code`; they never escape the community boundary.
 *
 * @example
 * ```ts
 * try { conversion.decode(packet); }
 * catch (err) { if (DecodeError.is(err)) stats.drop(err.code); else throw err; }
 * ```
 */
export class DecodeError extends DispersyError {
  declare readonly code: DecodeErrorCode;
  /** Byte offset at which the problem was found, when known. */
  readonly offset: number | undefined;
  readonly [DECODE_MARKER] = true;

  /**
   * @param code stable code of the condition
   * @param message human-readable explanation
   * @param options optional cause and offset
   */
  constructor(code: DecodeErrorCode, message: string, options: DecodeErrorOptions = {}) {
    super(code, message, options);
    this.offset = options.offset;
  }

  /**
   * True when `err` is a {@link DecodeError} (from any installed copy of this package).
   * @param err any value
   * @returns whether it is a DecodeError
   */
  static override is(err: unknown): err is DecodeError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[DECODE_MARKER] === true;
  }
}

const MISSING_MARKER: unique symbol = Symbol.for('@dispersy/codec/missing-member-error') as never;

/** Where a {@link MissingMemberError} was raised. */
export type MissingMemberSection = 'authentication' | 'payload';

/**
 * A member is given on the wire only by its 20-byte sha1 member id, and the caller's lookup does not know it.
 *
 * In the authentication section (`section: 'authentication'`) the original delays the packet and sends a
 * `dispersy-missing-identity` for `mid` (spec §6.3); inside a `dispersy-missing-sequence` payload
 * (`section: 'payload'`) the original simply drops the packet. Code: `UNKNOWN_MEMBER`.
 *
 * @example
 * ```ts
 * catch (err) { if (MissingMemberError.is(err) && err.section === 'authentication') requestIdentity(err.mid); }
 * ```
 */
export class MissingMemberError extends DecodeError {
  /** The unknown member id (a copy, 20 bytes). */
  readonly mid: Uint8Array;
  /** Where the mid was read. */
  readonly section: MissingMemberSection;
  readonly [MISSING_MARKER] = true;

  /**
   * @param mid the unknown 20-byte member id
   * @param section where it was read
   * @param options optional offset
   */
  constructor(mid: Uint8Array, section: MissingMemberSection, options: DecodeErrorOptions = {}) {
    super('UNKNOWN_MEMBER', `unknown member ${toHex(mid)} in the ${section} section`, options);
    this.mid = mid.slice();
    this.section = section;
  }

  /**
   * True when `err` is a {@link MissingMemberError}.
   * @param err any value
   * @returns whether it is a MissingMemberError
   */
  static override is(err: unknown): err is MissingMemberError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[MISSING_MARKER] === true;
  }
}
