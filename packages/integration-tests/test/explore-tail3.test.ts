import { test } from 'vitest';
import { syncRequesterState } from '@dispersy/community';
import { createSimHarness, natMix } from '../src/sim-harness.ts';

test('tail3', async () => {
  const N = 1000;
  const sim = await createSimHarness({ seed: 1, nodes: natMix(N, { seed: 1 }), bootstrap: 'tracker' });
  sim.startBackgroundPosts(0.5);
  for (let s = 0; s < 50; s += 10) {
    sim.runSteps(10);
    const bl = sim.nodes.map((n) => sim.postsCreated - sim.postsStoredBy(n.index)).sort((a, b) => a - b);
    console.log(`warm ${s + 10}: created ${sim.postsCreated} backlog p50 ${bl[N >> 1]} p90 ${bl[Math.floor(N * 0.9)]} p99 ${bl[Math.floor(N * 0.99)]} max ${bl[N - 1]}`);
  }
  const watch = [150, 574, 944, 19, 4].map((i) => sim.nodes[i]!);
  const origin = sim.network.random().int(N);
  const text = sim.createPost(origin);
  for (let step = 0; step < 30; step++) {
    const before = watch.map((n) => sim.postsStoredBy(n.index));
    sim.runSteps(1);
    console.log(`step ${step + 1} coverage ${sim.coverage(text)}: ` + watch.map((n, i) => {
      const st = syncRequesterState(n.community);
      return `node${n.index} backlog ${sim.postsCreated - sim.postsStoredBy(n.index)} +${sim.postsStoredBy(n.index) - before[i]!} skip ${st.skipCount} cache ${st.cache ? `${st.cache.timesUsed}/${st.cache.responsesReceived} [${st.cache.timeLow},${st.cache.timeHigh}] cap` : '-'} verified ${sim.verifiedCandidates(n).length}`;
    }).join(' | '));
  }
  await sim.stop();
}, 3_000_000);
