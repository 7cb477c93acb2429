import { dispersyPreset } from '@dispersy/vitest-config';

// One test that runs a whole lab (up to about four minutes) in a child process.
export default dispersyPreset({ test: { pool: 'forks', testTimeout: 300_000 } });
