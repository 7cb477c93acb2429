/**
 * Parsing the address arguments of `dispersy node`: `HOST:PORT` (IPv4, `[IPv6]` where allowed, DNS names where
 * allowed), comma-separated bootstrap lists, and bootstrap files (lines `host port` or `host:port`, `#` comments,
 * as the original's `bootstraptribler.txt`). Every failure is a one-line {@link CliError} with exit status 2.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { CliError } from '../io.ts';

/** A host (IPv4, IPv6 or a DNS name, depending on the option) and a port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** What a `HOST:PORT` option accepts. */
export interface HostPortRules {
  /** Accept DNS names (bootstrap trackers). @default false */
  readonly hostnames?: boolean;
  /** Accept `[IPv6]:PORT` (the HTTP API). @default false */
  readonly ipv6?: boolean;
  /** Accept port 0 (bind an ephemeral port). @default false */
  readonly zeroPort?: boolean;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function invalid(what: string, text: string, rules: HostPortRules): CliError {
  const host = rules.hostnames ? 'an IPv4 address or a host name' : rules.ipv6 ? 'an IPv4 address or [IPv6]' : 'an IPv4 address';
  const port = rules.zeroPort ? '0..65535 (0 picks a free port)' : '1..65535';
  return new CliError('BAD_ADDRESS', `${what} must be HOST:PORT with HOST ${host} and PORT ${port}, got '${text}'`);
}

/**
 * Parses `HOST:PORT`.
 * @param text the argument
 * @param what the option name, for the message (e.g. `--listen`)
 * @param rules what is accepted
 * @returns host (IPv6 without brackets) and port
 * @throws CliError BAD_ADDRESS (exit status 2)
 * @example `parseHostPort('127.0.0.1:6421', '--listen') // { host: '127.0.0.1', port: 6421 }`
 */
export function parseHostPort(text: string, what: string, rules: HostPortRules = {}): HostPort {
  const trimmed = text.trim();
  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed);
  if (bracketed !== null) {
    if (rules.ipv6 !== true || !isIPv6(bracketed[1] as string)) throw invalid(what, text, rules);
    host = bracketed[1] as string;
    portText = bracketed[2] as string;
  } else {
    const colon = trimmed.lastIndexOf(':');
    if (colon <= 0) throw invalid(what, text, rules);
    host = trimmed.slice(0, colon);
    portText = trimmed.slice(colon + 1);
    const hostOk = isIPv4(host) || (rules.hostnames === true && !isIPv6(host) && HOSTNAME.test(host));
    if (!hostOk) throw invalid(what, text, rules);
  }
  if (!/^\d{1,5}$/.test(portText)) throw invalid(what, text, rules);
  const port = Number(portText);
  if (port > 65_535 || (port === 0 && rules.zeroPort !== true)) throw invalid(what, text, rules);
  return { host, port };
}

/**
 * Formats a host and port, bracketing IPv6 hosts.
 * @param address host and port
 * @returns `host:port` or `[v6]:port`
 * @example `formatHostPort({ host: '::1', port: 80 }) // '[::1]:80'`
 */
export function formatHostPort(address: HostPort): string {
  return isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * Parses `--bootstrap` values: each a comma-separated list of `HOST:PORT` (host names allowed).
 * @param values the option's values (repeatable)
 * @returns the addresses, in order, without duplicates
 * @throws CliError BAD_ADDRESS
 * @example `parseBootstrapList(['10.0.0.1:6421,tracker.example.org:6421'])`
 */
export function parseBootstrapList(values: readonly string[]): HostPort[] {
  const out: HostPort[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      if (part.trim() === '') throw new CliError('BAD_ADDRESS', `--bootstrap has an empty entry in '${value}'`);
      out.push(parseHostPort(part, '--bootstrap', { hostnames: true }));
    }
  }
  return dedupe(out);
}

/**
 * Parses a bootstrap file: one tracker per line as `host port` or `host:port`; `#` starts a comment; blank lines
 * are skipped.
 * @param content the file's text
 * @param file its name, for messages
 * @returns the addresses, in order, without duplicates
 * @throws CliError BAD_BOOTSTRAP_FILE naming the line
 * @example `parseBootstrapFile('# trackers\n130.161.119.206 6421\ntracker.example.org:6422\n', 'b.txt')`
 */
export function parseBootstrapFile(content: string, file: string): HostPort[] {
  const out: HostPort[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const text = fields.length === 2 ? `${fields[0]}:${fields[1]}` : line;
    try {
      if (fields.length > 2) throw new CliError('BAD_ADDRESS', 'too many fields');
      out.push(parseHostPort(text, 'a tracker', { hostnames: true }));
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      throw new CliError('BAD_BOOTSTRAP_FILE', `${file}:${index + 1}: expected 'host port' or 'host:port', got '${raw.trim()}'`);
    }
  });
  return dedupe(out);
}

function dedupe(list: readonly HostPort[]): HostPort[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.host.toLowerCase()}:${a.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Whether an address is on the loopback interface (`127.0.0.0/8`, `::1`, `localhost`).
 * @param host a host
 * @returns true for loopback
 * @example `isLoopback('127.0.0.1') // true`
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}
