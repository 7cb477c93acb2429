/**
 * The walker's error class and the reasons it rejects walker messages.
 *
 * Messages from the network never throw: a message that fails a check of spec §7.6–7.8 is answered with a
 * {@link RejectionReason} (the original's `DropMessage` reasons) that the runtime counts and logs. Only the
 * walker's own resources throw {@link WalkerError}.
 */
import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';

/**
 * Stable codes of {@link WalkerError}.
 *
 * - `IDENTIFIERS_EXHAUSTED`: no free introduction-request identifier was found (the original's RandomNumberCache
 *   gives up after 1000 attempts).
 * - `DUPLICATE_IDENTIFIER`: an injected identifier source returned an identifier that is still outstanding.
 */
export type WalkerErrorCode = 'IDENTIFIERS_EXHAUSTED' | 'DUPLICATE_IDENTIFIER';

/**
 * Why a walker message was dropped (one code per check of spec §7.6–7.8):
 *
 * - `OWN_MEMBER`: an introduction-request signed by my own member.
 * - `UNKNOWN_IDENTIFIER`: a response or puncture whose identifier is not an outstanding introduction-request
 *   (responses count as `invalid_response_identifier`).
 * - `DUPLICATE_IDENTIFIER`: the same identifier twice in one batch (responses count as
 *   `invalid_response_identifier` too).
 * - `INVALID_LAN_INTRODUCTION` / `INVALID_WAN_INTRODUCTION`: a non-zero introduced address that is not valid.
 * - `INTRODUCED_MY_WAN`: the introduced WAN address is my WAN address.
 * - `INTRODUCED_MY_LAN`: the introduced LAN address is my LAN address while the introduced WAN IP is mine (or the
 *   introduced WAN is unknown).
 * - `PUNCTURE_HERSELF_LAN` / `PUNCTURE_HERSELF_WAN`: a puncture-request whose walker address is its sender.
 * - `INVALID_LAN_WALKER` / `INVALID_WAN_WALKER`: an invalid walker address.
 * - `PUNCTURE_MYSELF_WAN`: the WAN walker address is my WAN address.
 * - `PUNCTURE_MYSELF_LAN`: the LAN walker address is my LAN address behind my WAN IP.
 * - `INVALID_SOURCE`: the packet's source address is not a valid address.
 */
export type RejectionReason =
  | 'OWN_MEMBER'
  | 'UNKNOWN_IDENTIFIER'
  | 'DUPLICATE_IDENTIFIER'
  | 'INVALID_LAN_INTRODUCTION'
  | 'INVALID_WAN_INTRODUCTION'
  | 'INTRODUCED_MY_WAN'
  | 'INTRODUCED_MY_LAN'
  | 'PUNCTURE_HERSELF_LAN'
  | 'PUNCTURE_HERSELF_WAN'
  | 'INVALID_LAN_WALKER'
  | 'INVALID_WAN_WALKER'
  | 'PUNCTURE_MYSELF_WAN'
  | 'PUNCTURE_MYSELF_LAN'
  | 'INVALID_SOURCE';

/** A rejected walker message. */
export interface Rejected {
  readonly accepted: false;
  /** Why it was dropped. */
  readonly reason: RejectionReason;
}

/**
 * Builds a {@link Rejected} result.
 *
 * @param reason the check that failed
 * @returns `{ accepted: false, reason }`
 * @example
 * ```ts
 * reject('UNKNOWN_IDENTIFIER'); // { accepted: false, reason: 'UNKNOWN_IDENTIFIER' }
 * ```
 */
export function reject(reason: RejectionReason): Rejected {
  return { accepted: false, reason };
}

/**
 * An error of the walker's own bookkeeping (never of network input).
 *
 * @example
 * ```ts
 * try {
 *   walker.takeStep();
 * } catch (err) {
 *   if (WalkerError.is(err) && err.code === 'IDENTIFIERS_EXHAUSTED') backOff();
 * }
 * ```
 */
export class WalkerError extends DispersyError {
  /** The specific condition. */
  declare readonly code: WalkerErrorCode;

  /**
   * @param code the stable condition code
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: WalkerErrorCode, message: string, options?: DispersyErrorOptions) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link WalkerError}, also one thrown by another installed copy of this package.
   * @param err any value
   * @returns whether `err` is a Dispersy error named `WalkerError`
   */
  static override is(err: unknown): err is WalkerError {
    return DispersyError.is(err) && err.name === 'WalkerError';
  }
}
