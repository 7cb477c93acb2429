/** Small byte helpers shared inside the package (not exported). */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Lowercase hex of bytes.
 * @param bytes any bytes
 * @returns the hex string
 * @example `toHex(Uint8Array.of(1, 255)) // '01ff'`
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b] as string;
  return out;
}

/**
 * Parses lowercase or uppercase hex.
 * @param hex an even-length hex string
 * @returns the bytes
 * @throws TypeError for a malformed string
 * @example `fromHex('01ff')`
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('expected an even-length hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
