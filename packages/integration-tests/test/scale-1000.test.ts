// B13 / B7 at N = 1,000 (performance-model.md §5): 1,000 community runtimes in one process on the NAT model (60 %
// NATed in the Tribler-era mix, some NATs shared by two nodes), one tracker, the shared verification cache.
//
// Topology: NODE0 … NODE999 (400 public, 600 behind NATs) ──discovered──> TRACKER (public)
//
// CI: a smoke run of 10 walk steps that must stay bounded (events, candidate tables, no handler errors) and show
// Bloom sync at work — posts created on 20 nodes before anyone has a verified candidate (so the create-time push
// reaches nobody) spread by pull only. `SLOW=1` (`pnpm test:slow`): the full B7 run — warm-up, then one new post
// must reach all 1,000 nodes within 19 walk steps.
import { describe, expect, onTestFinished, test } from 'vitest';
import { DEFAULT_KNOBS, DEFAULT_TRACKER_MAX_COMMUNITIES } from '@dispersy/community';
import { createSimHarness, natMix } from '../src/sim-harness.ts';

const N = 1000;
const SLOW = process.env.SLOW === '1';
/** Events per node per walk step the smoke run must stay under (measured ≈ 5; see the README). */
const EVENTS_PER_NODE_STEP = 20;
/**
 * B7's live overlay: one background post per 100 nodes per walk step (as at N = 100: the same rate per node, 0.002
 * msg/s), so the sync caches stay warm. At one post per step network-wide, ≈ 7 % of 1,000 nodes saturate the skip curve
 * during the warm-up and pull on only 10 % of their steps, which leaves a tail of up to 54 steps (README).
 */
const BACKGROUND_INTERVAL = (5 * 100) / N;

describe(`${N} nodes in one process`, () => {
  test(`smoke: 10 walk steps stay bounded and Bloom sync spreads a post by pull`, async () => {
    const wall = performance.now();
    const sim = await createSimHarness({ seed: 1, nodes: natMix(N, { seed: 1 }), bootstrap: 'tracker' });
    onTestFinished(() => sim.stop());
    const built = performance.now() - wall;
    // Nobody is verified yet: the create-time push reaches no one, every other copy is pulled by Bloom sync.
    const posts = Array.from({ length: 20 }, (_, i) => sim.createPost(i * 50));
    const pulled = (): number => posts.reduce((s, p) => s + sim.coverage(p) - 1, 0);
    expect(pulled()).toBe(0);
    let events = 0;
    for (let step = 0; step < 10; step++) events += sim.runSteps(1);
    const seconds = (performance.now() - wall) / 1000;
    const snapshot = sim.snapshot();
    const counts = sim.verifiedCounts();
    console.log(
      `${N} nodes: built in ${(built / 1000).toFixed(1)} s, 10 walk steps in ${seconds.toFixed(1)} s wall; ${events} events ` +
        `(${(events / N / 10).toFixed(1)} per node-step); datagrams sent ${snapshot.network.sent}, dropped ${JSON.stringify(snapshot.network.dropped)}; ` +
        `walks ${JSON.stringify(snapshot.walk)}; sync ${JSON.stringify(snapshot.syncBloom)}; ${pulled()} copies of 20 posts pulled; ` +
        `verified candidates mean ${(counts.reduce((s, c) => s + c, 0) / N).toFixed(1)}, max table ${sim.maxCandidateTable()}; ` +
        `verification cache ${sim.network.verificationCache.hits} hits / ${sim.network.verificationCache.misses} misses; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(sim.handlerErrors).toEqual([]);
    expect(sim.unexpectedDrops()).toEqual({});
    expect(events).toBeLessThan(EVENTS_PER_NODE_STEP * N * 10);
    expect(sim.maxCandidateTable()).toBeLessThanOrEqual(DEFAULT_KNOBS.maxCandidates);
    for (const c of sim.bootstrap.dispersy.communities.values()) expect(c.candidates.size).toBeLessThanOrEqual(DEFAULT_KNOBS.maxCandidates);
    expect(sim.bootstrap.dispersy.communities.size).toBeLessThanOrEqual(DEFAULT_TRACKER_MAX_COMMUNITIES);
    const { sent, delivered, droppedTotal, inFlight } = snapshot.network;
    expect(sent).toBe(delivered + droppedTotal + inFlight);
    expect(snapshot.walk.success).toBeGreaterThan(N * 5); // most steps found someone to walk to
    expect(snapshot.syncBloom.send).toBeGreaterThan(0);
    expect(pulled()).toBeGreaterThan(0); // by Bloom-filter sync
  }, 300_000);

  test.runIf(SLOW)(`B7: after a warm-up, one new post reaches all ${N} nodes within 19 walk steps`, async () => {
    const wall = performance.now();
    const sim = await createSimHarness({ seed: 1, nodes: natMix(N, { seed: 1 }), bootstrap: 'tracker' });
    onTestFinished(() => sim.stop());
    sim.startBackgroundPosts(BACKGROUND_INTERVAL);
    sim.runSteps(50);
    const warm = (performance.now() - wall) / 1000;
    const counts = sim.verifiedCounts();
    const origin = sim.network.random().int(N);
    const spread = sim.spread(origin, { maxSteps: 60 });
    const histogram: Record<string, number> = {};
    for (const s of spread.stepOf) histogram[String(s ?? 'never')] = (histogram[String(s ?? 'never')] ?? 0) + 1;
    console.log(
      `B7 ${N} nodes: warm-up 50 steps in ${warm.toFixed(0)} s wall (verified candidates min ${Math.min(...counts)}, mean ` +
        `${(counts.reduce((s, c) => s + c, 0) / N).toFixed(1)}); post from node ${origin} reached ${spread.reached}/${N} in ${spread.steps ?? '—'} walk steps; ` +
        `nodes reached per step ${JSON.stringify(histogram)}; total ${((performance.now() - wall) / 1000).toFixed(0)} s wall`,
    );
    expect(sim.handlerErrors).toEqual([]);
    expect(spread.reached).toBe(N);
    expect(spread.steps).toBeLessThanOrEqual(19);
  }, 1_800_000);
});
