// The creation API of permission messages (src/permission-api.ts) and create_community's initial authorize.
import { permissionTriplets, type PermissionsPayload } from '@dispersy/codec';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createAuthorize,
  createDynamicSettings,
  createRevoke,
  createUndo,
  PermissionDeniedError,
  setDynamicResolution,
} from '../src/permission-api.ts';
import { initialGrants, Timeline } from '../src/timeline.ts';
import { environment } from './helpers.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('create_community: the master-signed initial authorize', () => {
  test('is stored (global time 4, sequence 1) and applied through the authorize behaviour exactly once', async () => {
    const authorize = vi.spyOn(Timeline.prototype, 'authorize');
    const env = await environment();
    const c = env.mm.community;
    const masterCalls = authorize.mock.calls.filter(([signer]) => signer === c.cidHex);
    expect(masterCalls).toHaveLength(1);
    const [stored] = env.mm.storedMessages<PermissionsPayload>('dispersy-authorize');
    expect(stored?.globalTime).toBe(4);
    expect(stored?.sequenceNumber).toBe(1);
    const grants = initialGrants([...c.metas.values()].map((rt) => rt.meta));
    expect(permissionTriplets(stored!.payload)).toHaveLength(grants.length);
    const me = hex(c.myMember.publicKey.mid);
    for (const { meta, permission } of grants) expect([meta, permission, c.timeline.check(me, 5, { kind: 'linear' }, [[meta, permission]]).allowed]).toEqual([meta, permission, true]);
  });

  test('joined nodes store and apply it from the packets createNodes gives them', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    node!.assertCount('dispersy-authorize', 1);
    const mm = hex(env.mm.publicKey.mid);
    expect(node!.community.timeline.allowed(mm, 'protected-full-sync-text', 10)).toBe(true);
  });
});

describe('createAuthorize / createRevoke', () => {
  test('mm grants and revokes; the messages reach the other nodes and apply there', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const meta = 'protected-full-sync-text';
    const grant = createAuthorize(env.mm.community, [{ member: node!.publicKey, meta, permission: 'permit' }]);
    env.deliverAll();
    node!.assertStored(grant);
    const me = hex(node!.publicKey.mid);
    expect(node!.community.timeline.allowed(me, meta, grant.globalTime)).toBe(true);

    const message = node!.createText(meta, 'permitted', { globalTime: grant.globalTime + 5 });
    env.mm.giveMessage(message, node!);
    env.mm.assertStored(message);

    const revoke = createRevoke(env.mm.community, [{ member: node!.publicKey, meta, permission: 'permit' }]);
    env.deliverAll();
    node!.assertStored(revoke);
    expect(node!.community.timeline.allowed(me, meta, revoke.globalTime)).toBe(false);
    env.mm.assertStored(message); // created before the revoke: still permitted
    const late = node!.createText(meta, 'too late', { globalTime: revoke.globalTime + 1 });
    env.mm.giveMessage(late, node!);
    env.mm.assertNotStored(late);
  });

  test('refuses a signer without the permission, and an empty grant list', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const triplet = { member: node!.publicKey, meta: 'protected-full-sync-text', permission: 'permit' } as const;
    expect(() => createAuthorize(node!.community, [triplet])).toThrow(PermissionDeniedError);
    expect(() => createRevoke(node!.community, [triplet])).toThrow(/does not hold revoke/);
    expect(() => createAuthorize(env.mm.community, [])).toThrow(TypeError);
    const error = (() => {
      try {
        createAuthorize(node!.community, [triplet]);
      } catch (err) {
        return err as PermissionDeniedError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('PERMISSION_DENIED');
    node!.assertCount('dispersy-authorize', 1); // only the master's
  });
});

describe('createUndo', () => {
  test('undo-own for my message, undo-other (with the undo permission) for another\'s', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const mine = env.mm.createFullSyncText('mine', 20);
    const theirs = node!.createFullSyncText('theirs', 21);
    env.mm.giveMessages([mine], env.mm);
    env.mm.giveMessages([theirs], node!);
    const own = createUndo(env.mm.community, mine);
    const other = createUndo(env.mm.community, { member: node!.publicKey, globalTime: 21 });
    expect(own?.name).toBe('dispersy-undo-own');
    expect(other?.name).toBe('dispersy-undo-other');
    env.mm.assertUndone(mine, own);
    env.mm.assertUndone(theirs, other);
    env.deliverAll();
    node!.assertUndone(theirs, other); // forwarded to NODE, applied there
  });

  test('refuses to undo authorize / revoke / undo messages and metas without an undo callback (quirk 15)', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const c = env.mm.community;
    const [authorize] = env.mm.storedMessages('dispersy-authorize');
    expect(() => createUndo(c, authorize!)).toThrow(/dispersy-authorize messages cannot be undone/);
    const last = env.mm.createLastSyncText('no undo callback', 20);
    env.mm.giveMessage(last, env.mm);
    expect(() => createUndo(c, last)).toThrow(/no undo callback/);
    const text = env.mm.createFullSyncText('text', 21);
    env.mm.giveMessage(text, env.mm);
    const undo = createUndo(c, text)!;
    expect(() => createUndo(c, undo)).toThrow(/dispersy-undo-own messages cannot be undone/);
    expect(() => createUndo(c, env.mm.createFullSyncText('never stored', 99))).toThrow(RangeError);
    // NODE lacks undo on full-sync-text: undoing mm's message would be an undo-other
    node!.giveMessage(text, env.mm);
    expect(() => createUndo(node!.community, text)).toThrow(PermissionDeniedError);
  });
});

describe('createDynamicSettings / setDynamicResolution', () => {
  test('switches the policy from the next global time on, everywhere', async () => {
    const env = await environment();
    const [node] = await env.createNodes(1);
    const settings = setDynamicResolution(env.mm.community, 'dynamic-resolution-text', 1);
    env.deliverAll();
    for (const n of [env.mm, node!]) {
      expect(n.community.timeline.resolutionPolicy('dynamic-resolution-text', settings.globalTime).policy).toBe('public');
      expect(n.community.timeline.resolutionPolicy('dynamic-resolution-text', settings.globalTime + 1).policy).toBe('linear');
    }
    expect(() => createDynamicSettings(node!.community, [{ meta: 'dynamic-resolution-text', index: 0 }])).toThrow(PermissionDeniedError);
    expect(() => setDynamicResolution(env.mm.community, 'dynamic-resolution-text', 5)).toThrow(RangeError);
  });
});
