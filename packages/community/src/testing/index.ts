/**
 * Test fixtures of the community runtime (`@dispersy/community/testing`): the original's DebugCommunity, an
 * in-memory network, and a DebugNode harness on virtual time with seeded randomness.
 *
 * @example
 * ```ts
 * import { createDebugEnvironment } from '@dispersy/community/testing';
 *
 * const env = await createDebugEnvironment();
 * const [node, other] = await env.createNodes(2);
 * const message = other.createFullSyncText('hello', 10);
 * node.giveMessage(message, other);
 * node.assertStored(message);
 * await env.stop();
 * ```
 * @packageDocumentation
 */
export {
  allowDoubleSignedText,
  createDebugCommunityDefinition,
  DEBUG_COMMUNITY_CLASSIFICATION,
  DebugCommunity,
  debugCommunity,
  type DebugCommunityOptions,
  type UndoCall,
} from './debug-community.ts';
export { DebugNode, type BuildOptions, type GiveOptions } from './debug-node.ts';
export {
  createDebugEnvironment,
  createNodes,
  DebugEnvironment,
  type CreateNodesInit,
  type CreateNodesOptions,
  type DebugEnvironmentOptions,
} from './environment.ts';
export { MemoryEndpoint, MemoryNetwork, unwrap, type Datagram, type DatagramPacket } from './memory-network.ts';
export {
  buildAuthorize,
  buildDestroyCommunity,
  buildDynamicSettings,
  buildMissingMessage,
  buildMissingProof,
  buildRevoke,
  buildUndoOther,
  buildUndoOwn,
  type BuildTriplet,
  type PermissionBuildOptions,
} from './permission-builders.ts';
export {
  buildIntroductionRequest,
  buildMissingSequence,
  TEST_SYNC_FILTER_BITS,
  TEST_SYNC_FILTER_ERROR_RATE,
  TEST_SYNC_FILTER_PREFIX,
  testSyncFilter,
  type IntroductionRequestBuildOptions,
  type TestSync,
} from './walker-builders.ts';
