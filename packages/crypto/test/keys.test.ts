import { describe, expect, it } from 'vitest';

import { KeyFormatError } from '../src/errors.ts';
import {
  clearPublicKeyCache,
  detectLevel,
  generateKeyPair,
  isPrivateKey,
  isPublicKey,
  memberId,
  privateKeyFromBytes,
  privateKeyFromHex,
  privateKeyToHex,
  publicKeyFromBytes,
  publicKeyFromHex,
  publicKeyToHex,
  setPublicKeyCacheSize,
  verifySignature,
  DEFAULT_PUBLIC_KEY_CACHE_SIZE,
} from '../src/keys.ts';
import { SECURITY_LEVELS, securityLevelInfo } from '../src/levels.ts';
import { flipBit, hex, ORIGINAL_KEYS, toHex } from './helpers/vectors.ts';

const data = new TextEncoder().encode('a Dispersy packet, or any bytes');

describe('original Dispersy key vectors (test/vectors/original-keys.json)', () => {
  it('has 3 entries per level', () => {
    expect(ORIGINAL_KEYS).toHaveLength(15);
    for (const level of SECURITY_LEVELS) expect(ORIGINAL_KEYS.filter((v) => v.level === level)).toHaveLength(3);
  });

  describe.each(ORIGINAL_KEYS.map((v, i) => [`${v.level} #${i % 3}`, v] as const))('%s', (_name, vector) => {
    const publicBytes = hex(vector.public_key);
    const privateBytes = hex(vector.private_key);
    const message = hex(vector.message);

    it('parses the public key at the right level with the right mid and signature length', () => {
      const key = publicKeyFromBytes(publicBytes);
      expect(key.level).toBe(vector.level);
      expect(detectLevel(publicBytes)).toBe(vector.level);
      expect(toHex(key.bytes)).toBe(vector.public_key);
      expect(toHex(key.mid)).toBe(vector.mid);
      expect(toHex(memberId(publicBytes))).toBe(vector.mid);
      expect(key.signatureLength).toBe(vector.signature_length);
      expect(publicBytes.length).toBe(securityLevelInfo(vector.level).publicKeyLength);
    });

    it('parses the private key and derives the same public key', () => {
      const key = privateKeyFromBytes(privateBytes);
      expect(key.level).toBe(vector.level);
      expect(detectLevel(privateBytes)).toBe(vector.level);
      expect(toHex(key.bytes)).toBe(vector.private_key);
      expect(toHex(key.publicKey.bytes)).toBe(vector.public_key);
      expect(toHex(key.publicKey.mid)).toBe(vector.mid);
    });

    it("verifies the original's signature and rejects the flipped one", () => {
      const key = publicKeyFromBytes(publicBytes);
      expect(vector.signature_valid).toBe(true);
      expect(vector.flipped_valid).toBe(false);
      expect(key.verify(message, hex(vector.signature))).toBe(true);
      expect(key.verify(message, hex(vector.flipped_signature))).toBe(false);
      expect(verifySignature(publicBytes, message, hex(vector.signature))).toBe(true);
      expect(verifySignature(publicBytes, message, hex(vector.flipped_signature))).toBe(false);
    });

    it('signs so that the original public key verifies (Ed25519: the same bytes as the original)', () => {
      const signature = privateKeyFromBytes(privateBytes).sign(message);
      expect(signature.length).toBe(vector.signature_length);
      expect(publicKeyFromBytes(publicBytes).verify(message, signature)).toBe(true);
      if (vector.level === 'curve25519') expect(toHex(signature)).toBe(vector.signature);
    });

    it('rejects the signature with one byte more, one byte less, or over other data', () => {
      const key = publicKeyFromBytes(publicBytes);
      const signature = hex(vector.signature);
      expect(key.verify(message, signature.subarray(1))).toBe(false);
      expect(key.verify(message, new Uint8Array([...signature, 0]))).toBe(false);
      expect(key.verify(new Uint8Array([...message, 0]), signature)).toBe(false);
      expect(key.verify(flipBit(message, 0), signature)).toBe(false);
    });
  });
});

describe('generateKeyPair', () => {
  it.each(SECURITY_LEVELS)('makes a working %s key in the original formats', (level) => {
    const info = securityLevelInfo(level);
    const key = generateKeyPair(level);
    expect(key.level).toBe(level);
    expect(key.publicKey.level).toBe(level);
    expect(key.publicKey.bytes.length).toBe(info.publicKeyLength);
    expect(key.bytes.length).toBe(info.privateKeyLength);
    expect(key.publicKey.signatureLength).toBe(info.signatureLength);
    expect(detectLevel(key.bytes)).toBe(level);
    expect(detectLevel(key.publicKey.bytes)).toBe(level);
    const signature = key.sign(data);
    expect(signature.length).toBe(info.signatureLength);
    expect(key.publicKey.verify(data, signature)).toBe(true);
    expect(publicKeyFromBytes(key.publicKey.bytes).verify(data, signature)).toBe(true);
    expect(key.publicKey.verify(flipBit(data, 3), signature)).toBe(false);
    // Round trips through bytes and hex.
    const again = privateKeyFromBytes(key.bytes);
    expect(toHex(again.publicKey.bytes)).toBe(toHex(key.publicKey.bytes));
    expect(toHex(privateKeyFromHex(privateKeyToHex(key)).bytes)).toBe(toHex(key.bytes));
    expect(publicKeyFromHex(publicKeyToHex(key.publicKey)).mid).toEqual(key.publicKey.mid);
  });

  it('defaults to curve25519', () => {
    expect(generateKeyPair().level).toBe('curve25519');
  });

  it('makes a real X25519 box key: the box public key is X25519 of the box secret', async () => {
    const { x25519 } = await import('@noble/curves/ed25519.js');
    const key = generateKeyPair();
    const secret = key.bytes.subarray(10, 42);
    expect(toHex(key.publicKey.bytes.subarray(10, 42))).toBe(toHex(x25519.getPublicKey(secret)));
  });

  it('makes different keys each time', () => {
    expect(toHex(generateKeyPair().bytes)).not.toBe(toHex(generateKeyPair().bytes));
  });

  it('pads short ECDSA halves: many signatures at the levels whose field is wider than the order', () => {
    // sect233k1 and sect409k1: the order is a byte shorter than the field, so every signature has padded halves;
    // a run of signatures also hits halves with extra leading zero bytes now and then.
    for (const level of ['low', 'medium'] as const) {
      const key = generateKeyPair(level);
      for (let i = 0; i < 40; i++) {
        const message = Uint8Array.of(i);
        const signature = key.sign(message);
        const half = signature.length / 2;
        expect(signature[0]).toBe(0);
        expect(signature[half]).toBe(0);
        expect(key.publicKey.verify(message, signature)).toBe(true);
      }
    }
  });
});

describe('public key cache', () => {
  it('returns the same object for the same bytes, whatever buffer they come in', () => {
    const key = generateKeyPair();
    const bytes = key.publicKey.bytes;
    const a = publicKeyFromBytes(new Uint8Array(bytes));
    const b = publicKeyFromBytes(Buffer.concat([Buffer.from([1, 2]), bytes]).subarray(2));
    expect(b).toBe(a);
  });

  it('copies the input, so reusing the caller buffer does not change the key', () => {
    const bytes = new Uint8Array(generateKeyPair().publicKey.bytes);
    const key = publicKeyFromBytes(bytes);
    const before = toHex(key.bytes);
    bytes.fill(0);
    expect(toHex(key.bytes)).toBe(before);
  });

  it('is bounded and can be resized, cleared and disabled', () => {
    const first = generateKeyPair().publicKey.bytes;
    setPublicKeyCacheSize(2);
    try {
      const a = publicKeyFromBytes(first);
      publicKeyFromBytes(generateKeyPair().publicKey.bytes);
      publicKeyFromBytes(generateKeyPair().publicKey.bytes); // evicts `first`
      expect(publicKeyFromBytes(first)).not.toBe(a);
      const b = publicKeyFromBytes(first);
      expect(publicKeyFromBytes(first)).toBe(b);
      clearPublicKeyCache();
      expect(publicKeyFromBytes(first)).not.toBe(b);
      setPublicKeyCacheSize(0);
      expect(publicKeyFromBytes(first)).not.toBe(publicKeyFromBytes(first));
    } finally {
      setPublicKeyCacheSize(DEFAULT_PUBLIC_KEY_CACHE_SIZE);
    }
  });

  it('does not cache a key that failed, so the same bytes fail again with the same code', () => {
    const bad = new Uint8Array(74);
    bad.set(new TextEncoder().encode('LibNaCLXX:'));
    for (let i = 0; i < 2; i++) {
      expect(() => publicKeyFromBytes(bad)).toThrow(expect.objectContaining({ code: 'UNKNOWN_KEY_FORMAT' }));
    }
    expect(verifySignature(bad, data, new Uint8Array(64))).toBe(false);
    expect(verifySignature(bad, data, new Uint8Array(64))).toBe(false);
  });
});

describe('memberId', () => {
  it('is the SHA-1 of the bytes given (spec §3.4)', () => {
    expect(toHex(memberId(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(toHex(memberId(new TextEncoder().encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('verifySignature', () => {
  it('accepts a parsed key as well as bytes', () => {
    const key = generateKeyPair('very-low');
    const signature = key.sign(data);
    expect(verifySignature(key.publicKey, data, signature)).toBe(true);
    expect(verifySignature(key.publicKey.bytes, data, signature)).toBe(true);
    expect(verifySignature(key.publicKey, data, flipBit(signature, 5))).toBe(false);
  });

  it('is false, not an error, for a key that does not parse', () => {
    expect(verifySignature(new Uint8Array([0x30, 0x03, 0x02, 0x01]), data, new Uint8Array(64))).toBe(false);
    expect(verifySignature(generateKeyPair().bytes, data, new Uint8Array(64))).toBe(false);
  });
});

describe('guards', () => {
  it('isPublicKey / isPrivateKey recognise only keys of this package', () => {
    const key = generateKeyPair('low');
    expect(isPrivateKey(key)).toBe(true);
    expect(isPublicKey(key.publicKey)).toBe(true);
    expect(isPublicKey(key)).toBe(false);
    expect(isPrivateKey(key.publicKey)).toBe(false);
    expect(isPublicKey({ ...key.publicKey })).toBe(false);
  });

  it('keeps private bytes out of JSON and returns a copy the caller may wipe', () => {
    const key = generateKeyPair();
    expect(JSON.stringify(key)).not.toContain(privateKeyToHex(key).slice(20, 40));
    const copy = key.bytes;
    copy.fill(0);
    expect(key.publicKey.verify(data, key.sign(data))).toBe(true);
  });

  it('throws KeyFormatError, not an OpenSSL error, for an EC private key whose public key belongs to another', () => {
    const a = privateKeyFromBytes(generateKeyPair('low').bytes).bytes;
    const b = generateKeyPair('low').bytes;
    // Same layout: swap in b's embedded public key.
    const mixed = new Uint8Array(a);
    mixed.set(b.subarray(b.length - 62), a.length - 62);
    const err = catchError(() => privateKeyFromBytes(mixed));
    expect(KeyFormatError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'INVALID_KEY' });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
