/**
 * Bootstrap trackers (spec §7.10, the original's `discovery/bootstrap.py`), as data and a pure parser.
 *
 * Trackers are ordinary *discovered* candidates: the runtime resolves the DNS names (this package does no I/O),
 * and inserts every resolved address into each walker-enabled community with `walker.addDiscovered(address)`,
 * every {@link TRACKER_INSERT_INTERVAL} seconds and when a community is attached.
 */
import { parseIPv4 } from './address.ts';

/** A tracker as configured: a DNS name or dotted-quad IP, and a UDP port. */
export interface TrackerAddress {
  readonly host: string;
  readonly port: number;
}

/** The original's default tracker list, in its order (names and IPs). */
export const DEFAULT_TRACKERS: readonly TrackerAddress[] = Object.freeze(
  (
    [
      ['dispersy1.tribler.org', 6421],
      ['130.161.119.206', 6421],
      ['dispersy2.tribler.org', 6422],
      ['130.161.119.206', 6422],
      ['dispersy3.tribler.org', 6423],
      ['131.180.27.155', 6423],
      ['dispersy4.tribler.org', 6424],
      ['83.149.70.6', 6424],
      ['dispersy7.tribler.org', 6427],
      ['95.211.155.142', 6427],
      ['dispersy8.tribler.org', 6428],
      ['95.211.155.131', 6428],
      ['dispersy1.st.tudelft.nl', 6421],
      ['dispersy2.st.tudelft.nl', 6422],
      ['dispersy3.st.tudelft.nl', 6423],
    ] as const
  ).map(([host, port]) => Object.freeze({ host, port })),
);

/** The environment variable naming a bootstrap file that replaces {@link DEFAULT_TRACKERS}. */
export const BOOTSTRAP_FILE_ENV = 'DISPERSY_BOOTSTRAP_FILE';
/** The bootstrap file looked for in the working directory when the variable is unset. */
export const DEFAULT_BOOTSTRAP_FILE = 'bootstraptribler.txt';
/** Seconds between two insertions of the resolved trackers into every community. */
export const TRACKER_INSERT_INTERVAL = 300;
/** Seconds between two attempts to resolve the tracker names that did not resolve yet. */
export const TRACKER_RESOLVE_INTERVAL = 300;
/** Discovery community: seconds before re-inserting trackers when no walk candidate was found (spec §7.4). */
export const NO_WALK_CANDIDATE_RETRY_DELAY = 60;

/** The result of {@link parseBootstrapFile}. */
export interface ParsedBootstrapFile {
  readonly trackers: TrackerAddress[];
  /** 1-based numbers of the lines that were neither a tracker, a comment nor blank. */
  readonly invalidLines: number[];
}

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Parses a bootstrap file: one `host port` per line, `#` starts a comment line.
 *
 * Deviation, documented: the original stops reading at the first blank or malformed line (keeping what it read
 * so far, silently). Here blank lines are skipped and malformed lines are reported and skipped.
 *
 * @param text the file's content
 * @returns the trackers (hosts are IPv4 literals or DNS names, ports 1..65535) and the invalid line numbers
 * @example
 * ```ts
 * parseBootstrapFile('# mine\n10.0.0.2 6421\ntracker.example.org 6422\n').trackers;
 * // [{ host: '10.0.0.2', port: 6421 }, { host: 'tracker.example.org', port: 6422 }]
 * ```
 */
export function parseBootstrapFile(text: string): ParsedBootstrapFile {
  const trackers: TrackerAddress[] = [];
  const invalidLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const [host, portText] = fields;
    const port = Number(portText);
    const hostOk = host !== undefined && (parseIPv4(host) !== undefined || (HOSTNAME.test(host) && !/^[\d.]+$/.test(host)));
    if (fields.length !== 2 || !hostOk || !/^\d+$/.test(portText ?? '') || port < 1 || port > 0xffff) {
      invalidLines.push(index + 1);
      return;
    }
    trackers.push(Object.freeze({ host: host as string, port }));
  });
  return { trackers, invalidLines };
}

/**
 * Whether a tracker needs DNS resolution (its host is not an IPv4 literal).
 *
 * @param tracker a configured tracker
 * @returns true for DNS names
 * @example
 * ```ts
 * needsResolution({ host: 'dispersy1.tribler.org', port: 6421 }); // true
 * ```
 */
export function needsResolution(tracker: TrackerAddress): boolean {
  return parseIPv4(tracker.host) === undefined;
}
