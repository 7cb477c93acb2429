/**
 * The message-id map of `BinaryConversion` (spec §2.6): the byte each built-in dispersy-* message travels as.
 * Community messages use 1..234 in practice (the DebugCommunity 101–119, the DiscoveryCommunity 1–4).
 */

import { assertInteger } from './internal/assert.ts';

/** Message id of every built-in dispersy-* message. */
export const MESSAGE_IDS = Object.freeze({
  'dispersy-missing-sequence': 254,
  'dispersy-missing-proof': 253,
  'dispersy-signature-request': 252,
  'dispersy-signature-response': 251,
  'dispersy-puncture-request': 250,
  'dispersy-puncture': 249,
  'dispersy-identity': 248,
  'dispersy-missing-identity': 247,
  'dispersy-introduction-request': 246,
  'dispersy-introduction-response': 245,
  'dispersy-destroy-community': 244,
  'dispersy-authorize': 243,
  'dispersy-revoke': 242,
  'dispersy-missing-message': 239,
  'dispersy-undo-own': 238,
  'dispersy-undo-other': 237,
  'dispersy-dynamic-settings': 236,
} as const);

/** Name of a built-in dispersy-* message. */
export type BuiltinMessageName = keyof typeof MESSAGE_IDS;

/** 255 is reserved ("more than one byte needed"); `define_meta_message` asserts 0 < id < 255. */
export const RESERVED_MESSAGE_ID = 255;

/**
 * Ids of messages that no longer exist (no meta; a conversion leaves them undefined). 235's payload class still
 * exists in the original, without a meta.
 */
export const OBSOLETE_MESSAGE_IDS: Readonly<Record<number, string>> = Object.freeze({
  241: 'dispersy-subjective-set',
  240: 'dispersy-missing-subjective-set',
  235: 'dispersy-missing-last-message',
});

/**
 * The built-in name of a message id.
 * @param id a message id byte
 * @returns the dispersy-* name, or `undefined` for community (and obsolete or reserved) ids
 * @example `builtinMessageName(246) // 'dispersy-introduction-request'`
 */
export function builtinMessageName(id: number): BuiltinMessageName | undefined {
  assertInteger(id, 'id', 0, 255);
  for (const [name, value] of Object.entries(MESSAGE_IDS)) if (value === id) return name as BuiltinMessageName;
  return undefined;
}

/**
 * Whether a message id belongs to a built-in dispersy-* message.
 * @param id a message id byte
 * @returns true for 236–254 except the obsolete 240 and 241
 * @example `isBuiltinMessageId(243) // true`
 */
export function isBuiltinMessageId(id: number): boolean {
  return builtinMessageName(id) !== undefined;
}
