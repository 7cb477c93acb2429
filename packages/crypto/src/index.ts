/**
 * Dispersy identities (spec §3): keys of every security level in the original's formats, member ids, signatures,
 * key files, and a worker pool for bulk verification.
 *
 * - `curve25519` (default): `LibNaCLPK:` / `LibNaCLSK:` keys, Ed25519 signatures (node:crypto, or @noble/curves via
 *   {@link setBackend}).
 * - `very-low`, `low`, `medium`, `high`: sect163k1, sect233k1, sect409k1, sect571r1 through node:crypto; DER keys,
 *   ECDSA over SHA-1 with fixed-width r‖s signatures.
 *
 * @example
 * ```ts
 * import { generateKeyPair, publicKeyFromBytes } from '@dispersy/crypto';
 *
 * const me = generateKeyPair(); // curve25519
 * const data = new TextEncoder().encode('hello');
 * const signature = me.sign(data);
 * const them = publicKeyFromBytes(me.publicKey.bytes); // as a peer would, from the wire
 * them.verify(data, signature); // true
 * them.mid; // 20-byte member id = SHA-1(public key binary)
 * ```
 * @packageDocumentation
 */
export type { PrivateKey, PublicKey, SecurityLevel } from './types.ts';
export {
  DEFAULT_SECURITY_LEVEL,
  isSecurityLevel,
  SECURITY_LEVELS,
  securityLevelInfo,
  type SecurityLevelInfo,
} from './levels.ts';
export {
  KeyFileError,
  type KeyFileErrorCode,
  KeyFormatError,
  type KeyFormatErrorCode,
  VerifyPoolError,
  type VerifyPoolErrorCode,
} from './errors.ts';
export {
  clearPublicKeyCache,
  DEFAULT_PUBLIC_KEY_CACHE_SIZE,
  detectLevel,
  generateKeyPair,
  isPrivateKey,
  isPublicKey,
  memberId,
  privateKeyFromBytes,
  privateKeyFromHex,
  privateKeyToHex,
  publicKeyFromBytes,
  publicKeyFromHex,
  publicKeyToHex,
  setPublicKeyCacheSize,
  verifySignature,
} from './keys.ts';
export { type Ed25519Backend, getBackend, setBackend } from './ed25519.ts';
export { PEM_LABELS, privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './pem.ts';
export {
  KEY_FILE_MODE,
  loadKeyFile,
  loadKeyFileSync,
  saveKeyFile,
  saveKeyFileSync,
  type SaveKeyFileOptions,
} from './key-file.ts';
export {
  createVerifyPool,
  type VerifyBatchOptions,
  type VerifyItem,
  type VerifyPool,
  type VerifyPoolInit,
} from './verify-pool.ts';
