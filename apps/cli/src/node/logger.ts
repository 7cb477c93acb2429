/**
 * A tiny structured logger for the node daemon: one JSON object per line (`time`, `level`, `msg`, then the
 * fields), written to a sink (standard error by default), filtered by level. No dependency: the daemon logs a
 * few dozen kinds of line, and one-line JSON is what log shippers (journald, Loki, jq) read.
 */

/** Log levels, most severe first. `silent` turns logging off. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra fields of a log line (bytes become lowercase hex, errors their code and message). */
export type LogFields = Readonly<Record<string, unknown>>;

/** What the daemon logs through. */
export interface Logger {
  /** The active level. */
  readonly level: LogLevel;
  /** Something failed. */
  error(msg: string, fields?: LogFields): void;
  /** Something the operator should look at. */
  warn(msg: string, fields?: LogFields): void;
  /** Lifecycle: started, joined, stopped. */
  info(msg: string, fields?: LogFields): void;
  /** Every HTTP request, walker and event-client details. */
  debug(msg: string, fields?: LogFields): void;
}

/**
 * @param text a level name from the command line
 * @returns whether it is one of {@link LOG_LEVELS}
 */
export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

function fieldValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' ? { name: value.name, code, message: value.message } : { name: value.name, message: value.message };
  }
  return value;
}

/**
 * Formats one log line.
 * @param level the line's level
 * @param msg a short constant message (`"node started"`), details go in `fields`
 * @param fields extra fields; `time`, `level` and `msg` cannot be overridden
 * @param now the timestamp
 * @returns the JSON text with a trailing newline
 * @example `formatLogLine('info', 'api listening', { url }) // {"time":"…","level":"info","msg":"api listening","url":"…"}`
 */
export function formatLogLine(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields = {}, now = new Date()): string {
  const out: Record<string, unknown> = { time: now.toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in out) && value !== undefined) out[key] = fieldValue(value);
  }
  try {
    return `${JSON.stringify(out)}\n`;
  } catch {
    // A cyclic or otherwise unserialisable field must never break logging.
    return `${JSON.stringify({ time: out['time'], level, msg, fieldsError: 'unserialisable fields' })}\n`;
  }
}

/**
 * Creates a logger writing one JSON line per call at or above `level`.
 * @param level the least severe level written
 * @param write the sink @default process.stderr
 * @returns the logger
 * @example `const log = createLogger('info'); log.info('node started', { mid });`
 */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => void process.stderr.write(line)): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at = (lineLevel: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(lineLevel) <= threshold) write(formatLogLine(lineLevel, msg, fields));
  };
  return { level, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
