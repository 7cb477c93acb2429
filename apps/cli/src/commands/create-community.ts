/**
 * `dispersy create-community [--kind debug] [--level L] [--out FILE] [--force]`: makes a community master key,
 * writes its PRIVATE key to a file (PEM, mode 0600, never over an existing file unless --force) and prints
 * `{ kind, level, masterPublicKey, cid, keyFile, join, found }` as JSON — `join` is the `--community` value that
 * joins it (`debug:<master public key>`), `found` the one that runs it as its founder (`debug-master:<file>`: that
 * node signs the master's identity and the authorize that gives its member every permission).
 */
import { resolve } from 'node:path';
import { DEFAULT_SECURITY_LEVEL, generateKeyPair, isSecurityLevel, KeyFileError, saveKeyFileSync, SECURITY_LEVELS, type SecurityLevel } from '@dispersy/crypto';
import { CliError, formatJson, type CliIo } from '../io.ts';

/** Options of the create-community command (strings as typed). */
export interface CreateCommunityOptions {
  readonly kind?: string;
  readonly level?: string;
  readonly out?: string;
  readonly force?: boolean;
}

/** The community kinds `create-community` makes. */
export const COMMUNITY_KINDS = ['debug'] as const;

/** The default master key file, relative to the working directory. */
export const DEFAULT_MASTER_KEY_FILE = 'master.key';

/**
 * Runs `dispersy create-community`.
 * @param options parsed options
 * @param io output sinks
 * @throws CliError BAD_KIND / BAD_LEVEL (exit status 2), KEY_FILE_EXISTS / KEY_FILE_IO (exit status 1)
 */
export function createCommunityCommand(options: CreateCommunityOptions, io: CliIo): void {
  const kind = options.kind ?? 'debug';
  if (!(COMMUNITY_KINDS as readonly string[]).includes(kind)) {
    throw new CliError('BAD_KIND', `unknown --kind '${kind}' (one of: ${COMMUNITY_KINDS.join(', ')})`);
  }
  const level = options.level ?? DEFAULT_SECURITY_LEVEL;
  if (!isSecurityLevel(level)) throw new CliError('BAD_LEVEL', `unknown security level '${level}' (one of: ${SECURITY_LEVELS.join(', ')})`);
  const keyFile = resolve(io.cwd, options.out ?? DEFAULT_MASTER_KEY_FILE);
  const master = generateKeyPair(level as SecurityLevel);
  try {
    saveKeyFileSync(keyFile, master, { overwrite: options.force === true });
  } catch (err) {
    if (err instanceof KeyFileError) {
      const hint = err.code === 'KEY_FILE_EXISTS' ? ' (use --force to replace it, or --out to choose another file)' : '';
      throw new CliError(err.code, `${err.message}${hint}`, 1, { cause: err });
    }
    throw err;
  }
  const masterPublicKey = Buffer.from(master.publicKey.bytes).toString('hex');
  io.stdout(formatJson({
    kind,
    level,
    masterPublicKey,
    cid: master.publicKey.mid,
    keyFile,
    join: `${kind}:${masterPublicKey}`,
    found: `${kind}-master:${keyFile}`,
  }));
}
