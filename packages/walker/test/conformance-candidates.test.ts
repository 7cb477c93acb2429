/**
 * The original's generated test_candidates (spec §14): for every flag string, build candidates on 127.0.0.1:1..N
 * (LAN = WAN = socket address) and check the yields, the introduce selection (with and without exclusion) and the
 * walk selection. Flags: t tunnelled, w we walked (no reply), r walk reply received, e walked 27.5 s ago with a
 * reply now (eligible), s stumbled, i introduced, d discovered. One, two and five ("many") copies per flag string
 * (the original uses 22), plus the 64 mixed lists.
 */
import { createSeededRandom } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { CandidateTable, IntroduceSelector, takeStep, type WalkCandidate } from '../src/index.ts';
import { applyFlags, keys, local } from './helpers.ts';

const T = 1000;

/** Every combination of `twresid` of length 0–6, in itertools order, minus r-without-w and e-with-w-or-r. */
function flagStrings(): string[] {
  const letters = 'twresid';
  const out: string[] = [];
  const combos = (start: number, length: number, prefix: string): void => {
    if (prefix.length === length) {
      out.push(prefix);
      return;
    }
    for (let i = start; i < letters.length; i++) combos(i + 1, length, prefix + letters[i]);
  };
  for (let length = 0; length < letters.length; length++) combos(0, length, '');
  return out.filter((f) => !(f.includes('r') && !f.includes('w')) && !(f.includes('e') && (f.includes('w') || f.includes('r'))));
}

const FLAGS = flagStrings();

const has = (f: string, ...letters: string[]) => letters.some((l) => f.includes(l));

function check(allFlags: readonly string[]): void {
  const table = new CandidateTable();
  const candidates: WalkCandidate[] = allFlags.map((f, i) => table.create({ address: local(i + 1), tunnel: f.includes('t') }, T));
  candidates.forEach((c, i) => applyFlags(c, allFlags[i] as string, T));
  const pick = (filter: (f: string, c: WalkCandidate) => boolean) => candidates.filter((c, i) => filter(allFlags[i] as string, c));
  const maxCalls = Math.max(20, allFlags.length * 4);

  // yield_candidates / yield_verified_candidates
  for (let call = 0; call < 3; call++) {
    expect(keys(table.candidates(T))).toEqual(keys(pick((f) => has(f, 's', 'e', 'i', 'r'))));
    expect(keys(table.verifiedCandidates(T))).toEqual(keys(pick((f) => has(f, 's', 'e', 'r'))));
  }

  // get_introduce_candidate without exclusion: exactly the s/e/r candidates, or only null
  const selector = new IntroduceSelector(table, createSeededRandom(allFlags.length + 1));
  const introducable = pick((f) => has(f, 's', 'e', 'r'));
  const expectedAll = introducable.length > 0 ? keys(introducable) : [null];
  expect(keys(Array.from({ length: maxCalls }, () => selector.select(T)))).toEqual(expectedAll);

  // with exclusion: never X, never a tunnelled one when X is not tunnelled
  for (const x of candidates) {
    const selection = pick((f, c) => c !== x && !(!x.tunnel && c.tunnel) && has(f, 's', 'e', 'r'));
    const expected = selection.length > 0 ? keys(selection) : [null];
    expect(keys(Array.from({ length: maxCalls }, () => selector.select(T, x)))).toEqual(expected);
  }

  // get_walk_candidate: one by one (each then walked) exactly the e, or s/i/d without w, candidates; then null
  const rng = createSeededRandom(7);
  const walkable = new Set(pick((f) => has(f, 'e') || (has(f, 's', 'i', 'd') && !f.includes('w'))).map((c) => c.key));
  const walked = new Set<string>();
  for (let n = 0; n < walkable.size; n++) {
    const c = takeStep(table, T, rng).candidate;
    expect(c).not.toBeNull();
    expect(walkable.has((c as WalkCandidate).key)).toBe(true);
    (c as WalkCandidate).walk(T);
    expect((c as WalkCandidate).isEligibleForWalk(T)).toBe(false);
    walked.add((c as WalkCandidate).key);
  }
  expect(walked).toEqual(walkable);
  expect(takeStep(table, T, rng).candidate).toBeNull();
}

describe('test_candidates (generated)', () => {
  it('generates the original 64 flag strings', () => {
    expect(FLAGS.length).toBe(64);
    expect(FLAGS.slice(0, 8)).toEqual(['', 't', 'w', 'e', 's', 'i', 'd', 'tw']);
    expect(FLAGS.at(-1)).toBe('twrsid');
  });

  it('test_no_candidates', () => check([]));

  describe.each(FLAGS.map((f) => [f === '' ? '(none)' : f, f] as const))('flags %s', (_name, flags) => {
    it('one', () => check([flags]));
    it('two', () => check([flags, flags]));
    it('many (5)', () => check(Array.from({ length: 5 }, () => flags)));
  });

  describe('mixed', () => {
    it.each(Array.from({ length: 64 }, (_, i) => i + 1))('mixed %i', (n) => check(FLAGS.slice(0, n)));
  });
});
