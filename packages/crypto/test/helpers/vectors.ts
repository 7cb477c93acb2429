/** Loads the test vectors of this package (see each file for its provenance). */
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';

import type { SecurityLevel } from '../../src/types.ts';

/** One entry of original-keys.json: keys and signatures made by the original Dispersy's crypto (Python 2.7). */
export interface OriginalKeyVector {
  readonly level: SecurityLevel;
  readonly public_key: string;
  readonly private_key: string;
  readonly mid: string;
  readonly signature_length: number;
  readonly message: string;
  readonly signature: string;
  readonly signature_valid: boolean;
  readonly flipped_signature: string;
  readonly flipped_valid: boolean;
}

/** The 15 original key vectors, 3 per level. */
export const ORIGINAL_KEYS: readonly OriginalKeyVector[] = JSON.parse(
  readFileSync(new URL('../vectors/original-keys.json', import.meta.url), 'utf8'),
) as OriginalKeyVector[];

/** Bytes of hex text (test helper; no validation). */
export function hex(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Hex of bytes (test helper). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  out[index] = (out[index] as number) ^ (1 << bit);
  return out;
}
