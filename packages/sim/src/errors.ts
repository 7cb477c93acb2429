/**
 * The simulator's runtime errors (design/house-style.md §2.6): one class, {@link SimError}, with a stable `code`.
 * Programmer errors (a negative delay, a loss probability above 1, a malformed address) are `TypeError` /
 * `RangeError` naming the parameter instead.
 */
import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';

/**
 * The stable codes of {@link SimError}:
 * - `EVENT_LIMIT`: a run executed more events than its cap (something keeps the queue busy);
 * - `TIME_LIMIT`: a run would pass its virtual-time cap;
 * - `STALLED`: too many events at one virtual instant (a zero-delay loop: time is not advancing);
 * - `UNTIL_TIMEOUT`: `runUntil`'s predicate stayed false for `maxSeconds`;
 * - `UNTIL_IDLE`: `runUntil`'s predicate is false and no event is left that could change it;
 * - `REENTRANT`: a run method was called from inside an event;
 * - `ADDRESS_IN_USE`: a port or host address is already taken;
 * - `POOL_EXHAUSTED`: no free address is left in a LAN prefix or the public pool.
 */
export type SimErrorCode =
  | 'EVENT_LIMIT'
  | 'TIME_LIMIT'
  | 'STALLED'
  | 'UNTIL_TIMEOUT'
  | 'UNTIL_IDLE'
  | 'REENTRANT'
  | 'ADDRESS_IN_USE'
  | 'POOL_EXHAUSTED';

const SIM_MARKER: unique symbol = Symbol.for('@dispersy/sim/error') as never;

/**
 * A simulator runtime error. Branch on `code` (or `SimError.is(err)`), never on the message.
 *
 * @example
 * ```ts
 * try {
 *   network.deliverAll();
 * } catch (err) {
 *   if (SimError.is(err) && err.code === 'EVENT_LIMIT') network.runFor(60);
 * }
 * ```
 */
export class SimError extends DispersyError {
  declare readonly code: SimErrorCode;
  readonly [SIM_MARKER] = true;

  /**
   * @param code the stable code
   * @param message what happened and what to do about it
   * @param options optional cause
   */
  constructor(code: SimErrorCode, message: string, options: DispersyErrorOptions = {}) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link SimError} (a `Symbol.for` marker, so duplicate installs still match).
   * @param err any value
   * @returns whether it is a SimError
   */
  static override is(err: unknown): err is SimError {
    return DispersyError.is(err) && (err as unknown as Record<symbol, unknown>)[SIM_MARKER] === true;
  }
}
