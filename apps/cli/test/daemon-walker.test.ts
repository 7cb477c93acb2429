// Walking in the daemon: ONE mechanism per community. The daemon's communities turn the runtime's fixed 5 s walker
// off and the daemon walks them every --walk-interval seconds; a community whose knobs leave the runtime's walker on
// gets no daemon task. Candidates are shown with the walker's LAN / WAN addresses and connection type.
import { describe, expect, it } from 'vitest';
import { WALKER_TASK, type Community } from '@dispersy/community';
import { daemonDebugCommunity, daemonWalks } from '../src/index.ts';
import { call, eventually, masterKey, startTestNode } from './node-helpers.ts';

describe('the daemon walker', () => {
  it('walks only where the runtime does not: daemonWalks follows the enableCandidateWalker knob', () => {
    expect(daemonDebugCommunity.knobs.enableCandidateWalker).toBe(false);
    expect(daemonDebugCommunity.knobs.enableCandidateWalkerResponses).toBe(true);
    expect(daemonWalks({ knobs: { enableCandidateWalker: false } } as Community)).toBe(true);
    expect(daemonWalks({ knobs: { enableCandidateWalker: true } } as Community)).toBe(false);
  });

  it("a joined community runs the daemon's walker task, never the runtime's", async () => {
    const master = masterKey();
    const node = await startTestNode({ community: [`debug:${master.publicHex}`] });
    const community = node.running.node.communities.get(master.cid);
    expect(community?.tasks.has('cli-walker')).toBe(true);
    expect(community?.tasks.has(WALKER_TASK)).toBe(false);
  });

  it('shows candidates with their LAN and WAN addresses and connection type (from the walker)', async () => {
    const master = masterKey();
    const a = await startTestNode({ community: [`debug-master:${master.file}`] });
    const b = await startTestNode({ community: [`debug:${master.publicHex}`], bootstrap: [a.running.ready.udp], walkInterval: '0.2' });
    const seen = await eventually(async () => {
      const r = await call(b, `/v1/communities/${master.cid}/candidates`);
      return (r.body.candidates as { address: string; category: string }[]).find((c) => c.address === a.running.ready.udp && c.category === 'walk');
    }, 20_000, () => `${a.logs.join('')}\n${b.logs.join('')}`);
    // A answered from 127.0.0.1 and reported its own LAN / WAN address; on loopback both are the socket address.
    expect(seen).toMatchObject({ lan: a.running.ready.udp, wan: a.running.ready.udp, tunnel: false, mid: a.running.ready.mid });
    expect(['public', 'unknown', 'symmetric-NAT']).toContain((seen as unknown as { connectionType: string }).connectionType);
  });
});
