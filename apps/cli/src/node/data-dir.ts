/**
 * The node's data directory: created on first run (mode 0700, because the SQLite database also holds the node's
 * private key, as in the original), checked for writing, locked against a second daemon, and holding the node's
 * key file (`node.key`, PEM, mode 0600, created on first run) and the database (`dispersy.db`).
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SECURITY_LEVEL,
  generateKeyPair,
  KeyFileError,
  loadKeyFileSync,
  saveKeyFileSync,
  type PrivateKey,
  type SecurityLevel,
} from '@dispersy/crypto';
import { CliError, EXIT_USAGE } from '../io.ts';
import type { Logger } from './logger.ts';

/** The key file inside the data directory. */
export const KEY_FILE_NAME = 'node.key';
/** The database inside the data directory. */
export const DATABASE_FILE_NAME = 'dispersy.db';
/** The lock file inside the data directory (holds the daemon's pid). */
export const LOCK_FILE_NAME = 'node.lock';

/** An opened data directory. */
export interface DataDir {
  readonly dir: string;
  readonly databasePath: string;
  readonly keyFile: string;
  /** The node's key (loaded, or created on first run). */
  readonly key: PrivateKey;
  /** Whether the key was created now. */
  readonly createdKey: boolean;
  /** Removes the lock file. Idempotent. */
  release(): void;
}

function errno(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'EIO';
}

function unwritable(dir: string, err: unknown): CliError {
  return new CliError('DATA_DIR_UNWRITABLE', `cannot use --data ${dir}: not a writable directory (${errno(err)})`, 1, { cause: err });
}

function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    const probe = join(dir, `.write-test-${process.pid}`);
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (err) {
    throw unwritable(dir, err);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

function lock(dir: string): () => void {
  const path = join(dir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw unwritable(dir, err);
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isSafeInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new CliError('DATA_DIR_LOCKED', `--data ${dir} is in use by process ${pid} (remove ${path} if that is wrong)`, 1);
      }
      unlinkSync(path); // a stale lock of a process that died
    }
  }
  throw new CliError('DATA_DIR_LOCKED', `cannot lock --data ${dir}`, 1);
}

function loadOrCreateKey(keyFile: string, level: SecurityLevel | undefined): { key: PrivateKey; created: boolean } {
  try {
    const key = loadKeyFileSync(keyFile);
    if (level !== undefined && key.level !== level) {
      throw new CliError('KEY_LEVEL_MISMATCH', `--key-level ${level}, but ${keyFile} holds a ${key.level} key`, EXIT_USAGE);
    }
    return { key, created: false };
  } catch (err) {
    if (!(err instanceof KeyFileError)) throw err;
    if (err.code !== 'KEY_FILE_NOT_FOUND') throw new CliError(err.code, err.message, 1, { cause: err });
  }
  const key = generateKeyPair(level ?? DEFAULT_SECURITY_LEVEL);
  try {
    saveKeyFileSync(keyFile, key);
  } catch (err) {
    if (err instanceof KeyFileError) throw new CliError(err.code, err.message, 1, { cause: err });
    throw err;
  }
  return { key, created: true };
}

/**
 * Opens (creating on first run) the data directory: checks that it is a writable directory, takes the lock,
 * loads or creates the key.
 * @param dir absolute path
 * @param keyLevel level of a key created now; an existing key of another level is refused
 * @param log warnings (a directory others may read)
 * @returns the opened directory; call `release()` at shutdown
 * @throws CliError DATA_DIR_UNWRITABLE, DATA_DIR_LOCKED, KEY_FILE_* (exit status 1), KEY_LEVEL_MISMATCH (2)
 * @example `const data = openDataDir('/var/lib/dispersy', undefined, log); … data.release();`
 */
export function openDataDir(dir: string, keyLevel: SecurityLevel | undefined, log: Logger): DataDir {
  prepareDirectory(dir);
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    log.warn('data directory is accessible to other users; the database holds the node private key', { dir, mode: mode.toString(8) });
  }
  const release = lock(dir);
  try {
    const keyFile = join(dir, KEY_FILE_NAME);
    const { key, created } = loadOrCreateKey(keyFile, keyLevel);
    return { dir, databasePath: join(dir, DATABASE_FILE_NAME), keyFile, key, createdKey: created, release };
  } catch (err) {
    release();
    throw err;
  }
}
