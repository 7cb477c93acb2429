// Spawning the BUILT `dispersy` bin (dist/; the CLI's test task runs after `turbo build`) as real processes: read
// the JSON ready line, keep the last lines of standard error for failure messages, and always stop what was started
// (SIGTERM, then SIGKILL after a grace period) — after each test, and as a last resort when the test worker exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

/** The installed bin. */
export const BIN = new URL('../bin/dispersy.js', import.meta.url).pathname;

/** Lines of standard error kept per process. */
export const LOG_TAIL_LINES = 200;

/** The last `max` lines of a stream. */
export class LogTail {
  readonly #lines: string[] = [];
  readonly #max: number;
  #partial = '';
  #dropped = 0;

  constructor(max = LOG_TAIL_LINES) {
    this.#max = max;
  }

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#lines.push(line);
    const excess = this.#lines.length - this.#max;
    if (excess > 0) {
      this.#lines.splice(0, excess);
      this.#dropped += excess;
    }
  }

  text(): string {
    const head = this.#dropped > 0 ? `(${this.#dropped} earlier lines not kept)\n` : '';
    return `${head}${this.#lines.join('\n')}${this.#partial === '' ? '' : `\n${this.#partial}`}`;
  }
}

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A spawned `dispersy` process that printed its ready line. */
export interface Proc<R> {
  readonly name: string;
  readonly child: ChildProcess;
  readonly ready: R;
  readonly stderr: LogTail;
  readonly exit: Promise<ExitStatus>;
  /** The exit status once it exited, else undefined. */
  exited(): ExitStatus | undefined;
}

const live = new Set<ChildProcess>();

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Stops processes: SIGTERM, then SIGKILL for those still running after `graceMs`.
 * @returns their exit statuses, in order
 */
export async function stopProcesses(children: readonly ChildProcess[], graceMs = 5000): Promise<ExitStatus[]> {
  const exits = children.map((child) => new Promise<ExitStatus>((resolve) => {
    if (!running(child)) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  }));
  for (const child of children) if (running(child)) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children) if (running(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    return await Promise.all(exits);
  } finally {
    clearTimeout(timer);
    for (const child of children) live.delete(child);
  }
}

afterEach(async () => {
  await stopProcesses([...live]);
}, 15_000);

// A crashed or interrupted test worker must not leave daemons behind.
process.once('exit', () => {
  for (const child of live) if (running(child)) child.kill('SIGKILL');
});

/**
 * Spawns `node bin/dispersy.js ...args` and waits for its first stdout line (parsed as JSON).
 * @param name for messages
 * @param args the CLI arguments
 * @param readyMs how long to wait for the ready line
 * @returns the process; stopped after the test in any case
 * @throws Error when it exits first or stays silent (with its stderr)
 */
export async function spawnReady<R>(name: string, args: readonly string[], readyMs = 30_000): Promise<Proc<R>> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const stderr = new LogTail();
  let stdout = '';
  let status: ExitStatus | undefined;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exit = new Promise<ExitStatus>((resolve) => child.on('exit', (code, signal) => resolve((status = { code, signal }))));
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no ready line within ${readyMs} ms\nstdout: ${stdout}\nstderr:\n${stderr.text()}`)), readyMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, end)) as R);
      } catch (err) {
        reject(new Error(`${name}: the ready line is not JSON: ${stdout.slice(0, end)} (${String(err)})`));
      }
    });
    void exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited (${code ?? signal}) before ready\nstderr:\n${stderr.text()}`));
    });
  });
  return { name, child, ready, stderr, exit, exited: () => status };
}

/** Runs the bin to completion (one-shot commands); the output as text. */
export async function runBin(args: readonly string[], options: { cwd?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  live.delete(child);
  return { status, stdout, stderr };
}

/** GET a JSON route with a timeout; `undefined` when the request fails (a process still starting or gone). */
export async function getJson(url: string, timeoutMs = 5000): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  } catch {
    return undefined;
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
