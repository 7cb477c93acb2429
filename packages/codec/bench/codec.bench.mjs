// @ts-check
// Codec throughput: encode and decode of a ~200-byte FullSync message (the debug community's full-sync-text, bin
// member encoding, Ed25519), with and without the signature work, against raw node:crypto sign/verify measured in
// this run. The codec's own cost should be small next to the signature: decode without verify ≥ 10× raw verify.
import crypto from 'node:crypto';
import { opsPerSecond, report, row } from '@dispersy/bench-tools';
import { createConversion } from '@dispersy/codec';
import { debugCommunityMessages } from '@dispersy/codec/debug';
import { generateKeyPair } from '@dispersy/crypto';

const master = generateKeyPair();
const alice = generateKeyPair();
const conversion = createConversion({ cid: master.publicKey.mid, communityVersion: 2, metas: debugCommunityMessages });
// 200-byte bundle: header 23 + bin key 76 + gt 8 + text 29 + signature 64.
const text = crypto.randomBytes(29);
const packet = conversion.encode('full-sync-text', { signer: alice, globalTime: 42, payload: { text } });
if (packet.length !== 200) throw new Error(`expected a 200-byte packet, got ${packet.length}`);

const rawKey = crypto.createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(alice.publicKey.bytes.subarray(42)).toString('base64url') },
  format: 'jwk',
});
const rawPrivate = crypto.createPrivateKey({
  key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(alice.bytes.subarray(42)).toString('base64url'), x: Buffer.from(alice.publicKey.bytes.subarray(42)).toString('base64url') },
  format: 'jwk',
});
const signed = packet.subarray(0, 136);
const signature = packet.subarray(136);

const rawVerify = opsPerSecond(() => {
  if (!crypto.verify(null, signed, rawKey, signature)) throw new Error('bad');
});
const rawSign = opsPerSecond(() => crypto.sign(null, signed, rawPrivate));

const decodeVerify = opsPerSecond(() => conversion.decode(packet));
const decodeOnly = opsPerSecond(() => conversion.decode(packet, { verify: false }), { opsPerCall: 1 });
let gt = 1;
const encodeSign = opsPerSecond(() => conversion.encode('full-sync-text', { signer: alice, globalTime: gt++, payload: { text } }));
// Encoding with a public key leaves an empty signature: the codec's own cost.
const encodeOnly = opsPerSecond(() => conversion.encode('full-sync-text', { members: [alice.publicKey], globalTime: gt++, payload: { text } }));

report('codec', [
  row({ id: 'codec', what: 'decode + verify, 200-byte FullSync packet', ours: decodeVerify, unit: 'packets/s', anchor: rawVerify, anchorWhat: 'raw node:crypto.verify of the same bytes', better: 'higher', target: '≥ 0.8× raw verify', meets: (r) => (r.ratio ?? 0) >= 0.8 }),
  row({ id: 'codec', what: 'decode without verify (codec cost only)', ours: decodeOnly, unit: 'packets/s', anchor: rawVerify, anchorWhat: 'raw node:crypto.verify', better: 'higher', target: '≥ 10× raw verify', meets: (r) => (r.ratio ?? 0) >= 10 }),
  row({ id: 'codec', what: 'encode + sign, 200-byte FullSync packet', ours: encodeSign, unit: 'packets/s', anchor: rawSign, anchorWhat: 'raw node:crypto.sign of the same bytes', better: 'higher', target: '≥ 0.8× raw sign', meets: (r) => (r.ratio ?? 0) >= 0.8 }),
  row({ id: 'codec', what: 'encode without signing (codec cost only)', ours: encodeOnly, unit: 'packets/s', anchor: rawSign, anchorWhat: 'raw node:crypto.sign', better: 'higher', target: '≥ 10× raw sign', meets: (r) => (r.ratio ?? 0) >= 10 }),
]);
