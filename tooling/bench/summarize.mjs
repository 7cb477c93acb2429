#!/usr/bin/env node
// @ts-check
// Collects bench/results/*.json into one markdown table (bench/results/summary.md) and prints it.
// Ends with the number of missed targets, so `pnpm bench` shows misses plainly.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './harness.mjs';

const files = readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort();
/** @type {string[]} */
const lines = [];
let machineLine = '';
let misses = 0;
for (const f of files) {
  const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8'));
  const m = r.machine;
  machineLine = `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}${r.smoke ? ' (SMOKE RUN)' : ''}`;
  for (const row of r.rows) {
    if (!row.met) misses++;
    const num = (/** @type {number} */ x) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(3));
    lines.push(
      `| ${row.id} | ${row.what} | ${num(row.ours)} ${row.unit} | ${row.anchor === null ? '—' : `${num(row.anchor)} ${row.unit} (${row.anchorWhat})`} | ${row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`} | ${row.target} | ${row.met ? 'yes' : '**no**'} |`,
    );
  }
}
const table = [
  `Measured on: ${machineLine}`,
  '',
  '| id | what | ours | anchor (same run) | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...lines,
].join('\n');
writeFileSync(join(resultsDir, 'summary.md'), `${table}\n`);
process.stdout.write(`\n# Summary\n\n${table}\n\n${misses === 0 ? 'every target met' : `${misses} target(s) missed`}\n`);
