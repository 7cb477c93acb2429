/**
 * `dispersy tracker [options]`: runs a bootstrap tracker (spec §13.2) until SIGINT or SIGTERM. It answers
 * introduction-requests of ANY community — a packet for a community it has never seen creates that community on the
 * fly — and introduces the requesters to each other, so that nodes started with `--bootstrap <tracker>` find each
 * other. It stores no community data (a `:memory:` store, walker and identity messages only) and its state is
 * bounded by the runtime (communities, candidates, identities). A fresh key every start.
 *
 * Prints one JSON line on standard output when ready — `{ "event": "ready", "mode": "tracker", "publicKey",
 * "mid", "udp", "api"? }` — and logs JSON lines on standard error. The first signal stops it cleanly (exit 0); a
 * second one during shutdown exits at once with status 1. Bad options: one line, exit status 2; an address in use:
 * one line, exit status 1.
 */
import type { CliIo } from '../io.ts';
import { createLogger } from '../node/logger.ts';
import { resolveTrackerConfig, type TrackerCommandOptions } from '../tracker/config.ts';
import { startTracker } from '../tracker/tracker.ts';
import { runUntilStopped } from './signals.ts';

/** The help text after the options of `dispersy tracker`. */
export const TRACKER_HELP = `
Examples:
  dispersy tracker                                     # UDP 0.0.0.0:6421, every interface (the original's port)
  dispersy tracker --listen 127.0.0.1:6421 --api 127.0.0.1:8421
  dispersy node --bootstrap 127.0.0.1:6421 --community debug:<master public key hex> ...

The tracker binds every IPv4 interface by default, as the original did: a bootstrap server is meant to be reached
from other machines. It stores nothing; use --listen 127.0.0.1:PORT to keep it on this machine. The status API
(GET /v1/node, /v1/communities, /v1/stats, /metrics) runs only with --api, on loopback unless told otherwise.
Prints {"event":"ready","mode":"tracker",...} on stdout when ready; logs JSON lines on stderr; SIGINT/SIGTERM stop it.`;

/**
 * Runs `dispersy tracker`.
 * @param options the option strings
 * @param io output sinks; `io.shutdown` replaces the process signals (tests), `io.env` the environment
 * @returns when the tracker has stopped after a shutdown request
 * @throws CliError for bad options (exit status 2) or an address that cannot be bound (exit status 1), reported by
 *   `run()` as one line on standard error
 * @example `await trackerCommand({ listen: '127.0.0.1:6421' }, io)`
 */
export async function trackerCommand(options: TrackerCommandOptions, io: CliIo): Promise<void> {
  const config = resolveTrackerConfig(options, io.env ?? process.env);
  const log = createLogger(config.logLevel, io.stderr);
  await runUntilStopped(io, log, () => startTracker(config, log));
}
