import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, saveKeyFileSync } from '@dispersy/crypto';
import {
  CliError,
  parseBootstrapFile,
  parseBootstrapList,
  parseCommunitySpec,
  parseCommunitySpecs,
  parseHostPort,
  resolveNodeConfig,
} from '../src/index.ts';
import { cli, tempDir } from './helpers.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return `${err.code}/${err.exitCode}`;
    throw err;
  }
  return 'no error';
}

describe('HOST:PORT options', () => {
  it('parses IPv4, [IPv6] and host names where allowed', () => {
    expect(parseHostPort('127.0.0.1:6421', '--listen')).toEqual({ host: '127.0.0.1', port: 6421 });
    expect(parseHostPort('0.0.0.0:0', '--listen', { zeroPort: true })).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseHostPort('[::1]:8080', '--api', { ipv6: true })).toEqual({ host: '::1', port: 8080 });
    expect(parseHostPort('tracker.example.org:6421', '--bootstrap', { hostnames: true })).toEqual({ host: 'tracker.example.org', port: 6421 });
  });

  it.each([
    ['127.0.0.1'], ['127.0.0.1:'], [':6421'], ['127.0.0.1:65536'], ['127.0.0.1:-1'], ['127.0.0.1:0'], ['127.0.0.1:12ab'],
    ['256.1.1.1:1'], ['localhost:1'], ['[::1]:1'], ['::1:80'], ['host name:1'],
  ])('refuses %j for --listen with BAD_ADDRESS (exit status 2)', (text) => {
    expect(code(() => parseHostPort(text, '--listen'))).toBe('BAD_ADDRESS/2');
  });

  it('parses bootstrap lists and files (comments, both line forms, duplicates removed)', () => {
    expect(parseBootstrapList(['10.0.0.1:6421,tracker.example.org:6422', '10.0.0.1:6421'])).toEqual([
      { host: '10.0.0.1', port: 6421 },
      { host: 'tracker.example.org', port: 6422 },
    ]);
    const file = '# trackers\n\n130.161.119.206 6421\ndispersy2.tribler.org:6422   # second\n  \t\n130.161.119.206:6421\n';
    expect(parseBootstrapFile(file, 'b.txt')).toEqual([
      { host: '130.161.119.206', port: 6421 },
      { host: 'dispersy2.tribler.org', port: 6422 },
    ]);
    expect(code(() => parseBootstrapList(['10.0.0.1:1,']))).toBe('BAD_ADDRESS/2');
    expect(() => parseBootstrapFile('ok.example 1\nbad line here\n', 'b.txt')).toThrow("b.txt:2: expected 'host port' or 'host:port', got 'bad line here'");
  });
});

describe('--community specs', () => {
  const key = generateKeyPair();
  const publicHex = Buffer.from(key.publicKey.bytes).toString('hex');
  const cid = Buffer.from(key.publicKey.mid).toString('hex');

  it('parses the four kinds', () => {
    const dir = tempDir();
    saveKeyFileSync(join(dir, 'm.key'), key);
    expect(parseCommunitySpec(`debug:${publicHex}`, dir)).toMatchObject({ kind: 'debug', cid: key.publicKey.mid });
    expect(parseCommunitySpec(cid.toUpperCase(), dir)).toMatchObject({ kind: 'debug-cid', cid: key.publicKey.mid });
    expect(parseCommunitySpec(`bare:${cid}`, dir)).toMatchObject({ kind: 'bare', communityVersion: 1 });
    expect(parseCommunitySpec(`bare:${cid}@0x02`, dir)).toMatchObject({ kind: 'bare', communityVersion: 2 });
    expect(parseCommunitySpec(`bare:${cid}@254`, dir)).toMatchObject({ kind: 'bare', communityVersion: 254 });
    expect(parseCommunitySpec('debug-master:m.key', dir)).toMatchObject({ kind: 'debug-master', cid: key.publicKey.mid });
  });

  it.each([
    ['feed:00'], ['nonsense'], [`${'ab'.repeat(19)}`], ['debug:zz'], ['debug:abcd'], [`bare:${'ab'.repeat(19)}`],
    [`bare:${'ab'.repeat(20)}@0`], [`bare:${'ab'.repeat(20)}@255`], [`bare:${'ab'.repeat(20)}@1@2`], ['debug-master:'],
  ])('refuses %j with BAD_COMMUNITY (exit status 2)', (text) => {
    expect(code(() => parseCommunitySpec(text, tempDir()))).toBe('BAD_COMMUNITY/2');
  });

  it('refuses a missing master key file and two specs for one cid', () => {
    expect(code(() => parseCommunitySpec('debug-master:missing.key', tempDir()))).toBe('KEY_FILE_NOT_FOUND/2');
    expect(() => parseCommunitySpecs([`debug:${publicHex}`, cid], tempDir())).toThrow(`already given by 'debug:${publicHex}'`);
  });
});

describe('node configuration', () => {
  it('has documented defaults', () => {
    const config = resolveNodeConfig({}, '/srv');
    expect(config).toMatchObject({
      dataDir: '/srv/dispersy-data',
      listen: { host: '0.0.0.0', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      apiToken: undefined,
      bootstrap: [],
      communities: [],
      walkInterval: 5,
      keyLevel: undefined,
      logLevel: 'info',
    });
  });

  it('reads the token from the environment and the bootstrap file relative to the working directory', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trackers.txt'), '10.0.0.9 7000\n');
    const config = resolveNodeConfig({ bootstrap: ['10.0.0.8:7000'], bootstrapFile: 'trackers.txt', walkInterval: '0.5' }, dir, { DISPERSY_API_TOKEN: 'from-the-env' });
    expect(config.apiToken).toBe('from-the-env');
    expect(config.bootstrap).toEqual([{ host: '10.0.0.8', port: 7000 }, { host: '10.0.0.9', port: 7000 }]);
    expect(config.walkInterval).toBe(0.5);
    expect(resolveNodeConfig({ apiToken: 'given-on-the-line' }, dir, { DISPERSY_API_TOKEN: 'from-the-env' }).apiToken).toBe('given-on-the-line');
  });

  it.each([
    [{ walkInterval: '0' }, 'BAD_OPTION'], [{ walkInterval: 'soon' }, 'BAD_OPTION'], [{ walkInterval: '3601' }, 'BAD_OPTION'],
    [{ apiToken: 'short' }, 'BAD_OPTION'], [{ apiToken: 'has spaces in it' }, 'BAD_OPTION'], [{ keyLevel: 'ultra' }, 'BAD_LEVEL'],
    [{ logLevel: 'loud' }, 'BAD_OPTION'], [{ bootstrapFile: 'missing.txt' }, 'BAD_BOOTSTRAP_FILE'], [{ api: 'localhost:80' }, 'BAD_ADDRESS'],
  ])('refuses %j with %s (exit status 2)', (options, expected) => {
    expect(code(() => resolveNodeConfig(options, tempDir()))).toBe(`${expected}/2`);
  });
});

describe('dispersy node (usage errors)', () => {
  it.each([
    [['--listen', 'nowhere'], "dispersy node: error BAD_ADDRESS: --listen must be HOST:PORT with HOST an IPv4 address and PORT 0..65535 (0 picks a free port), got 'nowhere'"],
    [['--api', '127.0.0.1:99999'], 'dispersy node: error BAD_ADDRESS: --api must be HOST:PORT'],
    [['--community', 'gossip:00'], "dispersy node: error BAD_COMMUNITY: --community 'gossip:00': expected"],
    [['--bootstrap', '10.0.0.1'], 'dispersy node: error BAD_ADDRESS: --bootstrap must be HOST:PORT'],
    [['--walk-interval', '-1'], 'dispersy node: error BAD_OPTION: --walk-interval'],
    [['--key-level', 'ultra'], "dispersy node: error BAD_LEVEL: unknown --key-level 'ultra'"],
  ])('%j: one line on stderr, exit status 2, nothing started', async (args, message) => {
    const dir = tempDir();
    const r = await cli(['node', '--data', join(dir, 'data'), ...args], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown log level is a commander usage error (exit status 2)', async () => {
    const r = await cli(['node', '--log-level', 'loud']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'loud' is invalid");
  });

  it('prints help with the community specs', async () => {
    const r = await cli(['node', '--help']);
    expect(r.status).toBe(0);
    for (const text of ['--data <dir>', '--listen <host:port>', '--api-token', '--bootstrap-file', 'debug-master:<key file>', 'bare:<cid hex>']) expect(r.stdout).toContain(text);
  });
});
