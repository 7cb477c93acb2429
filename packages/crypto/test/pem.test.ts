import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { KeyFormatError } from '../src/errors.ts';
import { generateKeyPair, privateKeyFromBytes, publicKeyFromBytes } from '../src/keys.ts';
import { SECURITY_LEVELS } from '../src/levels.ts';
import { PEM_LABELS, privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from '../src/pem.ts';
import { hex, ORIGINAL_KEYS, toHex } from './helpers/vectors.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (KeyFormatError.is(err)) return err.code;
    throw err;
  }
  return 'no error';
}

function armor(label: string, body: string): string {
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

describe('PEM round trips', () => {
  it.each(SECURITY_LEVELS)('%s keys', (level) => {
    const key = generateKeyPair(level);
    const publicPem = publicKeyToPem(key.publicKey);
    const privatePem = privateKeyToPem(key);
    const labels =
      level === 'curve25519'
        ? [PEM_LABELS.naclPublic, PEM_LABELS.naclPrivate]
        : [PEM_LABELS.ecPublic, PEM_LABELS.ecPrivate];
    expect(publicPem.startsWith(`-----BEGIN ${labels[0]}-----\n`)).toBe(true);
    expect(privatePem.startsWith(`-----BEGIN ${labels[1]}-----\n`)).toBe(true);
    for (const line of publicPem.split('\n')) expect(line.length).toBeLessThanOrEqual(64);
    expect(publicKeyFromPem(publicPem)).toBe(publicKeyFromBytes(key.publicKey.bytes));
    expect(toHex(privateKeyFromPem(privatePem).bytes)).toBe(toHex(key.bytes));
    // Surrounding whitespace and CRLF line ends are fine.
    expect(publicKeyFromPem(`\n  ${publicPem.replaceAll('\n', '\r\n')}  \n`).mid).toEqual(key.publicKey.mid);
  });

  it.each(ORIGINAL_KEYS.filter((v) => v.level !== 'curve25519').map((v) => [v.level, v] as const))(
    'writes the original %s keys exactly as OpenSSL does, and reads what OpenSSL writes',
    (_level, vector) => {
      const key = privateKeyFromBytes(hex(vector.private_key));
      const opensslPublic = createPublicKey({
        key: Buffer.from(vector.public_key, 'hex'),
        format: 'der',
        type: 'spki',
      });
      const opensslPrivate = createPrivateKey({
        key: Buffer.from(vector.private_key, 'hex'),
        format: 'der',
        type: 'sec1',
      });
      const publicPem = String(opensslPublic.export({ type: 'spki', format: 'pem' }));
      const privatePem = String(opensslPrivate.export({ type: 'sec1', format: 'pem' }));
      expect(publicKeyToPem(key.publicKey)).toBe(publicPem);
      expect(privateKeyToPem(key)).toBe(privatePem);
      expect(toHex(publicKeyFromPem(publicPem).bytes)).toBe(vector.public_key);
      expect(toHex(privateKeyFromPem(privatePem).bytes)).toBe(vector.private_key);
    },
  );

  it('keeps the LibNaCL prefix inside the base64', () => {
    const key = generateKeyPair();
    const body = publicKeyToPem(key.publicKey).split('\n').slice(1, -2).join('');
    expect(Buffer.from(body, 'base64').subarray(0, 10).toString()).toBe('LibNaCLPK:');
  });
});

describe('PEM errors', () => {
  const ec = generateKeyPair('low');
  const nacl = generateKeyPair();
  const ecBody = Buffer.from(ec.publicKey.bytes).toString('base64');
  const naclBody = Buffer.from(nacl.publicKey.bytes).toString('base64');

  it.each([
    ['no armor', ecBody, 'BAD_PEM'],
    ['mismatched END', `-----BEGIN PUBLIC KEY-----\n${ecBody}\n-----END EC PRIVATE KEY-----\n`, 'BAD_PEM'],
    ['bad base64 characters', armor('PUBLIC KEY', `${ecBody.slice(0, 10)}*${ecBody.slice(11)}`), 'BAD_PEM'],
    ['base64 without padding', armor('LIBNACL PUBLIC KEY', naclBody.replace(/=+$/, '')), 'BAD_PEM'],
    ['non-canonical base64 padding bits', armor('PUBLIC KEY', 'AB=='), 'BAD_PEM'],
    ['an empty body', '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n', 'BAD_PEM'],
    ['two blocks', armor('PUBLIC KEY', ecBody) + armor('PUBLIC KEY', ecBody), 'BAD_PEM'],
    ['an encrypted-PEM header', armor('EC PRIVATE KEY', `Proc-Type: 4,ENCRYPTED\n\n${ecBody}`), 'BAD_PEM'],
    ['text that is too long', armor('PUBLIC KEY', 'A'.repeat(20_000)), 'BAD_PEM'],
    ['a LibNaCL key under PUBLIC KEY', armor('PUBLIC KEY', naclBody), 'BAD_PEM'],
    ['an EC key under LIBNACL PUBLIC KEY', armor('LIBNACL PUBLIC KEY', ecBody), 'BAD_PEM'],
    ['an unknown label', armor('RSA PUBLIC KEY', ecBody), 'UNKNOWN_KEY_FORMAT'],
    ['a private key label', armor('EC PRIVATE KEY', ecBody), 'WRONG_KEY_KIND'],
    [
      'a truncated key',
      armor('PUBLIC KEY', Buffer.from(ec.publicKey.bytes.subarray(0, 50)).toString('base64')),
      'TRUNCATED_KEY',
    ],
  ])('publicKeyFromPem: %s', (_name, text, code) => {
    expect(codeOf(() => publicKeyFromPem(text))).toBe(code);
  });

  it('rejects a prime256v1 key with UNSUPPORTED_CURVE', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicPem = String(publicKey.export({ type: 'spki', format: 'pem' }));
    const privatePem = String(privateKey.export({ type: 'sec1', format: 'pem' }));
    expect(codeOf(() => publicKeyFromPem(publicPem))).toBe('UNSUPPORTED_CURVE');
    expect(codeOf(() => privateKeyFromPem(privatePem))).toBe('UNSUPPORTED_CURVE');
  });

  it.each([
    ['a public key label', () => publicKeyToPem(ec.publicKey), 'WRONG_KEY_KIND'],
    [
      'PKCS#8',
      () =>
        String(
          generateKeyPairSync('ec', { namedCurve: 'sect163k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
        ),
      'UNKNOWN_KEY_FORMAT',
    ],
    [
      'an EC key under LIBNACL PRIVATE KEY',
      () => privateKeyToPem(ec).replaceAll('EC PRIVATE KEY', 'LIBNACL PRIVATE KEY'),
      'BAD_PEM',
    ],
    [
      'a LibNaCL key under EC PRIVATE KEY',
      () => privateKeyToPem(nacl).replaceAll('LIBNACL PRIVATE KEY', 'EC PRIVATE KEY'),
      'BAD_PEM',
    ],
  ] as const)('privateKeyFromPem: %s', (_name, text, code) => {
    expect(codeOf(() => privateKeyFromPem(text()))).toBe(code);
  });
});
