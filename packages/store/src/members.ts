/**
 * The `member` table: identities by id, mid and public key, and the private keys of local identities.
 *
 * The store does not hash: the caller computes the mid (SHA-1 of the public key, `@dispersy/crypto`'s `memberId`)
 * and passes it with the key bytes, so this package has no crypto dependency at runtime.
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { MID_BYTES, assertBytes, assertId, assertLimit, bytesOf } from './internal/validate.ts';

/** The longest public or private key the store accepts (the wire's key length field is a uint16). */
export const MAX_KEY_BYTES = 65_535;

/** One known member. Private keys are not part of the record; read them with {@link Members.getPrivateKey}. */
export interface MemberRecord {
  /** Local database id (never put it on the wire: other nodes number members differently). */
  readonly id: number;
  /** The 20-byte member id, SHA-1 of the public key. */
  readonly mid: Uint8Array<ArrayBuffer>;
  /** The public key, or `null` for a member known only by its mid so far. */
  readonly publicKey: Uint8Array<ArrayBuffer> | null;
  /** Whether a private key is stored (a local identity). */
  readonly hasPrivateKey: boolean;
}

interface MemberSql {
  id: number;
  mid: Uint8Array;
  public_key: Uint8Array | null;
  has_private_key: number;
}

const COLUMNS = 'id, mid, public_key, private_key IS NOT NULL AS has_private_key';
const BY_ID = `SELECT ${COLUMNS} FROM member WHERE id = ?`;
const BY_PUBLIC_KEY = `SELECT ${COLUMNS} FROM member WHERE public_key = ?`;
const BY_MID = `SELECT ${COLUMNS} FROM member WHERE mid = ? ORDER BY id LIMIT ?`;
const KEYLESS_BY_MID = 'SELECT id FROM member WHERE mid = ? AND public_key IS NULL ORDER BY id LIMIT 1';
const FIRST_BY_MID = `SELECT ${COLUMNS} FROM member WHERE mid = ? ORDER BY public_key IS NULL, id LIMIT 1`;
const INSERT = 'INSERT INTO member (mid, public_key) VALUES (?, ?) RETURNING id';
const SET_PUBLIC_KEY = 'UPDATE member SET public_key = ? WHERE id = ?';
const SET_PRIVATE_KEY = 'UPDATE member SET private_key = ? WHERE id = ?';
const PRIVATE_KEY = 'SELECT private_key FROM member WHERE id = ?';

function toRecord(row: MemberSql): MemberRecord {
  return {
    id: row.id,
    mid: bytesOf(row.mid),
    publicKey: row.public_key === null ? null : bytesOf(row.public_key),
    hasPrivateKey: row.has_private_key === 1,
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Members (identities). Reached as `store.members`.
 *
 * @example
 * ```ts
 * const key = generateKeyPair();                        // @dispersy/crypto
 * const me = store.members.getOrCreate(key.publicKey.mid, key.publicKey.bytes);
 * store.members.setPrivateKey(me.id, key.bytes);
 * store.members.getByMid(me.mid);                       // [me] (collisions would list several)
 * ```
 */
export class Members {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * The member with this public key, created if unknown. A member that was known only by its mid (created by
   * {@link Members.getOrCreateByMid}) gets the key attached instead of a second row.
   * @param mid the 20-byte member id, SHA-1 of `publicKey` (computed by the caller)
   * @param publicKey the public key in the original's binary format
   * @returns the member
   * @throws RangeError if a stored member with this key has a different mid (the caller's mid is wrong)
   * @example
   * ```ts
   * const member = store.members.getOrCreate(memberId(keyBytes), keyBytes);
   * ```
   */
  getOrCreate(mid: Uint8Array, publicKey: Uint8Array): MemberRecord {
    assertBytes(mid, 'mid', MID_BYTES, MID_BYTES);
    assertBytes(publicKey, 'publicKey', 1, MAX_KEY_BYTES);
    return this.#c.transaction('members.getOrCreate', () => {
      const existing = this.#c.statement(BY_PUBLIC_KEY).get(publicKey) as MemberSql | undefined;
      if (existing !== undefined) {
        if (!equalBytes(existing.mid, mid)) {
          throw new RangeError(`mid does not match the stored member ${existing.id} with this public key`);
        }
        return toRecord(existing);
      }
      const keyless = this.#c.statement(KEYLESS_BY_MID, 'pluck').get(mid) as number | undefined;
      let id: number;
      if (keyless !== undefined) {
        this.#c.statement(SET_PUBLIC_KEY).run(publicKey, keyless);
        id = keyless;
      } else {
        id = this.#c.statement(INSERT, 'pluck').get(mid, publicKey) as number;
      }
      return toRecord(this.#c.statement(BY_ID).get(id) as MemberSql);
    });
  }

  /**
   * A member with this mid, created without a public key if none exists (the original's "dummy member": a sha1
   * reference, or a master whose key has not been downloaded). Prefers a member whose key is known.
   * @param mid the 20-byte member id
   * @returns the member
   */
  getOrCreateByMid(mid: Uint8Array): MemberRecord {
    assertBytes(mid, 'mid', MID_BYTES, MID_BYTES);
    return this.#c.transaction('members.getOrCreateByMid', () => {
      const existing = this.#c.statement(FIRST_BY_MID).get(mid) as MemberSql | undefined;
      if (existing !== undefined) return toRecord(existing);
      const id = this.#c.statement(INSERT, 'pluck').get(mid, null) as number;
      return toRecord(this.#c.statement(BY_ID).get(id) as MemberSql);
    });
  }

  /**
   * @param id member id
   * @returns the member, or `undefined`
   */
  getById(id: number): MemberRecord | undefined {
    assertId(id, 'id');
    return this.#c.run('members.getById', () => {
      const row = this.#c.statement(BY_ID).get(id) as MemberSql | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  /**
   * Members with this mid, oldest first. Usually one; several when two keys collide on SHA-1, which the schema
   * tolerates (spec §10). The original answers a missing-identity for at most 10 of them (spec §8.5).
   * @param mid the 20-byte member id
   * @param limit at most this many (default 10)
   * @returns the members, possibly none
   */
  getByMid(mid: Uint8Array, limit = 10): MemberRecord[] {
    assertBytes(mid, 'mid', MID_BYTES, MID_BYTES);
    assertLimit(limit);
    return this.#c.run('members.getByMid', () =>
      (this.#c.statement(BY_MID).all(mid, limit) as MemberSql[]).map(toRecord),
    );
  }

  /**
   * @param publicKey a public key
   * @returns the member with this key, or `undefined`
   */
  getByPublicKey(publicKey: Uint8Array): MemberRecord | undefined {
    assertBytes(publicKey, 'publicKey', 1, MAX_KEY_BYTES);
    return this.#c.run('members.getByPublicKey', () => {
      const row = this.#c.statement(BY_PUBLIC_KEY).get(publicKey) as MemberSql | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  /**
   * Stores the private key of a local identity ("my member"), replacing any earlier one.
   * @param id member id
   * @param privateKey the private key in the original's binary format
   * @returns `false` when no member has this id
   */
  setPrivateKey(id: number, privateKey: Uint8Array): boolean {
    assertId(id, 'id');
    assertBytes(privateKey, 'privateKey', 1, MAX_KEY_BYTES);
    return this.#c.run(
      'members.setPrivateKey',
      () => this.#c.statement(SET_PRIVATE_KEY).run(privateKey, id).changes > 0,
    );
  }

  /**
   * @param id member id
   * @returns the stored private key, or `undefined` when the member is unknown or has none
   */
  getPrivateKey(id: number): Uint8Array<ArrayBuffer> | undefined {
    assertId(id, 'id');
    return this.#c.run('members.getPrivateKey', () => {
      const key = this.#c.statement(PRIVATE_KEY, 'pluck').get(id) as Uint8Array | null | undefined;
      return key === null || key === undefined ? undefined : bytesOf(key);
    });
  }
}
