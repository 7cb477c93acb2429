/** fast-check arbitraries of valid payloads and a normaliser for comparing decoded values. */
import { fc } from '@fast-check/vitest';
import { generateKeyPair, type PrivateKey, type PublicKey } from '@dispersy/crypto';
import { PERMISSIONS, type Address, type Permission, type SyncRange } from '../src/index.ts';
import { hex } from './helpers.ts';

/** Made once per test file: two curve25519 keys and one legacy EC key (other key and signature lengths). */
export const KEYS: readonly PrivateKey[] = [generateKeyPair(), generateKeyPair(), generateKeyPair('very-low')];
export const PUBLIC_KEYS: readonly PublicKey[] = KEYS.map((k) => k.publicKey);

export const arbKey = fc.constantFrom(...KEYS);
export const arbPublicKey = fc.constantFrom(...PUBLIC_KEYS);
export const arbSafe = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
export const arbGlobalTime = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
export const arbU16 = fc.integer({ min: 0, max: 0xffff });
export const arbU32 = fc.integer({ min: 0, max: 0xffff_ffff });

export const arbAddress: fc.Arbitrary<Address> = fc.record({
  host: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  port: arbU16,
});

export const arbConnectionType = fc.constantFrom('unknown', 'public', 'symmetric-NAT') as fc.Arbitrary<'unknown' | 'public' | 'symmetric-NAT'>;

export const arbSync: fc.Arbitrary<SyncRange> = fc
  .record({
    timeLow: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    highDelta: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    modulo: fc.integer({ min: 1, max: 0xffff }),
    offsetSeed: fc.nat(),
    functions: fc.integer({ min: 1, max: 255 }),
    prefix: fc.nat(255),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  })
  .map((s) => ({
    timeLow: s.timeLow,
    timeHigh: s.highDelta === undefined ? 0 : Math.min(Number.MAX_SAFE_INTEGER, s.timeLow + s.highDelta),
    modulo: s.modulo,
    offset: s.offsetSeed % s.modulo,
    bloom: { functions: s.functions, prefix: s.prefix, bytes: s.bytes },
  }));

export const arbIntroductionRequest = fc.record({
  destinationAddress: arbAddress,
  sourceLanAddress: arbAddress,
  sourceWanAddress: arbAddress,
  advice: fc.boolean(),
  connectionType: arbConnectionType,
  identifier: arbU16,
  sync: fc.option(arbSync, { nil: undefined }),
});

export const arbIntroductionResponse = fc.record({
  destinationAddress: arbAddress,
  sourceLanAddress: arbAddress,
  sourceWanAddress: arbAddress,
  lanIntroductionAddress: arbAddress,
  wanIntroductionAddress: arbAddress,
  connectionType: arbConnectionType,
  tunnel: fc.boolean(),
  identifier: arbU16,
});

export const arbPermissions: fc.Arbitrary<Permission[]> = fc.subarray([...PERMISSIONS]);

/** Deep-normalises decoded values for comparison: keys → key hex, bytes → hex, embedded messages → packet hex. */
export function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return `0x${hex(value)}`;
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (o.bytes instanceof Uint8Array && o.mid instanceof Uint8Array && typeof o.verify === 'function') return `key:${hex(o.bytes)}`;
    if (o.packet instanceof Uint8Array && 'meta' in o) return `packet:${hex(o.packet)}`;
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}
