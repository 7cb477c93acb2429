/**
 * The configuration of `dispersy node`: the raw option strings (as commander hands them over) checked and turned
 * into a {@link NodeConfig}. Usage errors are one-line {@link CliError}s with exit status 2, raised before anything
 * is opened or bound.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSecurityLevel, SECURITY_LEVELS, type SecurityLevel } from '@dispersy/crypto';
import { CliError } from '../io.ts';
import { parseBootstrapFile, parseBootstrapList, parseHostPort, type HostPort } from './addresses.ts';
import { parseCommunitySpecs, type CommunitySpec } from './community-specs.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './logger.ts';

/** The option strings of `dispersy node`, as typed. */
export interface NodeCommandOptions {
  readonly data?: string;
  readonly listen?: string;
  readonly api?: string;
  readonly apiToken?: string;
  readonly bootstrap?: readonly string[];
  readonly bootstrapFile?: string;
  readonly community?: readonly string[];
  readonly walkInterval?: string;
  readonly keyLevel?: string;
  readonly logLevel?: string;
}

/** A checked node configuration. */
export interface NodeConfig {
  /** Absolute path of the data directory (database, key file). */
  readonly dataDir: string;
  /** UDP address to bind (IPv4). */
  readonly listen: HostPort;
  /** HTTP address to bind. */
  readonly api: HostPort;
  /** Bearer token the API demands, if any. */
  readonly apiToken: string | undefined;
  /** Bootstrap trackers (host names allowed), inserted as discovered candidates. */
  readonly bootstrap: readonly HostPort[];
  /** The communities to join. */
  readonly communities: readonly CommunitySpec[];
  /** Seconds between two walker steps of each community. */
  readonly walkInterval: number;
  /** Level of the node's key when it is created; an existing key of another level is refused. */
  readonly keyLevel: SecurityLevel | undefined;
  readonly logLevel: LogLevel;
}

/** `--data` default, relative to the working directory. */
export const DEFAULT_DATA_DIR = 'dispersy-data';
/** `--listen` default: every IPv4 interface, a free port (printed in the ready line). */
export const DEFAULT_LISTEN = '0.0.0.0:0';
/** `--api` default: loopback only, a free port (printed in the ready line). */
export const DEFAULT_API = '127.0.0.1:0';
/** `--walk-interval` default: the original's TAKE_STEP_INTERVAL. */
export const DEFAULT_WALK_INTERVAL = 5;
/** Environment variable read when `--api-token` is not given (keeps the token out of `ps`). */
export const API_TOKEN_ENV = 'DISPERSY_API_TOKEN';

function seconds(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n >= min && n <= max)) {
    throw new CliError('BAD_OPTION', `${what} must be a number of seconds from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function token(text: string, source: string): string {
  if (!/^[A-Za-z0-9._~+/=-]{8,256}$/.test(text)) {
    throw new CliError('BAD_OPTION', `${source} must be 8 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -`);
  }
  return text;
}

/**
 * The API token: `--api-token`, else {@link API_TOKEN_ENV} when set and not empty, else none.
 * @param option the `--api-token` value, if given
 * @param env the environment
 * @returns the checked token, or undefined
 * @throws CliError BAD_OPTION (exit status 2) for a token that is not 8–256 characters of `A-Za-z0-9._~+/=-`
 * @example `resolveApiToken(undefined, { DISPERSY_API_TOKEN: 's3cret-token' }) // 's3cret-token'`
 */
export function resolveApiToken(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (option !== undefined) return token(option, '--api-token');
  const envToken = env[API_TOKEN_ENV];
  return envToken !== undefined && envToken !== '' ? token(envToken, API_TOKEN_ENV) : undefined;
}

function bootstrapFromFile(file: string, cwd: string): HostPort[] {
  const path = resolve(cwd, file);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new CliError('BAD_BOOTSTRAP_FILE', `cannot read --bootstrap-file ${path} (${code})`);
  }
  return parseBootstrapFile(content, file);
}

/**
 * Checks the options of `dispersy node` and builds the configuration.
 * @param options the option strings
 * @param cwd where relative paths resolve
 * @param env environment (for {@link API_TOKEN_ENV})
 * @returns the configuration
 * @throws CliError (exit status 2) naming the bad option
 * @example `resolveNodeConfig({ listen: '127.0.0.1:0', community: ['debug:4c69…'] }, process.cwd(), process.env)`
 */
export function resolveNodeConfig(options: NodeCommandOptions, cwd: string, env: Readonly<Record<string, string | undefined>> = {}): NodeConfig {
  const keyLevel = options.keyLevel;
  if (keyLevel !== undefined && !isSecurityLevel(keyLevel)) {
    throw new CliError('BAD_LEVEL', `unknown --key-level '${keyLevel}' (one of: ${SECURITY_LEVELS.join(', ')})`);
  }
  const logLevel = options.logLevel ?? 'info';
  if (!isLogLevel(logLevel)) throw new CliError('BAD_OPTION', `unknown --log-level '${logLevel}' (one of: ${LOG_LEVELS.join(', ')})`);
  const apiToken = resolveApiToken(options.apiToken, env);
  const listen = parseHostPort(options.listen ?? DEFAULT_LISTEN, '--listen', { zeroPort: true });
  const api = parseHostPort(options.api ?? DEFAULT_API, '--api', { zeroPort: true, ipv6: true, hostnames: false });
  const bootstrap = [
    ...parseBootstrapList(options.bootstrap ?? []),
    ...(options.bootstrapFile === undefined ? [] : bootstrapFromFile(options.bootstrapFile, cwd)),
  ];
  return {
    dataDir: resolve(cwd, options.data ?? DEFAULT_DATA_DIR),
    listen,
    api,
    apiToken,
    bootstrap,
    communities: parseCommunitySpecs(options.community ?? [], cwd),
    walkInterval: options.walkInterval === undefined ? DEFAULT_WALK_INTERVAL : seconds(options.walkInterval, '--walk-interval', 0.1, 3600),
    keyLevel: keyLevel as SecurityLevel | undefined,
    logLevel,
  };
}
