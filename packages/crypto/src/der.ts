/**
 * The little DER this package needs (spec §3.2, §3.3): reading an EC SubjectPublicKeyInfo and an SEC1
 * `ECPrivateKey` strictly enough to name the curve and reject malformed input with a precise code before OpenSSL
 * sees it, and converting ECDSA signatures between the wire's fixed-width r‖s and DER.
 *
 * Why strict: the member id is the SHA-1 of the key bytes, so two encodings of one key would be two members. We
 * accept only minimal (DER, not BER) lengths, the named-curve form, and uncompressed points, which is what the
 * original (M2Crypto/OpenSSL) writes. With those rules each level's SubjectPublicKeyInfo has exactly one header.
 */
import { KeyFormatError } from './errors.ts';
import { EC_LEVEL_BY_OID_HEX, halfLength, oidToHex, type SecurityLevelInfo } from './levels.ts';
import { concatBytes, hexConstant, toHex } from './internal/bytes.ts';

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_CONTEXT_0 = 0xa0;
const TAG_CONTEXT_1 = 0xa1;

/** OID 1.2.840.10045.2.1 (id-ecPublicKey), content bytes. */
const EC_PUBLIC_KEY_OID_HEX = '2a8648ce3d0201';

/** One DER element: its tag and where its value lies in the input. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first value byte. */
  readonly start: number;
  /** Offset just past the value (= offset of the next element). */
  readonly end: number;
}

/**
 * Reads the DER element at `offset`, which must end at or before `limit`.
 * @param bytes the input
 * @param offset where the element starts
 * @param limit where the enclosing value ends
 * @returns the element
 * @throws KeyFormatError `TRUNCATED_KEY` when the element runs past the end of the input, `BAD_DER` when it runs past
 *   an enclosing element or uses a non-DER length form
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number): DerElement {
  // Running past the input is truncation; running past an enclosing element but not the input is bad DER.
  const short = (needed: number, what: string): KeyFormatError =>
    needed > bytes.length ? truncated(what) : badDer(`${what} overruns its enclosing element`);
  if (offset + 2 > limit) throw short(offset + 2, 'a DER header');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw badDer('multi-byte tags are not used in EC keys');
  let length = bytes[offset + 1] as number;
  let start = offset + 2;
  if (length >= 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length; keys are far below 64 KiB, so at most two length bytes.
    if (count === 0 || count > 2) throw badDer('unsupported DER length form');
    if (start + count > limit) throw short(start + count, 'a DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] as number);
    start += count;
    // DER demands the shortest length form.
    if (length < 0x80 || (count === 2 && length < 0x100)) throw badDer('non-minimal DER length');
  }
  const end = start + length;
  if (end > limit) throw short(end, 'a DER value');
  return { tag, start, end };
}

/**
 * Reads an element and checks its tag.
 * @throws KeyFormatError as {@link readElement}, or `BAD_DER` when the tag differs
 */
function expectElement(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): DerElement {
  const element = readElement(bytes, offset, limit);
  if (element.tag !== tag) throw badDer(`expected ${what}`);
  return element;
}

/**
 * Reads the outer SEQUENCE of a DER key; it must span the whole input.
 * @throws KeyFormatError `TRUNCATED_KEY`, `TRAILING_BYTES` or `BAD_DER`
 */
function outerSequence(bytes: Uint8Array): DerElement {
  const outer = expectElement(bytes, 0, bytes.length, TAG_SEQUENCE, 'a SEQUENCE');
  if (outer.end !== bytes.length) {
    throw new KeyFormatError('TRAILING_BYTES', `${bytes.length - outer.end} bytes after the DER key`);
  }
  return outer;
}

/**
 * Tells a DER SubjectPublicKeyInfo (public) from an SEC1 ECPrivateKey (private) by the first field inside the outer
 * SEQUENCE: a SEQUENCE (the AlgorithmIdentifier) or an INTEGER (the version).
 * @param bytes DER starting with a SEQUENCE
 * @returns `public` or `private`
 * @throws KeyFormatError `TRUNCATED_KEY` or `BAD_DER`; `UNKNOWN_KEY_FORMAT` for a PKCS#8 key (version 0) or any
 *   other first field
 */
export function derKeyKind(bytes: Uint8Array): 'public' | 'private' {
  const outer = expectElement(bytes, 0, bytes.length, TAG_SEQUENCE, 'a SEQUENCE');
  const first = readElement(bytes, outer.start, outer.end);
  if (first.tag === TAG_SEQUENCE) return 'public';
  if (first.tag === TAG_INTEGER) {
    if (first.end - first.start === 1 && bytes[first.start] === 0) {
      throw new KeyFormatError('UNKNOWN_KEY_FORMAT', 'PKCS#8 keys are not a Dispersy key format; use SEC1 DER');
    }
    return 'private';
  }
  throw new KeyFormatError('UNKNOWN_KEY_FORMAT', 'DER that is neither a SubjectPublicKeyInfo nor an ECPrivateKey');
}

/** Looks up the level of a named-curve OID element. */
function curveOf(bytes: Uint8Array, oid: DerElement): SecurityLevelInfo {
  const hex = toHex(bytes.subarray(oid.start, oid.end));
  const info = EC_LEVEL_BY_OID_HEX.get(hex);
  if (info === undefined) {
    throw new KeyFormatError('UNSUPPORTED_CURVE', `curve OID ${hex} is not one of the supported security levels`);
  }
  return info;
}

/** A parsed EC SubjectPublicKeyInfo. */
export interface EcPublicKeyDer {
  readonly info: SecurityLevelInfo;
  /** The uncompressed point `04 ‖ X ‖ Y` (a view into the input). */
  readonly point: Uint8Array;
}

/**
 * Parses an EC public key in DER SubjectPublicKeyInfo form with a named curve and an uncompressed point.
 * Checks the structure only; OpenSSL checks that the point lies on the curve.
 * @param bytes the DER
 * @returns the level and the point
 * @throws KeyFormatError `TRUNCATED_KEY`, `TRAILING_BYTES`, `BAD_DER`, `UNKNOWN_KEY_FORMAT` (not an EC key),
 *   `UNSUPPORTED_CURVE` or `INVALID_KEY` (compressed or wrong-sized point)
 * @example
 * ```ts
 * parseEcPublicKeyDer(spki).info.level; // 'low'
 * ```
 */
export function parseEcPublicKeyDer(bytes: Uint8Array): EcPublicKeyDer {
  const outer = outerSequence(bytes);
  const algorithm = expectElement(bytes, outer.start, outer.end, TAG_SEQUENCE, 'an AlgorithmIdentifier');
  const algorithmOid = expectElement(bytes, algorithm.start, algorithm.end, TAG_OID, 'an algorithm OID');
  if (toHex(bytes.subarray(algorithmOid.start, algorithmOid.end)) !== EC_PUBLIC_KEY_OID_HEX) {
    throw new KeyFormatError('UNKNOWN_KEY_FORMAT', 'the SubjectPublicKeyInfo is not an EC public key');
  }
  if (algorithmOid.end === algorithm.end) throw new KeyFormatError('UNSUPPORTED_CURVE', 'no curve parameters');
  const curveOid = readElement(bytes, algorithmOid.end, algorithm.end);
  if (curveOid.tag !== TAG_OID) {
    throw new KeyFormatError('UNSUPPORTED_CURVE', 'explicit curve parameters are not supported, only named curves');
  }
  if (curveOid.end !== algorithm.end) throw badDer('extra fields in the AlgorithmIdentifier');
  const info = curveOf(bytes, curveOid);
  const bitString = expectElement(bytes, algorithm.end, outer.end, TAG_BIT_STRING, 'a BIT STRING');
  if (bitString.end !== outer.end) throw badDer('extra fields in the SubjectPublicKeyInfo');
  if (bitString.end === bitString.start || bytes[bitString.start] !== 0) throw badDer('bad BIT STRING padding');
  const point = bytes.subarray(bitString.start + 1, bitString.end);
  checkPoint(point, info);
  return { info, point };
}

/**
 * Encodes an EC public key as DER SubjectPublicKeyInfo with a named curve: the form the original puts on the wire.
 * @param info the level
 * @param point the uncompressed point `04 ‖ X ‖ Y`
 * @returns the DER (66, 84, 128 or 170 bytes for the four EC levels)
 * @example
 * ```ts
 * encodeEcPublicKeyDer(securityLevelInfo('low'), point).length; // 84
 * ```
 */
export function encodeEcPublicKeyDer(info: SecurityLevelInfo, point: Uint8Array): Uint8Array<ArrayBuffer> {
  const algorithm = encodeElement(
    TAG_SEQUENCE,
    concatBytes(
      encodeElement(TAG_OID, hexConstant(EC_PUBLIC_KEY_OID_HEX)),
      encodeElement(TAG_OID, hexConstant(oidToHex(info.oid ?? ''))),
    ),
  );
  return encodeElement(
    TAG_SEQUENCE,
    concatBytes(algorithm, encodeElement(TAG_BIT_STRING, concatBytes(Uint8Array.of(0), point))),
  );
}

/** One DER element with the shortest length form. */
function encodeElement(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = content.length;
  const header = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >>> 8, n & 0xff];
  return concatBytes(Uint8Array.from(header), content);
}

/** A parsed SEC1 ECPrivateKey. */
export interface EcPrivateKeyDer {
  readonly info: SecurityLevelInfo;
  /** The private scalar, big-endian (a view into the input). */
  readonly scalar: Uint8Array;
  /** The embedded uncompressed public point, if the key carries one (a view into the input). */
  readonly point: Uint8Array | undefined;
}

/**
 * Parses an SEC1 `ECPrivateKey` (RFC 5915: version 1, the scalar, `[0]` named curve, optional `[1]` public key).
 * The `[0]` curve is required: it is how the level is known.
 * @param bytes the DER
 * @returns the level, the scalar and the embedded public point
 * @throws KeyFormatError `TRUNCATED_KEY`, `TRAILING_BYTES`, `BAD_DER`, `UNSUPPORTED_CURVE` or `INVALID_KEY`
 * @example
 * ```ts
 * parseEcPrivateKeyDer(sec1).info.curve; // 'sect233k1'
 * ```
 */
export function parseEcPrivateKeyDer(bytes: Uint8Array): EcPrivateKeyDer {
  const outer = outerSequence(bytes);
  const version = expectElement(bytes, outer.start, outer.end, TAG_INTEGER, 'the version INTEGER');
  if (version.end - version.start !== 1 || bytes[version.start] !== 1) throw badDer('ECPrivateKey version must be 1');
  const secret = expectElement(bytes, version.end, outer.end, TAG_OCTET_STRING, 'the private key OCTET STRING');
  if (secret.end === outer.end) throw new KeyFormatError('UNSUPPORTED_CURVE', 'the key names no curve');
  const params = readElement(bytes, secret.end, outer.end);
  if (params.tag !== TAG_CONTEXT_0) throw new KeyFormatError('UNSUPPORTED_CURVE', 'the key names no curve');
  const curveOid = readElement(bytes, params.start, params.end);
  if (curveOid.tag !== TAG_OID) {
    throw new KeyFormatError('UNSUPPORTED_CURVE', 'explicit curve parameters are not supported, only named curves');
  }
  if (curveOid.end !== params.end) throw badDer('extra fields in the curve parameters');
  const info = curveOf(bytes, curveOid);
  let point: Uint8Array | undefined;
  if (params.end !== outer.end) {
    const publicKey = expectElement(bytes, params.end, outer.end, TAG_CONTEXT_1, 'the [1] public key');
    if (publicKey.end !== outer.end) throw badDer('extra fields in the ECPrivateKey');
    const bitString = expectElement(bytes, publicKey.start, publicKey.end, TAG_BIT_STRING, 'a BIT STRING');
    if (bitString.end !== publicKey.end) throw badDer('extra fields in the [1] public key');
    if (bitString.end === bitString.start || bytes[bitString.start] !== 0) throw badDer('bad BIT STRING padding');
    point = bytes.subarray(bitString.start + 1, bitString.end);
    checkPoint(point, info);
  }
  const scalar = bytes.subarray(secret.start, secret.end);
  if (scalar.length === 0 || scalar.length > halfLength(info)) {
    throw new KeyFormatError('INVALID_KEY', `a ${info.curve} private scalar cannot be ${scalar.length} bytes`);
  }
  return { info, scalar, point };
}

/** Checks that `point` is an uncompressed point of the level's size. */
function checkPoint(point: Uint8Array, info: SecurityLevelInfo): void {
  const expected = 1 + 2 * halfLength(info);
  if (point[0] !== 0x04 || point.length !== expected) {
    throw new KeyFormatError('INVALID_KEY', `expected an uncompressed ${info.curve} point of ${expected} bytes`);
  }
}

/**
 * Converts a fixed-width ECDSA signature `r ‖ s` (each half `half` bytes, big-endian, spec §3.3) to DER
 * `SEQUENCE { INTEGER r, INTEGER s }`, as node:crypto's `dsaEncoding: 'der'` expects: leading zeros stripped, a zero
 * byte added where the top bit is set (DER INTEGERs are signed).
 * @param signature the r‖s bytes; its length must be even
 * @returns the DER encoding
 * @example
 * ```ts
 * ecdsaRawToDer(Uint8Array.of(0, 1, 0x80, 2)); // 30 08 02 01 01 02 03 00 80 02
 * ```
 */
export function ecdsaRawToDer(signature: Uint8Array): Uint8Array<ArrayBuffer> {
  const half = signature.length >>> 1;
  const r = integerBounds(signature, 0, half);
  const s = integerBounds(signature, half, signature.length);
  const body = r.length + s.length;
  const header = body < 0x80 ? 2 : body < 0x100 ? 3 : 4;
  const out = new Uint8Array(header + body);
  out[0] = TAG_SEQUENCE;
  if (header === 2) {
    out[1] = body;
  } else if (header === 3) {
    out[1] = 0x81;
    out[2] = body;
  } else {
    out[1] = 0x82;
    out[2] = body >>> 8;
    out[3] = body & 0xff;
  }
  let offset = writeInteger(out, header, signature, r);
  offset = writeInteger(out, offset, signature, s);
  return out;
}

/** Where the significant bytes of one half lie, and the length of its DER INTEGER element. */
interface IntegerBounds {
  readonly from: number;
  readonly to: number;
  readonly pad: boolean;
  readonly length: number;
}

function integerBounds(signature: Uint8Array, from: number, to: number): IntegerBounds {
  let first = from;
  while (first < to && signature[first] === 0) first++;
  const digits = to - first;
  // Zero is the single content byte 00; a set top bit needs a 00 sign byte.
  const pad = digits === 0 || (signature[first] as number) >= 0x80;
  const content = digits + (pad ? 1 : 0);
  const length = content + (content < 0x80 ? 2 : 3);
  return { from: first, to, pad, length };
}

function writeInteger(out: Uint8Array, offset: number, signature: Uint8Array, bounds: IntegerBounds): number {
  const content = bounds.to - bounds.from + (bounds.pad ? 1 : 0);
  out[offset++] = TAG_INTEGER;
  if (content >= 0x80) out[offset++] = 0x81;
  out[offset++] = content;
  if (bounds.pad) out[offset++] = 0;
  out.set(signature.subarray(bounds.from, bounds.to), offset);
  return offset + bounds.to - bounds.from;
}

/**
 * Converts a DER ECDSA signature to fixed-width `r ‖ s`, each half left-padded with zeros to `half` bytes.
 * @param der `SEQUENCE { INTEGER r, INTEGER s }` with non-negative integers
 * @param half bytes per half: ceil(field bits / 8)
 * @returns the 2·half bytes
 * @throws RangeError when the DER is malformed or an integer does not fit in `half` bytes (OpenSSL never produces
 *   such a signature, so this is an internal fault, not a peer's input)
 * @example
 * ```ts
 * ecdsaDerToRaw(der, 30).length; // 60 (sect233k1)
 * ```
 */
export function ecdsaDerToRaw(der: Uint8Array, half: number): Uint8Array<ArrayBuffer> {
  let outer: DerElement;
  try {
    outer = readElement(der, 0, der.length);
  } catch (cause) {
    throw new RangeError('malformed DER signature', { cause });
  }
  if (outer.tag !== TAG_SEQUENCE || outer.end !== der.length) throw new RangeError('malformed DER signature');
  const out = new Uint8Array(2 * half);
  let offset = outer.start;
  for (let index = 0; index < 2; index++) {
    let element: DerElement;
    try {
      element = readElement(der, offset, outer.end);
    } catch (cause) {
      throw new RangeError('malformed DER signature', { cause });
    }
    if (element.tag !== TAG_INTEGER || element.end === element.start) throw new RangeError('malformed DER signature');
    if ((der[element.start] as number) >= 0x80) throw new RangeError('negative integer in a DER signature');
    let first = element.start;
    while (first < element.end && der[first] === 0) first++;
    const digits = element.end - first;
    if (digits > half) throw new RangeError(`a signature half does not fit in ${half} bytes`);
    out.set(der.subarray(first, element.end), (index + 1) * half - digits);
    offset = element.end;
  }
  if (offset !== outer.end) throw new RangeError('malformed DER signature');
  return out;
}

function truncated(what: string): KeyFormatError {
  return new KeyFormatError('TRUNCATED_KEY', `the key ends inside ${what}`);
}

function badDer(why: string): KeyFormatError {
  return new KeyFormatError('BAD_DER', `malformed DER key: ${why}`);
}
