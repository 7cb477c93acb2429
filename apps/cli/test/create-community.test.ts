import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadKeyFileSync } from '@dispersy/crypto';
import { parseCommunitySpec } from '../src/index.ts';
import { cli, tempDir } from './helpers.ts';

describe('dispersy create-community', () => {
  it('prints { masterPublicKey, cid, join, found } and writes only the private key to a 0600 file', async () => {
    const dir = tempDir();
    const r = await cli(['create-community', '--out', 'm.key'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out['kind']).toBe('debug');
    expect(out['level']).toBe('curve25519');
    expect(out['cid']).toBe(createHash('sha1').update(Buffer.from(out['masterPublicKey'] as string, 'hex')).digest('hex'));
    expect(out['keyFile']).toBe(join(dir, 'm.key'));
    expect(statSync(join(dir, 'm.key')).mode & 0o777).toBe(0o600);
    const key = loadKeyFileSync(join(dir, 'm.key'));
    expect(Buffer.from(key.publicKey.bytes).toString('hex')).toBe(out['masterPublicKey']);
    expect(r.stdout).not.toContain(Buffer.from(key.bytes).toString('hex'));
    // The printed specs are what `dispersy node --community` takes.
    expect(parseCommunitySpec(out['join'] as string, dir)).toMatchObject({ kind: 'debug' });
    expect(parseCommunitySpec(out['found'] as string, dir)).toMatchObject({ kind: 'debug-master' });
  });

  it('defaults to ./master.key and takes --level', async () => {
    const dir = tempDir();
    const r = await cli(['create-community', '--level', 'low'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).level).toBe('low');
    expect(loadKeyFileSync(join(dir, 'master.key')).level).toBe('low');
  });

  it('refuses to overwrite a key file unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'master.key'), 'precious');
    const refused = await cli(['create-community'], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^dispersy create-community: error KEY_FILE_EXISTS: .*--force/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'master.key'), 'utf8')).toBe('precious');
    const forced = await cli(['create-community', '--force'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('rejects an unknown kind or level with exit status 2', async () => {
    expect((await cli(['create-community', '--kind', 'feed'])).status).toBe(2);
    expect((await cli(['create-community', '--level', 'ultra'])).status).toBe(2);
  });
});
