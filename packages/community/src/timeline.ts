/**
 * The permission timeline of a community (spec §6.1, §6.2, §4.3): who held which permission on which
 * meta-message at which global time, and which resolution policy a DynamicResolution meta used at which global
 * time. Pure: no network, database or timers. The runtime feeds it accepted dispersy-authorize / -revoke /
 * -dynamic-settings messages (and at load replays the stored ones, see {@link Timeline.replay}), then asks it
 * whether a message is permitted. Proofs are opaque values (the runtime passes its stored message records) that
 * come back with every verdict, so the runtime can answer missing-proof requests and send dynamic-settings
 * proofs back.
 *
 * @example
 * ```ts
 * const timeline = new Timeline<StoredRecord>({ masterMid, resolutionOf: (name) => metas.get(name)?.resolution,
 *   compareProofs: (a, b) => compareBytes(a.packet, b.packet) });
 * timeline.authorize(masterMid, 10, [{ member: bob, meta: 'protected-full-sync-text', permission: 'permit' }], record);
 * timeline.checkMessage([bob], 12, 'protected-full-sync-text', { kind: 'linear' }); // { allowed: true, proofs: [record] }
 * ```
 */
import type { Permission, Resolution, ResolutionPolicyKind } from '@dispersy/codec';
import { PermissionHistory, PolicyHistory, type ProofComparator } from './timeline-history.ts';
import {
  assertGlobalTime, assertGrants, assertMemberId, assertMeta, assertPermission, assertResolution, LINEAR,
  type CheckOptions, type CheckResult, type MemberId, type PermissionPair, type TimelineGrant,
} from './timeline-input.ts';

export { initialGrants, type GrantableMeta, type MetaPermission } from './timeline-grants.ts';
export type { CheckOptions, CheckResult, MemberId, PermissionPair, TimelineGrant } from './timeline-input.ts';
export type { ProofComparator } from './timeline-history.ts';
export { reevaluateTimerange, type TimerangeDecision, type TimerangeRow, type UndoneByMessage } from './timeline-timerange.ts';

/** What {@link Timeline} is built from. */
export interface TimelineInit<P> {
  /** The master member's mid (lowercase hex): it passes every check at every time. */
  readonly masterMid: MemberId;
  /** The declared resolution of each meta-message by name; undefined for an unknown name. */
  readonly resolutionOf: (meta: string) => Resolution | undefined;
  /**
   * Orders proofs recorded at the same global time; 0 means "the same proof" (it is then recorded once). The
   * runtime compares the stored packets' bytes, which also makes equal-time dynamic-settings deterministic.
   */
  readonly compareProofs: ProofComparator<P>;
}

/** The outcome of {@link Timeline.authorize} / {@link Timeline.revoke}. */
export interface ApplyResult<P> {
  /** False when the signer lacked the permission on one of the metas: nothing was recorded. */
  readonly applied: boolean;
  /** Why nothing was recorded. */
  readonly reason?: string;
  /** The proofs that empowered the signer (or the revoke proofs that denied it). */
  readonly proofs: readonly P[];
}

/** The resolution policy in force for a DynamicResolution meta at a global time. */
export interface PolicyAt<P> {
  readonly policy: ResolutionPolicyKind;
  /** Index into the meta's `policies`. */
  readonly index: number;
  /** The dynamic-settings message that set it; absent for the default (policies[0]). */
  readonly proof?: P;
}

/** A stored permission message, as {@link Timeline.replay} takes it. */
export type TimelineRecord<P> =
  | { readonly kind: 'authorize' | 'revoke'; readonly signer: MemberId; readonly globalTime: number;
      readonly grants: readonly TimelineGrant[]; readonly proof: P }
  | { readonly kind: 'dynamic-settings'; readonly globalTime: number;
      readonly settings: readonly { readonly meta: string; readonly policyIndex: number }[]; readonly proof: P };

/**
 * The permission timeline of one community (spec §6). See the module comment.
 * @typeParam P the proof type: whatever the runtime wants back (its stored message records)
 */
export class Timeline<P> {
  /** The master member's mid. */
  readonly masterMid: MemberId;
  readonly #resolutionOf: (meta: string) => Resolution | undefined;
  readonly #compare: ProofComparator<P>;
  readonly #members = new Map<MemberId, PermissionHistory<P>>();
  readonly #policies = new Map<string, PolicyHistory<P>>();

  /**
   * @param init the master's mid, the meta resolutions and the proof comparator
   * @throws TypeError for a malformed init
   * @example `new Timeline({ masterMid, resolutionOf: (n) => byName.get(n)?.resolution, compareProofs })`
   */
  constructor(init: TimelineInit<P>) {
    if (typeof init !== 'object' || init === null) throw new TypeError('init must be an object');
    assertMemberId(init.masterMid, 'init.masterMid');
    if (typeof init.resolutionOf !== 'function') throw new TypeError('init.resolutionOf must be a function');
    if (typeof init.compareProofs !== 'function') throw new TypeError('init.compareProofs must be a function');
    this.masterMid = init.masterMid;
    this.#resolutionOf = init.resolutionOf;
    this.#compare = init.compareProofs;
  }

  /**
   * Applies a dispersy-authorize (spec §6.2 `on_authorize`): only if `signer` holds `authorize` on EVERY meta of
   * `grants` at `globalTime` (Linear check, master always may); otherwise nothing is recorded (the message is
   * still stored by the runtime). Entries at the same global time merge; an equal-time revoke of the same key
   * wins (quirk 7).
   * @param signer the authorize message's signer
   * @param globalTime the authorize message's global time (> 0)
   * @param grants the (member, meta, permission) triplets of its payload
   * @param proof the message, returned as proof by later checks
   * @returns whether it was applied, and why not
   * @throws TypeError / RangeError for malformed arguments
   * @example `timeline.authorize(masterMid, 3, [{ member: bob, meta: 'post', permission: 'permit' }], record)`
   */
  authorize(signer: MemberId, globalTime: number, grants: readonly TimelineGrant[], proof: P): ApplyResult<P> {
    return this.#apply(true, signer, globalTime, grants, proof);
  }

  /**
   * Applies a dispersy-revoke (spec §6.2 `on_revoke`): symmetric with {@link authorize}, needing the `revoke`
   * permission and recording denials. The runtime then re-evaluates stored rows ({@link reevaluateTimerange}).
   * @param signer the revoke message's signer
   * @param globalTime its global time (> 0)
   * @param grants the triplets to revoke
   * @param proof the message, returned as proof by later denials
   * @returns whether it was applied, and why not
   * @throws TypeError / RangeError for malformed arguments
   * @example `timeline.revoke(masterMid, 20, [{ member: bob, meta: 'post', permission: 'permit' }], record)`
   */
  revoke(signer: MemberId, globalTime: number, grants: readonly TimelineGrant[], proof: P): ApplyResult<P> {
    return this.#apply(false, signer, globalTime, grants, proof);
  }

  #apply(allowed: boolean, signer: MemberId, globalTime: number, grants: readonly TimelineGrant[], proof: P): ApplyResult<P> {
    assertMemberId(signer, 'signer');
    assertGlobalTime(globalTime, 'globalTime');
    assertGrants(grants, 'grants');
    if (grants.length === 0) return { applied: false, reason: 'no permission triplets', proofs: [] };
    const needed: Permission = allowed ? 'authorize' : 'revoke';
    const metas = [...new Set(grants.map((g) => g.meta))];
    const verdict = this.#checkPairs(signer, globalTime, LINEAR, metas.map((m): PermissionPair => [m, needed]), {});
    if (!verdict.allowed) {
      const reason = `${signer} does not hold ${needed} on ${verdict.failed ?? '?'} at global time ${globalTime}`;
      return { applied: false, reason, proofs: verdict.proofs };
    }
    for (const g of grants) {
      let history = this.#members.get(g.member);
      if (history === undefined) this.#members.set(g.member, (history = new PermissionHistory()));
      history.record(globalTime, `${g.permission}^${g.meta}`, allowed, proof, this.#compare);
    }
    return { applied: true, proofs: verdict.proofs };
  }

  /**
   * Spec §6.1 `_check`: does `member` hold every pair at `globalTime` under `resolution`? Master → yes. Dynamic →
   * the locally recorded policy at `globalTime` replaces it (its dynamic-settings proofs are collected). Public →
   * yes. Linear → the member's newest entry with time ≤ `globalTime` holding the key decides; none → no.
   * Decision: a denial carries the dynamic-settings proofs used plus the revoke proofs, flat (quirk 6; the
   * original nested the revoke proofs and dropped the others), so the runtime can send them back.
   * @param member the member's mid
   * @param globalTime the message's global time (> 0)
   * @param resolution the meta's declared resolution
   * @param pairs (meta, permission) pairs, at least one
   * @param options the creator's claimed policy index, for Dynamic
   * @returns the verdict and its proofs
   * @throws TypeError / RangeError for malformed arguments
   * @example `timeline.check(bob, 12, { kind: 'linear' }, [['post', 'permit']])`
   */
  check(member: MemberId, globalTime: number, resolution: Resolution, pairs: readonly PermissionPair[], options: CheckOptions = {}): CheckResult<P> {
    assertMemberId(member, 'member');
    assertGlobalTime(globalTime, 'globalTime');
    assertResolution(resolution, 'resolution');
    if (!Array.isArray(pairs) || pairs.length === 0) throw new RangeError('pairs must hold at least one (meta, permission) pair');
    pairs.forEach(([meta, permission], i) => {
      assertMeta(meta, `pairs[${i}][0]`);
      assertPermission(permission, `pairs[${i}][1]`);
    });
    const { allowed, proofs } = this.#checkPairs(member, globalTime, resolution, pairs, options);
    return { allowed, proofs };
  }

  #checkPairs(
    member: MemberId, gt: number, resolution: Resolution, pairs: readonly PermissionPair[], options: CheckOptions,
  ): CheckResult<P> & { failed?: string } {
    const proofs: P[] = [];
    if (member === this.masterMid) return { allowed: true, proofs };
    for (const [meta, permission] of pairs) {
      let kind: ResolutionPolicyKind;
      if (resolution.kind !== 'dynamic') {
        kind = resolution.kind;
      } else {
        const local = this.#policyAt(meta, gt, resolution.policies);
        if (local.proof !== undefined) proofs.push(local.proof);
        // As the original's _check of a message: a claimed policy other than the local one is refused.
        if (options.claimedPolicyIndex !== undefined && options.claimedPolicyIndex !== local.index) {
          return { allowed: false, proofs: unique(proofs), failed: meta };
        }
        kind = local.policy;
      }
      if (kind === 'public') continue;
      const verdict = this.#members.get(member)?.lookup(gt, `${permission}^${meta}`);
      if (verdict !== undefined) proofs.push(...verdict.proofs);
      if (verdict === undefined || !verdict.allowed) return { allowed: false, proofs: unique(proofs), failed: meta };
    }
    return { allowed: true, proofs: unique(proofs) };
  }

  /**
   * Spec §6.1 check of a dispersy-authorize / -revoke message: its triplets are grouped by target meta in
   * consecutive runs (no sort, as the original's groupby); a group passes when the signer holds every granted
   * permission on that meta under the meta's own resolution. The message is allowed if ANY group passes (the
   * original's rule: so for a Public target meta any member's authorize passes; {@link authorize} then decides
   * what is applied). No triplets → not allowed.
   * @param signer the message's signer
   * @param globalTime its global time
   * @param grants its triplets, in payload order
   * @returns the verdict and the proofs of every group
   * @throws RangeError for a meta unknown to `resolutionOf`; TypeError for malformed arguments
   * @example `timeline.checkPermissionContainer(alice, 30, triplets).allowed`
   */
  checkPermissionContainer(signer: MemberId, globalTime: number, grants: readonly TimelineGrant[]): CheckResult<P> {
    assertMemberId(signer, 'signer');
    assertGlobalTime(globalTime, 'globalTime');
    assertGrants(grants, 'grants');
    let allowed = false;
    const proofs: P[] = [];
    for (let i = 0; i < grants.length; ) {
      const meta = (grants[i] as TimelineGrant).meta;
      const pairs: PermissionPair[] = [];
      for (; i < grants.length && (grants[i] as TimelineGrant).meta === meta; i++) pairs.push([meta, (grants[i] as TimelineGrant).permission]);
      const verdict = this.#checkPairs(signer, globalTime, this.declaredResolution(meta), pairs, {});
      allowed ||= verdict.allowed;
      proofs.push(...verdict.proofs);
    }
    return { allowed, proofs: unique(proofs) };
  }

  /**
   * Spec §6.1 check of a dispersy-undo-other: the signer must hold `undo` on the TARGET message's meta at the
   * undo's global time (resolution forced Linear, so even a Public target meta needs the grant).
   * @param signer the undo-other's signer
   * @param globalTime the undo-other's global time
   * @param targetMeta the undone message's meta name
   * @returns the verdict and its proofs
   * @throws TypeError / RangeError for malformed arguments
   * @example `timeline.checkUndoOther(carol, 43, 'full-sync-text')`
   */
  checkUndoOther(signer: MemberId, globalTime: number, targetMeta: string): CheckResult<P> {
    return this.check(signer, globalTime, LINEAR, [[targetMeta, 'undo']]);
  }

  /**
   * Spec §6.1 check of any other member-authenticated message: `[meta, permission]` under `resolution` for the
   * single signer, or for BOTH members of a double-signed message (the first failure decides).
   * @param members one or two signers' mids
   * @param globalTime the message's global time
   * @param meta the message's meta name
   * @param resolution the meta's declared resolution
   * @param permission the permission needed
   * @param options the creator's claimed policy index, for Dynamic
   * @returns the verdict and the proofs of every member checked
   * @throws TypeError / RangeError for malformed arguments
   * @example `timeline.checkMessage([alice, bob], 12, 'double-text', { kind: 'linear' })`
   */
  checkMessage(
    members: readonly MemberId[], globalTime: number, meta: string, resolution: Resolution,
    permission: Permission = 'permit', options: CheckOptions = {},
  ): CheckResult<P> {
    if (!Array.isArray(members) || members.length < 1 || members.length > 2) throw new RangeError('members must hold one or two mids');
    const proofs: P[] = [];
    for (const member of members) {
      const verdict = this.check(member, globalTime, resolution, [[meta, permission]], options);
      proofs.push(...verdict.proofs);
      if (!verdict.allowed) return { allowed: false, proofs: unique(proofs) };
    }
    return { allowed: true, proofs: unique(proofs) };
  }

  /**
   * Convenience (`Timeline.allowed`): may `member` use `permission` on `meta` at `globalTime`, under the meta's
   * declared resolution? As in the original a Public meta passes every permission; use {@link checkUndoOther}
   * for undo.
   * @param member the member's mid
   * @param meta the meta name
   * @param globalTime the global time (> 0)
   * @param permission the permission
   * @returns whether it is allowed
   * @throws RangeError for a meta unknown to `resolutionOf`
   * @example `if (timeline.allowed(me, 'post', globalTime + 1)) create(...)`
   */
  allowed(member: MemberId, meta: string, globalTime: number, permission: Permission = 'permit'): boolean {
    return this.check(member, globalTime, this.declaredResolution(meta), [[meta, permission]]).allowed;
  }

  /**
   * Applies one record of a dispersy-dynamic-settings (spec §6.2): from `globalTime + 1` on, `meta` uses
   * `policies[policyIndex]`. Two changes at the same global time: the proof comparing greater wins.
   * @param meta a DynamicResolution meta's name
   * @param globalTime the settings message's global time
   * @param policyIndex index into the meta's policies
   * @param proof the settings message
   * @returns whether this change now decides the policy after `globalTime`
   * @throws RangeError for a non-dynamic meta or an index out of range
   * @example `timeline.changeResolutionPolicy('dynamic-resolution-text', 11, 1, record)`
   */
  changeResolutionPolicy(meta: string, globalTime: number, policyIndex: number, proof: P): boolean {
    const policies = this.#dynamicPolicies(meta);
    assertGlobalTime(globalTime, 'globalTime');
    if (!Number.isInteger(policyIndex) || policyIndex < 0 || policyIndex >= policies.length) {
      throw new RangeError(`policyIndex must be an integer in 0..${policies.length - 1}, got ${String(policyIndex)}`);
    }
    let history = this.#policies.get(meta);
    if (history === undefined) this.#policies.set(meta, (history = new PolicyHistory()));
    return history.set(globalTime, policyIndex, proof, this.#compare);
  }

  /**
   * Spec §6.2 `get_resolution_policy`: the policy of the newest change with policy time STRICTLY below
   * `globalTime`, else the default policies[0] with no proof.
   * @param meta a DynamicResolution meta's name
   * @param globalTime the message's global time
   * @returns the policy kind, its index and the proof
   * @throws RangeError for a non-dynamic meta
   * @example `timeline.resolutionPolicy('dynamic-resolution-text', 12) // { policy: 'linear', index: 1, proof }`
   */
  resolutionPolicy(meta: string, globalTime: number): PolicyAt<P> {
    const policies = this.#dynamicPolicies(meta);
    assertGlobalTime(globalTime, 'globalTime');
    return this.#policyAt(meta, globalTime, policies);
  }

  #policyAt(meta: string, gt: number, policies: readonly ResolutionPolicyKind[]): PolicyAt<P> {
    const entry = this.#policies.get(meta)?.at(gt);
    // An index the declared policies lack cannot be recorded; 'linear' is the safe reading if one ever is.
    if (entry === undefined) return { policy: policies[0] ?? 'linear', index: 0 };
    return { policy: policies[entry.index] ?? 'linear', index: entry.index, proof: entry.proof };
  }

  /**
   * The declared resolution of a meta, as `init.resolutionOf` gives it.
   * @param meta the meta name
   * @returns its resolution
   * @throws RangeError for a meta unknown to `resolutionOf`
   * @example `timeline.declaredResolution('dynamic-resolution-text').kind // 'dynamic'`
   */
  declaredResolution(meta: string): Resolution {
    assertMeta(meta, 'meta');
    const resolution = this.#resolutionOf(meta);
    if (resolution === undefined) throw new RangeError(`unknown meta-message ${JSON.stringify(meta)}`);
    return resolution;
  }

  #dynamicPolicies(meta: string): readonly ResolutionPolicyKind[] {
    const resolution = this.declaredResolution(meta);
    if (resolution.kind !== 'dynamic') throw new RangeError(`${meta} does not use DynamicResolution`);
    return resolution.policies;
  }

  /**
   * Rebuilds the timeline at community load (spec §6.2 `_initialize_timeline`): applies stored authorize, revoke
   * and dynamic-settings records in (global time, proof) order — the original's (global_time, packet) — with no
   * re-evaluation of stored rows. Call it on a fresh timeline.
   * @param records the stored permission messages, in any order
   * @returns how many authorize / revoke records were applied and how many were not (signer lacked permission)
   * @throws as {@link authorize} and {@link changeResolutionPolicy} for malformed records
   * @example `timeline.replay(store.permissionRecords(community))`
   */
  replay(records: readonly TimelineRecord<P>[]): { applied: number; ignored: number } {
    const sorted = [...records].sort((a, b) => a.globalTime - b.globalTime || this.#compare(a.proof, b.proof));
    let applied = 0;
    let ignored = 0;
    for (const r of sorted) {
      if (r.kind === 'dynamic-settings') {
        for (const s of r.settings) this.changeResolutionPolicy(s.meta, r.globalTime, s.policyIndex, r.proof);
        applied++;
      } else if (this.#apply(r.kind === 'authorize', r.signer, r.globalTime, r.grants, r.proof).applied) applied++;
      else ignored++;
    }
    return { applied, ignored };
  }

  /**
   * Sizes, for metrics: the histories only grow with accepted permission messages (see the module comment).
   * @returns members with a history, their entries, and recorded policy changes
   * @example `timeline.stats().entries`
   */
  stats(): { members: number; entries: number; policyChanges: number } {
    let entries = 0;
    for (const h of this.#members.values()) entries += h.entries.length;
    let policyChanges = 0;
    for (const h of this.#policies.values()) policyChanges += h.entries.length;
    return { members: this.#members.size, entries, policyChanges };
  }
}

function unique<P>(proofs: readonly P[]): P[] {
  return [...new Set(proofs)];
}
