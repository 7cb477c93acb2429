// @ts-check
// B1 (verify) and B2 (sign) of ../../../../shared/spec/performance-model.md §5, at the API level of @dispersy/crypto:
// our figure next to raw node:crypto measured in this same run (and @noble/curves for reference), with the ratio.
// Run: pnpm bench (or, after `pnpm build`, node bench/crypto.bench.mjs in this package). BENCH_SMOKE=1 for a quick check.
import crypto from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { opsPerSecond, opsPerSecondAsync, report, row, SMOKE } from '@dispersy/bench-tools';
import { createVerifyPool, generateKeyPair, publicKeyFromBytes, setBackend } from '@dispersy/crypto';

const MESSAGE_BYTES = 200;
const KEYS = 64;

// 64 members, each with a 200-byte bundle and its signature (the shape of B1's traffic).
const members = Array.from({ length: KEYS }, () => generateKeyPair('curve25519'));
const data = members.map(() => crypto.randomBytes(MESSAGE_BYTES));
const signatures = members.map((m, i) => m.sign(/** @type {Buffer} */ (data[i])));
const wireKeys = members.map((m) => m.publicKey.bytes);

// Anchor: raw node:crypto with KeyObjects built once (the best a caller can do by hand).
const rawKeys = members.map((m) =>
  crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(m.publicKey.bytes.subarray(42)).toString('base64url') }, format: 'jwk' }),
);
const rawPrivate = members.map((m) =>
  crypto.createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(m.bytes.subarray(42)).toString('base64url'),
      x: Buffer.from(m.publicKey.bytes.subarray(42)).toString('base64url'),
    },
    format: 'jwk',
  }),
);
for (let i = 0; i < KEYS; i++) {
  if (!crypto.verify(null, /** @type {Buffer} */ (data[i]), /** @type {crypto.KeyObject} */ (rawKeys[i]), /** @type {Uint8Array} */ (signatures[i]))) {
    throw new Error('raw anchor does not verify our signature: the benchmark is broken');
  }
}

let n = 0;
const rawVerify = opsPerSecond(() => {
  const i = n++ & (KEYS - 1);
  if (!crypto.verify(null, /** @type {Buffer} */ (data[i]), /** @type {crypto.KeyObject} */ (rawKeys[i]), /** @type {Uint8Array} */ (signatures[i]))) throw new Error('bad');
});

// Ours: a key parsed from its wire bytes (cached after the first time, as the codec does per packet), then verify.
const oursVerify = opsPerSecond(() => {
  const i = n++ & (KEYS - 1);
  if (!publicKeyFromBytes(/** @type {Uint8Array} */ (wireKeys[i])).verify(/** @type {Buffer} */ (data[i]), /** @type {Uint8Array} */ (signatures[i]))) throw new Error('bad');
});

// Reference: @noble/curves Ed25519 verify (pure JS).
const noblePublic = members.map((m) => m.publicKey.bytes.subarray(42));
const nobleVerify = opsPerSecond(
  () => {
    const i = n++ & (KEYS - 1);
    if (!ed25519.verify(/** @type {Uint8Array} */ (signatures[i]), /** @type {Buffer} */ (data[i]), /** @type {Uint8Array} */ (noblePublic[i]))) throw new Error('bad');
  },
  { seconds: SMOKE ? 0.05 : 1, warmup: 100 },
);
// Our API on the noble backend (the portable fallback).
setBackend('noble');
const oursNobleVerify = opsPerSecond(
  () => {
    const i = n++ & (KEYS - 1);
    if (!publicKeyFromBytes(/** @type {Uint8Array} */ (wireKeys[i])).verify(/** @type {Buffer} */ (data[i]), /** @type {Uint8Array} */ (signatures[i]))) throw new Error('bad');
  },
  { seconds: SMOKE ? 0.05 : 1, warmup: 100 },
);
setBackend('node');

// The verification pool: two workers on this 2-core machine, two batches in flight so neither worker idles.
const BATCH = 2048;
const items = Array.from({ length: BATCH }, (_, j) => ({
  publicKey: /** @type {Uint8Array} */ (wireKeys[j % KEYS]),
  data: /** @type {Buffer} */ (data[j % KEYS]),
  signature: /** @type {Uint8Array} */ (signatures[j % KEYS]),
}));
const pool = createVerifyPool({ size: 2 });
const check = await pool.verifyBatch(items);
if (check.length !== BATCH || !check.every(Boolean)) throw new Error('pool disagrees with the single-thread API');
const poolVerify = await opsPerSecondAsync(() => Promise.all([pool.verifyBatch(items), pool.verifyBatch(items)]), {
  opsPerCall: 2 * BATCH,
  seconds: SMOKE ? 0.2 : 3,
});
await pool.close();

// B2: sign.
const rawSign = opsPerSecond(() => {
  const i = n++ & (KEYS - 1);
  crypto.sign(null, /** @type {Buffer} */ (data[i]), /** @type {crypto.KeyObject} */ (rawPrivate[i]));
});
const oursSign = opsPerSecond(() => {
  const i = n++ & (KEYS - 1);
  /** @type {import('@dispersy/crypto').PrivateKey} */ (members[i]).sign(/** @type {Buffer} */ (data[i]));
});

report('crypto', [
  row({ id: 'B1', what: 'Ed25519 verify through our API, one thread (200-byte bundles)', ours: oursVerify, unit: 'verify/s', anchor: rawVerify, anchorWhat: 'raw node:crypto.verify, cached KeyObject', better: 'higher', target: '≥ 0.8× raw', meets: (r) => (r.ratio ?? 0) >= 0.8 }),
  row({ id: 'B1', what: 'Ed25519 verify through the pool, 2 workers on 2 cores', ours: poolVerify, unit: 'verify/s', anchor: rawVerify, anchorWhat: 'raw node:crypto.verify, one thread', better: 'higher', target: '≥ 1.6× raw single-thread', meets: (r) => (r.ratio ?? 0) >= 1.6 }),
  row({ id: 'B1', what: 'Ed25519 verify through our API on the noble backend (reference)', ours: oursNobleVerify, unit: 'verify/s', anchor: nobleVerify, anchorWhat: '@noble/curves ed25519.verify', better: 'higher', target: 'reference only (never the hot path)', meets: () => true }),
  row({ id: 'B1', what: '@noble/curves verify vs raw node:crypto (reference)', ours: nobleVerify, unit: 'verify/s', anchor: rawVerify, anchorWhat: 'raw node:crypto.verify', better: 'higher', target: 'reference only', meets: () => true }),
  row({ id: 'B2', what: 'Ed25519 sign through our API (200-byte bundles)', ours: oursSign, unit: 'sign/s', anchor: rawSign, anchorWhat: 'raw node:crypto.sign, cached KeyObject', better: 'higher', target: '≥ 0.8× raw', meets: (r) => (r.ratio ?? 0) >= 0.8 }),
]);
