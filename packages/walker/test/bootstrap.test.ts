import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_FILE_ENV,
  DEFAULT_BOOTSTRAP_FILE,
  DEFAULT_TRACKERS,
  needsResolution,
  NO_WALK_CANDIDATE_RETRY_DELAY,
  parseBootstrapFile,
  TRACKER_INSERT_INTERVAL,
  TRACKER_RESOLVE_INTERVAL,
} from '../src/index.ts';
import { makeWalker } from './helpers.ts';

describe('bootstrap trackers (spec §7.10)', () => {
  it('the default list, file name, variable and intervals', () => {
    expect(DEFAULT_TRACKERS.length).toBe(15);
    expect(DEFAULT_TRACKERS[0]).toEqual({ host: 'dispersy1.tribler.org', port: 6421 });
    expect(DEFAULT_TRACKERS[1]).toEqual({ host: '130.161.119.206', port: 6421 });
    expect(DEFAULT_TRACKERS.at(-1)).toEqual({ host: 'dispersy3.st.tudelft.nl', port: 6423 });
    expect(DEFAULT_TRACKERS.filter((t) => !needsResolution(t)).length).toBe(6);
    expect([BOOTSTRAP_FILE_ENV, DEFAULT_BOOTSTRAP_FILE]).toEqual(['DISPERSY_BOOTSTRAP_FILE', 'bootstraptribler.txt']);
    expect([TRACKER_INSERT_INTERVAL, TRACKER_RESOLVE_INTERVAL, NO_WALK_CANDIDATE_RETRY_DELAY]).toEqual([300, 300, 60]);
  });

  it('parses host/port lines, skips comments and blank lines, reports malformed lines', () => {
    const text = '# trackers\n10.0.0.2 6421\n\n  tracker.example.org   6422  \nbad\n1.2.3.4 0\n1.2.3.4 65536\n999.1.1.1 1\nhost 12x\na b c\r\n5.6.7.8 7\r\n';
    const { trackers, invalidLines } = parseBootstrapFile(text);
    expect(trackers).toEqual([
      { host: '10.0.0.2', port: 6421 },
      { host: 'tracker.example.org', port: 6422 },
      { host: '5.6.7.8', port: 7 },
    ]);
    expect(invalidLines).toEqual([5, 6, 7, 8, 9, 10]);
    expect(parseBootstrapFile('').trackers).toEqual([]);
  });

  it('resolved trackers become discovered candidates', () => {
    const { walker, clock } = makeWalker();
    for (const t of DEFAULT_TRACKERS.filter((x) => !needsResolution(x))) walker.addDiscovered(t);
    expect(walker.table.size).toBe(6);
    expect(walker.table.list().every((c) => c.category(clock.now()) === 'discovered')).toBe(true);
  });
});
