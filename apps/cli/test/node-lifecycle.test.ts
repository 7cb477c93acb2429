import { statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyFileSync } from '@dispersy/crypto';
import { DATABASE_FILE_NAME, KEY_FILE_NAME, LOCK_FILE_NAME, run, type CliIo } from '../src/index.ts';
import { cli, tempDir } from './helpers.ts';
import { call, eventually, masterKey, post, startTestNode } from './node-helpers.ts';

/** Runs `dispersy node` in-process until `stop()`; resolves `ready` with the ready line. */
function runNode(args: string[], cwd: string) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const io: Partial<CliIo> = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, shutdown: controller.signal };
  const status = run(['node', '--listen', '127.0.0.1:0', '--log-level', 'info', ...args], io);
  const ready = eventually(async () => (stdout.includes('\n') ? JSON.parse(stdout.split('\n')[0] as string) : undefined), 10_000, () => stderr);
  return { ready, status, stop: () => controller.abort(), output: () => ({ stdout, stderr }) };
}

describe('dispersy node: lifecycle', () => {
  it('runs in-process: one ready line on stdout, JSON logs on stderr, exit status 0 when asked to stop', async () => {
    const dir = tempDir();
    const master = masterKey(dir);
    const node = runNode(['--data', 'data', '--community', `debug:${master.publicHex}`], dir);
    const ready = await node.ready;
    expect(ready).toMatchObject({ event: 'ready', udp: expect.stringMatching(/^127\.0\.0\.1:\d+$/), api: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), communities: [master.cid] });
    expect((await call(ready.api, '/v1/node')).body.mid).toBe(ready.mid);
    node.stop();
    expect(await node.status).toBe(0);
    const { stdout, stderr } = node.output();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const logs = stderr.trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['node key created', 'community joined', 'node started', 'node stopped']));
    // The API is closed and the lock released.
    await expect(fetch(`${ready.api}/v1/node`)).rejects.toThrow();
    expect(existsSync(join(dir, 'data', LOCK_FILE_NAME))).toBe(false);
  });

  it('creates the data directory (0700) and the key file (0600) on first run, and reuses the key', async () => {
    const data = join(tempDir(), 'nested', 'data');
    const first = await startTestNode({ data });
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(data, DATABASE_FILE_NAME))).toBe(true);
    expect(Buffer.from(loadKeyFileSync(join(data, KEY_FILE_NAME)).publicKey.mid).toString('hex')).toBe(first.running.ready.mid);
    await first.running.stop();
    const second = await startTestNode({ data });
    expect(second.running.ready.mid).toBe(first.running.ready.mid);
    expect(second.logs.join('')).not.toContain('node key created');
  });

  it('keeps messages across a restart and loads the stored DebugCommunities again', async () => {
    const master = masterKey();
    const data = tempDir();
    const first = await startTestNode({ data, community: [`debug-master:${master.file}`] });
    const created = (await post(first, master.cid, 'still here')).body;
    await first.running.stop();
    const second = await startTestNode({ data }); // no --community: loaded from the database
    expect(second.running.ready.communities).toEqual([master.cid]);
    const listed = await call(second, `/v1/communities/${master.cid}/messages?meta=full-sync-text`);
    expect(listed.body.messages).toEqual([expect.objectContaining({ packet: created.packet, payload: expect.objectContaining({ text: 'still here' }) })]);
    // Founded once: the restart created no second master identity or authorize.
    const authorizes = await call(second, `/v1/communities/${master.cid}/messages?meta=dispersy-authorize`);
    expect(authorizes.body.messages).toHaveLength(1);
  });

  it('refuses a data directory it cannot write: one line, exit status 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    const r = await cli(['node', '--listen', '127.0.0.1:0', '--data', join(dir, 'a-file', 'data')], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dispersy node: error DATA_DIR_UNWRITABLE: cannot use --data .*a-file\/data: not a writable directory \(ENOTDIR\)\n$/);
  });

  it('refuses a data directory in use by another node, and a key of another level', async () => {
    const data = tempDir();
    await startTestNode({ data });
    const locked = await cli(['node', '--listen', '127.0.0.1:0', '--data', data]);
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(/^dispersy node: error DATA_DIR_LOCKED: --data .* is in use by process \d+/);
    const other = tempDir();
    const node = await startTestNode({ data: other });
    await node.running.stop();
    const mismatch = await cli(['node', '--listen', '127.0.0.1:0', '--data', other, '--key-level', 'low']);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toMatch(/^dispersy node: error KEY_LEVEL_MISMATCH: --key-level low, but .* holds a curve25519 key\n$/);
  });

  it('reports ports that cannot be bound, and leaves nothing open', async () => {
    const first = await startTestNode();
    const udp = await cli(['node', '--data', tempDir(), '--listen', first.running.ready.udp]);
    expect(udp.status).toBe(1);
    // JSON log lines may come first (the key was created); the error is the last line.
    expect(udp.stderr.trim().split('\n').at(-1)).toMatch(/^dispersy node: error UDP_BIND_FAILED: cannot bind UDP 127\.0\.0\.1:\d+/);
    const data = tempDir();
    const api = await cli(['node', '--data', data, '--listen', '127.0.0.1:0', '--api', first.api.replace('http://', '')]);
    expect(api.status).toBe(1);
    expect(api.stderr.trim().split('\n').at(-1)).toMatch(/^dispersy node: error API_BIND_FAILED: cannot bind the HTTP API to 127\.0\.0\.1:\d+ \(EADDRINUSE\)$/);
    expect(existsSync(join(data, LOCK_FILE_NAME))).toBe(false);
  });
});
