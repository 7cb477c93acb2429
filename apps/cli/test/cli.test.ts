import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.ts';

const BIN = new URL('../bin/dispersy.js', import.meta.url).pathname;

describe('dispersy (command line)', () => {
  it.each([['keygen'], ['decode'], ['bloom'], ['showcase'], ['node'], ['create-community']])('prints help for %s with exit status 0', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: dispersy ${command}`);
  });

  it('prints the command list with --help', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['keygen', 'decode', 'bloom', 'showcase', 'node', 'create-community']) expect(r.stdout).toContain(c);
  });

  it('rejects an unknown command and a missing argument with exit status 2', async () => {
    expect((await cli(['frobnicate'])).status).toBe(2);
    const r = await cli(['decode']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing required argument 'hex'");
  });

  it('showcase runs offline and shows a forgery rejected and a sync', async () => {
    const r = await cli(['showcase']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('signature verified: true');
    expect(r.stdout).toContain('rejected: DecodeError BAD_SIGNATURE');
    expect(r.stdout).toMatch(/sends back the 2 of her 3 messages/);
  });

  it('the installed bin runs as a process: JSON on stdout, one-line errors and exit status 2 on stderr', () => {
    const dir = tempDir();
    const ok = spawnSync(process.execPath, [BIN, 'keygen', '--out', 'node.key'], { cwd: dir, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).level).toBe('curve25519');
    const bad = spawnSync(process.execPath, [BIN, 'decode', 'nothex'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('dispersy decode: error BAD_HEX: the packet is not an even-length hex string\n');
  });
});
