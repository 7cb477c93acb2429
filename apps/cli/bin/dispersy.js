#!/usr/bin/env node
// The `dispersy` command. The compiled CLI lives in dist/; `pnpm build` (run by `pnpm install` at the
// workspace root) produces it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('dispersy: the CLI is not built yet; run `pnpm build` at the workspace root\n');
  process.exit(1);
}
await import(main.href);
