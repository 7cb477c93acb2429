/**
 * The extension point for built-in dispersy-* messages: what the runtime does with each one. A behaviour is the
 * check / handle / undo callbacks of one built-in meta; the table in `./index.ts` maps names to behaviours.
 * A built-in meta without a behaviour is received as a counted drop (`not_implemented`).
 */
import type { CheckCallback, HandleCallback, UndoCallback } from '../community-meta.ts';

/**
 * The callbacks of one built-in meta-message. Every field is optional: `check` defaults to the generic timeline
 * check (NoAuthentication passes), `handle` to nothing.
 *
 * @example
 * ```ts
 * // src/builtins/authorize.ts
 * export const authorizeBehaviour: BuiltinBehaviour = {
 *   check: (messages, community) => messages.map((m) => checkPermissionContainer(community, m)),
 *   handle: (messages, community) => { for (const m of messages) applyTimelineRecord(community.timeline, timelineRecordOf(m)!); },
 * };
 * ```
 */
export interface BuiltinBehaviour {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload types differ per built-in
  readonly check?: CheckCallback<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- idem
  readonly handle?: HandleCallback<any>;
  readonly undo?: UndoCallback;
}
