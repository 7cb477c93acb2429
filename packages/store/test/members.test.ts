import { memberId, generateKeyPair } from '@dispersy/crypto';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES } from '../src/index.ts';
import { fakeKey, open, sha1 } from './helpers.ts';

describe('members', () => {
  it('creates a member once per public key and finds it by id, mid and key', () => {
    const store = open();
    const key = fakeKey('alice');
    const created = store.members.getOrCreate(sha1(key), key);
    expect(created).toEqual({ id: 1, mid: sha1(key), publicKey: key, hasPrivateKey: false });
    expect(store.members.getOrCreate(sha1(key), key)).toEqual(created);
    expect(store.members.getById(created.id)).toEqual(created);
    expect(store.members.getByPublicKey(key)).toEqual(created);
    expect(store.members.getByMid(sha1(key))).toEqual([created]);
    expect(store.members.getById(99)).toBeUndefined();
    expect(store.members.getByPublicKey(fakeKey('nobody'))).toBeUndefined();
    expect(store.members.getByMid(new Uint8Array(20))).toEqual([]);
  });

  it('works with real keys from @dispersy/crypto (the caller computes the mid)', () => {
    const store = open();
    const pair = generateKeyPair();
    const mid = memberId(pair.publicKey.bytes);
    const stored = store.members.getOrCreate(mid, pair.publicKey.bytes);
    expect(stored.mid).toEqual(pair.publicKey.mid);
    expect(store.members.getByMid(pair.publicKey.mid)[0]?.id).toBe(stored.id);
  });

  it('tolerates mid collisions: several members may share one mid', () => {
    const store = open();
    const mid = sha1(fakeKey('x'));
    const a = store.members.getOrCreate(mid, fakeKey('key-a'));
    const b = store.members.getOrCreate(mid, fakeKey('key-b'));
    const c = store.members.getOrCreate(mid, fakeKey('key-c'));
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(store.members.getByMid(mid).map((m) => m.id)).toEqual([a.id, b.id, c.id]);
    expect(store.members.getByMid(mid, 2).map((m) => m.id)).toEqual([a.id, b.id]);
  });

  it('creates a key-less member from a mid, and attaches the key when it arrives', () => {
    const store = open();
    const key = fakeKey('master');
    const dummy = store.members.getOrCreateByMid(sha1(key));
    expect(dummy.publicKey).toBeNull();
    expect(store.members.getOrCreateByMid(sha1(key)).id).toBe(dummy.id);
    const known = store.members.getOrCreate(sha1(key), key);
    expect(known.id).toBe(dummy.id);
    expect(known.publicKey).toEqual(key);
    expect(store.members.getByMid(sha1(key))).toHaveLength(1);
  });

  it('prefers a member with a key when looking up by mid', () => {
    const store = open();
    const key = fakeKey('k');
    const withKey = store.members.getOrCreate(sha1(key), key);
    expect(store.members.getOrCreateByMid(sha1(key)).id).toBe(withKey.id);
  });

  it('stores and reads the private key of my member, without exposing it in records', () => {
    const store = open();
    const key = fakeKey('me');
    const me = store.members.getOrCreate(sha1(key), key);
    expect(store.members.getPrivateKey(me.id)).toBeUndefined();
    const secret = new TextEncoder().encode('LibNaCLSK:secret');
    expect(store.members.setPrivateKey(me.id, secret)).toBe(true);
    expect(store.members.getPrivateKey(me.id)).toEqual(secret);
    expect(store.members.getById(me.id)?.hasPrivateKey).toBe(true);
    expect(Object.values(store.members.getById(me.id) ?? {})).not.toContainEqual(secret);
    expect(store.members.setPrivateKey(404, secret)).toBe(false);
    expect(store.members.getPrivateKey(404)).toBeUndefined();
  });

  it('returns plain Uint8Arrays, not Buffers', () => {
    const store = open();
    const key = fakeKey('a');
    const m = store.members.getOrCreate(sha1(key), key);
    expect(Object.getPrototypeOf(m.mid)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(m.publicKey)).toBe(Uint8Array.prototype);
  });

  it('rejects a mid that disagrees with the stored member of the key', () => {
    const store = open();
    const key = fakeKey('a');
    store.members.getOrCreate(sha1(key), key);
    expect(() => store.members.getOrCreate(new Uint8Array(20), key)).toThrow(RangeError);
  });

  it('rejects malformed arguments', () => {
    const store = open();
    expect(() => store.members.getOrCreate(new Uint8Array(19), fakeKey('a'))).toThrow(RangeError);
    expect(() => store.members.getOrCreate(new Uint8Array(20), new Uint8Array(0))).toThrow(RangeError);
    expect(() => store.members.getOrCreate(new Uint8Array(20), new Uint8Array(MAX_KEY_BYTES + 1))).toThrow(RangeError);
    expect(() => store.members.getOrCreate('mid' as unknown as Uint8Array, fakeKey('a'))).toThrow(TypeError);
    expect(() => store.members.getById(0)).toThrow(RangeError);
    expect(() => store.members.getById(1.5)).toThrow(RangeError);
    expect(() => store.members.getById('1' as unknown as number)).toThrow(TypeError);
    expect(() => store.members.getByMid(new Uint8Array(20), 0)).toThrow(RangeError);
    expect(() => store.members.setPrivateKey(1, new Uint8Array(0))).toThrow(RangeError);
  });
});
