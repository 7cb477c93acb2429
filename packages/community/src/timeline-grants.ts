/**
 * The permissions `create_community` grants the creating member (spec §6.2, last bullet): the master signs one
 * dispersy-authorize (not forwarded) holding these triplets for my member.
 */
import type { Distribution, Permission, Resolution } from '@dispersy/codec';

/** What {@link initialGrants} reads of a meta-message (a `MetaDefinition` fits). */
export interface GrantableMeta {
  readonly name: string;
  readonly resolution: Resolution;
  readonly distribution: { readonly kind: Distribution['kind'] };
  /** Whether the meta has an undo callback. */
  readonly undoable: boolean;
}

/** One (meta, permission) the creator receives. */
export interface MetaPermission {
  readonly meta: string;
  readonly permission: Permission;
}

/** The original supports no undo permission on these metas ("yet"). */
const NO_UNDO: ReadonlySet<string> = new Set(['dispersy-authorize', 'dispersy-revoke', 'dispersy-undo-own', 'dispersy-undo-other']);

/**
 * The grants of `create_community`, in the original's order: for each Linear or Dynamic meta → authorize,
 * revoke, permit, plus undo when it is undoable and not authorize / revoke / undo-own / undo-other; for each
 * Public meta with FullSync or LastSync distribution that is undoable (same exclusion) → authorize, revoke, undo
 * (permit is not needed under Public; authorize and revoke let the creator hand out and take back undo). Metas
 * are taken in the given order (the original iterated a dict).
 * @param metas the community's meta-messages, built-in ones included
 * @returns the (meta, permission) pairs; the runtime pairs each with its own member
 * @throws TypeError for a malformed meta
 * @example `initialGrants(metas).map(({ meta, permission }) => ({ member: myMid, meta, permission }))`
 */
export function initialGrants(metas: readonly GrantableMeta[]): MetaPermission[] {
  if (!Array.isArray(metas)) throw new TypeError('metas must be an array');
  const out: MetaPermission[] = [];
  const add = (meta: string, permissions: readonly Permission[]): void => {
    for (const permission of permissions) out.push({ meta, permission });
  };
  metas.forEach((meta: GrantableMeta, i) => {
    if (typeof meta !== 'object' || meta === null || typeof meta.name !== 'string' || typeof meta.resolution !== 'object' || meta.resolution === null) {
      throw new TypeError(`metas[${i}] must have a name and a resolution`);
    }
    const undo = meta.undoable === true && !NO_UNDO.has(meta.name);
    if (meta.resolution.kind === 'linear' || meta.resolution.kind === 'dynamic') {
      add(meta.name, undo ? ['authorize', 'revoke', 'permit', 'undo'] : ['authorize', 'revoke', 'permit']);
    } else if (undo && (meta.distribution.kind === 'full-sync' || meta.distribution.kind === 'last-sync')) {
      add(meta.name, ['authorize', 'revoke', 'undo']);
    }
  });
  return out;
}
