import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { CandidateTable, drawWalkCandidate, selectWalkCandidate, takeStep, walkOptions, type WalkCandidate } from '../src/index.ts';
import { applyFlags, local } from './helpers.ts';

const T = 1000;

/** Candidates on 127.0.0.1:1..n with the given flags (as the original test_candidates). */
function table(flags: readonly string[]): { table: CandidateTable; cs: WalkCandidate[] } {
  const t = new CandidateTable();
  const cs = flags.map((f, i) => {
    const c = t.create({ address: local(i + 1), tunnel: f.includes('t') }, T);
    applyFlags(c, f, T);
    return c;
  });
  return { table: t, cs };
}

/** Draws `n` times without walking, counting per port. */
function odds(flags: readonly string[], n = 20_000, seed = 42): number[] {
  const { table: t } = table(flags);
  const rng = createSeededRandom(seed);
  const counts = flags.map(() => 0);
  for (let i = 0; i < n; i++) {
    const c = selectWalkCandidate(t, T, rng);
    if (c === null) throw new Error('no candidate');
    counts[c.address.port - 1]!++;
  }
  return counts.map((x) => x / n);
}

function within(actual: number, expected: number, relative = 0.1): void {
  expect(actual).toBeGreaterThanOrEqual(expected * (1 - relative));
  expect(actual).toBeLessThanOrEqual(expected * (1 + relative));
}

describe('walk odds (test_walk_probabilities)', () => {
  it('walk 47.5 %, stumble 23.75 %, intro 23.75 %, discovered 5 %, each within ±10 % relative', () => {
    const [walk, stumble, intro, discovered] = odds(['e', 's', 'i', 'd']) as [number, number, number, number];
    within(walk, 0.475);
    within(stumble, 0.2375);
    within(intro, 0.2375);
    within(discovered, 0.05);
  });

  it('holds for several seeds (10,000 draws each)', () => {
    for (const seed of [1, 2, 3]) {
      const [walk, stumble, intro, discovered] = odds(['e', 's', 'i', 'd'], 10_000, seed) as [number, number, number, number];
      within(walk, 0.475);
      within(stumble, 0.2375);
      within(intro, 0.2375);
      within(discovered, 0.05);
    }
  });

  describe('fallbacks when categories are missing', () => {
    it('no discovered: walk 50 %, stumble 25 %, intro 25 % (r1 > 0.95 draws again)', () => {
      const [walk, stumble, intro] = odds(['e', 's', 'i']) as [number, number, number];
      within(walk, 0.5);
      within(stumble, 0.25);
      within(intro, 0.25);
    });
    it('no walk: stumble and intro share 95 %, discovered 5 %', () => {
      const [stumble, intro, discovered] = odds(['s', 'i', 'd']) as [number, number, number];
      within(stumble, 0.475);
      within(intro, 0.475);
      within(discovered, 0.05);
    });
    it('walk and discovered only: 95 % / 5 %', () => {
      const [walk, discovered] = odds(['e', 'd']) as [number, number];
      within(walk, 0.95);
      within(discovered, 0.05);
    });
    it('stumble and discovered only: 95 % / 5 %', () => {
      const [stumble, discovered] = odds(['s', 'd']) as [number, number];
      within(stumble, 0.95);
      within(discovered, 0.05);
    });
    it('walk and intro only: 50 % / 50 %', () => {
      const [walk, intro] = odds(['e', 'i']) as [number, number];
      within(walk, 0.5);
      within(intro, 0.5);
    });
    it('a single category is always chosen (discovered only: loops until r1 allows it)', () => {
      expect(odds(['d'], 2000)).toEqual([1]);
      expect(odds(['i'], 2000)).toEqual([1]);
    });
  });
});

describe('drawWalkCandidate follows the r1/r2 rules exactly', () => {
  const [w, s, i, d] = table(['e', 's', 'i', 'd']).cs as [WalkCandidate, WalkCandidate, WalkCandidate, WalkCandidate];
  const seq = (...values: number[]) => {
    let k = 0;
    return { next: () => values[k++] ?? 0 };
  };
  it('r1 ≤ .475 → walk; .475 < r1 ≤ .95 → stumble (r2 < .5) or intro; r1 > .95 → discovered', () => {
    const all = { walk: w, stumble: s, intro: i, discovered: d };
    expect(drawWalkCandidate(all, seq(0.475, 0.9))).toBe(w);
    expect(drawWalkCandidate(all, seq(0.476, 0.49))).toBe(s);
    expect(drawWalkCandidate(all, seq(0.95, 0.5))).toBe(i);
    expect(drawWalkCandidate(all, seq(0.951, 0))).toBe(d);
  });
  it('fallbacks: walk → stumble/intro → discovered; stumble/intro → other → walk → discovered', () => {
    expect(drawWalkCandidate({ walk: null, stumble: s, intro: i, discovered: d }, seq(0.1, 0.7))).toBe(i);
    expect(drawWalkCandidate({ walk: null, stumble: null, intro: null, discovered: d }, seq(0.1, 0.7))).toBe(d);
    expect(drawWalkCandidate({ walk: w, stumble: null, intro: i, discovered: d }, seq(0.6, 0.1))).toBe(i);
    expect(drawWalkCandidate({ walk: w, stumble: null, intro: null, discovered: d }, seq(0.6, 0.1))).toBe(w);
    expect(drawWalkCandidate({ walk: null, stumble: null, intro: null, discovered: d }, seq(0.6, 0.1))).toBe(d);
    // r1 > .95 without discovered: draw again
    expect(drawWalkCandidate({ walk: w, stumble: null, intro: null, discovered: null }, seq(0.99, 0, 0.99, 0, 0.2, 0))).toBe(w);
    expect(drawWalkCandidate({ walk: null, stumble: null, intro: null, discovered: null }, seq())).toBeNull();
  });
});

describe('walkOptions: the oldest eligible per category', () => {
  it('orders walk by lastWalk and the others by their category timestamp', () => {
    const t = new CandidateTable();
    const mk = (port: number) => t.create({ address: local(port) }, T);
    const w1 = mk(1);
    w1.walk(T - 40);
    w1.walkResponse(T);
    const w2 = mk(2);
    w2.walk(T - 50);
    w2.walkResponse(T - 1);
    const s1 = mk(3);
    s1.stumble(T - 1);
    const s2 = mk(4);
    s2.stumble(T - 2);
    const s3 = mk(5);
    s3.stumble(T - 3);
    s3.walk(T - 10); // not eligible
    const i1 = mk(6);
    i1.intro(T);
    const d1 = mk(7);
    d1.discovered(T - 5);
    const d2 = mk(8);
    d2.discovered(T - 5); // tie: the first inserted wins
    expect(walkOptions(t, T)).toEqual({ walk: w2, stumble: s2, intro: i1, discovered: d1 });
  });
});

describe('takeStep (cleanup first, then choose)', () => {
  it('removes obsolete candidates before choosing and returns null when nobody is eligible', () => {
    const { table: t, cs } = table(['', 'w', 's']);
    const rng = createSeededRandom(3);
    const first = takeStep(t, T, rng);
    expect(first.removed.map((c) => c.key)).toEqual([cs[0]?.key, cs[1]?.key]);
    expect(first.candidate).toBe(cs[2]);
    first.candidate?.walk(T);
    expect(takeStep(t, T, rng).candidate).toBeNull();
    expect(takeStep(t, T + 27.5, rng).candidate).toBe(cs[2]);
  });
});
