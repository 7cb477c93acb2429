/**
 * The original's DebugCommunity (spec §14, architecture.md "The debug community"): community version 0x01, the
 * meta-messages 101–119 of `@dispersy/codec/debug` with their policies and text payloads, an undo callback on the
 * undoable ones that records its calls, handle callbacks that record what was handled, and the
 * `allow_double_signed_text` rule for co-signing. Walker off (as the original), walker responses on.
 */
import type { TextPayload } from '@dispersy/codec';
import { createDebugCommunityMessages, DEBUG_COMMUNITY_VERSION } from '@dispersy/codec/debug';
import { Community, type CommunityInit } from '../community.ts';
import { defineCommunity, type CommunityDefinition, type CommunityKnobs } from '../community-definition.ts';
import { withCallbacks, type AnyCommunityMeta } from '../community-meta.ts';
import type { Message, UndoRecord } from '../message.ts';

/** The DebugCommunity's classification. */
export const DEBUG_COMMUNITY_CLASSIFICATION = 'DebugCommunity';

/** One call of a DebugCommunity undo callback. */
export interface UndoCall {
  readonly meta: string;
  readonly records: readonly UndoRecord[];
}

/**
 * A community that records what its callbacks saw.
 *
 * @example
 * ```ts
 * const community = node.createCommunity(debugCommunity);
 * community.handled.filter((m) => m.name === 'full-sync-text').length;
 * ```
 */
export class DebugCommunity extends Community {
  /** Every undo callback call, in order. */
  readonly undoCalls: UndoCall[] = [];
  /** Every message handled by a debug meta's handle callback, in order. */
  readonly handled: Message<TextPayload>[] = [];

  /** @param init what the node provides */
  constructor(init: CommunityInit) {
    super(init);
  }
}

const TEXT = new TextDecoder();
const ENCODER = new TextEncoder();

/**
 * `allow_double_signed_text` (spec §14): `Allow=True…` → co-sign as it is; `Allow=Modify…` → co-sign a new message
 * with text `MODIFIED`; `Allow=Append…` → same members, text + `MODIFIED`; anything else → refuse.
 * @param message the message to co-sign
 * @returns the message, a replacement payload, or undefined to refuse
 * @example `allowDoubleSignedText(message) // undefined for "Allow=False"`
 */
export function allowDoubleSignedText(message: Message<TextPayload>): Message<TextPayload> | { readonly payload: TextPayload } | undefined {
  const text = TEXT.decode(message.payload.text);
  if (text.startsWith('Allow=True')) return message;
  if (text.startsWith('Allow=Modify')) return { payload: { text: ENCODER.encode('MODIFIED') } };
  if (text.startsWith('Allow=Append')) return { payload: { text: ENCODER.encode(`${text}MODIFIED`) } };
  return undefined;
}

/** Options of {@link createDebugCommunityDefinition}. */
export interface DebugCommunityOptions {
  /** @default 0x01 (sha1 member ids); 2+ carries full keys */
  readonly communityVersion?: number;
  /** The split of double-signed texts. @default 'whole' */
  readonly doubleSplit?: 'whole' | 'original-one-byte';
  /** Knob overrides. */
  readonly knobs?: Partial<CommunityKnobs>;
  /** @default 'DebugCommunity' */
  readonly classification?: string;
}

/**
 * Builds a DebugCommunity definition.
 * @param options version, split, knobs, classification
 * @returns the definition (its communities are {@link DebugCommunity} instances)
 * @example `const definition = createDebugCommunityDefinition({ communityVersion: 2 });`
 */
export function createDebugCommunityDefinition(options: DebugCommunityOptions = {}): CommunityDefinition<DebugCommunity> {
  const metas: AnyCommunityMeta[] = createDebugCommunityMessages(options.doubleSplit === undefined ? {} : { doubleSplit: options.doubleSplit }).map((meta) =>
    withCallbacks<TextPayload>(meta, {
      handle: (messages, community) => {
        if (community instanceof DebugCommunity) community.handled.push(...messages);
      },
      ...(meta.undoable
        ? {
            undo: (records: readonly UndoRecord[], community: Community) => {
              if (community instanceof DebugCommunity) community.undoCalls.push({ meta: meta.name, records });
            },
          }
        : {}),
      ...(meta.authentication.kind === 'double-member' ? { allowSignature: allowDoubleSignedText } : {}),
    }),
  );
  return defineCommunity<DebugCommunity>({
    classification: options.classification ?? DEBUG_COMMUNITY_CLASSIFICATION,
    communityVersion: options.communityVersion ?? DEBUG_COMMUNITY_VERSION,
    metas,
    knobs: { enableCandidateWalker: false, enableCandidateWalkerResponses: true, ...options.knobs },
    create: (init) => new DebugCommunity(init),
  });
}

/** The DebugCommunity with this project's defaults. */
export const debugCommunity: CommunityDefinition<DebugCommunity> = createDebugCommunityDefinition();
