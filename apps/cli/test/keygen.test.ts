import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadKeyFileSync, SECURITY_LEVELS } from '@dispersy/crypto';
import { cli, tempDir } from './helpers.ts';

describe('dispersy keygen', () => {
  it.each(SECURITY_LEVELS)('makes a %s key: JSON on stdout, private key only in a 0600 file', async (level) => {
    const dir = tempDir();
    const r = await cli(['keygen', '--level', level, '--out', 'k.key'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { level: string; publicKey: string; mid: string; keyFile: string };
    expect(out.level).toBe(level);
    expect(out.mid).toBe(createHash('sha1').update(Buffer.from(out.publicKey, 'hex')).digest('hex'));
    expect(out.keyFile).toBe(join(dir, 'k.key'));
    expect(statSync(out.keyFile).mode & 0o777).toBe(0o600);
    const key = loadKeyFileSync(out.keyFile);
    expect(Buffer.from(key.publicKey.bytes).toString('hex')).toBe(out.publicKey);
    // The private key never reaches stdout.
    expect(r.stdout).not.toContain(Buffer.from(key.bytes).toString('hex'));
  });

  it('defaults to curve25519 and ./dispersy.key', async () => {
    const dir = tempDir();
    const r = await cli(['keygen'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).level).toBe('curve25519');
    expect(existsSync(join(dir, 'dispersy.key'))).toBe(true);
  });

  it('refuses to overwrite a key file unless --force', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dispersy.key'), 'precious');
    const refused = await cli(['keygen'], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^dispersy keygen: error KEY_FILE_EXISTS: .*--force/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(dir, 'dispersy.key'), 'utf8')).toBe('precious');
    const forced = await cli(['keygen', '--force'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'dispersy.key'), 'utf8')).not.toBe('precious');
  });

  it('rejects an unknown level with exit status 2', async () => {
    const r = await cli(['keygen', '--level', 'ultra']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'ultra'");
    expect(r.stdout).toBe('');
  });
});
