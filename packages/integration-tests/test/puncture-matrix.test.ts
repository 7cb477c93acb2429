// The NAT puncture matrix with the REAL runtime walker (spec §7.5–7.8, performance-model.md B11): for every ordered
// pair of node kinds (public, or behind a full-cone / address-restricted / port-restricted / symmetric NAT), A and B
// walk through a public tracker until A is introduced to B (A holds a candidate that reaches B), then keep walking
// until both hold each other as VERIFIED (walk or stumble) candidates — or 300 s of virtual time pass.
//
// Topology (each cell, its own SimNetwork):
//   A (NAT type X) ──> TRACKER (public, createTracker) <── B (NAT type Y)
//   A <····· introduction, puncture-request, puncture, walks ·····> B
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { createSimHarness, NODE_NATS, type NodeNat } from '../src/sim-harness.ts';

/**
 * Expected from NAT theory (the sim's README matrix for raw datagrams, which the walker's pattern reproduces): a cone
 * NAT shows every peer the mapping the tracker saw, so cone ↔ cone always meets; a symmetric NAT opens a new port per
 * destination, so its peer must accept "any port of an IP I sent to" (full cone, address-restricted) or be public;
 * there is no port prediction, so symmetric ↔ port-restricted and symmetric ↔ symmetric fail. Over several walker
 * rounds the roles swap (each side walks to the tracker and is introduced to the other), so the sim README's one-round
 * timing caveat (address-restricted walker → symmetric peer) does not show: the matrix is symmetric.
 *
 *   A \ B                public  full-cone  addr-restr.  port-restr.  symmetric
 *   public                 ✓        ✓          ✓            ✓           ✓
 *   full-cone              ✓        ✓          ✓            ✓           ✓
 *   address-restricted     ✓        ✓          ✓            ✓           ✓
 *   port-restricted        ✓        ✓          ✓            ✓           ✗
 *   symmetric              ✓        ✓          ✓            ✗           ✗
 */
const FAILS: ReadonlySet<string> = new Set(['port-restricted|symmetric', 'symmetric|port-restricted', 'symmetric|symmetric']);
const expected = (a: NodeNat, b: NodeNat): boolean => !FAILS.has(`${a}|${b}`);

const SEEDS = [11, 12, 13] as const;
const MAX_SECONDS = 300;

interface Cell {
  readonly introduced: boolean;
  readonly connected: boolean;
  /** Seconds from the introduction to mutual verification. */
  readonly seconds: number | undefined;
  /** A's and B's categories of each other when they met. */
  readonly how: string;
}

async function runPair(seed: number, a: NodeNat, b: NodeNat): Promise<Cell> {
  const sim = await createSimHarness({ seed, nodes: [{ nat: a }, { nat: b }], bootstrap: 'tracker' });
  onTestFinished(() => sim.stop());
  const introduced = sim.network.runUntil(() => sim.knows(0, 1), { maxSeconds: MAX_SECONDS, throwOnTimeout: false });
  const at = sim.now;
  const connected = introduced && sim.network.runUntil(() => sim.hasVerified(0, 1) && sim.hasVerified(1, 0), { maxSeconds: MAX_SECONDS, throwOnTimeout: false });
  const category = (x: number, y: number): string => sim.verifiedCandidates(x).find((c) => sim.isAddressOf(c.address, sim.nodes[y]!))?.category(sim.now) ?? '-';
  expect(sim.handlerErrors).toEqual([]);
  expect(sim.unexpectedDrops()).toEqual({});
  return { introduced, connected, seconds: connected ? sim.now - at : undefined, how: connected ? `${category(0, 1)}/${category(1, 0)}` : '' };
}

const results = new Map<string, Cell[]>();

describe('puncture matrix: A (X) and B (Y) meet through a public tracker with the real walker', () => {
  for (const a of NODE_NATS) {
    for (const b of NODE_NATS) {
      const verdict = expected(a, b) ? 'verify each other' : 'never verify each other (expected failure: no port prediction)';
      test(`A ${a} ↔ B ${b}: introduced, then ${verdict}`, async () => {
        const cells: Cell[] = [];
        for (const seed of SEEDS) cells.push(await runPair(seed, a, b));
        results.set(`${a}|${b}`, cells);
        for (const cell of cells) {
          expect(cell.introduced).toBe(true); // the tracker introduces them in every case
          expect(cell.connected).toBe(expected(a, b));
        }
      });
    }
  }

  afterAll(() => {
    if (results.size === 0) return;
    const table: Record<string, Record<string, string>> = {};
    for (const a of NODE_NATS) {
      const row: Record<string, string> = {};
      for (const b of NODE_NATS) {
        const cells = results.get(`${a}|${b}`);
        if (cells === undefined) continue;
        const ok = cells.every((c) => c.connected);
        const worst = Math.max(...cells.map((c) => c.seconds ?? 0));
        row[b] = ok ? `✓ ≤${worst.toFixed(0)}s ${cells[0]?.how ?? ''}` : cells.some((c) => c.connected) ? 'partial' : '✗ (expected)';
      }
      table[`A ${a}`] = row;
    }
    console.log(`Puncture matrix (rows: A, columns: B; seeds ${SEEDS.join(', ')}; ✓ = both verified, seconds after the introduction, A's/B's category of the other)`);
    console.table(table);
  });
});

// Two homes: nodes sharing one NAT (same type, one LAN) meet through the tracker and talk over their LAN addresses
// (spec §7.8: the introduced LAN address is used when the introduced WAN IP is mine), hairpinning off.
//   A, B (one NAT of type X, one LAN) ──> TRACKER (public)
describe('LAN peers behind one shared NAT', () => {
  for (const nat of NODE_NATS.filter((n): n is Exclude<NodeNat, 'public'> => n !== 'public')) {
    test(`two nodes behind one ${nat} NAT verify each other by their LAN addresses`, async () => {
      const sim = await createSimHarness({ seed: 21, nodes: [{ nat, lan: 'home' }, { nat, lan: 'home' }] });
      onTestFinished(() => sim.stop());
      expect(sim.nodes[0]!.nat).toBe(sim.nodes[1]!.nat);
      const met = sim.network.runUntil(() => sim.hasVerified(0, 1) && sim.hasVerified(1, 0), { maxSeconds: MAX_SECONDS, throwOnTimeout: false });
      expect(met).toBe(true);
      for (const [x, y] of [[0, 1], [1, 0]] as const) {
        const peer = sim.verifiedCandidates(x).find((c) => sim.isAddressOf(c.address, sim.nodes[y]!));
        expect(peer?.address).toEqual(sim.nodes[y]!.endpoint.address); // the LAN address, not a NAT mapping
      }
      expect(sim.network.stats.dropped.hairpin).toBe(0);
      expect(sim.handlerErrors).toEqual([]);
    });
  }
});
