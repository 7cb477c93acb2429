/**
 * Which members' identities are known in one community (spec §3.4 `Community.get_member`): a `sha1` member id in a
 * packet resolves only when that member's dispersy-identity is stored in this community. Positive answers are
 * cached in a bounded LRU; misses ask the member directory and the store every time (an unknown member must
 * become known as soon as its identity is stored).
 */
import type { PublicKey } from '@dispersy/crypto';
import { toHex } from './internal/bytes.ts';
import { LruMap } from './lru.ts';
import type { MemberDirectory } from './members.ts';

/**
 * The known identities of one community.
 *
 * @example
 * ```ts
 * const identities = new IdentityCache(members, (id) => storage.hasIdentity(id), 4096);
 * identities.lookup(mid); // PublicKey | undefined
 * ```
 */
export class IdentityCache {
  readonly #members: MemberDirectory;
  readonly #stored: (memberId: number) => boolean;
  readonly #cache: LruMap<string, PublicKey>;

  /**
   * @param members the node's member directory
   * @param stored whether a member's identity is stored in the community
   * @param maxSize bound of the cache
   */
  constructor(members: MemberDirectory, stored: (memberId: number) => boolean, maxSize: number) {
    this.#members = members;
    this.#stored = stored;
    this.#cache = new LruMap(maxSize);
  }

  /**
   * @param mid a 20-byte member id
   * @returns the key of the member with that mid whose identity is stored here, or undefined
   */
  lookup(mid: Uint8Array): PublicKey | undefined {
    const hex = toHex(mid);
    const cached = this.#cache.get(hex);
    if (cached !== undefined) return cached;
    for (const entry of this.#members.byMid(mid)) {
      if (entry.key !== undefined && this.#stored(entry.id)) {
        this.#cache.set(hex, entry.key);
        return entry.key;
      }
    }
    return undefined;
  }

  /**
   * Records a member whose identity was just stored.
   * @param key its key
   */
  note(key: PublicKey): void {
    this.#cache.set(toHex(key.mid), key);
  }

  /**
   * @param mid a member id
   * @returns whether it is cached (without refreshing it)
   */
  has(mid: Uint8Array): boolean {
    return this.#cache.has(toHex(mid));
  }

  /** Forgets the cached answers (the store still knows). */
  clear(): void {
    this.#cache.clear();
  }
}
