/**
 * The `--community SPEC` values of `dispersy node`:
 *
 * | spec | community |
 * | --- | --- |
 * | `debug:<master public key hex>` | the DebugCommunity, joined by its master's public key |
 * | `<cid hex>` (40 digits) | the DebugCommunity, joined by cid (the master's key is fetched with dispersy-missing-identity) |
 * | `bare:<cid hex>[@<version>]` | a community with only the built-in dispersy-* messages and that community version (default 1) |
 * | `debug-master:<key file>` | the DebugCommunity whose master PRIVATE key is in the file (`dispersy create-community --out`): this node founds it |
 *
 * Parsing is pure except for `debug-master:`, which reads the key file. Errors are one line, exit status 2.
 */
import { resolve } from 'node:path';
import { KeyFileError, KeyFormatError, loadKeyFileSync, publicKeyFromBytes, type PrivateKey, type PublicKey } from '@dispersy/crypto';
import { CliError, parseHex } from '../io.ts';

/** One parsed `--community` value. */
export type CommunitySpec =
  | { readonly kind: 'debug'; readonly text: string; readonly cid: Uint8Array; readonly masterKey: PublicKey }
  | { readonly kind: 'debug-cid'; readonly text: string; readonly cid: Uint8Array }
  | { readonly kind: 'bare'; readonly text: string; readonly cid: Uint8Array; readonly communityVersion: number }
  | { readonly kind: 'debug-master'; readonly text: string; readonly cid: Uint8Array; readonly masterPrivateKey: PrivateKey };

/** The default community version of `bare:` communities (the DebugCommunity's, sha1 member ids). */
export const DEFAULT_BARE_VERSION = 1;

const USAGE = "expected 'debug:<master public key hex>', a 40-digit cid, 'bare:<cid>[@<version>]' or 'debug-master:<key file>'";

function bad(text: string, why: string): CliError {
  return new CliError('BAD_COMMUNITY', `--community '${text.length > 80 ? `${text.slice(0, 77)}...` : text}': ${why}`);
}

function parseCid(hex: string, text: string): Uint8Array {
  if (!/^[0-9a-f]{40}$/i.test(hex)) throw bad(text, 'a cid is 40 hex digits (the SHA-1 of the master public key)');
  return parseHex(hex, 'the cid');
}

function parseVersion(version: string | undefined, text: string): number {
  if (version === undefined) return DEFAULT_BARE_VERSION;
  const n = /^0x[0-9a-f]{1,2}$/i.test(version) ? Number.parseInt(version.slice(2), 16) : /^\d{1,3}$/.test(version) ? Number(version) : Number.NaN;
  if (!(n >= 1 && n <= 254)) throw bad(text, `the community version must be 1..254, got '${version}'`);
  return n;
}

function masterFromFile(file: string, text: string, cwd: string): PrivateKey {
  try {
    return loadKeyFileSync(resolve(cwd, file));
  } catch (err) {
    if (err instanceof KeyFileError) throw new CliError(err.code, `--community '${text}': ${err.message}`, 2, { cause: err });
    throw err;
  }
}

/**
 * Parses one `--community` value (see the module comment).
 * @param text the value
 * @param cwd where relative key files resolve
 * @returns the spec
 * @throws CliError BAD_COMMUNITY (or a KEY_FILE_* code for `debug-master:`), exit status 2
 * @example `parseCommunitySpec('bare:7e313685c1912a141279f8248fc8db5899c5df5a@2', process.cwd())`
 */
export function parseCommunitySpec(text: string, cwd: string): CommunitySpec {
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? text : text.slice(colon + 1);
  switch (prefix) {
    case '':
      if (!/^[0-9a-f]{40}$/i.test(text)) throw bad(text, USAGE);
      return { kind: 'debug-cid', text, cid: parseCid(text, text) };
    case 'debug': {
      if (!/^[0-9a-f]+$/i.test(rest) || rest.length % 2 !== 0) throw bad(text, 'the master public key must be hex');
      let masterKey: PublicKey;
      try {
        masterKey = publicKeyFromBytes(parseHex(rest, 'the master public key'));
      } catch (err) {
        if (err instanceof KeyFormatError) throw bad(text, `not a public key (${err.message})`);
        throw err;
      }
      return { kind: 'debug', text, cid: masterKey.mid, masterKey };
    }
    case 'bare': {
      const [cidHex, version, extra] = rest.split('@');
      if (cidHex === undefined || extra !== undefined) throw bad(text, USAGE);
      return { kind: 'bare', text, cid: parseCid(cidHex, text), communityVersion: parseVersion(version, text) };
    }
    case 'debug-master': {
      if (rest === '') throw bad(text, 'name the master key file');
      const masterPrivateKey = masterFromFile(rest, text, cwd);
      return { kind: 'debug-master', text, cid: masterPrivateKey.publicKey.mid, masterPrivateKey };
    }
    default:
      throw bad(text, USAGE);
  }
}

/**
 * Parses every `--community` value and refuses two specs for the same cid.
 * @param values the option's values
 * @param cwd where relative key files resolve
 * @returns the specs, in order
 * @throws CliError BAD_COMMUNITY
 * @example `parseCommunitySpecs(['debug:4c69…', 'bare:7e31…@2'], cwd)`
 */
export function parseCommunitySpecs(values: readonly string[], cwd: string): CommunitySpec[] {
  const byCid = new Map<string, string>();
  return values.map((value) => {
    const spec = parseCommunitySpec(value, cwd);
    const cid = Buffer.from(spec.cid).toString('hex');
    const earlier = byCid.get(cid);
    if (earlier !== undefined) throw bad(value, `community ${cid} is already given by '${earlier}'`);
    byCid.set(cid, value);
    return spec;
  });
}
