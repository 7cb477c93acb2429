/**
 * Meta-messages of a community (spec §1, §4): the codec's definition (name, id, four policies, payload, batch
 * window) plus the runtime's callbacks — `check` (may drop or delay), `handle` (after storing) and `undo` (when a
 * stored message is undone). {@link defineCommunityMeta} checks the policy combination rules of spec §4.1 at
 * definition time (the codec's `checkPolicyCombination`, whose TypeError names the broken rule).
 */
import { defineMeta, type AnyMeta, type MetaDefinition, type MetaInit } from '@dispersy/codec';
import type { Community } from './community.ts';
import type { CheckVerdict, Message, UndoRecord } from './message.ts';

/**
 * Decides about a batch of messages of one meta, after the distribution rules passed them: returns one verdict
 * per message, in the same order. Default: the generic timeline check (spec §4.6).
 */
export type CheckCallback<T = unknown> = (messages: readonly Message<T>[], community: Community) => readonly CheckVerdict[];

/** Acts on a batch of accepted (and, for sync metas, stored) messages of one meta. May throw: counted, rows stay. */
export type HandleCallback<T = unknown> = (messages: readonly Message<T>[], community: Community) => void;

/** Told which stored messages of this meta were undone. */
export type UndoCallback = (records: readonly UndoRecord[], community: Community) => void;

/**
 * For double-signed metas: decides whether this node co-signs a message it is asked to sign (the original's
 * `allow_signature_func`): return the message (or a new payload for it) to sign, or `undefined` to refuse. Used by
 * the signature-request behaviour.
 */
export type AllowSignatureCallback<T = unknown> = (message: Message<T>, community: Community) => { readonly payload: T } | Message<T> | undefined;

/** The runtime parts of a meta-message. */
export interface MetaCallbacks<T = unknown> {
  /** @default the generic timeline check */
  readonly check?: CheckCallback<T>;
  /** @default nothing */
  readonly handle?: HandleCallback<T>;
  /** Makes the meta undoable (spec §4.1: required for DynamicResolution). */
  readonly undo?: UndoCallback;
  /** Double-signed metas: whether to co-sign. */
  readonly allowSignature?: AllowSignatureCallback<T>;
}

/**
 * A meta-message of a community: its codec definition and its callbacks.
 *
 * @example
 * ```ts
 * const post = defineCommunityMeta({
 *   name: 'post', id: 1,
 *   authentication: { kind: 'member', encoding: 'default' },
 *   resolution: { kind: 'public' },
 *   distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 },
 *   destination: { kind: 'community', nodeCount: 10 },
 *   payload: struct({ text: utf8ToEnd }),
 *   handle: (messages) => messages.forEach((m) => show(m.payload.text)),
 * });
 * ```
 */
export interface CommunityMeta<T = unknown, TInput = T> extends MetaDefinition<T, TInput>, MetaCallbacks<T> {}

/** A community meta of any payload type (for collections). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- collections hold metas of every payload type
export type AnyCommunityMeta = CommunityMeta<any, any>;

/** What {@link defineCommunityMeta} accepts: the codec's meta init plus the callbacks. */
export type CommunityMetaInit<T, TInput = T> = MetaInit<T, TInput> & MetaCallbacks<T>;

function assertOptionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function`);
}

/**
 * Defines a meta-message with its callbacks. `undoable` follows the presence of an `undo` callback unless given.
 * @param init the codec definition and the callbacks
 * @returns the checked, frozen meta
 * @throws TypeError for a malformed field, an `undoable` meta without an undo callback, or a policy combination
 *   that breaks spec §4.1 (the message names the rule); RangeError for an id outside 1..254
 * @example `const text = defineCommunityMeta({ ...fields, undo: (records) => hide(records) });`
 */
export function defineCommunityMeta<T, TInput = T>(init: CommunityMetaInit<T, TInput>): CommunityMeta<T, TInput> {
  if (typeof init !== 'object' || init === null) throw new TypeError('meta must be an object');
  assertOptionalFunction(init.check, 'meta.check');
  assertOptionalFunction(init.handle, 'meta.handle');
  assertOptionalFunction(init.undo, 'meta.undo');
  assertOptionalFunction(init.allowSignature, 'meta.allowSignature');
  const undoable = init.undoable ?? init.undo !== undefined;
  if (undoable && init.undo === undefined) throw new TypeError(`meta ${String(init.name)} is undoable but has no undo callback`);
  const { check, handle, undo, allowSignature, ...codecInit } = init;
  const base = defineMeta<T, TInput>({ ...codecInit, undoable });
  return Object.freeze({
    ...base,
    ...(check === undefined ? {} : { check }),
    ...(handle === undefined ? {} : { handle }),
    ...(undo === undefined ? {} : { undo }),
    ...(allowSignature === undefined ? {} : { allowSignature }),
  });
}

/**
 * Attaches callbacks to an existing codec meta (e.g. one of `@dispersy/codec/debug`'s), keeping its policies.
 * @param meta a codec meta definition
 * @param callbacks the callbacks
 * @returns the community meta
 * @throws TypeError as {@link defineCommunityMeta}
 * @example `withCallbacks(fullSyncText, { undo: recordUndo })`
 */
export function withCallbacks<T, TInput = T>(meta: MetaDefinition<T, TInput>, callbacks: MetaCallbacks<T>): CommunityMeta<T, TInput> {
  const { undoable, ...rest } = meta;
  return defineCommunityMeta<T, TInput>({ ...rest, ...callbacks, undoable: undoable || callbacks.undo !== undefined });
}

/**
 * Whether a meta is stored (FullSync or LastSync).
 * @param meta a meta
 * @returns true for sync distributions
 * @example `isSyncMeta(identity) // true`
 */
export function isSyncMeta(meta: Pick<AnyMeta, 'distribution'>): boolean {
  return meta.distribution.kind !== 'direct';
}
