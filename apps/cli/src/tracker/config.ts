/**
 * The configuration of `dispersy tracker`: the option strings checked and turned into a {@link TrackerConfig}.
 * Usage errors are one-line {@link CliError}s with exit status 2, raised before anything is bound.
 *
 * Defaults: UDP on `0.0.0.0:6421` — every IPv4 interface and the original's port (`tracker_plugin.py`), because a
 * bootstrap tracker exists to be reached by peers on other machines; it stores nothing and answers only walker and
 * identity messages. Use `--listen 127.0.0.1:PORT` to keep it on this machine. The optional HTTP status API binds
 * to loopback by default, as the node's does.
 */
import { isSecurityLevel, SECURITY_LEVELS, type SecurityLevel } from '@dispersy/crypto';
import { DEFAULT_TRACKER_MAX_COMMUNITIES } from '@dispersy/community';
import { CliError } from '../io.ts';
import { parseHostPort, type HostPort } from '../node/addresses.ts';
import { resolveApiToken } from '../node/config.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../node/logger.ts';

/** The option strings of `dispersy tracker`, as typed. */
export interface TrackerCommandOptions {
  readonly listen?: string;
  readonly api?: string;
  readonly apiToken?: string;
  readonly keyLevel?: string;
  readonly logLevel?: string;
  readonly maxCommunities?: string;
}

/** A checked tracker configuration. */
export interface TrackerConfig {
  /** UDP address to bind (IPv4). */
  readonly listen: HostPort;
  /** HTTP status API address; none when undefined. */
  readonly api: HostPort | undefined;
  /** Bearer token the API demands, if any. */
  readonly apiToken: string | undefined;
  /** Level of the tracker's key (a fresh key every start: the tracker keeps no state). */
  readonly keyLevel: SecurityLevel;
  readonly logLevel: LogLevel;
  /** Most communities served at once (the least recently used is dropped). */
  readonly maxCommunities: number;
}

/** The original tracker's UDP port. */
export const DEFAULT_TRACKER_PORT = 6421;
/** `--listen` default: every IPv4 interface, port 6421 (see the module comment). */
export const DEFAULT_TRACKER_LISTEN = `0.0.0.0:${DEFAULT_TRACKER_PORT}`;
/** `--key-level` default. The original's tracker used `very-low`; curve25519 signs faster and is this port's default. */
export const DEFAULT_TRACKER_KEY_LEVEL: SecurityLevel = 'curve25519';
/** Largest `--max-communities`. */
export const MAX_TRACKER_COMMUNITIES = 100_000;

function count(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(n >= min && n <= max)) {
    throw new CliError('BAD_OPTION', `${what} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

/**
 * Checks the options of `dispersy tracker` and builds the configuration.
 * @param options the option strings
 * @param env environment (for `DISPERSY_API_TOKEN`)
 * @returns the configuration
 * @throws CliError (exit status 2) naming the bad option: BAD_ADDRESS, BAD_LEVEL, BAD_OPTION
 * @example `resolveTrackerConfig({ listen: '127.0.0.1:6421', api: '127.0.0.1:8421' }, process.env)`
 */
export function resolveTrackerConfig(options: TrackerCommandOptions, env: Readonly<Record<string, string | undefined>> = {}): TrackerConfig {
  const keyLevel = options.keyLevel ?? DEFAULT_TRACKER_KEY_LEVEL;
  if (!isSecurityLevel(keyLevel)) throw new CliError('BAD_LEVEL', `unknown --key-level '${keyLevel}' (one of: ${SECURITY_LEVELS.join(', ')})`);
  const logLevel = options.logLevel ?? 'info';
  if (!isLogLevel(logLevel)) throw new CliError('BAD_OPTION', `unknown --log-level '${logLevel}' (one of: ${LOG_LEVELS.join(', ')})`);
  const api = options.api === undefined ? undefined : parseHostPort(options.api, '--api', { zeroPort: true, ipv6: true });
  const apiToken = resolveApiToken(options.apiToken, env);
  if (options.apiToken !== undefined && api === undefined) throw new CliError('BAD_OPTION', '--api-token needs --api (the tracker has no HTTP API without it)');
  return {
    listen: parseHostPort(options.listen ?? DEFAULT_TRACKER_LISTEN, '--listen', { zeroPort: true }),
    api,
    apiToken,
    keyLevel,
    logLevel,
    maxCommunities: options.maxCommunities === undefined
      ? DEFAULT_TRACKER_MAX_COMMUNITIES
      : count(options.maxCommunities, '--max-communities', 1, MAX_TRACKER_COMMUNITIES),
  };
}
