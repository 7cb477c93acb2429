/** Shared test fixtures: the golden wire vectors, their key indexes, hex helpers, a small key pool. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, privateKeyFromBytes, publicKeyFromBytes, type PrivateKey, type PublicKey } from '@dispersy/crypto';
import { createConversion, DecodeError, defineMeta, restBytes, type AnyMeta, type Conversion, type EncodeInput, type MemberLookup } from '../src/index.ts';
import { debugCommunityMessages } from '../src/debug.ts';

export const VECTOR_DIR = join(import.meta.dirname, 'vectors', 'wire');

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function unhex(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text.trim(), 'hex'));
}

export interface VectorIndex {
  readonly label: 'v1' | 'v2';
  readonly cid: Uint8Array;
  readonly communityVersion: number;
  /** Private keys by signer name: A, B, C, master. */
  readonly signers: Readonly<Record<string, PrivateKey>>;
  readonly publicKeys: readonly PublicKey[];
  readonly conversion: Conversion;
}

interface RawIndex {
  cid: string;
  community_version: string;
  master_private_key: string;
  peers: Record<string, { member_private_key: string; mid: string }>;
}

const indexes = new Map<string, VectorIndex>();

export function vectorIndex(label: 'v1' | 'v2'): VectorIndex {
  const cached = indexes.get(label);
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(join(VECTOR_DIR, `${label}-index.json`), 'utf8')) as RawIndex;
  const signers: Record<string, PrivateKey> = { master: privateKeyFromBytes(unhex(raw.master_private_key)) };
  for (const [name, peer] of Object.entries(raw.peers)) {
    signers[name] = privateKeyFromBytes(unhex(peer.member_private_key));
    if (hex(signers[name].publicKey.mid) !== peer.mid) throw new Error(`index ${label}: mid mismatch for ${name}`);
  }
  const publicKeys = Object.values(signers).map((k) => k.publicKey);
  const byMid = new Map(publicKeys.map((k) => [hex(k.mid), k]));
  const conversion = createConversion({
    cid: unhex(raw.cid),
    communityVersion: Number.parseInt(raw.community_version, 16),
    metas: debugCommunityMessages,
    lookupMember: (mid) => byMid.get(hex(mid)),
  });
  const index: VectorIndex = {
    label,
    cid: unhex(raw.cid),
    communityVersion: Number.parseInt(raw.community_version, 16),
    signers,
    publicKeys,
    conversion,
  };
  indexes.set(label, index);
  return index;
}

export interface Vector {
  readonly name: string;
  readonly label: 'v1' | 'v2';
  readonly packet: Uint8Array<ArrayBuffer>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the original decoder's JSON view
  readonly json: any;
}

export function loadVectors(): Vector[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      return {
        name,
        label: name.slice(0, 2) as 'v1' | 'v2',
        packet: unhex(readFileSync(join(VECTOR_DIR, f), 'utf8')),
        json: JSON.parse(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8')),
      };
    });
}

/** A fixed pool of curve25519 keys made once per test file (never inside a property). */
export function keyPool(n: number): PrivateKey[] {
  return Array.from({ length: n }, () => generateKeyPair());
}

export { publicKeyFromBytes };


/** A test community id. */
export const TEST_CID = new Uint8Array(20).fill(7);

/** A DebugCommunity conversion for tests (version 1 = sha1 members, 2 = bin). */
export function debugConversion(version: number, lookupMember?: MemberLookup): Conversion {
  return createConversion({ cid: TEST_CID, communityVersion: version, metas: debugCommunityMessages, ...(lookupMember ? { lookupMember } : {}) });
}

/** A member lookup over some keys. */
export function lookupOf(keys: readonly PublicKey[]): MemberLookup {
  const byMid = new Map(keys.map((k) => [hex(k.mid), k]));
  return (mid) => byMid.get(hex(mid));
}

/** Encodes `name` of `base`'s community with a raw payload (any bytes), validly signed: for decode-check tests. */
export function craft(base: Conversion, name: string, payload: Uint8Array, input: Omit<EncodeInput<unknown>, 'payload'>): Uint8Array<ArrayBuffer> {
  const metas = base.metas.map((m: AnyMeta) => (m.name === name ? defineMeta({ ...m, payload: restBytes }) : m));
  const raw = createConversion({
    cid: base.cid,
    communityVersion: base.communityVersion,
    metas,
    includeBuiltins: false,
    ...(base.lookupMember ? { lookupMember: base.lookupMember } : {}),
  });
  return raw.encode(name, { ...input, payload });
}

/** Re-signs a single-signed packet in place after a patch. */
export function resign(packet: Uint8Array, signer: PrivateKey): Uint8Array {
  const at = packet.length - signer.publicKey.signatureLength;
  packet.set(signer.sign(packet.subarray(0, at)), at);
  return packet;
}

/** Runs `fn` and returns the DecodeError it throws (any other outcome fails the test). */
export function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (DecodeError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a DecodeError, but nothing was thrown');
}

/** Big-endian bytes of a number of the given width (tests build raw payloads with it). */
export function be(value: number | bigint, width: number): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}
