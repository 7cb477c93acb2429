import { dispersyPreset } from '@dispersy/vitest-config';

// better-sqlite3 is a native module: run test files in child processes rather than worker threads.
export default dispersyPreset({ test: { pool: 'forks' } });
