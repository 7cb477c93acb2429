/**
 * The original `Member.sign(data, offset=0, length=0)` / `Member.verify(data, signature, offset=0, length=0)`
 * contract (spec §3.4, tests/test_member.py), for code ported from the original: the signed region is
 * `data[offset : offset + length]`, where `length = 0` means "to the end". A region reaching past the end of the
 * data cannot be verified (false) and cannot be signed (RangeError, the original's ValueError). The runtime itself
 * signs and verifies views (`subarray`), which is the same thing without the ambiguity.
 */
import type { PrivateKey, PublicKey } from '@dispersy/crypto';

function region(data: Uint8Array, offset: number, length: number): Uint8Array | undefined {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length must be a non-negative integer, got ${length}`);
  if (offset + length > data.length || offset > data.length) return undefined;
  return data.subarray(offset, length === 0 ? data.length : offset + length);
}

/**
 * Signs `data[offset : offset + length]` (`length = 0`: to the end), as the original `Member.sign`.
 * @param key the signer
 * @param data the bytes
 * @param offset where the region starts @default 0
 * @param length its length, 0 for "to the end" @default 0
 * @returns the signature
 * @throws RangeError when the region reaches past the end of `data` or offset/length are not non-negative integers;
 *   TypeError when `data` is not a Uint8Array
 * @example `signRegion(key, packet, 0, signatureOffset)`
 */
export function signRegion(key: PrivateKey, data: Uint8Array, offset = 0, length = 0): Uint8Array {
  const bytes = region(data, offset, length);
  if (bytes === undefined) throw new RangeError(`the region ${offset}+${length} reaches past ${data.length} bytes`);
  return key.sign(bytes);
}

/**
 * Verifies a signature over `data[offset : offset + length]` (`length = 0`: to the end), as the original
 * `Member.verify`.
 * @param key the signer's public key
 * @param data the bytes
 * @param signature the signature
 * @param offset where the region starts @default 0
 * @param length its length, 0 for "to the end" @default 0
 * @returns whether it verifies; false when the region reaches past the end of `data` or the verifier throws
 * @throws RangeError when offset/length are not non-negative integers; TypeError when `data` is not a Uint8Array
 * @example `verifyRegion(key, packet, signature, 0, signatureOffset)`
 */
export function verifyRegion(key: PublicKey, data: Uint8Array, signature: Uint8Array, offset = 0, length = 0): boolean {
  const bytes = region(data, offset, length);
  if (bytes === undefined) return false;
  try {
    return key.verify(bytes, signature) === true;
  } catch {
    return false;
  }
}
