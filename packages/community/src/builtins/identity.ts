/**
 * dispersy-identity and dispersy-missing-identity (spec §9, §8.5, §12.1):
 * - identity (check: generic; handle = `on_identity`): remember that the member's identity is stored in this
 *   community (so its sha1 member id resolves), and when the signer is the master whose key was unknown, take its
 *   key and stop the master-download task. Waiting packets resume through the delay registry.
 * - missing-identity (handle = `on_missing_identity`): answer with the stored identity packets of up to 10
 *   members with that mid.
 * - the master download: while the master's key is unknown, every 15 s ask one random verified candidate (unless
 *   the master's identity is stored by now).
 */
import type { IdentityPayload, MissingIdentityPayload } from '@dispersy/codec';
import type { Community } from '../community.ts';
import type { Message } from '../message.ts';
import type { BuiltinBehaviour } from './behaviour.ts';

/** Seconds between master-identity requests (`DOWNLOAD_MM_PK_INTERVAL`). */
export const DOWNLOAD_MASTER_INTERVAL = 15;
/** At most this many members with one mid are answered (spec §8.5). */
export const MISSING_IDENTITY_MEMBERS = 10;

/** dispersy-identity: `on_identity`. */
export const identityBehaviour: BuiltinBehaviour = {
  handle(messages: readonly Message<IdentityPayload>[], community: Community): void {
    for (const message of messages) {
      const key = message.members[0];
      if (key !== undefined) community.noteIdentity(key);
    }
  },
};

/** dispersy-missing-identity: `on_missing_identity`. */
export const missingIdentityBehaviour: BuiltinBehaviour = {
  handle(messages: readonly Message<MissingIdentityPayload>[], community: Community): void {
    for (const message of messages) {
      if (message.source === undefined) continue;
      const packets: Uint8Array[] = [];
      for (const member of community.node.members.byMid(message.payload.mid, MISSING_IDENTITY_MEMBERS)) {
        for (const row of community.storage.rowsOf('dispersy-identity', member.id, MISSING_IDENTITY_MEMBERS)) packets.push(row.packet);
      }
      community.send(packets, [message.source]);
    }
  },
};

/**
 * One step of the master download: sends dispersy-missing-identity(cid) to one random verified candidate.
 * @param community a community whose master key is unknown
 * @returns whether a request was sent
 * @example `community.tasks.repeat('download-master', 15, () => downloadMasterIdentity(community));`
 */
export function downloadMasterIdentity(community: Community): boolean {
  if (community.master !== undefined) return false;
  // As the original, first look whether the key arrived meanwhile (stored with its identity in this community).
  const known = community.getMember(community.cid);
  if (known !== undefined) {
    community.noteIdentity(known);
    return false;
  }
  const verified = community.candidates.verifiedCandidates(community.clock.now());
  if (verified.length === 0) return false;
  const candidate = verified[Math.floor(community.random.next() * verified.length)];
  if (candidate === undefined) return false;
  community.create('dispersy-missing-identity', { mid: community.cid }, { destinations: [candidate] });
  return true;
}
