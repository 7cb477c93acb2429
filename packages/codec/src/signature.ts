/**
 * Signatures (spec §2.4): appended after the payload in member order; member *i* signs a region of the unsigned
 * packet (every byte before the first signature) chosen by the meta's authentication policy. An absent
 * signature is all zeros of the member's signature length ("empty").
 *
 * Double-signed messages (quirk 1): by default (`split: 'whole'`) both members sign the whole unsigned packet.
 * The original's default made member *i* sign only byte *i*; that is available as `split: 'original-one-byte'`
 * for interop. A custom split function returns the two regions.
 */
import type { PublicKey } from '@dispersy/crypto';
import type { Authentication, SplitFunction } from './policies.ts';
import { assertBytes, assertObject } from './internal/assert.ts';
import { assertDecodedMessage, type DecodedMessage } from './message.ts';

/**
 * Whether a signature is empty: zero-length, or every byte zero (the original's "not signed yet").
 * @param signature the signature bytes
 * @returns true if empty
 * @throws TypeError if not a Uint8Array
 * @example `isEmptySignature(new Uint8Array(64)) // true`
 */
export function isEmptySignature(signature: Uint8Array): boolean {
  assertBytes(signature, 'signature');
  for (let i = 0; i < signature.length; i++) if (signature[i] !== 0) return false;
  return true;
}

function checkSplit(result: unknown): readonly [Uint8Array, Uint8Array] {
  if (!Array.isArray(result) || result.length !== 2 || !(result[0] instanceof Uint8Array) || !(result[1] instanceof Uint8Array)) {
    throw new TypeError('a split function must return two Uint8Arrays');
  }
  return result as unknown as readonly [Uint8Array, Uint8Array];
}

/**
 * The regions each member signs, for a meta's authentication policy.
 * @param authentication the meta's authentication policy
 * @param unsignedPacket every byte of the packet before the first signature
 * @returns one region per member (views into `unsignedPacket` for the built-in splits)
 * @throws TypeError if a custom split function returns something else than two Uint8Arrays
 * @example `signedRegions(meta.authentication, packet.subarray(0, msg.signatureOffset))`
 */
export function signedRegions(authentication: Authentication, unsignedPacket: Uint8Array): readonly Uint8Array[] {
  assertBytes(unsignedPacket, 'unsignedPacket');
  assertObject(authentication, 'authentication');
  if (authentication.kind === 'none') return [];
  if (authentication.kind === 'member') return [unsignedPacket];
  const split = authentication.split ?? 'whole';
  if (split === 'whole') return [unsignedPacket, unsignedPacket];
  if (split === 'original-one-byte') return [unsignedPacket.subarray(0, 1), unsignedPacket.subarray(1, 2)];
  return checkSplit(split(unsignedPacket));
}

/**
 * The DebugCommunity's `double-signed-text-split` split (spec §14): member 0 signs everything before the last
 * `,` (0x2C) of the unsigned packet (all of it if there is none), member 1 signs the whole unsigned packet.
 * @param unsignedPacket every byte before the first signature
 * @returns the two regions (views)
 * @example `defineMeta({ ..., authentication: { kind: 'double-member', encoding: 'default', split: splitAtLastComma } })`
 */
export const splitAtLastComma: SplitFunction = (unsignedPacket) => {
  assertBytes(unsignedPacket, 'unsignedPacket');
  const comma = unsignedPacket.lastIndexOf(0x2c);
  return [comma < 0 ? unsignedPacket : unsignedPacket.subarray(0, comma), unsignedPacket];
};

/** One signature to verify: what a verification worker needs. */
export interface SignatureCheck {
  /** Index of the member in the message. */
  readonly index: number;
  readonly publicKey: PublicKey;
  /** The signed region (a view). */
  readonly data: Uint8Array;
  /** The signature (a view). */
  readonly signature: Uint8Array;
}

/**
 * The signature checks of a decoded message (for verifying in a worker pool after `decode(..., { verify: false })`).
 * Empty signatures are left out (decode has already applied `allowEmptySignature`).
 * @param message a decoded message
 * @returns one check per non-empty signature
 * @example `const ok = signatureChecks(msg).every((c) => c.publicKey.verify(c.data, c.signature));`
 */
export function signatureChecks(message: DecodedMessage): SignatureCheck[] {
  assertDecodedMessage(message);
  const regions = signedRegions(message.meta.authentication, message.packet.subarray(0, message.signatureOffset));
  const out: SignatureCheck[] = [];
  message.members.forEach((publicKey, index) => {
    const signature = message.signatures[index] as Uint8Array;
    if (!isEmptySignature(signature)) out.push({ index, publicKey, data: regions[index] as Uint8Array, signature });
  });
  return out;
}

/**
 * Verifies every non-empty signature of a decoded message.
 * @param message a decoded message
 * @returns true if all verify (a verifier that throws counts as invalid)
 * @example `if (!verifyMessageSignatures(msg)) drop(msg);`
 */
export function verifyMessageSignatures(message: DecodedMessage): boolean {
  return signatureChecks(message).every((c) => safeVerify(c.publicKey, c.data, c.signature));
}

/** Internal: `verify` that treats a throwing verifier as "invalid". */
export function safeVerify(publicKey: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return publicKey.verify(data, signature) === true;
  } catch {
    return false;
  }
}
