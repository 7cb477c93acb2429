/**
 * The life of the long-running commands (`dispersy node`, `dispersy tracker`): start, print ONE JSON ready line on
 * standard output, run until asked to stop, stop cleanly. The first SIGINT or SIGTERM asks for a clean shutdown; a
 * second one during shutdown exits at once with status {@link EXIT_FORCED}. Tests replace the process signals by
 * their own `AbortSignal` (`io.shutdown`).
 */
import type { CliIo } from '../io.ts';
import type { Logger } from '../node/logger.ts';

/** Exit status of a forced exit (second signal during shutdown). */
export const EXIT_FORCED = 1;

/** Where a shutdown request comes from. */
export interface ShutdownSource {
  /** Aborted when the command should stop. */
  readonly signal: AbortSignal;
  /** Removes the process signal handlers (if any). */
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

/**
 * The shutdown source of one invocation: `io.shutdown` when given (tests, embedding), else SIGINT / SIGTERM.
 * @param io the invocation's sinks
 * @param log where the signals are logged
 * @returns the source; `dispose()` it when the command returns
 * @example `const source = shutdownSource(io, log); try { await aborted(source.signal); } finally { source.dispose(); }`
 */
export function shutdownSource(io: CliIo, log: Logger): ShutdownSource {
  return io.shutdown === undefined ? processSignals(log) : { signal: io.shutdown, dispose: () => undefined };
}

/**
 * @param signal an abort signal
 * @returns a promise that resolves once the signal is aborted (at once when it already is)
 */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** What {@link runUntilStopped} runs: something started, with a ready line and a clean stop. */
export interface Stoppable {
  /** Printed as one JSON line on standard output once started. */
  readonly ready: object;
  /** Stops cleanly. */
  stop(): Promise<void>;
}

/**
 * Starts a service, prints its ready line, waits for the shutdown request and stops it.
 * @param io the invocation's sinks (`io.shutdown` replaces the process signals)
 * @param log where signals are logged
 * @param start starts the service (its errors propagate: `run()` reports them as one line)
 * @returns once the service has stopped
 * @example `await runUntilStopped(io, log, () => startNode(config, log));`
 */
export async function runUntilStopped(io: CliIo, log: Logger, start: () => Promise<Stoppable>): Promise<void> {
  const source = shutdownSource(io, log);
  try {
    const running = await start();
    io.stdout(`${JSON.stringify(running.ready)}\n`);
    await aborted(source.signal);
    await running.stop();
  } finally {
    source.dispose();
  }
}
