/**
 * The community types the daemon runs and how a `--community` spec becomes a loaded community.
 *
 * Every definition here turns the runtime's periodic walker off and keeps walker RESPONSES on: the daemon runs its
 * own walker task per community (see ./daemon.ts) so that `--walk-interval` applies; the runtime's walker has a
 * fixed 5 s interval. The daemon's task runs only where the runtime's walker is off (`daemonWalks`), so no
 * community is ever walked by both. `debug-master:` specs found the community the way the runtime's `createCommunity` does —
 * the master's dispersy-identity and the master-signed authorize of every initial grant to this node's member —
 * but with the master key from the file, and only once (when the master's identity is not stored yet).
 */
import { defineCommunity, createAuthorize, createIdentity, initialGrants, type Community, type CommunityDefinition, type Dispersy } from '@dispersy/community';
import { createDebugCommunityDefinition, DebugCommunity } from '@dispersy/community/testing';
import type { CommunitySpec } from './community-specs.ts';
import type { Logger } from './logger.ts';

const KNOBS = { enableCandidateWalker: false, enableCandidateWalkerResponses: true } as const;

/** The DebugCommunity (version 0x01, metas 101–119) as the daemon runs it (the daemon's walker, see above). */
export const daemonDebugCommunity = createDebugCommunityDefinition({ knobs: KNOBS });

/** Classification prefix of `bare:` communities; the community version follows (`BareCommunity-v1`). */
export const BARE_CLASSIFICATION = 'BareCommunity';

const bareDefinitions = new Map<number, CommunityDefinition>();

/**
 * The definition of a community with only the built-in dispersy-* messages.
 * @param communityVersion 1..254
 * @returns the definition (one per version; classification `BareCommunity-v<version>`)
 * @throws RangeError for a version outside 1..254
 * @example `node.joinCommunity(bareCommunity(2), { cid })`
 */
export function bareCommunity(communityVersion: number): CommunityDefinition {
  let definition = bareDefinitions.get(communityVersion);
  if (definition === undefined) {
    definition = defineCommunity({ classification: `${BARE_CLASSIFICATION}-v${communityVersion}`, communityVersion, metas: [], knobs: KNOBS });
    bareDefinitions.set(communityVersion, definition);
  }
  return definition;
}

/**
 * Whether a definition is one the daemon built (so the daemon walks for its communities; a community reclassified
 * by the runtime, e.g. hard-killed, is left alone).
 * @param definition a community's definition
 * @returns true for the daemon's DebugCommunity and `bare:` definitions
 */
export function isDaemonDefinition(definition: CommunityDefinition<Community>): boolean {
  return definition === daemonDebugCommunity || [...bareDefinitions.values()].includes(definition);
}

/**
 * Founds a community whose master private key this node holds: stores the master's dispersy-identity and the
 * master-signed dispersy-authorize of every initial grant (spec §5 "Order in create_community") to this node's
 * member. Does nothing when the master's identity is already stored (founded before, here or elsewhere).
 * @param community a community whose `masterPrivateKey` is known
 * @returns whether it was founded now
 * @throws RangeError when the node does not hold the master private key
 */
export function foundCommunity(community: Community): boolean {
  const master = community.masterPrivateKey;
  if (master === undefined) throw new RangeError(`this node does not hold the master key of ${community.cidHex}`);
  if (community.storage.hasIdentity(community.node.members.idOf(master.publicKey))) return false;
  createIdentity(community, true);
  const grants = initialGrants([...community.metas.values()].map((rt) => rt.meta));
  if (grants.length > 0) {
    const member = community.myMember.publicKey;
    createAuthorize(community, grants.map((g) => ({ member, meta: g.meta, permission: g.permission })), { signWithMaster: true, forward: false });
  }
  return true;
}

/**
 * Joins (or loads, when stored) the community a spec names.
 * @param node the started node
 * @param spec the parsed `--community` value
 * @param log where to say what happened
 * @returns the loaded community
 * @throws what the runtime throws for a store failure
 * @example `const community = joinSpec(node, parseCommunitySpec('debug:4c69…', cwd), log);`
 */
export function joinSpec(node: Dispersy, spec: CommunitySpec, log: Logger): Community {
  let community: Community;
  switch (spec.kind) {
    case 'debug':
      community = node.joinCommunity(daemonDebugCommunity, { masterKey: spec.masterKey });
      break;
    case 'debug-cid':
      community = node.joinCommunity(daemonDebugCommunity, { cid: spec.cid });
      break;
    case 'bare':
      community = node.joinCommunity(bareCommunity(spec.communityVersion), { cid: spec.cid });
      break;
    case 'debug-master': {
      // Saved first, so that loading the community finds the master's private key in the member table.
      node.members.savePrivateKey(spec.masterPrivateKey);
      community = node.joinCommunity(daemonDebugCommunity, { masterKey: spec.masterPrivateKey.publicKey });
      if (foundCommunity(community)) log.info('community founded', { cid: community.cidHex });
      break;
    }
  }
  log.info('community joined', { cid: community.cidHex, spec: spec.kind, classification: community.classification, masterKnown: community.master !== undefined });
  return community;
}

/**
 * Forgets what the DebugCommunity's recording callbacks collected (`handled`, `undoCalls`): a test fixture's
 * memory that a long-running daemon must not grow. Called periodically.
 * @param community any community
 */
export function trimDebugRecords(community: Community): void {
  if (community instanceof DebugCommunity) {
    community.handled.length = 0;
    community.undoCalls.length = 0;
  }
}
