// Runs the NAT lab once (network namespaces, nftables NAT routers, dispersy nodes, the introducer) and checks the
// cells NAT theory is sure of: two port-restricted cones puncture each other, two symmetric NATs do not, and the
// lab leaves no namespace behind. Needs root, `ip netns` and nftables; skips with the reason otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const LAB = fileURLToPath(new URL('../natlab.mjs', import.meta.url));

interface Probe {
  readonly ok: boolean;
  readonly reason: string | null;
  readonly cliBuilt?: boolean;
}

interface Pair {
  readonly a: string;
  readonly b: string;
  readonly typeA: string;
  readonly typeB: string;
  readonly mutual: boolean;
  readonly expected: boolean;
}

interface LabResult {
  readonly prefix: string;
  readonly introducer: string;
  readonly measuredSeconds: number;
  readonly pairs: readonly Pair[];
  readonly failure: string | null;
  readonly leftovers: readonly string[];
}

function probe(): Probe {
  const r = spawnSync(process.execPath, [LAB, 'probe'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `natlab probe failed: ${r.stderr.trim()}` };
  return JSON.parse(r.stdout) as Probe;
}

function runLab(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // SIGTERM after 280 s (below the test timeout): the lab then removes everything it made and exits.
    const child = spawn(process.execPath, [LAB, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 280_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function labNamespaces(prefix: string): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n.startsWith(prefix));
}

const check = probe();
const skipReason = check.ok ? undefined : (check.reason ?? 'unknown reason');
if (skipReason !== undefined) console.warn(`natlab: the NAT lab test is SKIPPED: ${skipReason}`);

const work = mkdtempSync(join(tmpdir(), 'natlab-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('NAT lab', () => {
  it.skipIf(skipReason !== undefined)(
    skipReason === undefined
      ? 'port-restricted cones puncture each other, symmetric NATs do not, and nothing is left behind'
      : `SKIPPED (${skipReason})`,
    async () => {
      expect(check.cliBuilt, 'the CLI is not built: turbo builds @dispersy/cli first (dependsOn ^build), or run `pnpm turbo run build --filter=@dispersy/cli...`').toBe(true);
      const json = join(work, 'result.json');
      const started = Date.now();
      const { status, stdout, stderr } = await runLab([
        'run', '--types', 'public,port-restricted,symmetric', '--per-type', '2',
        '--until', 'port-restricted:port-restricted', '--min-time', '30', '--max-time', '240', '--json', json,
      ]);
      console.log(`${stdout}\n(lab run: ${Math.round((Date.now() - started) / 1000)} s)`);
      expect(status, `the lab failed:\n${stderr}`).toBe(0);
      const result = JSON.parse(readFileSync(json, 'utf8')) as LabResult;
      expect(result.failure).toBeNull();

      const pairOf = (type: string): Pair => {
        const pair = result.pairs.find((p) => p.typeA === type && p.typeB === type);
        if (pair === undefined) throw new Error(`no ${type} pair in the result`);
        return pair;
      };
      expect(pairOf('port-restricted').mutual, 'two port-restricted cones must become verified candidates of each other').toBe(true);
      expect(pairOf('symmetric').mutual, 'two symmetric NATs must not').toBe(false);

      expect(result.leftovers).toEqual([]);
      expect(labNamespaces(result.prefix)).toEqual([]);
    },
  );
});
