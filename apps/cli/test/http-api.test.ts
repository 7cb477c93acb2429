import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '@dispersy/crypto';
import { MAX_BODY_BYTES } from '../src/index.ts';
import { tempDir } from './helpers.ts';
import { call, masterKey, post, startTestNode, type TestNode } from './node-helpers.ts';

const sha1 = (hex: string): string => createHash('sha1').update(Buffer.from(hex, 'hex')).digest('hex');

/** A node that founded one DebugCommunity (holds its master key) and joined another by its master public key. */
async function fixture(): Promise<{ node: TestNode; cid: string; joined: string; bare: string }> {
  const founded = masterKey();
  const other = masterKey(tempDir());
  const bare = 'ab'.repeat(20);
  const node = await startTestNode({ community: [`debug-master:${founded.file}`, `debug:${other.publicHex}`, `bare:${bare}@2`] });
  return { node, cid: founded.cid, joined: other.cid, bare };
}

describe('HTTP API: node, communities, candidates', () => {
  it('GET /v1/node names the node', async () => {
    const { node } = await fixture();
    const r = await call(node, '/v1/node');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body.publicKey).toBe(node.running.ready.publicKey);
    expect(r.body.mid).toBe(sha1(r.body.publicKey));
    expect(r.body.udp).toBe(node.running.ready.udp);
    expect(r.body.lan).toBe(node.running.ready.udp);
    expect(r.body.wan).toBe(node.running.ready.udp);
    expect(r.body.connectionType).toBe('unknown');
    expect(r.body.version).toBe('0.1.0');
    expect(r.body.communities).toBe(3);
  });

  it('GET /v1/communities lists every joined community with its counts', async () => {
    const { node, cid, joined, bare } = await fixture();
    const r = await call(node, '/v1/communities');
    expect(r.status).toBe(200);
    const byCid = new Map<string, Record<string, unknown>>(r.body.communities.map((c: { cid: string }) => [c.cid, c]));
    expect([...byCid.keys()].sort()).toEqual([cid, joined, bare].sort());
    expect(byCid.get(cid)).toMatchObject({ classification: 'DebugCommunity', communityVersion: 1, candidates: 0, verifiedCandidates: 0 });
    expect(byCid.get(cid)?.['globalTime']).toBeGreaterThanOrEqual(4); // my identity, the master's, the authorize
    expect(byCid.get(cid)?.['messages']).toBe(1); // the authorize (identities are below the sync priority threshold)
    expect(byCid.get(joined)).toMatchObject({ masterPublicKey: expect.stringMatching(/^4c69624e61434c504b3a/) });
    expect(byCid.get(bare)).toMatchObject({ classification: 'BareCommunity-v2', communityVersion: 2, masterPublicKey: null });
  });

  it('GET /v1/communities/:cid/candidates shows the candidate table; unknown and malformed cids are 404 / 400', async () => {
    const { node, cid } = await fixture();
    expect((await call(node, `/v1/communities/${cid}/candidates`)).body).toEqual({ cid, candidates: [] });
    node.running.node.communities.get(cid)?.addCandidate({ host: '127.0.0.1', port: 9 }, { category: 'discovered' });
    const r = await call(node, `/v1/communities/${cid.toUpperCase()}/candidates`);
    expect(r.status).toBe(200);
    expect(r.body.candidates).toEqual([
      { address: '127.0.0.1:9', lan: '127.0.0.1:9', wan: '127.0.0.1:9', category: 'discovered', connectionType: 'unknown', tunnel: false, globalTime: 0 },
    ]);
    const unknown = await call(node, `/v1/communities/${'00'.repeat(20)}/candidates`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'UNKNOWN_COMMUNITY', message: expect.any(String) } });
    const malformed = await call(node, '/v1/communities/xyz/candidates');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_CID');
  });

  it('unknown routes and methods are 404 with an error body', async () => {
    const { node } = await fixture();
    for (const [method, path] of [['GET', '/'], ['GET', '/v2/node'], ['DELETE', '/v1/node']] as const) {
      const r = await call(node, path, { method });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('HTTP API: messages', () => {
  it('POST creates a message (201: global time, sequence, packet) and GET lists it with its decoded text', async () => {
    const { node, cid } = await fixture();
    const created = await post(node, cid, 'hello, world ✓');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ cid, meta: 'full-sync-text', member: node.running.ready.mid, sequence: null });
    expect(created.body.globalTime).toBeGreaterThan(4);
    expect(created.body.packet).toMatch(/^0001[0-9a-f]+$/);
    expect(created.body.packet).toContain(Buffer.from('hello, world ✓').toString('hex'));
    const list = await call(node, `/v1/communities/${cid}/messages?meta=full-sync-text`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      cid,
      next: null,
      messages: [{
        meta: 'full-sync-text',
        member: node.running.ready.mid,
        globalTime: created.body.globalTime,
        sequence: null,
        payload: { text: 'hello, world ✓', hex: Buffer.from('hello, world ✓').toString('hex') },
        undone: false,
        packet: created.body.packet,
      }],
    });
  });

  it('claims sequence numbers for sequence metas and accepts raw bytes as hex', async () => {
    const { node, cid } = await fixture();
    expect((await post(node, cid, 'one', 'sequence-text')).body.sequence).toBe(1);
    expect((await post(node, cid, 'two', 'sequence-text')).body.sequence).toBe(2);
    const raw = await call(node, `/v1/communities/${cid}/messages`, { body: { meta: 'full-sync-text', payload: { hex: 'ff00' } } });
    expect(raw.status).toBe(201);
    expect(raw.body.payload).toEqual({ text: '\ufffd\u0000', hex: 'ff00' });
  });

  it('lists every stored meta by default, in global-time order, paged by since / limit / next', async () => {
    const { node, cid } = await fixture();
    for (const text of ['a', 'b', 'c']) await post(node, cid, text, text === 'b' ? 'ASC-text' : 'full-sync-text');
    const all = await call(node, `/v1/communities/${cid}/messages`);
    const metas = all.body.messages.map((m: { meta: string }) => m.meta);
    expect(metas).toEqual(['dispersy-identity', 'dispersy-identity', 'dispersy-authorize', 'full-sync-text', 'ASC-text', 'full-sync-text']);
    const times = all.body.messages.map((m: { globalTime: number }) => m.globalTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const first = await call(node, `/v1/communities/${cid}/messages?limit=2`);
    expect(first.body.messages).toHaveLength(2);
    expect(first.body.next).toBe(first.body.messages[1].globalTime);
    const rest = await call(node, `/v1/communities/${cid}/messages?since=${first.body.next}&limit=1000`);
    expect(rest.body.next).toBeNull();
    expect([...first.body.messages, ...rest.body.messages]).toEqual(all.body.messages);
  });

  it('refuses bad list parameters with 400', async () => {
    const { node, cid } = await fixture();
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'since=-1', 'since=1.5', 'meta=nope', 'meta=double-signed-text']) {
      const r = await call(node, `/v1/communities/${cid}/messages?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code, query).toMatch(/^(BAD_REQUEST|UNKNOWN_META)$/);
    }
    expect((await call(node, `/v1/communities/${cid}/messages?limit=1000`)).status).toBe(200);
  });

  it('refuses bad message bodies with a clear 4xx', async () => {
    const { node, cid } = await fixture();
    const path = `/v1/communities/${cid}/messages`;
    const cases: [unknown, number, string][] = [
      [{ payload: { text: 'x' } }, 400, 'BAD_REQUEST'],
      [{ meta: 'nope', payload: { text: 'x' } }, 400, 'UNKNOWN_META'],
      [{ meta: 'dispersy-identity', payload: {} }, 400, 'UNSUPPORTED_META'],
      [{ meta: 'double-signed-text', payload: { text: 'x' } }, 400, 'UNSUPPORTED_META'],
      [{ meta: 'full-sync-text' }, 400, 'BAD_PAYLOAD'],
      [{ meta: 'full-sync-text', payload: { text: 5 } }, 400, 'BAD_PAYLOAD'],
      [{ meta: 'full-sync-text', payload: { text: 'x', hex: '00' } }, 400, 'BAD_PAYLOAD'],
      [{ meta: 'full-sync-text', payload: { hex: 'abc' } }, 400, 'BAD_PAYLOAD'],
      [{ meta: 'full-sync-text', payload: { text: 'x'.repeat(60_001) } }, 400, 'BAD_PAYLOAD'],
      [[1, 2], 400, 'BAD_REQUEST'],
      ['{not json', 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call(node, path, { body, headers: { 'content-type': 'application/json' } });
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body).slice(0, 60)).toBe(code);
      expect(typeof r.body.error.message).toBe('string');
    }
  });

  it('demands a JSON content type (415) and limits the body to 64 KiB (413)', async () => {
    const { node, cid } = await fixture();
    const path = `/v1/communities/${cid}/messages`;
    const plain = await call(node, path, { body: JSON.stringify({ meta: 'full-sync-text', payload: { text: 'x' } }), headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await call(node, path, { body: { meta: 'full-sync-text', payload: { text: 'x'.repeat(MAX_BODY_BYTES) } } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 403 for a Linear meta without the permit grant, 201 with it', async () => {
    const { node, cid, joined } = await fixture();
    const denied = await post(node, joined, 'not mine to say', 'protected-full-sync-text');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    expect((await post(node, cid, 'the founder may', 'protected-full-sync-text')).status).toBe(201);
  });
});

describe('HTTP API: permissions and undo', () => {
  it('authorizes and revokes a member (the founder holds authorize and revoke)', async () => {
    const { node, cid } = await fixture();
    const bob = Buffer.from(generateKeyPair().publicKey.bytes).toString('hex');
    const path = `/v1/communities/${cid}/permissions`;
    const granted = await call(node, path, { body: { action: 'authorize', member: bob, meta: 'protected-full-sync-text', permissions: ['permit', 'undo'] } });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ meta: 'dispersy-authorize', member: node.running.ready.mid });
    expect(granted.body.payload.groups[0]).toEqual({ member: bob, grants: [{ meta: 'protected-full-sync-text', permissions: ['permit', 'undo'] }] });
    const community = node.running.node.communities.get(cid);
    expect(community?.timeline.allowed(sha1(bob), 'protected-full-sync-text', (community?.globalTime ?? 0) + 1)).toBe(true);
    const revoked = await call(node, path, { body: { action: 'revoke', member: bob, meta: 'protected-full-sync-text', permissions: ['permit'] } });
    expect(revoked.status).toBe(201);
    expect(revoked.body.meta).toBe('dispersy-revoke');
    expect(community?.timeline.allowed(sha1(bob), 'protected-full-sync-text', (community?.globalTime ?? 0) + 1)).toBe(false);
    const masterSigned = await call(node, path, { body: { action: 'authorize', member: bob, meta: 'full-sync-text', permissions: ['undo'], signWithMaster: true } });
    expect(masterSigned.status).toBe(201);
    expect(masterSigned.body.member).toBe(cid);
  });

  it('refuses bad permission requests (400) and members without the right (403)', async () => {
    const { node, cid, joined } = await fixture();
    const bob = Buffer.from(generateKeyPair().publicKey.bytes).toString('hex');
    const ok = { action: 'authorize', member: bob, meta: 'protected-full-sync-text', permissions: ['permit'] };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...ok, action: 'grant' }, 400, 'BAD_REQUEST'],
      [{ ...ok, member: 'zz' }, 400, 'BAD_REQUEST'],
      [{ ...ok, member: 'abcd' }, 400, 'BAD_KEY'],
      [{ ...ok, meta: 'nope' }, 400, 'UNKNOWN_META'],
      [{ ...ok, permissions: [] }, 400, 'BAD_REQUEST'],
      [{ ...ok, permissions: ['fly'] }, 400, 'BAD_REQUEST'],
      [{ ...ok, signWithMaster: 'yes' }, 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call(node, `/v1/communities/${cid}/permissions`, { body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toBe(code);
    }
    const denied = await call(node, `/v1/communities/${joined}/permissions`, { body: ok });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    const noMaster = await call(node, `/v1/communities/${joined}/permissions`, { body: { ...ok, signWithMaster: true } });
    expect(noMaster.status).toBe(403);
  });

  it('undoes my own message (undo-own), marks it undone, and answers the same undo twice', async () => {
    const { node, cid } = await fixture();
    const message = (await post(node, cid, 'regret')).body;
    const path = `/v1/communities/${cid}/undo`;
    const undo = await call(node, path, { body: { member: message.member, globalTime: message.globalTime } });
    expect(undo.status).toBe(201);
    expect(undo.body).toMatchObject({ meta: 'dispersy-undo-own', alreadyUndone: false, payload: { globalTime: message.globalTime } });
    const listed = await call(node, `/v1/communities/${cid}/messages?meta=full-sync-text`);
    expect(listed.body.messages[0]).toMatchObject({ globalTime: message.globalTime, undone: true });
    const again = await call(node, path, { body: { member: message.member, globalTime: message.globalTime } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyUndone: true, globalTime: undo.body.globalTime, packet: undo.body.packet });
  });

  it('refuses bad undo requests', async () => {
    const { node, cid } = await fixture();
    const asc = (await post(node, cid, 'not undoable', 'ASC-text')).body;
    const path = `/v1/communities/${cid}/undo`;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ member: 'abc', globalTime: 5 }, 400, 'BAD_REQUEST'],
      [{ member: asc.member, globalTime: 0 }, 400, 'BAD_REQUEST'],
      [{ member: asc.member, globalTime: '5' }, 400, 'BAD_REQUEST'],
      [{ member: asc.member, globalTime: 999_999 }, 404, 'UNKNOWN_MESSAGE'],
      [{ member: '00'.repeat(20), globalTime: asc.globalTime }, 404, 'UNKNOWN_MESSAGE'],
      [{ member: asc.member, globalTime: asc.globalTime }, 400, 'NOT_UNDOABLE'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call(node, path, { body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toBe(code);
    }
  });
});

describe('HTTP API: access', () => {
  it('demands the bearer token on every route when one is configured', async () => {
    const token = 's3cret-token-value';
    const node = await startTestNode({ apiToken: token });
    for (const path of ['/v1/node', '/v1/stats', '/metrics', '/v1/events', '/nope']) {
      const missing = await call(node, path);
      expect(missing.status, path).toBe(401);
      expect(missing.body.error.code).toBe('UNAUTHORIZED');
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await call(node, path, { headers: { authorization: 'Bearer wrong-token-value' } })).status).toBe(401);
      expect((await call(node, path, { headers: { authorization: token } })).status).toBe(401);
    }
    const ok = await call(node, '/v1/node', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it('refuses a Host header that is not loopback (DNS-rebinding defence)', async () => {
    const node = await startTestNode();
    const url = new URL(`${node.api}/v1/node`);
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status('evil.example:80')).toBe(403);
    expect(await status(`localhost:${url.port}`)).toBe(200);
    expect(await status(`127.0.0.1:${url.port}`)).toBe(200);
  });
});
