/**
 * Creating permission messages (spec §6): the original's `create_authorize`, `create_revoke`, `create_undo`,
 * `create_dynamic_settings` and `create_destroy_community`, as functions taking the community. Each claims a
 * global time (and sequence number), signs with my member or — `signWithMaster` — the master key, stores, handles
 * (the built-in behaviours apply it) and forwards.
 *
 * Unlike the original, which only asserted in debug mode, each one first checks the local timeline and throws a
 * {@link PermissionDeniedError} when the signer lacks the permission (the message would be stored but never take
 * effect). {@link createUndo} refuses to undo authorize / revoke / undo messages (quirk 15 fixed) and returns the
 * earlier undo message when the target is already undone (test_self_attempt_undo_twice).
 */
import {
  permissionsFromTriplets,
  type DynamicSetting,
  type PermissionsPayload,
  type PermissionTriplet,
  type UndoOtherPayload,
  type UndoOwnPayload,
} from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import { DispersyError } from '@dispersy/interfaces';
import { knownMemberId } from './builtins/timeline-check.ts';
import { undoMessageOf } from './builtins/undo.ts';
import type { Community } from './community.ts';
import { toHex } from './internal/bytes.ts';
import type { Message } from './message.ts';
import { forwardMessages, type Destination } from './outgoing.ts';
import type { CheckResult, PermissionPair } from './timeline.ts';
import { LINEAR } from './timeline-input.ts';

/** Thrown when the local timeline says the signer may not create the message. Code `PERMISSION_DENIED`. */
export class PermissionDeniedError extends DispersyError {
  /**
   * @param message what was refused
   */
  constructor(message: string) {
    super('PERMISSION_DENIED', message);
  }
}

/** Options of the functions of this module. */
export interface PermissionCreateOptions {
  /** Sign with the master key (only where the community was created). @default false */
  readonly signWithMaster?: boolean;
  /** Send it to its destinations. @default true */
  readonly forward?: boolean;
  /** Explicit destinations besides the random ones. */
  readonly destinations?: readonly Destination[];
}

/** Built-ins that cannot be undone (quirk 15: the original only asserted this in debug mode). */
const NEVER_UNDONE: ReadonlySet<string> = new Set(['dispersy-authorize', 'dispersy-revoke', 'dispersy-undo-own', 'dispersy-undo-other']);

function signerMid(c: Community, options: PermissionCreateOptions): string {
  if (options.signWithMaster !== true) return toHex(c.myMember.publicKey.mid);
  if (c.masterPrivateKey === undefined) throw new RangeError('this node does not hold the master private key');
  return c.cidHex;
}

function demand(result: CheckResult<unknown>, what: string): void {
  if (!result.allowed) throw new PermissionDeniedError(what);
}

function createOptions(options: PermissionCreateOptions): { signWithMaster?: boolean; forward?: boolean; destinations?: readonly Destination[] } {
  return {
    ...(options.signWithMaster === true ? { signWithMaster: true } : {}),
    ...(options.forward === undefined ? {} : { forward: options.forward }),
    ...(options.destinations === undefined ? {} : { destinations: options.destinations }),
  };
}

function permissions(c: Community, name: 'dispersy-authorize' | 'dispersy-revoke', grants: readonly PermissionTriplet[], options: PermissionCreateOptions): Message<PermissionsPayload> {
  if (!Array.isArray(grants) || grants.length === 0) throw new TypeError('grants must hold at least one (member, meta, permission) triplet');
  const needed = name === 'dispersy-authorize' ? 'authorize' : 'revoke';
  const mid = signerMid(c, options);
  const pairs = [...new Set(grants.map((g) => g.meta))].map((meta): PermissionPair => [meta, needed]);
  demand(c.timeline.check(mid, c.globalTime + 1, LINEAR, pairs), `${mid} does not hold ${needed} on ${pairs.map((p) => p[0]).join(', ')}`);
  return c.create<PermissionsPayload>(name, permissionsFromTriplets(grants), createOptions(options));
}

/**
 * `create_authorize`: grants (member, meta, permission) triplets. The signer needs `authorize` on every meta.
 * @param c the community
 * @param grants the triplets
 * @param options master signature, forwarding
 * @returns the stored, applied and forwarded dispersy-authorize
 * @throws PermissionDeniedError when the signer lacks `authorize`; TypeError / RangeError for bad triplets (a meta
 *   without member authentication, `undo` on a meta without undo callback)
 * @example `createAuthorize(community, [{ member: bob, meta: 'protected-full-sync-text', permission: 'permit' }])`
 */
export function createAuthorize(c: Community, grants: readonly PermissionTriplet[], options: PermissionCreateOptions = {}): Message<PermissionsPayload> {
  return permissions(c, 'dispersy-authorize', grants, options);
}

/**
 * `create_revoke`: revokes triplets; stored rows of the affected metas are re-evaluated (spec §6.2).
 * @param c the community
 * @param grants the triplets
 * @param options master signature, forwarding
 * @returns the stored, applied and forwarded dispersy-revoke
 * @throws PermissionDeniedError when the signer lacks `revoke` on a meta; TypeError / RangeError for bad triplets
 * @example `createRevoke(community, [{ member: bob, meta: 'full-sync-text', permission: 'undo' }])`
 */
export function createRevoke(c: Community, grants: readonly PermissionTriplet[], options: PermissionCreateOptions = {}): Message<PermissionsPayload> {
  return permissions(c, 'dispersy-revoke', grants, options);
}

/** A message to undo: the message itself, or its creator and global time. */
export type UndoTarget = Message | { readonly member: PublicKey; readonly globalTime: number };

/**
 * `create_undo`: undoes a stored message — dispersy-undo-own when I created it (and not `signWithMaster`), else
 * dispersy-undo-other (needs `undo` on its meta).
 * @param c the community
 * @param target the message, or (member, global time)
 * @param options master signature, forwarding
 * @returns the new undo message; when the target is already undone, the earlier undo message (or undefined when a
 *   policy change undid it)
 * @throws RangeError when the target is not stored; TypeError when its meta cannot be undone (no undo callback, or
 *   authorize / revoke / undo-own / undo-other); PermissionDeniedError when undo-other is not permitted
 * @example `const undo = createUndo(community, message); createUndo(community, message) // the same packet`
 */
export function createUndo(c: Community, target: UndoTarget, options: PermissionCreateOptions = {}): Message | undefined {
  const member = 'packet' in target ? target.members[0] : target.member;
  const globalTime = target.globalTime;
  if (member === undefined) throw new TypeError('the target has no creator');
  const memberId = knownMemberId(c, member);
  const row = memberId === undefined ? undefined : c.storage.get(memberId, globalTime);
  if (row === undefined) throw new RangeError(`no stored message of ${toHex(member.mid)} at global time ${globalTime}`);
  const meta = c.storage.metaName(row.meta) ?? '?';
  if (NEVER_UNDONE.has(meta)) throw new TypeError(`${meta} messages cannot be undone`);
  if (c.metas.get(meta)?.undo === undefined) throw new TypeError(`${meta} has no undo callback: its messages cannot be undone`);
  if (row.undone !== 0) return undoMessageOf(c, row);
  const own = options.signWithMaster !== true && c.isMyMember(member);
  if (own) return c.create<UndoOwnPayload>('dispersy-undo-own', { globalTime }, createOptions(options));
  const mid = signerMid(c, options);
  demand(c.timeline.checkUndoOther(mid, c.globalTime + 1, meta), `${mid} does not hold undo on ${meta}`);
  return c.create<UndoOtherPayload>('dispersy-undo-other', { member, globalTime }, createOptions(options));
}

/**
 * `create_dynamic_settings`: switches DynamicResolution metas to another of their policies from the next global
 * time on. The signer needs `permit` on dispersy-dynamic-settings.
 * @param c the community
 * @param settings (meta, policy index) pairs
 * @param options master signature, forwarding
 * @returns the stored, applied and forwarded dispersy-dynamic-settings
 * @throws PermissionDeniedError without the permission; RangeError for a non-dynamic meta or an index out of range
 * @example `createDynamicSettings(community, [{ meta: 'dynamic-resolution-text', index: 1 }])`
 */
export function createDynamicSettings(c: Community, settings: readonly DynamicSetting[], options: PermissionCreateOptions = {}): Message {
  const mid = signerMid(c, options);
  demand(c.timeline.checkMessage([mid], c.globalTime + 1, 'dispersy-dynamic-settings', LINEAR), `${mid} does not hold permit on dispersy-dynamic-settings`);
  return c.create('dispersy-dynamic-settings', { settings }, createOptions(options));
}

/**
 * Switches one DynamicResolution meta to its policy number `policyIndex` ({@link createDynamicSettings}).
 * @param c the community
 * @param meta the meta's name
 * @param policyIndex index into its `resolution.policies`
 * @param options master signature, forwarding
 * @returns the dispersy-dynamic-settings message
 * @throws as {@link createDynamicSettings}
 * @example `setDynamicResolution(community, 'dynamic-resolution-text', 1) // Linear from the next global time`
 */
export function setDynamicResolution(c: Community, meta: string, policyIndex: number, options: PermissionCreateOptions = {}): Message {
  return createDynamicSettings(c, [{ meta, index: policyIndex }], options);
}

/**
 * `create_destroy_community('hard-kill')`: forwards the message FIRST (the hard kill replaces the community and its
 * candidates), then stores and handles it: every other message is deleted and the community is reclassified as
 * hard-killed (builtins/destroy.ts). Soft kill is not supported.
 * @param c the community (unloaded afterwards; `node.getCommunity(cid)` returns the hard-killed one)
 * @param degree `'hard'` @default 'hard'
 * @param options master signature, forwarding
 * @returns the dispersy-destroy-community message
 * @throws RangeError for a soft kill; PermissionDeniedError without `permit` on dispersy-destroy-community
 * @example `createDestroyCommunity(community, 'hard')`
 */
export function createDestroyCommunity(c: Community, degree: 'hard' | 'hard-kill' = 'hard', options: PermissionCreateOptions = {}): Message {
  if (degree !== 'hard' && degree !== 'hard-kill') throw new RangeError(`destroy degree ${String(degree)} is not supported (only a hard kill)`);
  const mid = signerMid(c, options);
  demand(c.timeline.checkMessage([mid], c.globalTime + 1, 'dispersy-destroy-community', LINEAR), `${mid} does not hold permit on dispersy-destroy-community`);
  const signer = options.signWithMaster === true ? c.masterPrivateKey : c.myMember;
  const name = 'dispersy-destroy-community';
  const message = c.encode(name, { globalTime: c.claimGlobalTime(), payload: { degree: 'hard-kill' }, ...(signer === undefined ? {} : { signer }) });
  c.statistics.created(name);
  if (options.forward !== false) forwardMessages(c, [message], options.destinations ?? []);
  c.storeUpdateForward([message], { forward: false });
  return message;
}
