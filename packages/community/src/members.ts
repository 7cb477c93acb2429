/**
 * The node's member directory (spec §3.4 `get_member`): local database ids of members by public key, keys by id,
 * members by mid (collisions tolerated), with a BOUNDED least-recently-used cache in front of the store's member
 * table (default 1,024 entries, as the original's member cache). Database ids are local: never put them on the
 * wire.
 */
import { isPublicKey, privateKeyFromBytes, publicKeyFromBytes, type PrivateKey, type PublicKey } from '@dispersy/crypto';
import type { Store } from '@dispersy/store';
import { toHex } from './internal/bytes.ts';
import { LruMap } from './lru.ts';

/** Default bound of the member cache. */
export const DEFAULT_MEMBER_CACHE_SIZE = 1024;

/** A member known by mid, with its key when the key is known (else the original's DummyMember). */
export interface MemberEntry {
  /** Local database id. */
  readonly id: number;
  readonly mid: Uint8Array;
  /** `undefined` while only the mid is known. */
  readonly key: PublicKey | undefined;
}

/**
 * Members of one node, cached. See the module comment.
 *
 * @example
 * ```ts
 * const members = new MemberDirectory(store);
 * const id = members.idOf(message.members[0]);
 * members.keyOf(id)?.mid;
 * ```
 */
export class MemberDirectory {
  readonly #store: Store;
  readonly #ids: LruMap<string, number>;
  readonly #keys: LruMap<number, PublicKey>;

  /**
   * @param store the node's store
   * @param cacheSize bound of each cache @default 1024
   */
  constructor(store: Store, cacheSize = DEFAULT_MEMBER_CACHE_SIZE) {
    this.#store = store;
    this.#ids = new LruMap(cacheSize);
    this.#keys = new LruMap(cacheSize);
  }

  /**
   * The local id of a member, inserting it if unknown (a member known only by its mid gets the key attached).
   * @param key its public key
   * @returns the database id
   * @throws TypeError when `key` is not a PublicKey
   */
  idOf(key: PublicKey): number {
    if (!isPublicKey(key)) throw new TypeError('key must be a PublicKey');
    const hex = toHex(key.bytes);
    let id = this.#ids.get(hex);
    if (id === undefined) {
      id = this.#store.members.getOrCreate(key.mid, key.bytes).id;
      this.#ids.set(hex, id);
      this.#keys.set(id, key);
    }
    return id;
  }

  /**
   * The id of a member known by mid, inserting a key-less ("dummy") row if none exists.
   * @param mid the 20-byte member id
   * @returns the database id
   */
  idOfMid(mid: Uint8Array): number {
    return this.#store.members.getOrCreateByMid(mid).id;
  }

  /**
   * @param id a database id
   * @returns its public key, or undefined (unknown id, or only the mid is known)
   */
  keyOf(id: number): PublicKey | undefined {
    let key = this.#keys.get(id);
    if (key === undefined) {
      const record = this.#store.members.getById(id);
      if (record?.publicKey === null || record === undefined) return undefined;
      key = publicKeyFromBytes(record.publicKey);
      this.#keys.set(id, key);
    }
    return key;
  }

  /**
   * Members with this mid (usually one; at most `limit`).
   * @param mid the 20-byte member id
   * @param limit at most this many @default 10
   * @returns the members, oldest first
   */
  byMid(mid: Uint8Array, limit = 10): MemberEntry[] {
    return this.#store.members.getByMid(mid, limit).map((record) => ({
      id: record.id,
      mid: record.mid,
      key: record.publicKey === null ? undefined : this.#parse(record.id, record.publicKey),
    }));
  }

  /**
   * Stores a local identity's private key (and its public key).
   * @param key the private key
   * @returns the member's database id
   */
  savePrivateKey(key: PrivateKey): number {
    const id = this.idOf(key.publicKey);
    this.#store.members.setPrivateKey(id, key.bytes);
    return id;
  }

  /**
   * @param id a database id
   * @returns the stored private key, if this is a local identity
   */
  privateKeyOf(id: number): PrivateKey | undefined {
    const bytes = this.#store.members.getPrivateKey(id);
    return bytes === undefined ? undefined : privateKeyFromBytes(bytes);
  }

  /** Drops the cached entries (not the stored rows). */
  clear(): void {
    this.#ids.clear();
    this.#keys.clear();
  }

  #parse(id: number, bytes: Uint8Array): PublicKey | undefined {
    const cached = this.#keys.get(id);
    if (cached !== undefined) return cached;
    try {
      const key = publicKeyFromBytes(bytes);
      this.#keys.set(id, key);
      return key;
    } catch {
      return undefined;
    }
  }
}
