/** Marks every Dispersy error, so identity checks survive duplicate installs of a package. */
const MARKER: unique symbol = Symbol.for('@dispersy/error') as never;

/** Options of {@link DispersyError}. */
export interface DispersyErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base of every domain and runtime error in Dispersy for TypeScript.
 *
 * Callers branch on `code` (a stable SCREAMING_SNAKE string) or on the subclass's static `is()`, never on the
 * message text. Programmer errors (a wrong argument type or length) are plain `TypeError` / `RangeError` instead.
 */
export class DispersyError extends Error {
  /** A stable machine-readable code, e.g. `TRUNCATED`. Changing one is a breaking change. */
  readonly code: string;
  readonly [MARKER] = true;

  /**
   * @param code stable code of the condition
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: string, message: string, options: DispersyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }

  /**
   * True when `err` is a Dispersy error (of any package, from any installed copy).
   * @param err any value
   * @returns whether it carries the Dispersy error marker
   */
  static is(err: unknown): err is DispersyError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[MARKER] === true;
  }
}
