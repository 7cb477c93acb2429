/**
 * `POST /v1/communities/:cid/permissions` with `{ action: "authorize" | "revoke", member: <public key hex>, meta,
 * permissions: ["permit" | "authorize" | "revoke" | "undo", …], signWithMaster? }` creates a dispersy-authorize or
 * dispersy-revoke (the runtime's `createAuthorize` / `createRevoke`, which check the local timeline first: 403
 * PERMISSION_DENIED when this node's member — or the master, with `signWithMaster` on a node holding the master
 * key — lacks `authorize` / `revoke` on the meta).
 *
 * `POST /v1/communities/:cid/undo` with `{ member: <mid hex>, globalTime }` undoes a stored message: an undo-own
 * when this node created it, else an undo-other (needs `undo` on its meta). 201 with the undo message; 200 with
 * `alreadyUndone: true` and the earlier undo when it was undone before.
 */
import type { Hono } from 'hono';
import { createAuthorize, createRevoke, createUndo, type Community } from '@dispersy/community';
import { publicKeyFromBytes, type PublicKey } from '@dispersy/crypto';
import type { Permission, PermissionTriplet } from '@dispersy/codec';
import { hex, messageToJson } from '../node/render.ts';
import { communityOf, jsonBody, type ApiContext } from './context.ts';
import { ApiError, badRequest, clientInput } from './errors.ts';

const PERMISSIONS: readonly Permission[] = ['permit', 'authorize', 'revoke', 'undo'];

function hexField(body: Record<string, unknown>, name: string, bytes?: number): Uint8Array {
  const value = body[name];
  const ok = typeof value === 'string' && /^(?:[0-9a-fA-F]{2})+$/.test(value) && (bytes === undefined || value.length === bytes * 2);
  if (!ok) throw badRequest(`${name} must be ${bytes === undefined ? 'a hex string' : `${bytes} bytes of hex`}`);
  return new Uint8Array(Buffer.from(value as string, 'hex'));
}

function signWithMaster(community: Community, body: Record<string, unknown>): boolean {
  const value = body['signWithMaster'] ?? false;
  if (typeof value !== 'boolean') throw badRequest('signWithMaster must be a boolean');
  if (value && community.masterPrivateKey === undefined) throw new ApiError(403, 'PERMISSION_DENIED', 'this node does not hold the master key');
  return value;
}

function triplets(community: Community, body: Record<string, unknown>): PermissionTriplet[] {
  let member: PublicKey;
  try {
    member = publicKeyFromBytes(hexField(body, 'member'));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, 'BAD_KEY', `member is not a public key: ${err instanceof Error ? err.message : String(err)}`);
  }
  const meta = body['meta'];
  if (typeof meta !== 'string' || !community.metas.has(meta)) throw new ApiError(400, 'UNKNOWN_META', `community ${community.cidHex} has no meta-message '${String(meta)}'`);
  const permissions = body['permissions'];
  if (!Array.isArray(permissions) || permissions.length === 0 || permissions.length > PERMISSIONS.length) {
    throw badRequest(`permissions must be a non-empty list of ${PERMISSIONS.join(', ')}`);
  }
  const unique = new Set<Permission>();
  for (const p of permissions) {
    if (!PERMISSIONS.includes(p as Permission)) throw badRequest(`unknown permission '${String(p)}' (one of ${PERMISSIONS.join(', ')})`);
    unique.add(p as Permission);
  }
  return [...unique].map((permission) => ({ member, meta, permission }));
}

function storedTarget(community: Community, mid: Uint8Array, globalTime: number): { key: PublicKey; undone: boolean } {
  for (const record of community.storage.store.members.getByMid(mid)) {
    const row = record.publicKey === null ? undefined : community.storage.get(record.id, globalTime);
    if (row !== undefined && record.publicKey !== null) return { key: publicKeyFromBytes(record.publicKey), undone: row.undone !== 0 };
  }
  throw new ApiError(404, 'UNKNOWN_MESSAGE', `no stored message of member ${hex(mid)} at global time ${globalTime}`);
}

/**
 * Registers the permission and undo routes.
 * @param app the Hono app
 * @param ctx the API context
 */
export function registerPermissionRoutes(app: Hono, ctx: ApiContext): void {
  app.post('/v1/communities/:cid/permissions', async (c) => {
    const community = communityOf(ctx, c.req.param('cid'));
    const body = await jsonBody(c);
    const action = body['action'];
    if (action !== 'authorize' && action !== 'revoke') throw badRequest("action must be 'authorize' or 'revoke'");
    const grants = triplets(community, body);
    const options = { signWithMaster: signWithMaster(community, body) };
    const message = clientInput('BAD_REQUEST', () => (action === 'authorize' ? createAuthorize(community, grants, options) : createRevoke(community, grants, options)));
    ctx.log.info('permission message created', { cid: community.cidHex, action, meta: grants[0]?.meta, globalTime: message.globalTime });
    return c.json({ cid: community.cidHex, ...messageToJson(message) }, 201);
  });

  app.post('/v1/communities/:cid/undo', async (c) => {
    const community = communityOf(ctx, c.req.param('cid'));
    const body = await jsonBody(c);
    const mid = hexField(body, 'member', 20);
    const globalTime = body['globalTime'];
    if (typeof globalTime !== 'number' || !Number.isSafeInteger(globalTime) || globalTime < 1) throw badRequest('globalTime must be a positive integer');
    const target = storedTarget(community, mid, globalTime);
    const options = { signWithMaster: signWithMaster(community, body) };
    const alreadyUndone = target.undone;
    const undo = clientInput('NOT_UNDOABLE', () => createUndo(community, { member: target.key, globalTime }, options));
    if (undo === undefined) throw new ApiError(409, 'ALREADY_UNDONE', 'the message was undone by a permission or policy change');
    ctx.log.info('undo created', { cid: community.cidHex, target: hex(mid), globalTime, alreadyUndone });
    return c.json({ cid: community.cidHex, alreadyUndone, ...messageToJson(undo) }, alreadyUndone ? 200 : 201);
  });
}
