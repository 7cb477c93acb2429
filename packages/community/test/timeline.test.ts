/** The permission timeline (spec §6.1, §6.2, §4.3; quirks 6, 7, 8). */
import { describe, expect, test as vtest } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { dispersyMessages, type Resolution } from '@dispersy/codec';
import { debugCommunityMessages } from '@dispersy/codec/debug';
import { initialGrants, reevaluateTimerange, Timeline, type TimelineGrant, type TimerangeRow } from '../src/timeline.ts';

const MASTER = 'aa'.repeat(20);
const ALICE = 'a1'.repeat(20);
const BOB = 'b0'.repeat(20);
const CAROL = 'c0'.repeat(20);
const LINEAR: Resolution = { kind: 'linear' };
const PUBLIC: Resolution = { kind: 'public' };
const DYN = 'dynamic-resolution-text';
const PROTECTED = 'protected-full-sync-text';
const FULL = 'full-sync-text';
const resolutions = new Map<string, Resolution>([...dispersyMessages, ...debugCommunityMessages].map((m) => [m.name, m.resolution]));
resolutions.set('post', LINEAR);
/** Proofs are strings here; the runtime passes stored records compared by packet bytes. */
const timeline = (): Timeline<string> =>
  new Timeline<string>({ masterMid: MASTER, resolutionOf: (name) => resolutions.get(name), compareProofs: (a, b) => (a < b ? -1 : a > b ? 1 : 0) });

const grant = (member: string, meta: string, permission: TimelineGrant['permission'] = 'permit'): TimelineGrant => ({ member, meta, permission });
const permitted = (t: Timeline<string>, member: string, gt: number, meta = 'post') => t.check(member, gt, LINEAR, [[meta, 'permit']]);

describe('Timeline.check (spec §6.1 _check)', () => {
  vtest('the master member is always allowed, without proofs', () => {
    const t = timeline();
    for (const p of ['permit', 'authorize', 'revoke', 'undo'] as const) expect(t.check(MASTER, 1, LINEAR, [['post', p]])).toEqual({ allowed: true, proofs: [] });
    t.revoke(MASTER, 5, [grant(MASTER, 'post')], 'revoke-master');
    expect(permitted(t, MASTER, 9).allowed).toBe(true);
  });

  vtest('Public resolution allows anyone, for any permission', () => {
    expect(timeline().check(BOB, 7, PUBLIC, [[FULL, 'permit'], [FULL, 'undo']])).toEqual({ allowed: true, proofs: [] });
  });

  vtest('Linear resolution denies a member without any grant', () => {
    expect(permitted(timeline(), BOB, 100)).toEqual({ allowed: false, proofs: [] });
  });

  vtest('a grant at gt 10 allows gt ≥ 10 with its proof, not gt 9', () => {
    const t = timeline();
    expect(t.authorize(MASTER, 10, [grant(BOB, 'post')], 'auth@10')).toEqual({ applied: true, proofs: [] });
    expect(permitted(t, BOB, 9)).toEqual({ allowed: false, proofs: [] });
    expect(permitted(t, BOB, 10)).toEqual({ allowed: true, proofs: ['auth@10'] });
    expect(permitted(t, BOB, 1000)).toEqual({ allowed: true, proofs: ['auth@10'] });
  });

  vtest('a revoke at gt 20 denies gt ≥ 20 with the revoke proof in a flat list (quirk 6)', () => {
    const t = timeline();
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'auth@10');
    expect(t.revoke(MASTER, 20, [grant(BOB, 'post')], 'revoke@20').applied).toBe(true);
    expect(permitted(t, BOB, 19)).toEqual({ allowed: true, proofs: ['auth@10'] });
    expect(permitted(t, BOB, 20)).toEqual({ allowed: false, proofs: ['revoke@20'] });
    expect(permitted(t, BOB, 25)).toEqual({ allowed: false, proofs: ['revoke@20'] });
  });

  vtest('a later re-grant allows again from its own global time', () => {
    const t = timeline();
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'auth@10');
    t.revoke(MASTER, 20, [grant(BOB, 'post')], 'revoke@20');
    t.authorize(MASTER, 30, [grant(BOB, 'post')], 'auth@30');
    expect(permitted(t, BOB, 29).allowed).toBe(false);
    expect(permitted(t, BOB, 30)).toEqual({ allowed: true, proofs: ['auth@30'] });
  });

  vtest('the history is sorted by global time whatever the arrival order; equal times merge', () => {
    const t = timeline();
    t.authorize(MASTER, 30, [grant(BOB, 'post')], 'auth@30');
    t.revoke(MASTER, 20, [grant(BOB, 'post')], 'revoke@20');
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'z-auth@10');
    t.authorize(MASTER, 10, [grant(BOB, 'post', 'undo')], 'a-auth@10');
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'a-auth@10');
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'a-auth@10'); // the same proof again is recorded once
    expect(t.stats()).toEqual({ members: 1, entries: 3, policyChanges: 0 });
    expect(permitted(t, BOB, 15)).toEqual({ allowed: true, proofs: ['a-auth@10', 'z-auth@10'] });
    expect(permitted(t, BOB, 25).allowed).toBe(false);
    expect(permitted(t, BOB, 35).allowed).toBe(true);
  });

  vtest('the newest entry holding the key decides; entries for other keys are skipped', () => {
    const t = timeline();
    t.authorize(MASTER, 10, [grant(BOB, 'post')], 'auth-post@10');
    t.authorize(MASTER, 15, [grant(BOB, PROTECTED)], 'auth-protected@15');
    expect(permitted(t, BOB, 16)).toEqual({ allowed: true, proofs: ['auth-post@10'] });
  });

  vtest('every pair must pass; proofs of all pairs are collected', () => {
    const t = timeline();
    t.authorize(MASTER, 10, [grant(BOB, 'post'), grant(BOB, 'post', 'undo')], 'auth@10');
    expect(t.check(BOB, 11, LINEAR, [['post', 'permit'], ['post', 'undo']])).toEqual({ allowed: true, proofs: ['auth@10'] });
    expect(t.check(BOB, 11, LINEAR, [['post', 'permit'], ['post', 'revoke']]).allowed).toBe(false);
  });

  vtest('allowed() checks under the meta’s declared resolution', () => {
    const t = timeline();
    expect(t.allowed(BOB, FULL, 3)).toBe(true);
    expect(t.allowed(BOB, PROTECTED, 3)).toBe(false);
    t.authorize(MASTER, 2, [grant(BOB, PROTECTED)], 'auth@2');
    expect(t.allowed(BOB, PROTECTED, 3)).toBe(true);
    expect(t.allowed(BOB, PROTECTED, 3, 'undo')).toBe(false);
    expect(() => t.allowed(BOB, 'nope', 3)).toThrow(RangeError);
  });
});

describe('Timeline.authorize / revoke (spec §6.2)', () => {
  vtest('an authorize by a member without the authorize permission is not applied', () => {
    const t = timeline();
    const result = t.authorize(ALICE, 10, [grant(BOB, 'post')], 'alice-auth@10');
    expect(result.applied).toBe(false);
    expect(result.reason).toContain('authorize on post');
    expect(permitted(t, BOB, 11).allowed).toBe(false);
    expect(t.stats().entries).toBe(0);
  });

  vtest('an authorize needs the authorize permission on EVERY meta it grants', () => {
    const t = timeline();
    t.authorize(MASTER, 5, [grant(ALICE, 'post', 'authorize')], 'master@5');
    const both = [grant(BOB, 'post'), grant(BOB, PROTECTED)];
    expect(t.authorize(ALICE, 10, both, 'alice@10').applied).toBe(false);
    expect(permitted(t, BOB, 11).allowed).toBe(false);
    expect(t.authorize(ALICE, 10, [grant(BOB, 'post')], 'alice-post@10')).toEqual({ applied: true, proofs: ['master@5'] });
    t.authorize(MASTER, 6, [grant(ALICE, PROTECTED, 'authorize')], 'master@6');
    expect(t.authorize(ALICE, 12, both, 'alice@12').applied).toBe(true);
    expect(permitted(t, BOB, 12, PROTECTED)).toEqual({ allowed: true, proofs: ['alice@12'] });
  });

  vtest('the authorize permission counts at the authorize’s own global time', () => {
    const t = timeline();
    t.authorize(MASTER, 5, [grant(ALICE, 'post', 'authorize')], 'master@5');
    expect(t.authorize(ALICE, 4, [grant(BOB, 'post')], 'alice@4').applied).toBe(false);
  });

  vtest('a revoke needs the revoke permission', () => {
    const t = timeline();
    t.authorize(MASTER, 5, [grant(BOB, 'post'), grant(ALICE, 'post', 'authorize')], 'master@5');
    expect(t.revoke(ALICE, 10, [grant(BOB, 'post')], 'alice-revoke@10').applied).toBe(false);
    t.authorize(MASTER, 6, [grant(ALICE, 'post', 'revoke')], 'master@6');
    expect(t.revoke(ALICE, 10, [grant(BOB, 'post')], 'alice-revoke@10')).toEqual({ applied: true, proofs: ['master@6'] });
    expect(permitted(t, BOB, 10)).toEqual({ allowed: false, proofs: ['alice-revoke@10'] });
  });

  vtest('an authorize and a revoke of the same key at the same global time: the revoke wins, in either order (quirk 7)', () => {
    // 'zauth' sorts after 'revoke', as a real authorize packet (id 243) sorts after a revoke (id 242).
    for (const order of [['zauth', 'revoke'], ['revoke', 'zauth']]) {
      const t = timeline();
      for (const kind of order) (kind === 'zauth' ? t.authorize : t.revoke).call(t, MASTER, 10, [grant(BOB, 'post')], `${kind}@10`);
      expect(permitted(t, BOB, 10)).toEqual({ allowed: false, proofs: ['revoke@10'] });
      expect(permitted(t, BOB, 9).allowed).toBe(false);
    }
  });

  vtest('an authorize without triplets is not applied', () => {
    expect(timeline().authorize(MASTER, 3, [], 'empty')).toEqual({ applied: false, reason: 'no permission triplets', proofs: [] });
  });

  vtest('malformed arguments throw', () => {
    const t = timeline();
    expect(() => t.authorize('AA'.repeat(20), 3, [], 'p')).toThrow(TypeError);
    expect(() => t.authorize(MASTER, 0, [grant(BOB, 'post')], 'p')).toThrow(RangeError);
    expect(() => t.authorize(MASTER, 3, [grant(BOB, 'post', 'own' as never)], 'p')).toThrow(TypeError);
    expect(() => t.check(BOB, 3, LINEAR, [])).toThrow(RangeError);
    expect(() => t.checkPermissionContainer(BOB, 3, [grant(ALICE, 'nope')])).toThrow(RangeError);
    expect(() => t.checkMessage([], 3, 'post', LINEAR)).toThrow(RangeError);
    expect(() => t.check(BOB, 3, { kind: 'dynamic' } as never, [['post', 'permit']])).toThrow(TypeError);
    expect(() => new Timeline({ masterMid: MASTER, resolutionOf: () => undefined } as never)).toThrow(TypeError);
  });
});

describe('message-level checks (spec §6.1 Timeline.check)', () => {
  vtest('an authorize / revoke container passes if ANY consecutive group of its triplets passes', () => {
    const t = timeline();
    t.authorize(MASTER, 5, [grant(ALICE, 'post')], 'master@5');
    // Groups: [post: permit] passes, [protected: permit] fails, [post: undo] fails → allowed (any).
    const grants = [grant(BOB, 'post'), grant(BOB, PROTECTED), grant(BOB, 'post', 'undo')];
    expect(t.checkPermissionContainer(ALICE, 10, grants)).toEqual({ allowed: true, proofs: ['master@5'] });
    // One group [post: permit, post: undo]: Alice lacks undo → denied.
    expect(t.checkPermissionContainer(ALICE, 10, [grant(BOB, 'post'), grant(BOB, 'post', 'undo')]).allowed).toBe(false);
    expect(t.checkPermissionContainer(ALICE, 10, [grant(BOB, PROTECTED)]).allowed).toBe(false);
    expect(t.checkPermissionContainer(ALICE, 10, []).allowed).toBe(false);
  });

  vtest('a container targeting a Public meta passes for any member', () => {
    expect(timeline().checkPermissionContainer(CAROL, 4, [grant(BOB, FULL, 'undo')]).allowed).toBe(true);
  });

  vtest('an undo-other needs the undo permission on the target meta, even a Public one', () => {
    const t = timeline();
    expect(t.checkUndoOther(BOB, 43, FULL)).toEqual({ allowed: false, proofs: [] });
    t.authorize(MASTER, 5, [grant(BOB, FULL, 'undo')], 'undo@5');
    expect(t.checkUndoOther(BOB, 4, FULL).allowed).toBe(false);
    expect(t.checkUndoOther(BOB, 43, FULL)).toEqual({ allowed: true, proofs: ['undo@5'] });
    expect(t.checkUndoOther(MASTER, 1, FULL).allowed).toBe(true);
  });

  vtest('a double-signed message needs BOTH members to pass', () => {
    const t = timeline();
    t.authorize(MASTER, 5, [grant(ALICE, 'post')], 'alice@5');
    expect(t.checkMessage([ALICE], 6, 'post', LINEAR)).toEqual({ allowed: true, proofs: ['alice@5'] });
    expect(t.checkMessage([ALICE, BOB], 6, 'post', LINEAR)).toEqual({ allowed: false, proofs: ['alice@5'] });
    expect(t.checkMessage([BOB, ALICE], 6, 'post', LINEAR).allowed).toBe(false);
    t.authorize(MASTER, 6, [grant(BOB, 'post')], 'bob@6');
    expect(t.checkMessage([ALICE, BOB], 6, 'post', LINEAR)).toEqual({ allowed: true, proofs: ['alice@5', 'bob@6'] });
  });
});

describe('dynamic resolution (spec §4.3, §6.2)', () => {
  vtest('the default policy is policies[0] without proof', () => {
    const t = timeline();
    expect(t.resolutionPolicy(DYN, 1)).toEqual({ policy: 'public', index: 0 });
    expect(t.checkMessage([BOB], 10, DYN, t.declaredResolution(DYN))).toEqual({ allowed: true, proofs: [] });
  });

  vtest('settings at gt 42 take effect strictly after: gt 42 uses the old policy, gt 43 the new one with its proof', () => {
    const t = timeline();
    const dyn = t.declaredResolution(DYN);
    expect(t.changeResolutionPolicy(DYN, 42, 1, 'linear@42')).toBe(true);
    expect(t.resolutionPolicy(DYN, 42)).toEqual({ policy: 'public', index: 0 });
    expect(t.resolutionPolicy(DYN, 43)).toEqual({ policy: 'linear', index: 1, proof: 'linear@42' });
    expect(t.checkMessage([BOB], 42, DYN, dyn)).toEqual({ allowed: true, proofs: [] });
    // Denied at 43: the dynamic-settings proof comes back so the runtime can send it to the sender.
    expect(t.checkMessage([BOB], 43, DYN, dyn)).toEqual({ allowed: false, proofs: ['linear@42'] });
    t.authorize(MASTER, 43, [grant(BOB, DYN)], 'permit@43');
    expect(t.checkMessage([BOB], 43, DYN, dyn)).toEqual({ allowed: true, proofs: ['linear@42', 'permit@43'] });
    expect(t.checkMessage([MASTER], 43, DYN, dyn)).toEqual({ allowed: true, proofs: [] });
  });

  vtest('a claimed policy index other than the local one is refused when given', () => {
    const t = timeline();
    const dyn = t.declaredResolution(DYN);
    t.changeResolutionPolicy(DYN, 42, 1, 'linear@42');
    t.authorize(MASTER, 2, [grant(BOB, DYN)], 'permit@2');
    expect(t.checkMessage([BOB], 43, DYN, dyn, 'permit', { claimedPolicyIndex: 1 }).allowed).toBe(true);
    expect(t.checkMessage([BOB], 43, DYN, dyn, 'permit', { claimedPolicyIndex: 0 })).toEqual({ allowed: false, proofs: ['linear@42'] });
    expect(t.checkMessage([BOB], 42, DYN, dyn, 'permit', { claimedPolicyIndex: 1 })).toEqual({ allowed: false, proofs: [] });
  });

  vtest('two settings at the same global time: the greater proof wins, in either order', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const t = timeline();
      const proofs = ['a-public@7', 'b-linear@7'];
      for (const index of order) t.changeResolutionPolicy(DYN, 7, index, proofs[index] as string);
      expect(t.resolutionPolicy(DYN, 8)).toEqual({ policy: 'linear', index: 1, proof: 'b-linear@7' });
      expect(t.stats().policyChanges).toBe(1);
    }
  });

  vtest('policy changes need a Dynamic meta and an index in range', () => {
    const t = timeline();
    expect(() => t.changeResolutionPolicy(PROTECTED, 5, 0, 'p')).toThrow(RangeError);
    expect(() => t.changeResolutionPolicy(DYN, 5, 2, 'p')).toThrow(RangeError);
    expect(() => t.resolutionPolicy('nope', 5)).toThrow(RangeError);
  });
});

describe('re-evaluation after revoke / dynamic-settings (spec §6.2 _update_timerange, quirk 8)', () => {
  vtest('test_change_resolution_undo: Linear from 12 undoes a message at 25, Public from 22 re-does it', () => {
    const t = timeline();
    const policyAt = (gt: number) => t.resolutionPolicy(DYN, gt);
    for (let gt = 1; gt <= 31; gt++) expect(policyAt(gt)).toEqual({ policy: 'public', index: 0 });
    const row = { members: [BOB], globalTime: 25, meta: DYN, claimedPolicyIndex: 0 };
    t.changeResolutionPolicy(DYN, 11, 1, 'linear@11');
    expect(reevaluateTimerange(t, [{ ...row, undone: 'no' }])).toEqual({ redo: [], undo: [{ ...row, undone: 'no' }] });
    for (let gt = 1; gt <= 11; gt++) expect(policyAt(gt)).toEqual({ policy: 'public', index: 0 });
    for (let gt = 12; gt <= 31; gt++) expect(policyAt(gt)).toEqual({ policy: 'linear', index: 1, proof: 'linear@11' });
    t.changeResolutionPolicy(DYN, 21, 0, 'public@21');
    const undone: TimerangeRow = { ...row, undone: 'by-policy' };
    expect(reevaluateTimerange(t, [undone])).toEqual({ redo: [undone], undo: [] });
    for (let gt = 1; gt <= 11; gt++) expect(policyAt(gt)).toEqual({ policy: 'public', index: 0 });
    for (let gt = 12; gt <= 21; gt++) expect(policyAt(gt)).toEqual({ policy: 'linear', index: 1, proof: 'linear@11' });
    for (let gt = 22; gt <= 31; gt++) expect(policyAt(gt)).toEqual({ policy: 'public', index: 0, proof: 'public@21' });
  });

  vtest('a revoke undoes live rows that are no longer permitted and leaves the rest', () => {
    const t = timeline();
    t.authorize(MASTER, 2, [grant(BOB, PROTECTED), grant(ALICE, PROTECTED)], 'auth@2');
    t.revoke(MASTER, 20, [grant(BOB, PROTECTED)], 'revoke@20');
    const rows: TimerangeRow[] = [19, 20, 30].map((globalTime) => ({ members: [BOB], globalTime, meta: PROTECTED, undone: 'no' }));
    const alice: TimerangeRow = { members: [ALICE], globalTime: 25, meta: PROTECTED, undone: 'no' };
    expect(reevaluateTimerange(t, [...rows, alice])).toEqual({ redo: [], undo: [rows[1], rows[2]] });
  });

  vtest('a double-signed row is undone when either member loses permit', () => {
    const t = timeline();
    t.authorize(MASTER, 2, [grant(ALICE, 'post'), grant(BOB, 'post')], 'auth@2');
    t.revoke(MASTER, 10, [grant(BOB, 'post')], 'revoke@10');
    const row: TimerangeRow = { members: [ALICE, BOB], globalTime: 12, meta: 'post', undone: 'no' };
    expect(reevaluateTimerange(t, [row, { ...row, globalTime: 9 }])).toEqual({ redo: [], undo: [row] });
  });

  vtest('test_revoke_causing_undo: revoking the undoer’s undo permission at the undo’s global time re-does the message', () => {
    const t = timeline();
    t.authorize(MASTER, 2, [grant(BOB, FULL, 'undo')], 'undo@2');
    const row: TimerangeRow = { members: [CAROL], globalTime: 42, meta: FULL, undone: { by: 'undo-other', signer: BOB, globalTime: 43 } };
    expect(reevaluateTimerange(t, [row])).toEqual({ redo: [], undo: [] }); // the undo is valid
    t.revoke(MASTER, 3, [grant(BOB, FULL, 'undo')], 'revoke@3');
    expect(reevaluateTimerange(t, [row])).toEqual({ redo: [row], undo: [] });
  });

  vtest('test_revoke_causing_undo_permitted: the same for a Linear meta whose creator holds permit', () => {
    const t = timeline();
    t.authorize(MASTER, 2, [grant(CAROL, PROTECTED)], 'permit@2');
    t.authorize(MASTER, 3, [grant(BOB, PROTECTED, 'undo')], 'undo@3');
    t.revoke(MASTER, 4, [grant(BOB, PROTECTED, 'undo')], 'revoke@4');
    const row: TimerangeRow = { members: [CAROL], globalTime: 42, meta: PROTECTED, undone: { by: 'undo-other', signer: BOB, globalTime: 43 } };
    expect(reevaluateTimerange(t, [row]).redo).toEqual([row]);
    const unpermitted: TimerangeRow = { ...row, members: [ALICE] };
    expect(reevaluateTimerange(t, [unpermitted])).toEqual({ redo: [], undo: [] });
  });

  vtest('an undo-other made before the revoke, and any undo-own, stay in force', () => {
    const t = timeline();
    t.authorize(MASTER, 2, [grant(BOB, FULL, 'undo')], 'undo@2');
    t.revoke(MASTER, 50, [grant(BOB, FULL, 'undo')], 'revoke@50');
    const other: TimerangeRow = { members: [CAROL], globalTime: 42, meta: FULL, undone: { by: 'undo-other', signer: BOB, globalTime: 43 } };
    const own: TimerangeRow = { members: [CAROL], globalTime: 44, meta: FULL, undone: { by: 'undo-own', signer: CAROL, globalTime: 45 } };
    expect(reevaluateTimerange(t, [other, own])).toEqual({ redo: [], undo: [] });
    expect(() => reevaluateTimerange(t, [{ ...own, undone: 'yes' as never }])).toThrow(TypeError);
  });
});

describe('initialGrants (spec §6.2 create_community)', () => {
  vtest('DebugCommunity metas: Linear / Dynamic get authorize, revoke, permit, undo; Public undoable sync metas get authorize, revoke, undo', () => {
    const byMeta = new Map<string, string[]>();
    for (const { meta, permission } of initialGrants(debugCommunityMessages)) byMeta.set(meta, [...(byMeta.get(meta) ?? []), permission]);
    expect(byMeta.get(PROTECTED)).toEqual(['authorize', 'revoke', 'permit', 'undo']);
    expect(byMeta.get(DYN)).toEqual(['authorize', 'revoke', 'permit', 'undo']);
    expect(byMeta.get(FULL)).toEqual(['authorize', 'revoke', 'undo']);
    expect([...byMeta.keys()]).toEqual([
      FULL, 'n-hop-sync-text', PROTECTED, DYN, 'sequence-text', 'full-sync-global-time-pruning-text', 'bin-key-text',
    ]);
  });

  vtest('built-in metas: Linear ones get authorize, revoke, permit, never undo; Public direct ones nothing', () => {
    const linear = ['dispersy-undo-other', 'dispersy-destroy-community', 'dispersy-dynamic-settings'];
    const grants = initialGrants(dispersyMessages);
    expect(new Set(grants.map((g) => g.meta))).toEqual(new Set(linear));
    for (const meta of linear) expect(grants.filter((g) => g.meta === meta).map((g) => g.permission)).toEqual(['authorize', 'revoke', 'permit']);
    const undoableUndoOther = { name: 'dispersy-undo-other', resolution: LINEAR, distribution: { kind: 'full-sync' as const }, undoable: true };
    const publicDirect = { name: 'ping', resolution: PUBLIC, distribution: { kind: 'direct' as const }, undoable: true };
    expect(initialGrants([undoableUndoOther, publicDirect]).map((g) => g.permission)).toEqual(['authorize', 'revoke', 'permit']);
  });

  vtest('applied by the master, they let the creator grant and use what it received', () => {
    const t = timeline();
    const triplets = initialGrants(debugCommunityMessages).map(({ meta, permission }) => grant(ALICE, meta, permission));
    expect(t.authorize(MASTER, 1, triplets, 'create@1').applied).toBe(true);
    expect(t.authorize(ALICE, 2, [grant(BOB, FULL, 'undo')], 'alice@2').applied).toBe(true);
    expect(t.checkMessage([ALICE], 2, PROTECTED, LINEAR).allowed).toBe(true);
  });
});

describe('replay at load (spec §6.2 _initialize_timeline)', () => {
  vtest('stored records are applied in (global time, proof) order, whatever order they come in', () => {
    const t = timeline();
    const summary = t.replay([
      { kind: 'revoke', signer: ALICE, globalTime: 20, grants: [grant(BOB, 'post')], proof: 'revoke@20' },
      { kind: 'authorize', signer: ALICE, globalTime: 10, grants: [grant(BOB, 'post')], proof: 'alice@10' },
      { kind: 'dynamic-settings', globalTime: 11, settings: [{ meta: DYN, policyIndex: 1 }], proof: 'linear@11' },
      { kind: 'authorize', signer: MASTER, globalTime: 5, grants: [grant(ALICE, 'post', 'authorize'), grant(ALICE, 'post', 'revoke')], proof: 'master@5' },
      { kind: 'authorize', signer: CAROL, globalTime: 6, grants: [grant(BOB, 'post')], proof: 'carol@6' },
    ]);
    expect(summary).toEqual({ applied: 4, ignored: 1 });
    expect(permitted(t, BOB, 15)).toEqual({ allowed: true, proofs: ['alice@10'] });
    expect(permitted(t, BOB, 20)).toEqual({ allowed: false, proofs: ['revoke@20'] });
    expect(t.resolutionPolicy(DYN, 12)).toEqual({ policy: 'linear', index: 1, proof: 'linear@11' });
  });
  vtest('replaying the same records again records nothing new (memory grows only with new permission messages)', () => {
    const t = timeline();
    const records = [
      { kind: 'authorize' as const, signer: MASTER, globalTime: 5, grants: [grant(ALICE, 'post')], proof: 'master@5' },
      { kind: 'revoke' as const, signer: MASTER, globalTime: 9, grants: [grant(ALICE, 'post')], proof: 'master@9' },
      { kind: 'dynamic-settings' as const, globalTime: 11, settings: [{ meta: DYN, policyIndex: 1 }], proof: 'linear@11' },
    ];
    t.replay(records);
    const before = t.stats();
    t.replay(records);
    expect(t.stats()).toEqual(before);
    expect(before).toEqual({ members: 1, entries: 2, policyChanges: 1 });
    expect(permitted(t, ALICE, 9)).toEqual({ allowed: false, proofs: ['master@9'] });
  });
});

describe('properties', () => {
  const events = fc.array(fc.record({ gt: fc.integer({ min: 1, max: 40 }), grant: fc.boolean() }), { maxLength: 25 });

  test.prop([events])('check at t is allowed iff the events at the newest global time ≤ t are all grants', (list) => {
    const t = timeline();
    const named = list.map((e, i) => ({ ...e, proof: `${e.grant ? 'g' : 'r'}${String(i).padStart(3, '0')}` }));
    for (const e of named) expect((e.grant ? t.authorize : t.revoke).call(t, MASTER, e.gt, [grant(BOB, 'post')], e.proof).applied).toBe(true);
    for (let at = 1; at <= 42; at++) {
      const before = named.filter((e) => e.gt <= at);
      const last = before.filter((e) => e.gt === Math.max(...before.map((b) => b.gt)));
      const allowed = last.length > 0 && last.every((e) => e.grant);
      const deciding = last.filter((e) => e.grant === allowed).map((e) => e.proof);
      expect(permitted(t, BOB, at)).toEqual({ allowed, proofs: deciding.sort() });
    }
  });
});
