// @ts-check
// Benchmark harness shared by every package's bench/ folder.
//
// Rules (../../../shared/spec/performance-model.md §5 and the issue): every figure is printed next to an anchor
// measured in the same run on the same machine, with the ratio, and written as JSON to bench/results/<name>.json at
// the workspace root. BENCH_SMOKE=1 shortens every measurement so CI can check that nothing rots.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const SMOKE = process.env.BENCH_SMOKE === '1';
const root = new URL('../..', import.meta.url).pathname;
export const resultsDir = join(root, 'bench', 'results');

/**
 * Runs `fn` repeatedly for about `seconds` (after a warm-up) and returns operations per second.
 * `fn` may perform `opsPerCall` operations per call (batching keeps loop overhead out of small operations).
 * @param {() => unknown} fn
 * @param {{ seconds?: number, opsPerCall?: number, warmup?: number }} [opts]
 * @returns {number} operations per second
 */
export function opsPerSecond(fn, opts = {}) {
  const seconds = SMOKE ? 0.05 : (opts.seconds ?? 1.5);
  const opsPerCall = opts.opsPerCall ?? 1;
  const warmupEnd = performance.now() + (SMOKE ? 10 : (opts.warmup ?? 300));
  while (performance.now() < warmupEnd) fn();
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    fn();
    calls++;
    if ((calls & 7) === 0) now = performance.now();
  }
  now = performance.now();
  return (calls * opsPerCall) / ((now - start) / 1000);
}

/**
 * Like {@link opsPerSecond} for asynchronous work: awaits `fn` in a loop for about `seconds`.
 * @param {() => Promise<unknown>} fn
 * @param {{ seconds?: number, opsPerCall?: number }} [opts]
 * @returns {Promise<number>}
 */
export async function opsPerSecondAsync(fn, opts = {}) {
  const seconds = SMOKE ? 0.1 : (opts.seconds ?? 2);
  const opsPerCall = opts.opsPerCall ?? 1;
  await fn();
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    calls++;
  }
  return (calls * opsPerCall) / ((performance.now() - start) / 1000);
}

/**
 * Median of a list of numbers.
 * @param {number[]} xs
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? /** @type {number} */ (s[mid]) : ((/** @type {number} */ (s[mid - 1]) + /** @type {number} */ (s[mid])) / 2);
}

/**
 * @typedef {object} Row
 * @property {string} id          benchmark id, e.g. "B1"
 * @property {string} what        what was measured
 * @property {number} ours        our figure
 * @property {string} unit        unit of `ours` and `anchor`
 * @property {number | null} anchor   the anchor measured in the same run (null when the target is absolute)
 * @property {string} anchorWhat  what the anchor is
 * @property {number | null} ratio    ours / anchor (or anchor / ours for lower-is-better units, see `better`)
 * @property {'higher' | 'lower'} better
 * @property {string} target      the target, in words
 * @property {boolean} met        whether the target is met
 */

/**
 * Builds a row, computing the ratio so that > 1 always means "ours is better than the anchor".
 * @param {Omit<Row, 'ratio' | 'met'> & { meets: (row: Row) => boolean }} spec
 * @returns {Row}
 */
export function row(spec) {
  const { meets, ...rest } = spec;
  const ratio =
    rest.anchor === null || rest.anchor === 0
      ? null
      : rest.better === 'higher'
        ? rest.ours / rest.anchor
        : rest.anchor / rest.ours;
  /** @type {Row} */
  const r = { ...rest, ratio, met: false };
  r.met = meets(r);
  return r;
}

/** A short description of this machine for the results. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/**
 * @param {number} x
 */
function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toPrecision(3);
}

/**
 * Prints the rows as a table and writes bench/results/<name>.json.
 * @param {string} name   file name (without .json)
 * @param {Row[]} rows
 */
export function report(name, rows) {
  const lines = [
    `| id | what | ours | anchor (same run) | ratio | target | met |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.what} | ${fmt(r.ours)} ${r.unit} | ${r.anchor === null ? '—' : `${fmt(r.anchor)} ${r.unit} (${r.anchorWhat})`} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`,
    ),
  ];
  process.stdout.write(`\n## ${name}${SMOKE ? ' (smoke run: figures are not meaningful)' : ''}\n\n${lines.join('\n')}\n`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `${name}.json`),
    `${JSON.stringify({ name, smoke: SMOKE, date: new Date().toISOString(), machine: machine(), rows }, null, 2)}\n`,
  );
}
