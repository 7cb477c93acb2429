/**
 * The vocabulary shared by the timeline files (spec §6.1): member ids, permission triplets and pairs, check
 * results, and the argument checks. Arguments come from the runtime after decoding, so a malformed one is a
 * programming error and throws TypeError / RangeError (never for data a peer chose: the codec already checked it).
 */
import type { LinearResolution, Permission, Resolution } from '@dispersy/codec';

/** A member's mid (SHA-1 of its public key) as 40 lowercase hex characters. */
export type MemberId = string;

/** One (member, meta, permission) triplet of an authorize or revoke payload. */
export interface TimelineGrant {
  readonly member: MemberId;
  /** The meta-message's name. */
  readonly meta: string;
  readonly permission: Permission;
}

/** A (meta name, permission) pair to check. */
export type PermissionPair = readonly [meta: string, permission: Permission];

/** The verdict of a check with the proofs it rests on (spec §6.1 `(allowed, proofs)`). */
export interface CheckResult<P> {
  readonly allowed: boolean;
  /**
   * Allowed: the authorize and dynamic-settings proofs used. Denied: the dynamic-settings proofs used plus the
   * revoke proofs that denied it, in one flat list (quirk 6 fixed).
   */
  readonly proofs: readonly P[];
}

/** Options of a check under DynamicResolution. */
export interface CheckOptions {
  /**
   * The policy index the creator wrote in the message's resolution section. When given and different from the
   * locally recorded policy, the check fails, as the original's `_check` does for a message (its
   * test_wrong_resolution); when omitted the local policy alone decides (spec §4.3 "the receiver ignores it").
   */
  readonly claimedPolicyIndex?: number;
}

/** Forced resolution of the authorize / revoke permission checks and of undo-other. */
export const LINEAR: LinearResolution = Object.freeze({ kind: 'linear' });

const PERMISSIONS: readonly string[] = ['permit', 'authorize', 'revoke', 'undo'];
const MID = /^[0-9a-f]{40}$/;

/**
 * @param value a member id
 * @param what the argument's name, for the message
 * @throws TypeError unless `value` is 40 lowercase hex characters
 * @example `assertMemberId(mid, 'signer')`
 */
export function assertMemberId(value: unknown, what: string): asserts value is MemberId {
  if (typeof value !== 'string' || !MID.test(value)) throw new TypeError(`${what} must be a mid as 40 lowercase hex characters`);
}

/**
 * @param value a global time
 * @param what the argument's name
 * @throws RangeError unless `value` is a safe integer ≥ 1 (global time 0 never reaches the timeline)
 * @example `assertGlobalTime(12, 'globalTime')`
 */
export function assertGlobalTime(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a safe integer ≥ 1, got ${String(value)}`);
  }
}

/**
 * @param value a meta-message name
 * @param what the argument's name
 * @throws TypeError unless `value` is a non-empty string
 * @example `assertMeta('post', 'meta')`
 */
export function assertMeta(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${what} must be a non-empty meta-message name`);
}

/**
 * @param value a permission
 * @param what the argument's name
 * @throws TypeError unless `value` is permit, authorize, revoke or undo
 * @example `assertPermission('undo', 'permission')`
 */
export function assertPermission(value: unknown, what: string): asserts value is Permission {
  if (typeof value !== 'string' || !PERMISSIONS.includes(value)) throw new TypeError(`${what} must be one of ${PERMISSIONS.join(', ')}`);
}

/**
 * @param value a resolution policy
 * @param what the argument's name
 * @throws TypeError unless `value` is a public, linear or dynamic resolution (with a policies array)
 * @example `assertResolution({ kind: 'linear' }, 'resolution')`
 */
export function assertResolution(value: unknown, what: string): asserts value is Resolution {
  const r = value as { kind?: unknown; policies?: unknown } | null;
  const ok = typeof r === 'object' && r !== null && (r.kind === 'public' || r.kind === 'linear' || (r.kind === 'dynamic' && Array.isArray(r.policies)));
  if (!ok) throw new TypeError(`${what} must be a public, linear or dynamic resolution`);
}

/**
 * @param value (member, meta, permission) triplets
 * @param what the argument's name
 * @throws TypeError unless `value` is an array of well-formed triplets
 * @example `assertGrants([{ member, meta: 'post', permission: 'permit' }], 'grants')`
 */
export function assertGrants(value: unknown, what: string): asserts value is readonly TimelineGrant[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array`);
  value.forEach((g: unknown, i) => {
    if (typeof g !== 'object' || g === null) throw new TypeError(`${what}[${i}] must be an object`);
    const { member, meta, permission } = g as Record<string, unknown>;
    assertMemberId(member, `${what}[${i}].member`);
    assertMeta(meta, `${what}[${i}].meta`);
    assertPermission(permission, `${what}[${i}].permission`);
  });
}
