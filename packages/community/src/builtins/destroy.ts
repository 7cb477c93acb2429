/**
 * dispersy-destroy-community (spec §6.5, §9):
 * - check: the generic timeline check (Linear: the signer needs `permit`, else delay by proof); a soft kill is
 *   dropped (`soft_kill_not_supported`: the original raised NotImplementedError after storing it).
 * - handle (`on_destroy_community`, hard kill): re-forward a received destroy message epidemically (its destination
 *   is Community(50)); keep my identity row, the destroy message, every proof of its permission chain (recursively:
 *   the authorize messages that empowered its signer, and theirs) and the identity rows of every signer in that
 *   chain; delete every other stored message of the community; then reclassify the community as
 *   {@link HARD_KILLED_CLASSIFICATION} (`node.reclassifyCommunity`: the old instance is unloaded, a new one loads).
 *
 * A hard-killed community ({@link hardKilledDefinition}) has only the built-in metas, no walker, and answers every
 * dispersy-introduction-request with the stored destroy packet ({@link destroyedPacketOf}) instead of an
 * introduction-response: its definition overrides the introduction-request meta, so this does not depend on the
 * walker's own introduction-request behaviour. A destroy message reaching an already hard-killed community is stored
 * and forwarded, nothing more.
 */
import { introductionRequest, type DestroyCommunityPayload, type IntroductionRequestPayload } from '@dispersy/codec';
import type { PacketSource } from '@dispersy/interfaces';
import type { Community } from '../community.ts';
import { defineCommunity, type CommunityDefinition } from '../community-definition.ts';
import { withCallbacks } from '../community-meta.ts';
import { ACCEPT, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { genericTimelineCheck } from './generic-check.ts';
import { checkTimeline, decodeStoredPacket } from './timeline-check.ts';

/** The classification of a hard-killed community (the original's `HardKilledCommunity` class name). */
export const HARD_KILLED_CLASSIFICATION = 'HardKilledCommunity';

const definitions = new Map<number, CommunityDefinition>();
const destroyedPackets = new WeakMap<Community, Uint8Array>();

/**
 * The stored dispersy-destroy-community packet of a community: what a hard-killed community answers to every
 * introduction-request (the original's `HardKilledCommunity._destroy_community_packet`).
 * @param c a loaded community
 * @returns the packet, or undefined when no destroy message is stored
 * @example `const packet = destroyedPacketOf(community); if (packet) community.send([packet], [source]);`
 */
export function destroyedPacketOf(c: Community): Uint8Array | undefined {
  const cached = destroyedPackets.get(c);
  if (cached !== undefined) return cached;
  if (!c.metas.has('dispersy-destroy-community')) return undefined;
  const first = c.storage.store.sync.iterateByMeta(c.storage.metaId('dispersy-destroy-community')).next();
  if (first.done === true) return undefined;
  destroyedPackets.set(c, first.value.packet);
  return first.value.packet;
}

/**
 * The definition of hard-killed communities of one community version (see the module comment). The original also
 * decoded any unknown community version; here a hard-killed community keeps its version (and 0x00).
 * @param communityVersion the killed community's version byte
 * @returns the definition (one per version, shared)
 * @example `node.reclassifyCommunity(community, hardKilledDefinition(community.definition.communityVersion))`
 */
export function hardKilledDefinition(communityVersion: number): CommunityDefinition {
  let definition = definitions.get(communityVersion);
  if (definition === undefined) {
    const answer = withCallbacks<IntroductionRequestPayload>(introductionRequest, {
      check: (messages) => messages.map((): CheckVerdict => ACCEPT),
      handle: (messages, community) => {
        const packet = destroyedPacketOf(community);
        const sources = messages.map((m) => m.source).filter((s): s is PacketSource => s !== undefined);
        if (packet !== undefined) community.send([packet], sources);
      },
    });
    definition = defineCommunity({
      classification: HARD_KILLED_CLASSIFICATION,
      communityVersion,
      metas: [answer],
      knobs: { enableCandidateWalker: false, enableCandidateWalkerResponses: true, autoDownloadMasterMember: false },
    });
    definitions.set(communityVersion, definition);
  }
  return definition;
}

/**
 * The sync row ids a hard kill keeps: my identity, the destroy message, its permission chain and the identity rows
 * of every signer in the chain (see the module comment).
 * @param c the community
 * @param destroy the stored destroy message
 * @returns the row ids to keep
 * @example `store.sync.deleteCommunityExcept(community.storage.id, [...hardKillKeep(community, destroy)])`
 */
export function hardKillKeep(c: Community, destroy: Message): Set<number> {
  const keep = new Set<number>();
  const identities = new Set<number>();
  const keepIdentity = (memberId: number): void => {
    if (identities.has(memberId)) return;
    identities.add(memberId);
    const row = c.storage.rowsOf('dispersy-identity', memberId, 1)[0];
    if (row !== undefined) keep.add(row.id);
  };
  keepIdentity(c.myMemberId);
  const seen = new Set<string>();
  const todo: Message[] = [destroy];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const creator = item.members[0];
    if (creator === undefined) continue;
    const creatorId = c.node.members.idOf(creator);
    const key = `${creatorId}:${item.globalTime}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const row = c.storage.get(creatorId, item.globalTime);
    if (row !== undefined) keep.add(row.id);
    for (const member of item.members) keepIdentity(c.node.members.idOf(member));
    for (const proof of checkTimeline(c, item).proofs) {
      const message = decodeStoredPacket(c, proof.packet);
      if (message !== undefined) todo.push(message);
    }
  }
  return keep;
}

/**
 * The hard kill of `on_destroy_community` (see the module comment): deletes all but {@link hardKillKeep} and
 * reclassifies the community.
 * @param c the community (unloaded afterwards)
 * @param destroy the stored destroy message
 * @returns the hard-killed community that replaces it
 * @throws StoreError when the store fails
 * @example `const killed = hardKill(community, destroy);`
 */
export function hardKill(c: Community, destroy: Message): Community {
  // Packets waiting in batch windows would be processed by the unload, after the delete: discard them.
  for (const name of c.batches.names()) c.statistics.drop('batch', 'community_destroyed', c.batches.take(name).length);
  const keep = hardKillKeep(c, destroy);
  c.storage.transaction(() => c.storage.store.sync.deleteCommunityExcept(c.storage.id, [...keep]));
  return c.node.reclassifyCommunity(c, hardKilledDefinition(c.definition.communityVersion));
}

/** dispersy-destroy-community: generic check (soft kill dropped) → `on_destroy_community`. */
export const destroyCommunityBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<DestroyCommunityPayload>[], community: Community): CheckVerdict[] {
    const verdicts = genericTimelineCheck(messages, community);
    return messages.map((m, i) => (m.payload.degree === 'soft-kill' ? dropVerdict('soft_kill_not_supported') : (verdicts[i] ?? ACCEPT)));
  },
  handle(messages: readonly Message<DestroyCommunityPayload>[], community: Community): void {
    const received = messages.filter((m) => m.source !== undefined);
    if (received.length > 0) community.forward(received);
    const destroy = messages.find((m) => m.payload.degree === 'hard-kill');
    if (destroy === undefined || community.classification === HARD_KILLED_CLASSIFICATION || !community.loaded) return;
    hardKill(community, destroy);
  },
};
