/**
 * `dispersy node [options]`: runs one node until SIGINT or SIGTERM. Prints one JSON line on standard output when
 * ready — `{ "event": "ready", "publicKey", "mid", "udp", "api", "communities" }` — and logs JSON lines on
 * standard error. On the first signal it stops cleanly (event clients and HTTP closed, the node stopped: every
 * community unloaded, the database closed) and exits 0; a second signal exits at once with status 1.
 */
import type { CliIo } from '../io.ts';
import { resolveNodeConfig, type NodeCommandOptions } from '../node/config.ts';
import { startNode } from '../node/daemon.ts';
import { createLogger, type Logger } from '../node/logger.ts';

/** Exit status of a forced exit (second signal during shutdown). */
export const EXIT_FORCED = 1;

interface ShutdownSource {
  readonly signal: AbortSignal;
  dispose(): void;
}

function processSignals(log: Logger): ShutdownSource {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      log.info('shutting down', { signal });
      controller.abort();
      return;
    }
    log.warn('second signal: exiting without a clean shutdown', { signal });
    process.exit(EXIT_FORCED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * Runs `dispersy node`.
 * @param options the option strings
 * @param io output sinks; `io.shutdown` replaces the process signals (tests), `io.env` the environment
 * @returns when the node has stopped after a shutdown request
 * @throws CliError for bad options (exit status 2) or a failed start (exit status 1), reported by `run()` as one
 *   line on standard error
 */
export async function nodeCommand(options: NodeCommandOptions, io: CliIo): Promise<void> {
  const config = resolveNodeConfig(options, io.cwd, io.env ?? process.env);
  const log = createLogger(config.logLevel, io.stderr);
  const source: ShutdownSource = io.shutdown === undefined ? processSignals(log) : { signal: io.shutdown, dispose: () => undefined };
  try {
    const running = await startNode(config, log);
    io.stdout(`${JSON.stringify(running.ready)}\n`);
    await aborted(source.signal);
    await running.stop();
  } finally {
    source.dispose();
  }
}
