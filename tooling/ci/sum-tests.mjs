#!/usr/bin/env node
// Sums the vitest JSON reports of every workspace package into the one plain line CI reads:
//   tests: N passed, N failed
// Usage: node tooling/ci/sum-tests.mjs [exit status of the test run]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const runStatus = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkgDir = join(dir, name);
    const pkgJson = join(pkgDir, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
    if (!pkg.scripts?.test) continue;
    const report = join(pkgDir, 'test-results', 'vitest.json');
    if (!existsSync(report)) {
      missing.push(pkg.name);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A file that failed to load counts no test but is a failure all the same.
    for (const file of r.testResults ?? []) {
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
    }
  }
}

if (missing.length > 0) {
  process.stderr.write(`no test report from: ${missing.join(', ')}\n`);
  failed += missing.length;
}
if (runStatus !== 0 && failed === 0) {
  process.stderr.write(`the test run exited with status ${runStatus} without a failing test in the reports\n`);
  failed = 1;
}
const tail = skipped > 0 ? `, ${skipped} skipped` : '';
process.stdout.write(`tests: ${passed} passed, ${failed} failed${tail}\n`);
process.exit(failed > 0 ? 1 : 0);
