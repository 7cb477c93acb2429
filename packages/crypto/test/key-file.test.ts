import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { KeyFileError, KeyFormatError } from '../src/errors.ts';
import { KEY_FILE_MODE, loadKeyFile, loadKeyFileSync, saveKeyFile, saveKeyFileSync } from '../src/key-file.ts';
import { generateKeyPair } from '../src/keys.ts';
import { SECURITY_LEVELS } from '../src/levels.ts';
import { privateKeyToPem, publicKeyToPem } from '../src/pem.ts';
import { toHex } from './helpers/vectors.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dispersy-crypto-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe.each([
  ['async', saveKeyFile, loadKeyFile],
  [
    'sync',
    async (...args: Parameters<typeof saveKeyFileSync>) => saveKeyFileSync(...args),
    async (path: string) => loadKeyFileSync(path),
  ],
] as const)('%s key files', (_mode, save, load) => {
  it.each(SECURITY_LEVELS)('round-trips a %s key as PEM', async (level) => {
    const key = generateKeyPair(level);
    const path = join(dir, 'member.pem');
    await save(path, key);
    expect(readFileSync(path, 'utf8')).toBe(privateKeyToPem(key));
    const loaded = await load(path);
    expect(loaded.level).toBe(level);
    expect(toHex(loaded.bytes)).toBe(toHex(key.bytes));
  });

  it.runIf(posix)('writes mode 0600, also when replacing a file with another mode', async () => {
    const path = join(dir, 'member.pem');
    await save(path, generateKeyPair());
    expect(statSync(path).mode & 0o777).toBe(KEY_FILE_MODE);
    chmodSync(path, 0o644);
    await save(path, generateKeyPair(), { overwrite: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite unless asked (KEY_FILE_EXISTS), and then replaces atomically', async () => {
    const path = join(dir, 'member.pem');
    const first = generateKeyPair();
    await save(path, first);
    const error = await rejection(save(path, generateKeyPair('low')));
    expect(KeyFileError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'KEY_FILE_EXISTS' });
    expect(toHex((await load(path)).bytes)).toBe(toHex(first.bytes));
    const second = generateKeyPair('low');
    await save(path, second, { overwrite: true });
    expect(toHex((await load(path)).bytes)).toBe(toHex(second.bytes));
    expect(readdirSync(dir)).toEqual(['member.pem']); // no temporary file left behind
  });

  it('reports a missing file as KEY_FILE_NOT_FOUND and a missing directory on save as KEY_FILE_IO', async () => {
    expect(await rejection(load(join(dir, 'absent.pem')))).toMatchObject({ code: 'KEY_FILE_NOT_FOUND' });
    expect(await rejection(save(join(dir, 'no', 'such', 'dir.pem'), generateKeyPair()))).toMatchObject({
      code: 'KEY_FILE_IO',
    });
  });

  it('reports a directory as KEY_FILE_IO', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(await rejection(load(sub))).toMatchObject({ name: 'KeyFileError', code: 'KEY_FILE_IO' });
  });

  it.each([
    ['empty', ''],
    ['not PEM', 'hello'],
    ['bad base64', '-----BEGIN LIBNACL PRIVATE KEY-----\n%%%%\n-----END LIBNACL PRIVATE KEY-----\n'],
    ['a public key', publicKeyToPem(generateKeyPair().publicKey)],
    ['a truncated key', privateKeyToPem(generateKeyPair('medium')).replace(/\n[^\n]+\n-----END/, '\n-----END')],
    ['huge', 'A'.repeat(100_000)],
  ])('reports a corrupt file (%s) as KEY_FILE_CORRUPT with the format error as cause', async (_name, content) => {
    const path = join(dir, 'bad.pem');
    writeFileSync(path, content);
    const error = await rejection(load(path));
    expect(error).toMatchObject({ name: 'KeyFileError', code: 'KEY_FILE_CORRUPT' });
    expect(KeyFormatError.is((error as Error).cause)).toBe(true);
  });
});

describe('argument checks', () => {
  it('throw TypeErrors naming the parameter', async () => {
    const key = generateKeyPair();
    await expect(saveKeyFile('', key)).rejects.toThrow(TypeError);
    await expect(saveKeyFile(join(dir, 'a'), key.publicKey as never)).rejects.toThrow('privateKey');
    await expect(saveKeyFile(join(dir, 'a'), key, { overwrite: 'yes' } as never)).rejects.toThrow('overwrite');
    await expect(saveKeyFile(join(dir, 'a'), key, null as never)).rejects.toThrow('options');
    await expect(loadKeyFile(42 as never)).rejects.toThrow(TypeError);
    expect(thrown(() => saveKeyFileSync(1 as never, key))).toBeInstanceOf(TypeError);
    expect(thrown(() => loadKeyFileSync(undefined as never))).toBeInstanceOf(TypeError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
