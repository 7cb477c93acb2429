// An IDLE overlay (no traffic during the warm-up) against the sync skip curve (spec §8.3, performance-model.md §1.3):
// every fresh Bloom filter that brings nothing raises the skip counter, so after a 50-step idle warm-up a node
// attaches a filter to only ≈ 10 % of its walks, and a new post spreads by pull at that rate. Measured with the
// original's default (`syncSkipEnable: true`) and with the skip curve off; only the latter is held to the anchor.
// `SLOW=1` only (≈ 2 minutes).
//
// Topology (each run, its own SimNetwork): NODE0 … NODE99 (40 public, 60 behind NATs) ──discovered──> TRACKER (public)
import { describe, expect, test } from 'vitest';
import { createSimHarness, median, natMix } from '../src/sim-harness.ts';

const SLOW = process.env.SLOW === '1';
const SEEDS = [1, 2, 3] as const;

interface IdleResult {
  readonly steps: number | undefined;
  readonly reached: number;
  /** Share of the walks during the spread that carried no Bloom filter (skipped). */
  readonly skipShare: number;
}

async function idleSpread(seed: number, syncSkipEnable: boolean): Promise<IdleResult> {
  const sim = await createSimHarness({ seed, nodes: natMix(100, { seed }), knobs: { syncSkipEnable } });
  try {
    sim.runSteps(50);
    const before = sim.snapshot().syncBloom;
    const spread = sim.spread(sim.network.random().int(100), { maxSteps: 120 });
    const after = sim.snapshot().syncBloom;
    const skipped = after.skip - before.skip;
    expect(sim.handlerErrors).toEqual([]);
    return { steps: spread.steps, reached: spread.reached, skipShare: skipped / (skipped + after.send - before.send) };
  } finally {
    await sim.stop();
  }
}

describe.runIf(SLOW)('idle overlay, 100 nodes: the skip curve throttles the pull', () => {
  test('with the skip curve off a post reaches all within 19 walk steps (median); the default is reported', async () => {
    const off: IdleResult[] = [];
    const on: IdleResult[] = [];
    for (const seed of SEEDS) {
      off.push(await idleSpread(seed, false));
      on.push(await idleSpread(seed, true));
    }
    const show = (rs: readonly IdleResult[]): string => rs.map((r) => `${r.steps ?? `— (${r.reached}/100)`} [skipped ${(100 * r.skipShare).toFixed(0)} %]`).join(', ');
    console.log(`idle overlay, seeds ${SEEDS.join(', ')}: skip curve off → ${show(off)}; default (skip on) → ${show(on)}`);
    expect(median(off.map((r) => r.steps))).toBeLessThanOrEqual(19);
    expect(Math.min(...on.map((r) => r.skipShare))).toBeGreaterThan(0.5); // the throttle is what slows the default
  }, 1_800_000);
});
