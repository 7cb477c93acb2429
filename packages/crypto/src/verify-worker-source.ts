/**
 * The verification worker's code, as a JavaScript source string started with `new Worker(source, { eval: true })`.
 *
 * Why a string and not a module file: the package is tested from its TypeScript sources (vitest on Node 20, which
 * cannot run a `.ts` worker), and is published as JavaScript; a self-contained string works in both without a build
 * step or a path to resolve. It is CommonJS (what `eval` workers run) and uses only node:crypto.
 *
 * What it does, per batch: reads the packed items (see `packBatch` in verify-pool.ts), looks up each public key in an
 * LRU cache of `KeyObject`s (parsing it on a miss), and verifies exactly as the single-thread API does:
 *
 * - a `LibNaCLPK:` key of 74 bytes: Ed25519 over the raw data, signature exactly 64 bytes; like libsodium, no
 *   signature is valid for a verify key of small order or a non-canonical one, nor one whose `R` has small order
 *   (the encodings come in `workerData.smallOrder`, from ed25519.ts);
 * - an EC key: its bytes must be one of the four SubjectPublicKeyInfo headers (passed in `workerData.levels`, made
 *   by the main thread from the same encoder it parses with) followed by an uncompressed point; the r‖s signature
 *   must be exactly 2·half bytes; it is converted to DER (leading zeros stripped, a sign byte where the top bit is
 *   set) and checked with ECDSA over SHA-1;
 * - anything else, or any exception, is `false`.
 *
 * It answers `{ id, results }` with one byte (0 or 1) per item, transferring the results buffer.
 */
export const VERIFY_WORKER_SOURCE = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');

const CACHE_MAX = workerData.cacheSize;
const NACL_PREFIX = Buffer.from('LibNaCLPK:', 'latin1');
const NACL_LENGTH = 74;
const ED25519_SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');
const LEVELS = workerData.levels.map((level) => ({
  header: Buffer.from(level.header),
  half: level.half,
  length: level.header.length + 2 * level.half,
}));
const ZERO = Buffer.from([0]);
const SMALL_ORDER = workerData.smallOrder.map((encoding) => Buffer.from(encoding));
const SMALL_ORDER_FIRST_BYTE = new Uint8Array(256);
for (const encoding of SMALL_ORDER) SMALL_ORDER_FIRST_BYTE[encoding[0]] = 1;

// Whether the 32-byte point encoding at offset is one of the small-order points (sign bit ignored).
function hasSmallOrder(bytes, offset) {
  if (SMALL_ORDER_FIRST_BYTE[bytes[offset]] !== 1) return false;
  next: for (const encoding of SMALL_ORDER) {
    for (let i = 0; i < 31; i++) if (bytes[offset + i] !== encoding[i]) continue next;
    if ((bytes[offset + 31] & 0x7f) === encoding[31]) return true;
  }
  return false;
}

// Whether the point encoding at offset has y < p = 2^255 - 19.
function isCanonical(bytes, offset) {
  if ((bytes[offset + 31] & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (bytes[offset + i] !== 0xff) return true;
  return bytes[offset] < 0xed;
}

// LRU of parsed keys: Map keeps insertion order, a hit is moved to the young end. null marks a key that did not parse.
const cache = new Map();

function lookup(bytes, offset, length) {
  const id = bytes.toString('latin1', offset, offset + length);
  let entry = cache.get(id);
  if (entry !== undefined) {
    cache.delete(id);
    cache.set(id, entry);
    return entry;
  }
  entry = parse(bytes.subarray(offset, offset + length));
  cache.set(id, entry);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
  return entry;
}

function parse(key) {
  try {
    if (key.length === NACL_LENGTH && key.subarray(0, NACL_PREFIX.length).equals(NACL_PREFIX)) {
      const verifyKey = NACL_LENGTH - 32;
      if (!isCanonical(key, verifyKey) || hasSmallOrder(key, verifyKey)) return null;
      const der = Buffer.concat([ED25519_SPKI_HEADER, key.subarray(verifyKey)]);
      return { keyObject: createPublicKey({ key: der, format: 'der', type: 'spki' }), half: 0, signatureLength: 64 };
    }
    for (const level of LEVELS) {
      if (key.length === level.length && key.subarray(0, level.header.length).equals(level.header)) {
        const keyObject = createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
        return { keyObject, half: level.half, signatureLength: 2 * level.half };
      }
    }
  } catch {
    // OpenSSL rejected the point: not a key
  }
  return null;
}

// One DER INTEGER from a big-endian unsigned half: leading zeros stripped, a zero sign byte if the top bit is set.
function derInteger(half) {
  let first = 0;
  while (first < half.length && half[first] === 0) first++;
  let content = half.subarray(first);
  if (content.length === 0 || content[0] >= 0x80) content = Buffer.concat([ZERO, content]);
  const header = content.length < 0x80 ? [0x02, content.length] : [0x02, 0x81, content.length];
  return Buffer.concat([Buffer.from(header), content]);
}

// r‖s (each half bytes) to DER SEQUENCE { INTEGER r, INTEGER s }.
function rawToDer(signature, half) {
  const body = Buffer.concat([derInteger(signature.subarray(0, half)), derInteger(signature.subarray(half))]);
  const header = body.length < 0x80 ? [0x30, body.length] : [0x30, 0x81, body.length];
  return Buffer.concat([Buffer.from(header), body]);
}

function verifyOne(bytes, keyOffset, keyLength, dataOffset, dataLength, signatureOffset, signatureLength) {
  const entry = lookup(bytes, keyOffset, keyLength);
  if (entry === null || signatureLength !== entry.signatureLength) return false;
  const data = bytes.subarray(dataOffset, dataOffset + dataLength);
  const signature = bytes.subarray(signatureOffset, signatureOffset + signatureLength);
  try {
    if (entry.half === 0) return !hasSmallOrder(signature, 0) && verify(null, data, entry.keyObject, signature);
    return verify('sha1', data, entry.keyObject, rawToDer(signature, entry.half));
  } catch {
    return false;
  }
}

parentPort.on('message', (message) => {
  const { id, buffer, count } = message;
  const header = new Uint32Array(buffer, 0, count * 6);
  const bytes = Buffer.from(buffer);
  const results = new Uint8Array(count);
  for (let i = 0, o = 0; i < count; i++, o += 6) {
    results[i] = verifyOne(bytes, header[o], header[o + 1], header[o + 2], header[o + 3], header[o + 4], header[o + 5])
      ? 1
      : 0;
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
`;
