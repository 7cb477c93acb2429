/** Internal checks and helpers for keys handed to the encoder. */
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import type { EncodeInput, MemberKey } from '../message.ts';
import { assertArray, describe } from './assert.ts';

/** Whether a value looks like a crypto PrivateKey. */
export function isPrivateKey(value: unknown): value is PrivateKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PrivateKey).sign === 'function' &&
    isPublicKey((value as PrivateKey).publicKey)
  );
}

/** Whether a value looks like a crypto PublicKey. */
export function isPublicKey(value: unknown): value is PublicKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as PublicKey).bytes instanceof Uint8Array &&
    (value as PublicKey).mid instanceof Uint8Array &&
    typeof (value as PublicKey).verify === 'function' &&
    Number.isInteger((value as PublicKey).signatureLength)
  );
}

/** Throws a TypeError unless `value` is a PublicKey. */
export function assertPublicKey(value: unknown, name: string): asserts value is PublicKey {
  if (!isPublicKey(value)) throw new TypeError(`${name} must be a PublicKey, got ${describe(value)}`);
  if (value.bytes.length > 0xffff) throw new RangeError(`${name} is longer than 65535 bytes`);
}

/** Throws a TypeError unless `value` has a 20-byte `mid` (a PublicKey, or just `{ mid }`). */
export function assertHasMid(value: unknown, name: string): asserts value is { readonly mid: Uint8Array } {
  if (typeof value !== 'object' || value === null || !((value as { mid?: unknown }).mid instanceof Uint8Array)) {
    throw new TypeError(`${name} must have a mid (Uint8Array), got ${describe(value)}`);
  }
  if ((value as { mid: Uint8Array }).mid.length !== 20) throw new RangeError(`${name}.mid must be 20 bytes`);
}

/** The members of an encode input (`signer` or `members`), checked against the meta's member count. */
export function normaliseMembers(input: EncodeInput<unknown>, count: 0 | 1 | 2): readonly MemberKey[] {
  let keys: readonly MemberKey[];
  if (input.signer !== undefined) {
    if (input.members !== undefined) throw new TypeError('give either signer or members, not both');
    keys = [input.signer];
  } else if (input.members !== undefined) {
    assertArray(input.members, 'input.members');
    keys = input.members;
  } else keys = [];
  if (keys.length !== count) throw new TypeError(`this meta needs ${count} member(s), got ${keys.length}`);
  keys.forEach((k, i) => {
    if (!isPrivateKey(k) && !isPublicKey(k)) throw new TypeError(`members[${i}] must be a PrivateKey or PublicKey, got ${describe(k)}`);
    const pk = isPrivateKey(k) ? k.publicKey : k;
    if (pk.bytes.length > 0xffff) throw new RangeError(`members[${i}] key is longer than 65535 bytes`);
  });
  return keys;
}
