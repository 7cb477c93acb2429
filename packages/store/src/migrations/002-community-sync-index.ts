/**
 * Migration 2: the index the requester's Bloom-filter selection needs (spec §8.3).
 *
 * The requester selects the community's syncable rows (every meta with priority > 32, not undone) by global time:
 * `global_time ≥ from` ascending or `≤ from` descending with a LIMIT, and the modulo variant. Schema 1 only has
 * per-meta indexes, so those queries scanned the whole community and sorted it (about 100 ms at 10^6 rows). With
 * (community, global_time, undone) they walk the index in global-time order and stop at the LIMIT, and the
 * community's highest global time (the Lamport clock at load, spec §5) is one index lookup. `undone` is the last
 * column so that undone rows are skipped inside the index, without reading the row.
 * @module
 */
import type { Migration } from './index.ts';

/** Migration 2: index sync rows by (community, global_time, undone). */
export const migration002: Migration = {
  version: 2,
  name: 'index sync rows by community and global time',
  sql: `
CREATE INDEX sync_community_global_time ON sync (community, global_time, undone);
`,
};
