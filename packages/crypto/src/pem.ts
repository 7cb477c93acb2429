/**
 * PEM text for keys (spec §3.2).
 *
 * | key | label | content |
 * | --- | --- | --- |
 * | EC public | `PUBLIC KEY` | the DER SubjectPublicKeyInfo (what the original and OpenSSL write) |
 * | EC private | `EC PRIVATE KEY` | the SEC1 DER (OpenSSL's traditional form, unencrypted) |
 * | curve25519 public | `LIBNACL PUBLIC KEY` | the whole 74-byte `LibNaCLPK:` binary |
 * | curve25519 private | `LIBNACL PRIVATE KEY` | the whole 74-byte `LibNaCLSK:` binary |
 *
 * The original had no PEM form for libnacl keys; ours keeps the binary intact (prefix included) under a label that
 * says what it is, so no tool mistakes it for an RFC 8410 key. Reading is strict: one block, matching BEGIN/END
 * labels, canonical base64 between them (line breaks allowed), and a label that agrees with the content.
 */
import { Buffer } from 'node:buffer';

import { KeyFormatError } from './errors.ts';
import { assertString, copyBytes } from './internal/bytes.ts';
import { assertPrivateKey, assertPublicKey, privateKeyFromBytes, publicKeyFromBytes } from './keys.ts';
import type { PrivateKey, PublicKey } from './types.ts';

/** PEM labels by key kind and format. */
export const PEM_LABELS = Object.freeze({
  ecPublic: 'PUBLIC KEY',
  ecPrivate: 'EC PRIVATE KEY',
  naclPublic: 'LIBNACL PUBLIC KEY',
  naclPrivate: 'LIBNACL PRIVATE KEY',
} as const);

/** Longest PEM text we read: keys need a few hundred characters; the bound keeps hostile input cheap. */
const MAX_PEM_LENGTH = 16 * 1024;

const PEM_RE = /^\s*-----BEGIN ([A-Z0-9 ]{1,64})-----\r?\n([A-Za-z0-9+/=\r\n \t]*?)-----END ([A-Z0-9 ]{1,64})-----\s*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Wraps bytes in PEM armor with 64-character lines.
 * @param label e.g. `PUBLIC KEY`
 * @param bytes the content
 * @returns the PEM text, ending with a newline
 */
function encodePem(label: string, bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Reads one PEM block strictly.
 * @param name parameter name for messages
 * @param text the PEM text
 * @returns the label and the decoded content
 * @throws TypeError when `text` is not a string
 * @throws KeyFormatError `BAD_PEM`
 */
function decodePem(name: string, text: unknown): { readonly label: string; readonly bytes: Uint8Array<ArrayBuffer> } {
  assertString(name, text);
  if (text.length > MAX_PEM_LENGTH) throw new KeyFormatError('BAD_PEM', `${name} is too long for a PEM key`);
  const match = PEM_RE.exec(text);
  if (match === null) throw new KeyFormatError('BAD_PEM', `${name} is not one PEM block of base64`);
  const [, label = '', body = '', endLabel = ''] = match;
  if (label !== endLabel) throw new KeyFormatError('BAD_PEM', `BEGIN ${label} does not match END ${endLabel}`);
  const base64 = body.replace(/\s+/g, '');
  if (base64.length === 0) throw new KeyFormatError('BAD_PEM', 'empty PEM body');
  if (!BASE64_RE.test(base64)) throw new KeyFormatError('BAD_PEM', 'the PEM body is not valid base64');
  const bytes = Buffer.from(base64, 'base64');
  // Reject non-zero padding bits: one key, one text.
  if (bytes.toString('base64') !== base64) throw new KeyFormatError('BAD_PEM', 'non-canonical base64');
  return { label, bytes: copyBytes(bytes) };
}

/**
 * PEM text of a public key: `PUBLIC KEY` (DER) for the EC levels, `LIBNACL PUBLIC KEY` for curve25519.
 * @param key a public key made by this package
 * @returns the PEM text
 * @throws TypeError when `key` is not one
 * @example
 * ```ts
 * publicKeyToPem(generateKeyPair('low').publicKey); // '-----BEGIN PUBLIC KEY-----\n...'
 * ```
 */
export function publicKeyToPem(key: PublicKey): string {
  assertPublicKey('key', key);
  return encodePem(key.level === 'curve25519' ? PEM_LABELS.naclPublic : PEM_LABELS.ecPublic, key.bytes);
}

/**
 * PEM text of a private key: `EC PRIVATE KEY` (SEC1 DER) for the EC levels, `LIBNACL PRIVATE KEY` for curve25519.
 * The result is secret.
 * @param key a private key made by this package
 * @returns the PEM text
 * @throws TypeError when `key` is not one
 * @example
 * ```ts
 * privateKeyToPem(generateKeyPair()); // '-----BEGIN LIBNACL PRIVATE KEY-----\n...'
 * ```
 */
export function privateKeyToPem(key: PrivateKey): string {
  assertPrivateKey('key', key);
  const bytes = key.bytes;
  try {
    return encodePem(key.level === 'curve25519' ? PEM_LABELS.naclPrivate : PEM_LABELS.ecPrivate, bytes);
  } finally {
    bytes.fill(0); // `bytes` is a copy of the secret
  }
}

/**
 * Parses PEM text of a public key (either label of the table above).
 * @param text the PEM text (surrounding whitespace allowed)
 * @returns the public key (from the same cache as {@link publicKeyFromBytes})
 * @throws TypeError when `text` is not a string
 * @throws KeyFormatError `BAD_PEM` (armor, base64, or a label that disagrees with the content),
 *   `UNKNOWN_KEY_FORMAT` (another label), `WRONG_KEY_KIND` (a private key label), or any code of
 *   {@link publicKeyFromBytes}
 * @example
 * ```ts
 * publicKeyFromPem(publicKeyToPem(key.publicKey)).mid;
 * ```
 */
export function publicKeyFromPem(text: string): PublicKey {
  const { label, bytes } = decodePem('text', text);
  if (label === PEM_LABELS.ecPrivate || label === PEM_LABELS.naclPrivate) {
    throw new KeyFormatError('WRONG_KEY_KIND', `expected a public key, got ${label}`);
  }
  if (label !== PEM_LABELS.ecPublic && label !== PEM_LABELS.naclPublic) {
    throw new KeyFormatError('UNKNOWN_KEY_FORMAT', `unknown PEM label ${label}`);
  }
  const key = publicKeyFromBytes(bytes);
  if ((key.level === 'curve25519') !== (label === PEM_LABELS.naclPublic)) {
    throw new KeyFormatError('BAD_PEM', `a ${key.level} key under the label ${label}`);
  }
  return key;
}

/**
 * Parses PEM text of a private key (either label of the table above).
 * @param text the PEM text (surrounding whitespace allowed)
 * @returns the private key
 * @throws TypeError when `text` is not a string
 * @throws KeyFormatError `BAD_PEM`, `UNKNOWN_KEY_FORMAT` (another label, e.g. PKCS#8 `PRIVATE KEY`),
 *   `WRONG_KEY_KIND` (a public key label), or any code of {@link privateKeyFromBytes}
 * @example
 * ```ts
 * const me = privateKeyFromPem(readFileSync('me.pem', 'utf8'));
 * ```
 */
export function privateKeyFromPem(text: string): PrivateKey {
  const { label, bytes } = decodePem('text', text);
  try {
    if (label === PEM_LABELS.ecPublic || label === PEM_LABELS.naclPublic) {
      throw new KeyFormatError('WRONG_KEY_KIND', `expected a private key, got ${label}`);
    }
    if (label !== PEM_LABELS.ecPrivate && label !== PEM_LABELS.naclPrivate) {
      throw new KeyFormatError('UNKNOWN_KEY_FORMAT', `unknown PEM label ${label}`);
    }
    const key = privateKeyFromBytes(bytes);
    if ((key.level === 'curve25519') !== (label === PEM_LABELS.naclPrivate)) {
      throw new KeyFormatError('BAD_PEM', `a ${key.level} key under the label ${label}`);
    }
    return key;
  } finally {
    bytes.fill(0);
  }
}
