/**
 * `dispersy keygen [--level L] [--out FILE] [--force]`: makes a key pair, writes the private key to a file (mode
 * 0600, never over an existing file unless --force) and prints `{ level, publicKey, mid, keyFile }` as JSON.
 */
import { resolve } from 'node:path';
import {
  DEFAULT_SECURITY_LEVEL,
  generateKeyPair,
  isSecurityLevel,
  KeyFileError,
  saveKeyFileSync,
  SECURITY_LEVELS,
  type SecurityLevel,
} from '@dispersy/crypto';
import { CliError, formatJson, type CliIo } from '../io.ts';

/** Options of the keygen command. */
export interface KeygenOptions {
  readonly level?: string;
  readonly out?: string;
  readonly force?: boolean;
}

/** The default key file, relative to the working directory. */
export const DEFAULT_KEY_FILE = 'dispersy.key';

/**
 * Runs `dispersy keygen`.
 * @param options parsed options
 * @param io output sinks
 * @throws CliError BAD_LEVEL, KEY_FILE_EXISTS or KEY_FILE_WRITE
 */
export function keygen(options: KeygenOptions, io: CliIo): void {
  const level = options.level ?? DEFAULT_SECURITY_LEVEL;
  if (!isSecurityLevel(level)) {
    throw new CliError('BAD_LEVEL', `unknown security level '${level}' (one of: ${SECURITY_LEVELS.join(', ')})`);
  }
  const keyFile = resolve(io.cwd, options.out ?? DEFAULT_KEY_FILE);
  const key = generateKeyPair(level as SecurityLevel);
  try {
    saveKeyFileSync(keyFile, key, { overwrite: options.force === true });
  } catch (err) {
    if (err instanceof KeyFileError) {
      const hint = err.code === 'KEY_FILE_EXISTS' ? ' (use --force to replace it, or --out to choose another file)' : '';
      throw new CliError(err.code, `${err.message}${hint}`, 1, { cause: err });
    }
    throw err;
  }
  io.stdout(formatJson({ level, publicKey: key.publicKey.bytes, mid: key.publicKey.mid, keyFile }));
}
