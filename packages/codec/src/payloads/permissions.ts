/**
 * dispersy-authorize (id 243) and dispersy-revoke (id 242) (spec §2.5, §6): groups of (member public key, list of
 * (message id, permission bits)), repeated to the end of the payload. Permission bits: permit 0x01,
 * authorize 0x02, revoke 0x04, undo 0x08.
 */
import type { PublicKey } from '@dispersy/crypto';
import { keyFieldSize, readLengthPrefixedKey, writeKeyField } from '../authentication.ts';
import { assertArray, assertObject, assertOneOf, bytesEqual } from '../internal/assert.ts';
import { assertPublicKey } from '../internal/keys.ts';
import type { DecodeContext, EncodeContext, PayloadCodec } from '../payload.ts';
import type { Reader } from '../reader.ts';

/** A permission on a meta-message (spec §6.1). */
export type Permission = 'permit' | 'authorize' | 'revoke' | 'undo';

/** Every permission in bit order. */
export const PERMISSIONS: readonly Permission[] = Object.freeze(['permit', 'authorize', 'revoke', 'undo']);

/** The wire bit of each permission. */
export const PERMISSION_BITS: Readonly<Record<Permission, number>> = Object.freeze({ permit: 0x01, authorize: 0x02, revoke: 0x04, undo: 0x08 });

/** Permissions granted (or revoked) on one meta-message. */
export interface PermissionGrant {
  /** The meta-message's name (travels as its id byte). */
  readonly meta: string;
  /** The permissions, in {@link PERMISSIONS} order, without repeats (unknown wire bits are ignored, as the original does). */
  readonly permissions: readonly Permission[];
}

/** All grants for one member (one group on the wire). */
export interface PermissionGroup {
  readonly member: PublicKey;
  /** At most 255 grants. */
  readonly grants: readonly PermissionGrant[];
}

/** The payload of dispersy-authorize and dispersy-revoke. */
export interface PermissionsPayload {
  readonly groups: readonly PermissionGroup[];
}

/** One (member, meta, permission) triplet, the original's view of these payloads. */
export interface PermissionTriplet {
  readonly member: PublicKey;
  readonly meta: string;
  readonly permission: Permission;
}

function bitsOf(permissions: readonly Permission[]): number {
  let bits = 0;
  for (const p of permissions) bits |= PERMISSION_BITS[p];
  return bits;
}

function checkTarget(ctx: EncodeContext, grant: PermissionGrant, authorize: boolean, what: string): number {
  const meta = ctx.conversion.metaByName(grant.meta);
  if (meta === undefined) throw new RangeError(`${what}.meta: unknown meta-message ${JSON.stringify(grant.meta)}`);
  if (meta.authentication.kind === 'none') throw new RangeError(`${what}.meta: ${grant.meta} has no member authentication`);
  if (authorize && grant.permissions.includes('undo') && !meta.undoable) {
    throw new RangeError(`${what}: ${grant.meta} is not undoable, the undo permission cannot be granted`);
  }
  return meta.id;
}

function checkPayload(value: unknown, ctx: EncodeContext, authorize: boolean): asserts value is PermissionsPayload {
  assertObject(value, 'payload');
  assertArray(value.groups, 'groups');
  value.groups.forEach((group, g) => {
    assertObject(group, `groups[${g}]`);
    assertPublicKey(group.member, `groups[${g}].member`);
    assertArray(group.grants, `groups[${g}].grants`);
    if (group.grants.length > 255) throw new RangeError(`groups[${g}].grants holds more than 255 grants`);
    group.grants.forEach((grant, i) => {
      const what = `groups[${g}].grants[${i}]`;
      assertObject(grant, what);
      assertArray(grant.permissions, `${what}.permissions`);
      grant.permissions.forEach((p, j) => assertOneOf(p, `${what}.permissions[${j}]`, PERMISSIONS));
      checkTarget(ctx, grant as unknown as PermissionGrant, authorize, what);
    });
  });
}

function decodeGroups(r: Reader, ctx: DecodeContext, authorize: boolean): PermissionsPayload {
  const groups: PermissionGroup[] = [];
  while (r.remaining() > 0) {
    const member = readLengthPrefixedKey(r, ctx.conversion.parseKey);
    const count = r.u8('permission count');
    r.need(2 * count, 'permission pairs');
    const grants: PermissionGrant[] = [];
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const id = r.u8('message id');
      const bits = r.u8('permission bits');
      const meta = ctx.conversion.metaById(id);
      if (meta === undefined) {
        r.pos = at;
        return r.fail('UNKNOWN_MESSAGE', `permission for undefined message id ${id}`);
      }
      if (meta.authentication.kind === 'none') {
        r.pos = at;
        r.fail('INVALID_FIELD', `${meta.name} has no member authentication; permissions on it are invalid`);
      }
      if (authorize && (bits & PERMISSION_BITS.undo) !== 0 && !meta.undoable) {
        r.pos = at;
        r.fail('INVALID_FIELD', `${meta.name} is not undoable; the undo permission cannot be granted`);
      }
      grants.push({ meta: meta.name, permissions: PERMISSIONS.filter((p) => (bits & PERMISSION_BITS[p]) !== 0) });
    }
    groups.push({ member, grants });
  }
  return { groups };
}

function permissionsPayload(authorize: boolean): PayloadCodec<PermissionsPayload> {
  return {
    size(value, ctx) {
      checkPayload(value, ctx, authorize);
      let n = 0;
      for (const group of value.groups) n += keyFieldSize(group.member) + 1 + 2 * group.grants.length;
      return n;
    },
    encode(w, value, ctx) {
      for (const group of value.groups) {
        writeKeyField(w, group.member);
        w.u8(group.grants.length);
        for (const grant of group.grants) {
          w.u8(checkTarget(ctx, grant, authorize, 'grant'));
          w.u8(bitsOf(grant.permissions));
        }
      }
    },
    decode: (r, ctx) => decodeGroups(r, ctx, authorize),
  };
}

/**
 * The dispersy-authorize payload codec. Decode checks: every key parses (`BAD_KEY`); every message id is defined
 * (`UNKNOWN_MESSAGE`); its meta uses Member or DoubleMember authentication, and the undo bit requires an
 * undoable meta (`INVALID_FIELD`). Any order of groups is accepted.
 * @example `payload: permissionsFromTriplets([{ member, meta: 'protected-full-sync-text', permission: 'permit' }])`
 */
export const authorizePayload: PayloadCodec<PermissionsPayload> = permissionsPayload(true);

/**
 * The dispersy-revoke payload codec: as {@link authorizePayload}, without the undo-bit check.
 * @example `payload: { groups: [{ member, grants: [{ meta: 'protected-full-sync-text', permissions: ['permit'] }] }] }`
 */
export const revokePayload: PayloadCodec<PermissionsPayload> = permissionsPayload(false);

/**
 * Flattens a permissions payload into (member, meta, permission) triplets, in wire order.
 * @param payload an authorize or revoke payload
 * @returns the triplets
 * @example `permissionTriplets(msg.payload).filter((t) => t.permission === 'permit')`
 */
export function permissionTriplets(payload: PermissionsPayload): PermissionTriplet[] {
  assertObject(payload, 'payload');
  assertArray(payload.groups, 'payload.groups');
  const out: PermissionTriplet[] = [];
  for (const group of payload.groups) {
    for (const grant of group.grants) {
      for (const permission of grant.permissions) out.push({ member: group.member, meta: grant.meta, permission });
    }
  }
  return out;
}

/**
 * Builds a permissions payload from triplets the way the original does: one group per member (by key bytes),
 * one grant per meta within it, both in order of first appearance; permissions OR-ed together.
 * @param triplets (member, meta, permission) triplets
 * @returns the payload
 * @throws TypeError for malformed triplets
 * @example `permissionsFromTriplets([{ member, meta: 'full-sync-text', permission: 'undo' }])`
 */
export function permissionsFromTriplets(triplets: readonly PermissionTriplet[]): PermissionsPayload {
  assertArray(triplets, 'triplets');
  const groups: { member: PublicKey; grants: { meta: string; bits: number }[] }[] = [];
  triplets.forEach((t, i) => {
    assertObject(t, `triplets[${i}]`);
    assertPublicKey(t.member, `triplets[${i}].member`);
    assertOneOf(t.permission, `triplets[${i}].permission`, PERMISSIONS);
    if (typeof t.meta !== 'string') throw new TypeError(`triplets[${i}].meta must be a string`);
    let group = groups.find((g) => bytesEqual(g.member.bytes, t.member.bytes));
    if (group === undefined) groups.push((group = { member: t.member, grants: [] }));
    let grant = group.grants.find((g) => g.meta === t.meta);
    if (grant === undefined) group.grants.push((grant = { meta: t.meta, bits: 0 }));
    grant.bits |= PERMISSION_BITS[t.permission];
  });
  return {
    groups: groups.map((g) => ({
      member: g.member,
      grants: g.grants.map((x) => ({ meta: x.meta, permissions: PERMISSIONS.filter((p) => (x.bits & PERMISSION_BITS[p]) !== 0) })),
    })),
  };
}
