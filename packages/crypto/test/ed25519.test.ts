import { readFileSync } from 'node:fs';

import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';

import { createPublicKey, verify as cryptoVerify } from 'node:crypto';

import {
  ED25519_SIGNATURE_LENGTH,
  getBackend,
  hasSmallOrder,
  isCanonicalEncoding,
  SMALL_ORDER_ENCODINGS,
  NACL_KEY_LENGTH,
  NACL_PRIVATE_PREFIX,
  NACL_PUBLIC_PREFIX,
  setBackend,
  type Ed25519Backend,
} from '../src/ed25519.ts';
import { generateKeyPair, privateKeyFromBytes, publicKeyFromBytes } from '../src/keys.ts';
import { identityKeyForgery, identityRSignature, naclSecretFromSeed, nonCanonicalS } from './helpers/ed25519-edge.ts';
import { flipBit, hex, toHex } from './helpers/vectors.ts';

interface Rfc8032Vector {
  readonly description: string;
  readonly input: { readonly secretKey: string; readonly message: string };
  readonly expected: { readonly publicKey: string; readonly signature: string };
}

const RFC8032: readonly Rfc8032Vector[] = (
  JSON.parse(readFileSync(new URL('./vectors/rfc8032-ed25519.json', import.meta.url), 'utf8')) as {
    vectors: Rfc8032Vector[];
  }
).vectors;

const BACKENDS: readonly Ed25519Backend[] = ['node', 'noble'];

/** A `LibNaCLSK:` binary from a box secret and an Ed25519 seed. */
function naclSecret(box: Uint8Array, seed: Uint8Array): Uint8Array {
  return Uint8Array.from([...NACL_PRIVATE_PREFIX, ...box, ...seed]);
}

function withBackend<T>(backend: Ed25519Backend, fn: () => T): T {
  const before = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}

afterEach(() => {
  setBackend('node');
});

describe('LibNaCL format constants (spec §3.2)', () => {
  it('are the original prefixes and length', () => {
    expect(new TextDecoder().decode(NACL_PUBLIC_PREFIX)).toBe('LibNaCLPK:');
    expect(new TextDecoder().decode(NACL_PRIVATE_PREFIX)).toBe('LibNaCLSK:');
    expect(NACL_KEY_LENGTH).toBe(74);
    expect(ED25519_SIGNATURE_LENGTH).toBe(64);
  });
});

describe.each(BACKENDS)('RFC 8032 Ed25519 vectors, %s backend', (backend) => {
  it.each(RFC8032.map((v) => [v.description, v] as const))('%s', (_name, vector) => {
    withBackend(backend, () => {
      const key = privateKeyFromBytes(naclSecret(new Uint8Array(32).fill(7), hex(vector.input.secretKey)));
      expect(toHex(key.publicKey.bytes.subarray(42))).toBe(vector.expected.publicKey);
      const message = hex(vector.input.message);
      expect(toHex(key.sign(message))).toBe(vector.expected.signature);
      const signature = hex(vector.expected.signature);
      expect(key.publicKey.verify(message, signature)).toBe(true);
      expect(key.publicKey.verify(message, flipBit(signature, 0))).toBe(false);
      expect(key.publicKey.verify(message, flipBit(signature, 63, 7))).toBe(false);
      expect(key.publicKey.verify(Uint8Array.of(...message, 1), signature)).toBe(false);
    });
  });
});

describe('setBackend / getBackend', () => {
  it('defaults to node', () => {
    expect(getBackend()).toBe('node');
  });

  it('switches, and keys made under one backend work under the other', () => {
    const data = Uint8Array.of(1, 2, 3);
    const nodeKey = generateKeyPair();
    setBackend('noble');
    expect(getBackend()).toBe('noble');
    const nobleKey = generateKeyPair();
    expect(nodeKey.publicKey.verify(data, nodeKey.sign(data))).toBe(true);
    const bySignature = nobleKey.sign(data);
    setBackend('node');
    expect(nobleKey.publicKey.verify(data, bySignature)).toBe(true);
    expect(toHex(nobleKey.sign(data))).toBe(toHex(bySignature));
  });

  it('rejects other names', () => {
    expect(() => setBackend('openssl' as Ed25519Backend)).toThrow(RangeError);
    expect(() => setBackend(1 as unknown as Ed25519Backend)).toThrow(TypeError);
    expect(getBackend()).toBe('node');
  });
});

/** Raw node:crypto, to show what OpenSSL alone would accept. */
function opensslVerify(verifyKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), verifyKey]);
  return cryptoVerify(null, data, createPublicKey({ key: der, format: 'der', type: 'spki' }), signature);
}

describe("libsodium's rules, which OpenSSL lacks (the original verified with libsodium)", () => {
  it('lists exactly the eight small-order points', async () => {
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const { Point } = ed25519;
    for (const encoding of SMALL_ORDER_ENCODINGS) {
      expect(Point.fromBytes(encoding, true).isSmallOrder()).toBe(true);
      expect(hasSmallOrder(encoding)).toBe(true);
      expect(hasSmallOrder(Uint8Array.from(encoding, (b, i) => (i === 31 ? b | 0x80 : b)))).toBe(true);
    }
    // The torsion subgroup: [L]P for a point P of full order generates it.
    const full = Point.fromBytes(hex('0300000000000000000000000000000000000000000000000000000000000000'), true);
    const torsion = full.multiplyUnsafe(Point.Fn.ORDER - 1n).add(full);
    let point = Point.ZERO;
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++, point = point.add(torsion)) {
      seen.add(toHex(point.toBytes()));
      expect(hasSmallOrder(point.toBytes())).toBe(true);
    }
    expect(seen.size).toBe(8);
    expect(hasSmallOrder(generateKeyPair().publicKey.bytes, 42)).toBe(false);
  });

  it('tells canonical encodings (y < p) from the rest', () => {
    expect(isCanonicalEncoding(hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(true);
    expect(isCanonicalEncoding(hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'))).toBe(true);
    expect(isCanonicalEncoding(hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(false);
    expect(isCanonicalEncoding(hex('f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'))).toBe(false);
    expect(isCanonicalEncoding(hex('ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(false);
    expect(isCanonicalEncoding(hex('edfffffffffffffffffffffffffffffffffffffffffffffffffffffffeffff7f'))).toBe(true);
  });

  it.each(BACKENDS)('%s: the identity key accepts no signature (OpenSSL accepts one for every message)', (backend) => {
    const { publicKey, signature } = identityKeyForgery();
    const key = publicKeyFromBytes(publicKey);
    for (const message of [Uint8Array.of(), Uint8Array.of(1, 2, 3)]) {
      expect(opensslVerify(publicKey.subarray(42), message, signature)).toBe(true);
      expect(withBackend(backend, () => key.verify(message, signature))).toBe(false);
    }
  });

  it.each(BACKENDS)("%s: a signature whose R has small order is invalid, even from the key's owner", (backend) => {
    const seed = new Uint8Array(32).fill(5);
    const owner = privateKeyFromBytes(naclSecretFromSeed(seed));
    const verifyKey = owner.publicKey.bytes.subarray(42);
    const message = new TextEncoder().encode('R is the identity');
    const signature = identityRSignature(seed, verifyKey, message);
    expect(opensslVerify(verifyKey, message, signature)).toBe(true);
    expect(withBackend(backend, () => owner.publicKey.verify(message, signature))).toBe(false);
  });

  it.each(BACKENDS)('%s: a non-canonical S (S + L) is invalid', (backend) => {
    const key = generateKeyPair();
    const data = Uint8Array.of(7);
    const signature = key.sign(data);
    expect(withBackend(backend, () => key.publicKey.verify(data, nonCanonicalS(signature)))).toBe(false);
    expect(withBackend(backend, () => key.publicKey.verify(data, signature))).toBe(true);
  });
});

describe('properties', () => {
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const message = fc.uint8Array({ maxLength: 300 });

  test.prop([bytes32, bytes32, message, fc.nat(), fc.nat({ max: 7 })])(
    'node and noble derive the same keys, make the same signatures, and agree on valid and tampered ones',
    (box, seed, data, index, bit) => {
      const secret = naclSecret(box, seed);
      const byNode = withBackend('node', () => privateKeyFromBytes(secret));
      const byNoble = withBackend('noble', () => privateKeyFromBytes(secret));
      expect(toHex(byNoble.publicKey.bytes)).toBe(toHex(byNode.publicKey.bytes));
      const signature = withBackend('node', () => byNode.sign(data));
      expect(toHex(withBackend('noble', () => byNoble.sign(data)))).toBe(toHex(signature));

      const key = publicKeyFromBytes(byNode.publicKey.bytes);
      const tamperedSignature = flipBit(signature, index % 64, bit);
      const tamperedData = data.length === 0 ? Uint8Array.of(0) : flipBit(data, index % data.length, bit);
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          expect(key.verify(data, signature)).toBe(true);
          expect(key.verify(data, tamperedSignature)).toBe(false);
          expect(key.verify(tamperedData, signature)).toBe(false);
        });
      }
    },
  );

  test.prop([
    fc.uint8Array({ minLength: 64, maxLength: 64 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    message,
  ])(
    'both backends give the same answer for arbitrary signature bytes and arbitrary verify keys',
    (signature, verifyKey, data) => {
      const key = publicKeyFromBytes(Uint8Array.from([...NACL_PUBLIC_PREFIX, ...new Uint8Array(32), ...verifyKey]));
      const answers = BACKENDS.map((backend) => withBackend(backend, () => key.verify(data, signature)));
      expect(answers[1]).toBe(answers[0]);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 130 }), message])(
    'verify never throws on garbage signature bytes, and any length but 64 is invalid',
    (signature, data) => {
      const key = generatedKey.publicKey;
      for (const backend of BACKENDS) {
        const valid = withBackend(backend, () => key.verify(data, signature));
        if (signature.length !== 64) expect(valid).toBe(false);
        expect(typeof valid).toBe('boolean');
      }
    },
  );
});

const generatedKey = generateKeyPair();
