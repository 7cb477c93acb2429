/**
 * The public contract of @dispersy/crypto (spec §3). Other packages (codec, community) code against these types.
 */

/** Security levels of spec §3.1. `curve25519` (Ed25519 signatures, LibNaCL key format) is the default. */
export type SecurityLevel = 'curve25519' | 'very-low' | 'low' | 'medium' | 'high';

/** A member's public key: the wire binary, its member id and a verifier. Immutable. */
export interface PublicKey {
  /** The security level, detected from the bytes. */
  readonly level: SecurityLevel;
  /** The wire binary: `LibNaCLPK:` + 32 + 32 bytes (74) for curve25519, DER SubjectPublicKeyInfo for EC levels. */
  readonly bytes: Uint8Array;
  /** Member id: SHA-1 of `bytes` (20 bytes, spec §3.4). */
  readonly mid: Uint8Array;
  /** Length in bytes of this key's signatures (64 for curve25519, 2·ceil(field bits / 8) for EC). */
  readonly signatureLength: number;
  /**
   * Verifies a signature over `data`. A signature of the wrong length is never valid; never throws on bad
   * signature bytes.
   */
  verify(data: Uint8Array, signature: Uint8Array): boolean;
}

/** A member's private key, with its public key. */
export interface PrivateKey {
  readonly level: SecurityLevel;
  /** The private binary: `LibNaCLSK:` + 32 + 32 bytes (74) for curve25519, SEC1 DER for EC levels. */
  readonly bytes: Uint8Array;
  readonly publicKey: PublicKey;
  /** Signs `data` (Ed25519 over the raw data; ECDSA over SHA-1 with r‖s padded to the field length). */
  sign(data: Uint8Array): Uint8Array;
}
