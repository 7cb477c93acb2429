/**
 * Where the CLI writes, and how it reports errors: a user error is one line on stderr and a non-zero exit status.
 */
import { DispersyError } from '@dispersy/interfaces';

/** Output sinks of one CLI invocation (process streams by default; tests capture them). */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** The working directory against which relative paths resolve. */
  readonly cwd: string;
  /** Reads all of standard input (for `-` arguments). */
  readonly readStdin: () => Promise<string>;
  /** `dispersy node`: stops the node when aborted (default: SIGINT / SIGTERM). */
  readonly shutdown?: AbortSignal;
  /** Environment variables (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit status of a usage error or bad input (as for a decode failure). */
export const EXIT_USAGE = 2;

/**
 * A user error: printed as `dispersy <command>: error CODE: message` with a non-zero exit status.
 */
export class CliError extends DispersyError {
  /** The exit status to use. */
  readonly exitCode: number;

  /**
   * @param code stable code (e.g. `BAD_HEX`)
   * @param message one line for the user
   * @param exitCode exit status
   */
  constructor(code: string, message: string, exitCode: number = EXIT_USAGE, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.exitCode = exitCode;
  }
}

/**
 * Turns any value into JSON-friendly data: bytes become lowercase hex, bigints decimal strings, Maps objects.
 * @param value anything a decoder returns
 * @returns plain JSON data
 */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/**
 * Formats a value as indented JSON followed by a newline.
 * @param value any decoder output
 * @returns the text to print
 */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}

/**
 * Parses a hex argument: optional `0x`, whitespace ignored, case-insensitive, even length.
 * @param text the argument
 * @param what what it is, for the error message
 * @returns the bytes
 * @throws CliError BAD_HEX
 */
export function parseHex(text: string, what: string): Uint8Array {
  const clean = text.trim().replace(/^0x/i, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new CliError('BAD_HEX', `${what} is not an even-length hex string`);
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
