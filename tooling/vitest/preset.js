// Shared vitest preset: resolve sibling @dispersy packages to their TypeScript sources
// (the `@dispersy/source` export condition), so tests never run against a stale dist/.
// Every run also writes test-results/vitest.json, which .ci/run sums into one line.
import { defineConfig, mergeConfig } from 'vitest/config';

const conditions = ['@dispersy/source', 'import', 'module', 'node', 'default'];

/**
 * @param {import('vitest/config').UserConfig} [overrides]
 */
export function dispersyPreset(overrides = {}) {
  /** @type {any} */
  const reporters = ['default', ['json', { outputFile: 'test-results/vitest.json' }]];
  return mergeConfig(
    defineConfig({
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ['@dispersy/source'] } },
      test: {
        include: ['test/**/*.test.ts'],
        testTimeout: 20_000,
        reporters,
      },
    }),
    overrides,
  );
}
