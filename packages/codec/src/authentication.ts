/**
 * The authentication section (spec §2.3): nothing (NoAuthentication), one member, or two members, each either
 * as its 20-byte member id (`sha1`, resolved through the caller's lookup) or as `uint16 length + public key`
 * (`bin`). Members' keys also give the signature lengths, which locate the payload's end.
 */
import type { PublicKey } from '@dispersy/crypto';
import { DecodeError, MissingMemberError } from './errors.ts';
import { MID_LENGTH } from './header.ts';
import type { KeyParser, MemberLookup } from './message.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

/**
 * Size of the authentication section.
 * @param encoding resolved member encoding
 * @param members the members (0, 1 or 2)
 * @returns its length in bytes
 * @example `authenticationSize('sha1', [key]) // 20`
 */
export function authenticationSize(encoding: 'sha1' | 'bin', members: readonly PublicKey[]): number {
  if (encoding === 'sha1') return MID_LENGTH * members.length;
  let n = 0;
  for (const m of members) n += 2 + m.bytes.length;
  return n;
}

/**
 * Writes the authentication section. For two `bin` members both lengths come first (len1, len2, key1, key2).
 * @param w the writer
 * @param encoding resolved member encoding
 * @param members the members
 * @throws RangeError if a key is longer than 65535 bytes or a mid is not 20 bytes
 * @example `writeAuthentication(w, 'bin', [key])`
 */
export function writeAuthentication(w: Writer, encoding: 'sha1' | 'bin', members: readonly PublicKey[]): void {
  if (encoding === 'sha1') {
    for (const m of members) {
      if (m.mid.length !== MID_LENGTH) throw new RangeError(`member mid must be ${MID_LENGTH} bytes`);
      w.bytes(m.mid, 'mid');
    }
    return;
  }
  for (const m of members) w.u16(m.bytes.length, 'public key length');
  for (const m of members) w.bytes(m.bytes, 'public key');
}

/**
 * Parses a public key read from a packet, turning any failure into `DecodeError('BAD_KEY')`.
 * @param bytes the key binary
 * @param parseKey the key parser
 * @param start offset of the key, for the error
 * @returns the key
 * @throws DecodeError BAD_KEY with the parser's error as `cause`
 */
export function parseWireKey(bytes: Uint8Array, parseKey: KeyParser, start: number): PublicKey {
  try {
    return parseKey(bytes);
  } catch (err) {
    throw new DecodeError('BAD_KEY', `malformed public key (${bytes.length} bytes)`, { offset: start, cause: err });
  }
}

/**
 * Reads a `uint16 length + key` pair (the `bin` encoding, also used by several payloads).
 * @param r the reader
 * @param parseKey the key parser
 * @returns the key
 * @throws DecodeError TRUNCATED or BAD_KEY
 */
export function readLengthPrefixedKey(r: Reader, parseKey: KeyParser): PublicKey {
  const n = r.u16('public key length');
  const start = r.pos;
  return parseWireKey(r.bytes(n, 'public key'), parseKey, start);
}

/**
 * Resolves a 20-byte member id through the lookup.
 * @param r the reader (positioned after the mid, for the offset)
 * @param mid the member id (view)
 * @param lookup the caller's lookup
 * @param section where it was read
 * @returns the member's key
 * @throws MissingMemberError (DecodeError UNKNOWN_MEMBER) if unknown
 */
export function resolveMid(r: Reader, mid: Uint8Array, lookup: MemberLookup | undefined, section: 'authentication' | 'payload'): PublicKey {
  const key = lookup?.(mid);
  if (key === undefined) throw new MissingMemberError(mid, section, { offset: r.pos - MID_LENGTH });
  return key;
}

/**
 * Reads the authentication section.
 * @param r the reader, positioned after the header
 * @param count number of members (0, 1 or 2)
 * @param encoding resolved member encoding
 * @param lookup resolves `sha1` members
 * @param parseKey parses `bin` members
 * @returns the members
 * @throws DecodeError TRUNCATED, BAD_KEY, or UNKNOWN_MEMBER ({@link MissingMemberError})
 */
export function readAuthentication(
  r: Reader,
  count: 0 | 1 | 2,
  encoding: 'sha1' | 'bin',
  lookup: MemberLookup | undefined,
  parseKey: KeyParser,
): PublicKey[] {
  if (count === 0) return [];
  if (encoding === 'sha1') {
    const first = resolveMid(r, r.bytes(MID_LENGTH, 'member id'), lookup, 'authentication');
    if (count === 1) return [first];
    return [first, resolveMid(r, r.bytes(MID_LENGTH, 'member id'), lookup, 'authentication')];
  }
  if (count === 1) return [readLengthPrefixedKey(r, parseKey)];
  const n1 = r.u16('public key length');
  const n2 = r.u16('public key length');
  const s1 = r.pos;
  const k1 = r.bytes(n1, 'public key');
  const s2 = r.pos;
  const k2 = r.bytes(n2, 'public key');
  return [parseWireKey(k1, parseKey, s1), parseWireKey(k2, parseKey, s2)];
}

/**
 * Size of a `uint16 length + key` field.
 * @param key a public key
 * @returns 2 + key length
 */
export function keyFieldSize(key: PublicKey): number {
  return 2 + key.bytes.length;
}

/**
 * Writes a `uint16 length + key` field.
 * @param w the writer
 * @param key a public key
 */
export function writeKeyField(w: Writer, key: PublicKey): void {
  w.u16(key.bytes.length, 'public key length');
  w.bytes(key.bytes, 'public key');
}
