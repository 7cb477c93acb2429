// Determinism (house-style §2.7 item 6): the virtual clock and seeded randomness are injected everywhere and every
// key derives from the seed, so one seed replays the same run — the same steps-to-coverage figure and the same
// statistics snapshot — and another seed gives another run.
//
// Topology (each run, its own SimNetwork): NODE0 … NODE29 (12 public, 18 behind NATs of every type, one shared NAT)
//   ──discovered──> TRACKER (public); a background post every walk step; then one post spreads from a random node.
import { describe, expect, onTestFinished, test } from 'vitest';
import { createSimHarness, natMix, type HarnessSnapshot, type SpreadResult } from '../src/sim-harness.ts';

async function run(seed: number): Promise<{ spread: SpreadResult; snapshot: HarnessSnapshot; cid: string }> {
  const sim = await createSimHarness({ seed, nodes: natMix(30, { seed, sharedShare: 0.2 }), bootstrap: 'tracker' });
  onTestFinished(() => sim.stop());
  sim.startBackgroundPosts(5);
  sim.runSteps(20);
  const spread = sim.spread(sim.network.random().int(30), { maxSteps: 40 });
  sim.runSteps(2);
  return { spread, snapshot: sim.snapshot(), cid: Buffer.from(sim.master.mid).toString('hex') };
}

describe('determinism', () => {
  test('the same seed gives the same steps-to-coverage and the same statistics snapshot in two runs', async () => {
    const first = await run(7);
    const second = await run(7);
    expect(first.spread.steps).toBeDefined();
    expect(second.cid).toBe(first.cid);
    expect(second.spread).toEqual(first.spread);
    expect(second.snapshot).toEqual(first.snapshot);
    console.log(`seed 7, twice: steps to coverage ${first.spread.steps} and ${second.spread.steps}; ${first.snapshot.network.sent} datagrams sent in both runs`);
  }, 120_000);

  test('another seed gives another run', async () => {
    const a = await run(7);
    const b = await run(8);
    expect(b.cid).not.toBe(a.cid);
    expect(b.snapshot).not.toEqual(a.snapshot);
  }, 120_000);
});
