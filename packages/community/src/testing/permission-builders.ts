/**
 * Builders of permission messages for tests, like the original DebugNode's `create_authorize`, `create_revoke`,
 * `create_undo_own`, `create_undo_other`, `create_dynamic_settings`, `create_destroy_community`,
 * `create_missing_proof` and `create_missing_message` (spec §14): encoded and signed by the node's member, NOT
 * stored and not sent. The global time defaults to a freshly claimed one; the sequence number to the next one of
 * the node's member for that meta (its counter advances, as the original's `claim_sequence_number()`).
 */
import { permissionsFromTriplets, type Permission, type PermissionsPayload } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { Message } from '../message.ts';
import { DebugNode } from './debug-node.ts';

/** Explicit global time and sequence number of a built message. */
export interface PermissionBuildOptions {
  /** @default a freshly claimed global time of the node */
  readonly globalTime?: number;
  /** @default the next sequence number of the node's member for the meta */
  readonly sequenceNumber?: number;
}

/** A (member, meta, permission) triplet whose member may be given as a test node. */
export interface BuildTriplet {
  readonly member: DebugNode | PublicKey;
  readonly meta: string;
  readonly permission: Permission;
}

function sequenced<T>(node: DebugNode, name: string, payload: unknown, options: PermissionBuildOptions): Message<T> {
  const community = node.community;
  const globalTime = options.globalTime ?? community.claimGlobalTime();
  const sequenceNumber = options.sequenceNumber ?? community.claimSequenceNumber(name);
  return node.build<T>(name, payload, { globalTime, sequenceNumber });
}

function payloadOf(triplets: readonly BuildTriplet[]): PermissionsPayload {
  return permissionsFromTriplets(triplets.map((t) => ({ ...t, member: t.member instanceof DebugNode ? t.member.publicKey : t.member })));
}

/**
 * @param node the signing node
 * @param triplets what to grant
 * @param options global time, sequence number
 * @returns a dispersy-authorize signed by the node (not stored)
 * @example `buildAuthorize(mm, [{ member: node, meta: 'full-sync-text', permission: 'undo' }])`
 */
export function buildAuthorize(node: DebugNode, triplets: readonly BuildTriplet[], options: PermissionBuildOptions = {}): Message<PermissionsPayload> {
  return sequenced(node, 'dispersy-authorize', payloadOf(triplets), options);
}

/**
 * @param node the signing node
 * @param triplets what to revoke
 * @param options global time, sequence number
 * @returns a dispersy-revoke signed by the node (not stored)
 * @example `buildRevoke(mm, [{ member: node, meta: 'full-sync-text', permission: 'undo' }])`
 */
export function buildRevoke(node: DebugNode, triplets: readonly BuildTriplet[], options: PermissionBuildOptions = {}): Message<PermissionsPayload> {
  return sequenced(node, 'dispersy-revoke', payloadOf(triplets), options);
}

/**
 * @param node the signing node (the target's creator)
 * @param target the message to undo
 * @param options global time (> the target's), sequence number
 * @returns a dispersy-undo-own (not stored)
 * @example `buildUndoOwn(node, message, { globalTime: 110, sequenceNumber: 1 })`
 */
export function buildUndoOwn(node: DebugNode, target: Message, options: PermissionBuildOptions = {}): Message {
  return sequenced(node, 'dispersy-undo-own', { globalTime: target.globalTime }, options);
}

/**
 * @param node the signing node
 * @param target the message to undo (another member's)
 * @param options global time (> the target's), sequence number
 * @returns a dispersy-undo-other (not stored)
 * @example `buildUndoOther(node, message, { globalTime: 110, sequenceNumber: 1 })`
 */
export function buildUndoOther(node: DebugNode, target: Message, options: PermissionBuildOptions = {}): Message {
  return sequenced(node, 'dispersy-undo-other', { member: target.members[0], globalTime: target.globalTime }, options);
}

/**
 * @param node the signing node
 * @param settings (meta, policy index) pairs
 * @param options global time, sequence number
 * @returns a dispersy-dynamic-settings (not stored)
 * @example `buildDynamicSettings(mm, [{ meta: 'dynamic-resolution-text', index: 1 }], { globalTime: 11 })`
 */
export function buildDynamicSettings(
  node: DebugNode, settings: readonly { readonly meta: string; readonly index: number }[], options: PermissionBuildOptions = {},
): Message {
  return sequenced(node, 'dispersy-dynamic-settings', { settings }, options);
}

/**
 * @param node the signing node
 * @param degree hard or soft kill @default 'hard-kill'
 * @param globalTime @default a freshly claimed one
 * @returns a dispersy-destroy-community (not stored)
 * @example `buildDestroyCommunity(mm)`
 */
export function buildDestroyCommunity(node: DebugNode, degree: 'hard-kill' | 'soft-kill' = 'hard-kill', globalTime?: number): Message {
  return node.build('dispersy-destroy-community', { degree }, globalTime === undefined ? {} : { globalTime });
}

/**
 * @param node the requesting node
 * @param member the creator of the message whose proof is asked
 * @param globalTime its global time
 * @returns a dispersy-missing-proof (at the node's current global time)
 * @example `node.giveMessage(buildMissingProof(other, node.publicKey, 42), other)`
 */
export function buildMissingProof(node: DebugNode, member: PublicKey, globalTime: number): Message {
  return node.build('dispersy-missing-proof', { member, globalTime }, { globalTime: node.community.globalTime });
}

/**
 * @param node the requesting node
 * @param member the creator of the wanted messages
 * @param globalTimes their global times
 * @returns a dispersy-missing-message (at the node's current global time)
 * @example `node.giveMessage(buildMissingMessage(other, node.publicKey, [10, 11]), other)`
 */
export function buildMissingMessage(node: DebugNode, member: PublicKey, globalTimes: readonly number[]): Message {
  return node.build('dispersy-missing-message', { member, globalTimes }, { globalTime: node.community.globalTime });
}
