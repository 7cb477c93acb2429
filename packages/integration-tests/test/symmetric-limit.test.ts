// Why symmetric-NAT nodes hold fewer verified candidates (README "Candidates"): the walker introduces a peer by the
// address its introducer observed, and for a symmetric NAT that mapping accepts only the introducer. The peer also
// gets the puncture (from the port S opened towards it), but the response's candidate comes first and is the
// oldest intro, so its walk goes to the dead port and times out — and the original's get_candidate(replace=True)
// re-homes a known symmetric candidate to such an introduced port too (spec §7.9). The runtime does what the
// original does (on_puncture does not de-duplicate); this test pins the mechanism, the cone case as contrast.
//
// Topology: X (symmetric | full-cone NAT) ──> TRACKER (public) <── P1, P2 (public)
import { describe, expect, onTestFinished, test } from 'vitest';
import { createSimHarness, type SimHarness } from '../src/sim-harness.ts';

/** Whether a public peer holds a candidate for node 0 at a NAT port whose mapping was opened towards the tracker. */
function holdsTrackerPort(sim: SimHarness): boolean {
  const x = sim.nodes[0]!;
  const nat = x.nat!;
  return [sim.nodes[1]!, sim.nodes[2]!].some((p) =>
    p.community.candidates.active(sim.now).some((c) => {
      if (c.address.host !== nat.host) return false;
      const mapping = nat.lookup(c.address.port, sim.now);
      return mapping?.destination !== undefined && mapping.destination.host === sim.bootstrap.address.host;
    }),
  );
}

async function run(nat: 'symmetric' | 'full-cone'): Promise<{ sim: SimHarness; heldDeadPort: boolean; peerWalkFailures: number }> {
  const sim = await createSimHarness({ seed: 3, nodes: [{ nat }, { nat: 'public' }, { nat: 'public' }] });
  onTestFinished(() => sim.stop());
  let heldDeadPort = false;
  for (let step = 0; step < 24; step++) {
    sim.runSteps(1);
    if (nat === 'symmetric' && holdsTrackerPort(sim)) heldDeadPort = true;
  }
  const peerWalkFailures = [1, 2].reduce((s, i) => s + sim.nodes[i]!.community.statistics.snapshot().walk.failure, 0);
  return { sim, heldDeadPort, peerWalkFailures };
}

describe('symmetric NAT: introduced by an address only the introducer may use', () => {
  test('public peers hold the tracker-facing port of a symmetric node, and their walks to it time out', async () => {
    const { sim, heldDeadPort, peerWalkFailures } = await run('symmetric');
    expect(heldDeadPort).toBe(true);
    expect(peerWalkFailures).toBeGreaterThan(0);
    expect(sim.network.stats.dropped.nat_filtered).toBeGreaterThan(0);
    expect(sim.handlerErrors).toEqual([]);
  });

  test('contrast: behind a full-cone NAT the same introductions always work', async () => {
    const { sim, peerWalkFailures } = await run('full-cone');
    expect(peerWalkFailures).toBe(0);
    expect(sim.hasVerified(1, 0) || sim.hasVerified(2, 0)).toBe(true);
  });
});
