/**
 * Creating, joining and listing communities on a node (spec §5 "Order in create_community", §12.1): the helpers
 * behind `Dispersy.createCommunity`, `joinCommunity` and `storedCommunities`.
 */
import { permissionsFromTriplets } from '@dispersy/codec';
import { generateKeyPair, publicKeyFromBytes, type PrivateKey, type PublicKey, type SecurityLevel } from '@dispersy/crypto';
import type { CommunityRecord, Store } from '@dispersy/store';
import type { Community } from './community.ts';
import type { CommunityDefinition } from './community-definition.ts';
import { createIdentity } from './community-load.ts';
import { toHex } from './internal/bytes.ts';
import type { Dispersy } from './node.ts';
import { initialGrants } from './timeline.ts';
import { applyTimelineRecord, timelineRecordOf } from './timeline-records.ts';

/** Options of {@link Dispersy.createCommunity}. */
export interface CreateCommunityOptions {
  /** Security level of the new master key. @default 'curve25519' */
  readonly masterLevel?: SecurityLevel;
  /** The community's signing identity. @default the node's member */
  readonly myMember?: PrivateKey;
}

/** Options of {@link Dispersy.joinCommunity}: the master's public key, or only the cid. */
export interface JoinCommunityOptions {
  readonly masterKey?: PublicKey | Uint8Array;
  readonly cid?: Uint8Array;
  /** @default the node's member */
  readonly myMember?: PrivateKey;
}

/** A stored community, as {@link Dispersy.storedCommunities} lists it. */
export interface StoredCommunity {
  readonly databaseId: number;
  readonly cid: Uint8Array;
  readonly classification: string;
  readonly autoLoad: boolean;
  /** The master's key, when known. */
  readonly master: PublicKey | undefined;
}

/**
 * `Dispersy.createCommunity`: a new master key, the community row, my identity (global time 2, at load), the
 * master's identity (3) and the master-signed initial authorize of `initialGrants` (4, sequence 1), stored and
 * not forwarded. Until an authorize behaviour exists its grants are applied to the timeline directly.
 * @param node the node
 * @param definition the community type
 * @param options master key level, my member
 * @returns the loaded community
 * @throws StoreError when the store fails
 * @example `const community = createCommunity(node, Feed, { masterLevel: 'curve25519' });`
 */
export function createCommunity<C extends Community>(node: Dispersy, definition: CommunityDefinition<C>, options: CreateCommunityOptions = {}): C {
  const master = generateKeyPair(options.masterLevel ?? 'curve25519');
  const masterId = node.members.savePrivateKey(master);
  const my = options.myMember ?? node.myMember;
  const row = node.store.communities.create({
    master: masterId,
    myMember: node.members.savePrivateKey(my),
    classification: definition.classification,
    autoLoad: definition.knobs.autoLoad,
  });
  node.registerDefinition(definition);
  const community = node.instantiate(definition, row) as C;
  createIdentity(community, true);
  const grants = initialGrants([...community.metas.values()].map((rt) => rt.meta));
  if (grants.length > 0) {
    const triplets = grants.map((g) => ({ member: my.publicKey, meta: g.meta, permission: g.permission }));
    const authorize = community.create('dispersy-authorize', permissionsFromTriplets(triplets), { signWithMaster: true, forward: false });
    const record = timelineRecordOf(authorize);
    if (record !== undefined && community.metas.get('dispersy-authorize')?.handle === undefined) applyTimelineRecord(community.timeline, record);
  }
  return community;
}

/**
 * `Dispersy.joinCommunity`: by the master's public key, or by cid only (the master is then a "dummy" member until
 * its identity arrives).
 * @param node the node
 * @param definition the community type
 * @param options master key or cid, my member
 * @returns the loaded community (the one already loaded, if any)
 * @throws TypeError when neither a master key nor a 20-byte cid is given
 * @example `joinCommunity(node, Feed, { cid })`
 */
export function joinCommunity<C extends Community>(node: Dispersy, definition: CommunityDefinition<C>, options: JoinCommunityOptions): C {
  let masterId: number;
  let cid: Uint8Array;
  if (options.masterKey !== undefined) {
    const key = options.masterKey instanceof Uint8Array ? publicKeyFromBytes(options.masterKey) : options.masterKey;
    masterId = node.members.idOf(key);
    cid = key.mid;
  } else if (options.cid instanceof Uint8Array && options.cid.length === 20) {
    cid = options.cid;
    masterId = node.members.idOfMid(cid);
  } else throw new TypeError('give masterKey or a 20-byte cid');
  const loaded = node.communities.get(toHex(cid));
  if (loaded !== undefined) return loaded as C;
  const row = node.store.communities.ensure({
    master: masterId,
    myMember: node.members.savePrivateKey(options.myMember ?? node.myMember),
    classification: definition.classification,
    autoLoad: definition.knobs.autoLoad,
  });
  node.registerDefinition(definition);
  return node.instantiate(definition, row) as C;
}

/**
 * The stored community row of a cid (the master member's mid).
 * @param store the store
 * @param cid the community id
 * @returns the row, or undefined
 * @example `communityRow(node.store, cid)?.autoLoad`
 */
export function communityRow(store: Store, cid: Uint8Array): CommunityRecord | undefined {
  for (const member of store.members.getByMid(cid)) {
    const row = store.communities.getByMaster(member.id);
    if (row !== undefined) return row;
  }
  return undefined;
}

/**
 * Stored communities, optionally of one classification (the original's `get_master_members`).
 * @param store the store
 * @param classification filter
 * @returns the stored communities, by database id
 * @example `storedCommunities(node.store, 'FeedCommunity').map((c) => c.cid)`
 */
export function storedCommunities(store: Store, classification?: string): StoredCommunity[] {
  const out: StoredCommunity[] = [];
  for (let afterId = 0; ;) {
    const page = store.communities.list({ afterId, limit: 1000 });
    for (const row of page) {
      if (classification !== undefined && row.classification !== classification) continue;
      const master = store.members.getById(row.master);
      if (master === undefined) continue;
      out.push({
        databaseId: row.id,
        cid: master.mid,
        classification: row.classification,
        autoLoad: row.autoLoad,
        master: master.publicKey === null ? undefined : publicKeyFromBytes(master.publicKey),
      });
    }
    const last = page.at(-1);
    if (last === undefined || page.length < 1000) return out;
    afterId = last.id;
  }
}
