/**
 * Key files: a member's private key on disk (architecture.md: `dispersy node --data DIR` keeps its key file there,
 * mode 0600).
 *
 * Format: the private key's PEM text ({@link privateKeyToPem}): `-----BEGIN EC PRIVATE KEY-----` (SEC1 DER, readable
 * by `openssl ec`) for the EC levels, `-----BEGIN LIBNACL PRIVATE KEY-----` (the 74-byte `LibNaCLSK:` binary) for
 * curve25519. The level is in the content, so the file needs no other field.
 *
 * Writing: the file is created with mode 0600 and never replaced unless `overwrite` is set. With `overwrite` the
 * key is written to a fresh 0600 file next to the target and renamed over it, so a crash leaves the old key or the
 * new one, never half of either, and the old file's mode is not inherited.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { KeyFileError, KeyFormatError } from './errors.ts';
import { assertPrivateKey } from './keys.ts';
import { privateKeyFromPem, privateKeyToPem } from './pem.ts';
import type { PrivateKey } from './types.ts';

/** Options of {@link saveKeyFile}. */
export interface SaveKeyFileOptions {
  /**
   * Replace an existing file.
   * @default false
   */
  readonly overwrite?: boolean;
}

/** Permission bits of a key file: read and write for the owner only. */
export const KEY_FILE_MODE = 0o600;

/** Largest key file we read (a PEM key is well under 1 KiB). */
const MAX_KEY_FILE_SIZE = 16 * 1024;

function checkArguments(path: unknown, key: unknown, options: unknown): boolean {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
  assertPrivateKey('privateKey', key);
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const overwrite = (options as SaveKeyFileOptions).overwrite ?? false;
  if (typeof overwrite !== 'boolean') throw new TypeError('options.overwrite must be a boolean');
  return overwrite;
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

function ioError(path: string, action: string, cause: unknown): KeyFileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EEXIST') {
    return new KeyFileError('KEY_FILE_EXISTS', `${path} exists; pass { overwrite: true } to replace it`, { cause });
  }
  if (code === 'ENOENT' && action === 'read') {
    return new KeyFileError('KEY_FILE_NOT_FOUND', `no key file at ${path}`, { cause });
  }
  return new KeyFileError('KEY_FILE_IO', `cannot ${action} key file ${path}: ${code ?? String(cause)}`, { cause });
}

function parseKeyFile(path: string, content: Buffer): PrivateKey {
  try {
    if (content.length > MAX_KEY_FILE_SIZE) {
      throw new KeyFormatError('BAD_PEM', `more than ${MAX_KEY_FILE_SIZE} bytes is too large for a key file`);
    }
    return privateKeyFromPem(content.toString('utf8'));
  } catch (cause) {
    if (KeyFormatError.is(cause)) {
      throw new KeyFileError('KEY_FILE_CORRUPT', `${path} is not a private key file (${cause.code})`, { cause });
    }
    throw cause;
  } finally {
    content.fill(0);
  }
}

/**
 * Writes a private key file (PEM, mode 0600).
 * @param path where to write
 * @param privateKey the key
 * @param options `overwrite` (default false) to replace an existing file
 * @returns when the file is written and flushed
 * @throws TypeError for a bad argument
 * @throws KeyFileError `KEY_FILE_EXISTS` when the file exists and `overwrite` is not set; `KEY_FILE_IO` otherwise
 * @example
 * ```ts
 * await saveKeyFile('data/member.pem', generateKeyPair());
 * ```
 */
export async function saveKeyFile(
  path: string,
  privateKey: PrivateKey,
  options: SaveKeyFileOptions = {},
): Promise<void> {
  const overwrite = checkArguments(path, privateKey, options);
  const target = overwrite ? temporaryPath(path) : path;
  const handle = await open(target, 'wx', KEY_FILE_MODE).catch((cause: unknown) => {
    throw ioError(path, 'create', cause);
  });
  try {
    await handle.chmod(KEY_FILE_MODE); // in case the umask is unusual
    await handle.writeFile(privateKeyToPem(privateKey), 'utf8');
    await handle.sync();
  } catch (cause) {
    await handle.close().catch(() => undefined);
    await unlink(target).catch(() => undefined);
    throw ioError(path, 'write', cause);
  }
  await handle.close();
  if (overwrite) {
    await rename(target, path).catch(async (cause: unknown) => {
      await unlink(target).catch(() => undefined);
      throw ioError(path, 'replace', cause);
    });
  }
}

/**
 * Synchronous {@link saveKeyFile}, for command-line tools.
 * @param path where to write
 * @param privateKey the key
 * @param options `overwrite` (default false) to replace an existing file
 * @throws TypeError for a bad argument
 * @throws KeyFileError `KEY_FILE_EXISTS` when the file exists and `overwrite` is not set; `KEY_FILE_IO` otherwise
 * @example
 * ```ts
 * saveKeyFileSync('member.pem', generateKeyPair('high'), { overwrite: true });
 * ```
 */
export function saveKeyFileSync(path: string, privateKey: PrivateKey, options: SaveKeyFileOptions = {}): void {
  const overwrite = checkArguments(path, privateKey, options);
  const target = overwrite ? temporaryPath(path) : path;
  let fd: number;
  try {
    fd = openSync(target, 'wx', KEY_FILE_MODE);
  } catch (cause) {
    throw ioError(path, 'create', cause);
  }
  try {
    fchmodSync(fd, KEY_FILE_MODE); // in case the umask is unusual
    writeSync(fd, privateKeyToPem(privateKey), null, 'utf8');
    fsyncSync(fd);
  } catch (cause) {
    closeSync(fd);
    try {
      unlinkSync(target);
    } catch {
      // best effort
    }
    throw ioError(path, 'write', cause);
  }
  closeSync(fd);
  if (overwrite) {
    try {
      renameSync(target, path);
    } catch (cause) {
      try {
        unlinkSync(target);
      } catch {
        // best effort
      }
      throw ioError(path, 'replace', cause);
    }
  }
}

/**
 * Reads a private key file written by {@link saveKeyFile} (or any PEM the key parsers accept).
 * @param path the file
 * @returns the private key
 * @throws TypeError when `path` is not a non-empty string
 * @throws KeyFileError `KEY_FILE_NOT_FOUND`, `KEY_FILE_CORRUPT` (the {@link KeyFormatError} is the cause) or
 *   `KEY_FILE_IO`
 * @example
 * ```ts
 * const me = await loadKeyFile('data/member.pem');
 * ```
 */
export async function loadKeyFile(path: string): Promise<PrivateKey> {
  checkPath(path);
  let content: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      // Read at most one byte more than a key file may hold, so a huge file (or a device) costs nothing.
      const buffer = Buffer.alloc(MAX_KEY_FILE_SIZE + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      content = buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw ioError(path, 'read', cause);
  }
  return parseKeyFile(path, content);
}

/**
 * Synchronous {@link loadKeyFile}, for command-line tools.
 * @param path the file
 * @returns the private key
 * @throws TypeError when `path` is not a non-empty string
 * @throws KeyFileError `KEY_FILE_NOT_FOUND`, `KEY_FILE_CORRUPT` or `KEY_FILE_IO`
 * @example
 * ```ts
 * const me = loadKeyFileSync('member.pem');
 * ```
 */
export function loadKeyFileSync(path: string): PrivateKey {
  checkPath(path);
  let content: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_KEY_FILE_SIZE + 1);
      let length = 0;
      for (;;) {
        const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      content = buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    throw ioError(path, 'read', cause);
  }
  return parseKeyFile(path, content);
}
