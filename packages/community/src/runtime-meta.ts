/**
 * The runtime table of a community's meta-messages: for every meta (built-in or own) the codec definition and the
 * callbacks the pipeline runs. Built-in dispersy-* metas get their callbacks from the {@link BuiltinBehaviour}
 * table (src/builtins/index.ts); a built-in without a behaviour is "not implemented": received messages of it are
 * dropped with the reason `not_implemented`.
 */
import { dispersyMessages, type AnyMeta } from '@dispersy/codec';
import type { BuiltinBehaviour } from './builtins/behaviour.ts';
import type { CommunityDefinition } from './community-definition.ts';
import type { AnyCommunityMeta, CheckCallback, HandleCallback, UndoCallback } from './community-meta.ts';

/** One meta-message as the pipeline runs it. */
export interface RuntimeMeta {
  readonly name: string;
  /** The codec definition (the object the conversions decode with). */
  readonly meta: AnyMeta;
  /** Whether it is a dispersy-* built-in (possibly overridden by the community). */
  readonly builtin: boolean;
  /** False for a built-in without behaviour: received messages are dropped (`not_implemented`). */
  readonly implemented: boolean;
  /** The check callback; undefined → the generic timeline check. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table holds metas of every payload type
  readonly check: CheckCallback<any> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- idem
  readonly handle: HandleCallback<any> | undefined;
  readonly undo: UndoCallback | undefined;
}

const BUILTIN_NAMES: ReadonlySet<string> = new Set(dispersyMessages.map((m) => m.name));

/**
 * Whether a name is one of the dispersy-* built-ins.
 * @param name a meta name
 * @returns true for a built-in name
 * @example `isBuiltinName('dispersy-identity') // true`
 */
export function isBuiltinName(name: string): boolean {
  return BUILTIN_NAMES.has(name);
}

/**
 * Builds the runtime table of a community: its own metas with their callbacks, and every built-in that it does
 * not override with the behaviour registered for it.
 * @param definition the community definition
 * @param behaviours built-in behaviours by meta name
 * @returns the table by name, built-ins first (by id), then the community's metas
 * @example `const table = runtimeMetas(definition, BUILTIN_BEHAVIOURS);`
 */
export function runtimeMetas(definition: CommunityDefinition, behaviours: ReadonlyMap<string, BuiltinBehaviour>): Map<string, RuntimeMeta> {
  const table = new Map<string, RuntimeMeta>();
  const own = new Map<string, AnyCommunityMeta>(definition.metas.map((m) => [m.name, m]));
  for (const meta of dispersyMessages) {
    if (own.has(meta.name)) continue;
    const behaviour = behaviours.get(meta.name);
    table.set(meta.name, {
      name: meta.name,
      meta,
      builtin: true,
      implemented: behaviour !== undefined,
      check: behaviour?.check,
      handle: behaviour?.handle,
      undo: behaviour?.undo,
    });
  }
  for (const meta of definition.metas) {
    const builtin = isBuiltinName(meta.name);
    const behaviour = builtin ? behaviours.get(meta.name) : undefined;
    table.set(meta.name, {
      name: meta.name,
      meta,
      builtin,
      implemented: true,
      check: meta.check ?? behaviour?.check,
      handle: meta.handle ?? behaviour?.handle,
      undo: meta.undo ?? behaviour?.undo,
    });
  }
  return table;
}
