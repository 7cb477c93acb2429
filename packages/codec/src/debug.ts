/**
 * The original's DebugCommunity meta-messages (spec §14): ids 101–119 at community version 0x01, every payload
 * the raw text bytes to the end of the payload. The conformance fixture for the golden vectors and the community
 * used to talk to other implementations. Subpath export: `@dispersy/codec/debug`.
 *
 * @example
 * ```ts
 * import { createConversion } from '@dispersy/codec';
 * import { debugCommunityMessages, DEBUG_COMMUNITY_VERSION } from '@dispersy/codec/debug';
 * const conversion = createConversion({ cid, communityVersion: DEBUG_COMMUNITY_VERSION, metas: debugCommunityMessages });
 * ```
 * @packageDocumentation
 */
import { defineMeta, type MetaDefinition } from './meta.ts';
import { textPayload, type TextPayload } from './payload.ts';
import type { Destination, Distribution, DoubleSplit, Resolution, SyncDirection } from './policies.ts';
import { splitAtLastComma } from './signature.ts';

export { splitAtLastComma } from './signature.ts';
export { textPayload, type TextPayload } from './payload.ts';

/** The DebugCommunity's community version byte. */
export const DEBUG_COMMUNITY_VERSION = 0x01;

/** Options of {@link createDebugCommunityMessages}. */
export interface DebugCommunityOptions {
  /**
   * How `double-signed-text` (103) and `last-1-doublemember-text` (109) split their signatures. The original
   * used its one-byte default; this project's default is `'whole'` (spec quirk 1). `double-signed-text-split`
   * (104) always uses {@link splitAtLastComma}.
   * @default 'whole'
   */
  readonly doubleSplit?: 'whole' | 'original-one-byte';
}

const COMMUNITY_10: Destination = { kind: 'community', nodeCount: 10 };
const NHOP_10_42: Destination = { kind: 'nhop', nodeCount: 10, depth: 42 };
const PUBLIC: Resolution = { kind: 'public' };

function fullSync(direction: SyncDirection = 'ASC', priority = 128, extra: Partial<Distribution> = {}): Distribution {
  return { kind: 'full-sync', sequenceNumbers: false, direction, priority, ...extra } as Distribution;
}

function lastSync(historySize: number): Distribution {
  return { kind: 'last-sync', historySize, direction: 'ASC', priority: 128 };
}

interface TextMetaInit {
  readonly id: number;
  readonly name: string;
  readonly distribution: Distribution;
  readonly destination?: Destination;
  readonly resolution?: Resolution;
  readonly encoding?: 'default' | 'bin';
  readonly double?: DoubleSplit;
  readonly undoable?: boolean;
  readonly batchWindow?: number;
}

function text(init: TextMetaInit): MetaDefinition<TextPayload> {
  return defineMeta<TextPayload>({
    name: init.name,
    id: init.id,
    authentication:
      init.double === undefined
        ? { kind: 'member', encoding: init.encoding ?? 'default' }
        : { kind: 'double-member', encoding: 'default', split: init.double },
    resolution: init.resolution ?? PUBLIC,
    distribution: init.distribution,
    destination: init.destination ?? COMMUNITY_10,
    undoable: init.undoable ?? false,
    payload: textPayload,
    ...(init.batchWindow === undefined ? {} : { batchWindow: init.batchWindow }),
  });
}

/**
 * Builds the DebugCommunity's meta-messages (ids 101–119).
 * @param options the split of the double-signed metas
 * @returns the metas, ordered by id
 * @throws TypeError for an unknown `doubleSplit`
 * @example `createDebugCommunityMessages({ doubleSplit: 'original-one-byte' }) // to talk to original peers`
 */
export function createDebugCommunityMessages(options: DebugCommunityOptions = {}): readonly MetaDefinition<TextPayload>[] {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const split = options.doubleSplit ?? 'whole';
  if (split !== 'whole' && split !== 'original-one-byte') throw new TypeError("doubleSplit must be 'whole' or 'original-one-byte'");
  return Object.freeze([
    text({ id: 101, name: 'last-1-test', distribution: lastSync(1) }),
    text({ id: 102, name: 'last-9-test', distribution: lastSync(9) }),
    text({ id: 103, name: 'double-signed-text', double: split, distribution: { kind: 'direct' }, destination: NHOP_10_42 }),
    text({ id: 104, name: 'double-signed-text-split', double: splitAtLastComma, distribution: { kind: 'direct' }, destination: NHOP_10_42 }),
    text({ id: 105, name: 'full-sync-text', distribution: fullSync(), undoable: true }),
    text({ id: 106, name: 'n-hop-sync-text', distribution: fullSync(), destination: { kind: 'nhop', nodeCount: 1, depth: 1 }, undoable: true }),
    text({ id: 107, name: 'ASC-text', distribution: fullSync('ASC') }),
    text({ id: 108, name: 'DESC-text', distribution: fullSync('DESC') }),
    text({ id: 109, name: 'last-1-doublemember-text', double: split, distribution: lastSync(1), destination: NHOP_10_42 }),
    text({ id: 110, name: 'protected-full-sync-text', resolution: { kind: 'linear' }, distribution: fullSync(), undoable: true }),
    text({
      id: 111,
      name: 'dynamic-resolution-text',
      resolution: { kind: 'dynamic', policies: ['public', 'linear'] },
      distribution: fullSync(),
      undoable: true,
    }),
    text({ id: 112, name: 'sequence-text', distribution: fullSync('ASC', 128, { sequenceNumbers: true }), undoable: true }),
    text({
      id: 113,
      name: 'full-sync-global-time-pruning-text',
      distribution: fullSync('ASC', 128, { pruning: { kind: 'global-time', inactive: 10, pruned: 20 } }),
      undoable: true,
    }),
    text({ id: 114, name: 'high-priority-text', distribution: fullSync('ASC', 200) }),
    text({ id: 115, name: 'low-priority-text', distribution: fullSync('ASC', 100) }),
    text({ id: 116, name: 'medium-priority-text', distribution: fullSync('ASC', 150) }),
    text({ id: 117, name: 'RANDOM-text', distribution: fullSync('RANDOM') }),
    text({ id: 118, name: 'batched-text', distribution: fullSync(), batchWindow: 5 }),
    text({ id: 119, name: 'bin-key-text', encoding: 'bin', distribution: fullSync(), undoable: true }),
  ]);
}

/**
 * The DebugCommunity's meta-messages with this project's defaults (double signatures over the whole packet).
 * @example `createConversion({ cid, communityVersion: 1, metas: debugCommunityMessages, lookupMember })`
 */
export const debugCommunityMessages: readonly MetaDefinition<TextPayload>[] = createDebugCommunityMessages();
