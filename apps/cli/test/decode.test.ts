import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, WIRE_DIR } from './helpers.ts';

interface Vector {
  message: string;
  message_id: number;
  cid: string;
  community_version: string;
  authentication: { member_mid?: string; member_public_key?: string; type?: string };
  distribution: { global_time: number; sequence_number?: number };
  layout: { field: string; offset: number; length: number }[];
  payload: Record<string, unknown>;
}

interface Index {
  master_public_key: string;
  peers: Record<string, { member_public_key: string }>;
}

const names = readdirSync(WIRE_DIR)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => f.slice(0, -4))
  .sort();

function keysFor(name: string): string[] {
  const index = JSON.parse(readFileSync(join(WIRE_DIR, `${name.slice(0, 2)}-index.json`), 'utf8')) as Index;
  return [index.master_public_key, ...Object.values(index.peers).map((p) => p.member_public_key)].flatMap((k) => ['--key', k]);
}

describe('dispersy decode', () => {
  it('has vectors to decode', () => {
    expect(names.length).toBeGreaterThan(40);
  });

  it.each(names)('decodes the original\'s %s packet to the fields it lists', async (name) => {
    const hex = readFileSync(join(WIRE_DIR, `${name}.hex`), 'utf8').trim();
    const v = JSON.parse(readFileSync(join(WIRE_DIR, `${name}.json`), 'utf8')) as Vector;
    const r = await cli(['decode', ...keysFor(name), hex]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.message).toEqual({ name: v.message, id: v.message_id });
    expect(out.header).toEqual({ dispersyVersion: 0, communityVersion: Number.parseInt(v.community_version, 16), cid: v.cid });
    expect(out.globalTime).toBe(v.distribution.global_time);
    if (v.distribution.sequence_number) expect(out.sequenceNumber).toBe(v.distribution.sequence_number);
    expect(out.layout).toEqual(v.layout.map(({ field, offset, length }) => ({ field, offset, length })));
    if (v.authentication.member_mid) {
      expect(out.authentication.members[0].mid).toBe(v.authentication.member_mid);
      expect(out.authentication.members[0].publicKey).toBe(v.authentication.member_public_key);
      expect(out.signatureValid).toBe(true);
    } else {
      expect(out.authentication).toBeNull();
      expect(out.signatureValid).toBeNull();
    }
    const text = v.payload.text as { hex: string } | undefined;
    if (text) expect(out.payload.text).toBe(text.hex);
  });

  it('reads the packet from standard input with "-" and accepts a tunnel prefix', async () => {
    const hex = readFileSync(join(WIRE_DIR, 'v2-full-sync-text.hex'), 'utf8').trim();
    const r = await cli(['decode', '-'], { stdin: `ffffffff${hex}\n` });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tunnel).toBe(true);
    expect(out.message.name).toBe('full-sync-text');
  });

  it('reports a forged signature as invalid instead of failing', async () => {
    const hex = readFileSync(join(WIRE_DIR, 'v2-full-sync-text.hex'), 'utf8').trim();
    const bytes = Buffer.from(hex, 'hex');
    bytes[bytes.length - 1]! ^= 1;
    const r = await cli(['decode', bytes.toString('hex')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).signatureValid).toBe(false);
  });

  it('names the unknown member and suggests --key for sha1-encoded members', async () => {
    const hex = readFileSync(join(WIRE_DIR, 'v1-full-sync-text.hex'), 'utf8').trim();
    const r = await cli(['decode', hex]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dispersy decode: error UNKNOWN_MEMBER: .*7ac9bbe16411948e8786850faec2cecfa1394bd4.*--key/);
  });

  it.each([
    ['zz', 'BAD_HEX'],
    ['abc', 'BAD_HEX'],
    ['0001', 'TRUNCATED'],
    [`0001${'ab'.repeat(20)}05`, 'UNKNOWN_MESSAGE'],
  ])('rejects %s with code %s, one line and exit status 2', async (hex, code) => {
    const r = await cli(['decode', hex]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error ${code}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a truncated golden packet and trailing bytes with their DecodeError codes', async () => {
    const hex = readFileSync(join(WIRE_DIR, 'v2-puncture-request.hex'), 'utf8').trim();
    const short = await cli(['decode', hex.slice(0, -2)]);
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/error (TRUNCATED|INVALID_FIELD)/);
    const long = await cli(['decode', `${hex}00`]);
    expect(long.status).toBe(2);
    expect(long.stderr).toContain('error TRAILING_BYTES');
  });

  it('rejects a malformed --key and a bad --community-version', async () => {
    const hex = readFileSync(join(WIRE_DIR, 'v2-full-sync-text.hex'), 'utf8').trim();
    const badKey = await cli(['decode', '--key', '4c69624e61434c504b3a00', hex]);
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toContain('--key');
    const badVersion = await cli(['decode', '--community-version', '300', hex]);
    expect(badVersion.status).toBe(2);
    expect(badVersion.stderr).toContain('BAD_COMMUNITY_VERSION');
    const mismatch = await cli(['decode', '--community-version', '1', hex]);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain('error BAD_HEADER');
  });
});
