import { test as propTest, fc } from '@fast-check/vitest';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { BloomFilter, KeyHasher, chunkBytesFor, digestAlgorithmFor, hashLayout } from '../src/index.ts';
import type { DigestAlgorithm } from '../src/index.ts';
import { getDigest, isBackendAvailable } from '../src/internal/digest.ts';
import { toHex, utf8 } from './helpers.ts';

const NOBLE = { md5, sha1, sha256, sha384, sha512 } as const;

/** Positions computed the slow, obviously right way: BigInt chunks of noble's digest of prefix ‖ key. */
function referencePositions(bits: number, functions: number, prefix: Uint8Array, key: Uint8Array): number[] {
  const { chunkBytes, algorithm } = hashLayout(bits, functions);
  const digest = NOBLE[algorithm](new Uint8Array([...prefix, ...key]));
  const out: number[] = [];
  for (let i = 0; i < functions; i++) {
    let value = 0n;
    for (let j = 0; j < chunkBytes; j++) value = (value << 8n) | BigInt(digest[i * chunkBytes + j] as number);
    out.push(Number(value % BigInt(bits)));
  }
  return out;
}

describe('layout selection (spec §8.1)', () => {
  it.each([
    [8, 2],
    [10128, 2],
    [32760, 2],
    [32768, 4],
    [65536, 4],
    [2 ** 31 - 8, 4],
    [2 ** 31, 8],
    [2 ** 32, 8],
  ])('m %i → %i-byte chunks', (bits, chunk) => {
    expect(chunkBytesFor(bits)).toBe(chunk);
  });

  it.each([
    [1, 'md5'],
    [112, 'md5'],
    [128, 'md5'],
    [129, 'sha1'],
    [160, 'sha1'],
    [161, 'sha256'],
    [256, 'sha256'],
    [257, 'sha384'],
    [384, 'sha384'],
    [385, 'sha512'],
    [512, 'sha512'],
  ] as const)('%i bits → %s', (bits, algorithm) => {
    expect(digestAlgorithmFor(bits)).toBe(algorithm);
  });

  it.each([
    [10128, 7, 2, 112, 'md5', 16],
    [4096, 10, 2, 160, 'sha1', 20],
    [20248, 14, 2, 224, 'sha256', 32],
    [24, 17, 2, 272, 'sha384', 48],
    [8, 32, 2, 512, 'sha512', 64],
    [65536, 7, 4, 224, 'sha256', 32],
    [65536, 16, 4, 512, 'sha512', 64],
    [2 ** 31, 7, 8, 448, 'sha512', 64],
    [2 ** 31, 8, 8, 512, 'sha512', 64],
  ] as const)('m %i, k %i → %i-byte chunks, %i bits, %s', (bits, k, chunkBytes, bitsRequired, algorithm, digestBytes) => {
    expect(hashLayout(bits, k)).toEqual({ chunkBytes, bitsRequired, algorithm, digestBytes });
  });

  it.each([
    [8, 33],
    [65536, 17],
    [2 ** 31, 9],
  ])('m %i, k %i needs more than 512 bits', (bits, k) => {
    expect(() => hashLayout(bits, k)).toThrow(RangeError);
  });

  it('rejects 0 and 513 required bits', () => {
    expect(() => digestAlgorithmFor(0)).toThrow(RangeError);
    expect(() => digestAlgorithmFor(513)).toThrow(RangeError);
  });
});

describe('KeyHasher', () => {
  it('digests prefix ‖ key', () => {
    const hasher = new KeyHasher(10160, 7, new Uint8Array([0x07]));
    expect(toHex(hasher.digest(utf8('packet-one')))).toBe('9f53b0e583a5bb398e8c272a431bb27f');
    expect(hasher.positions(utf8('packet-one'))).toEqual(referencePositions(10160, 7, new Uint8Array([7]), utf8('packet-one')));
  });

  it('digests the key alone with an empty prefix', () => {
    const hasher = new KeyHasher(64, 4, new Uint8Array(0));
    expect(toHex(hasher.digest(utf8('abc')))).toBe(toHex(md5(utf8('abc'))));
  });

  it('node:crypto is used here, and agrees with @noble/hashes', () => {
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as DigestAlgorithm[]) {
      expect(isBackendAvailable(algorithm, 'node')).toBe(true);
      expect(isBackendAvailable(algorithm, 'noble')).toBe(true);
      const data = utf8(`dispersy ${algorithm}`);
      expect(toHex(getDigest(algorithm, 'node')(data))).toBe(toHex(NOBLE[algorithm](data)));
      expect(getDigest(algorithm, 'noble')).toBe(NOBLE[algorithm]);
      expect(getDigest(algorithm)).toBe(getDigest(algorithm)); // cached
    }
  });

  const configs = fc.constantFrom(
    [10128, 7],
    [4096, 10],
    [8, 32],
    [65536, 7],
    [100_000, 16],
    [2 ** 31 - 8, 9],
    [2 ** 31, 7],
    [2 ** 31 + 8, 8],
    [2 ** 32, 3],
    [4_294_967_288, 8],
  );

  propTest.prop([configs, fc.uint8Array({ maxLength: 255 }), fc.uint8Array({ maxLength: 400 })])(
    'positions equal the BigInt reference for 2-, 4- and 8-byte chunks',
    ([bits, k], prefix, key) => {
      const expected = referencePositions(bits, k, prefix, key);
      expect(new KeyHasher(bits, k, prefix).positions(key)).toEqual(expected);
      expect(new KeyHasher(bits, k, prefix, 'noble').positions(key)).toEqual(expected);
    },
  );

  it('an 8-byte-chunk filter (m = 2^31, 256 MiB) sets and finds the reference positions', () => {
    const prefix = new Uint8Array([0xab]);
    const filter = BloomFilter.fromBits(2 ** 31, 0.01, prefix);
    expect(filter.layout).toEqual({ chunkBytes: 8, bitsRequired: 448, algorithm: 'sha512', digestBytes: 64 });
    const key = utf8('a key in a very large filter');
    filter.add(key);
    expect(filter.positionsOf(key)).toEqual(referencePositions(2 ** 31, 7, prefix, key));
    expect(filter.contains(key)).toBe(true);
    expect(filter.contains(utf8('another key'))).toBe(false);
  });
});
