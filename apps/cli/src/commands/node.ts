/**
 * `dispersy node [options]`: runs one node until SIGINT or SIGTERM. Prints one JSON line on standard output when
 * ready — `{ "event": "ready", "publicKey", "mid", "udp", "api", "communities" }` — and logs JSON lines on
 * standard error. On the first signal it stops cleanly (event clients and HTTP closed, the node stopped: every
 * community unloaded, the database closed) and exits 0; a second signal exits at once with status 1.
 */
import type { CliIo } from '../io.ts';
import { resolveNodeConfig, type NodeCommandOptions } from '../node/config.ts';
import { startNode } from '../node/daemon.ts';
import { createLogger } from '../node/logger.ts';
import { runUntilStopped } from './signals.ts';

export { EXIT_FORCED } from './signals.ts';

/**
 * Runs `dispersy node`.
 * @param options the option strings
 * @param io output sinks; `io.shutdown` replaces the process signals (tests), `io.env` the environment
 * @returns when the node has stopped after a shutdown request
 * @throws CliError for bad options (exit status 2) or a failed start (exit status 1), reported by `run()` as one
 *   line on standard error
 * @example `await nodeCommand({ listen: '127.0.0.1:0', community: ['debug:4c69…'] }, io)`
 */
export async function nodeCommand(options: NodeCommandOptions, io: CliIo): Promise<void> {
  const config = resolveNodeConfig(options, io.cwd, io.env ?? process.env);
  const log = createLogger(config.logLevel, io.stderr);
  await runUntilStopped(io, log, () => startNode(config, log));
}
