import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { run, type CliIo } from '../src/index.ts';

/** The result of one in-process CLI run. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dispersy-cli-'));
  dirs.push(d);
  return d;
}

/** Runs the CLI in-process, capturing its output. */
export async function cli(argv: string[], options: { cwd?: string; stdin?: string } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: Partial<CliIo> = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: options.cwd ?? tempDir(),
    readStdin: async () => options.stdin ?? '',
  };
  const status = await run(argv, io);
  return { status, stdout, stderr };
}

/** The golden wire vectors (copied from the original implementation into the codec package). */
export const WIRE_DIR = new URL('../../../packages/codec/test/vectors/wire/', import.meta.url).pathname;
