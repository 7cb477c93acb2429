/**
 * The four policy families of a meta-message (spec §4.2–4.5), as plain objects with a string `kind`.
 * They decide the packet's sections (§2.3); the runtime also reads them for its own rules (sync, destination).
 */

import { assertInteger, assertObject, assertOneOf } from './internal/assert.ts';

/**
 * How members appear in the authentication section. `'default'` resolves by community version (spec §2.2):
 * `sha1` (20-byte member id) for versions ≤ 1, `bin` (uint16 length + key) for versions ≥ 2.
 */
export type MemberEncoding = 'default' | 'sha1' | 'bin';

/**
 * Returns the data each of the two members of a double-signed message signs, given the unsigned packet
 * (every byte before the first signature). May return views into it.
 */
export type SplitFunction = (unsignedPacket: Uint8Array) => readonly [Uint8Array, Uint8Array];

/**
 * How a double-signed message is split between its signers (spec §2.4, quirk 1):
 * - `'whole'` (this project's default): both members sign the whole unsigned packet;
 * - `'original-one-byte'`: the original's behaviour, member *i* signs only byte *i* of the packet (interop only);
 * - a {@link SplitFunction}, like the DebugCommunity's `double-signed-text-split`.
 */
export type DoubleSplit = 'whole' | 'original-one-byte' | SplitFunction;

/** No identity and no signature (spec §4.2). */
export interface NoAuthentication {
  readonly kind: 'none';
}
/** One signing member; the signature covers every preceding byte. */
export interface MemberAuthentication {
  readonly kind: 'member';
  readonly encoding: MemberEncoding;
}
/** Two signing members, the first being the creator. */
export interface DoubleMemberAuthentication {
  readonly kind: 'double-member';
  readonly encoding: MemberEncoding;
  /** @default 'whole' */
  readonly split?: DoubleSplit;
}
/** The authentication policy of a meta-message. */
export type Authentication = NoAuthentication | MemberAuthentication | DoubleMemberAuthentication;

/** A static resolution policy: anyone (`public`) or members holding `permit` (`linear`). */
export type ResolutionPolicyKind = 'public' | 'linear';
/** Anyone may create the message. */
export interface PublicResolution {
  readonly kind: 'public';
}
/** Only members with the `permit` permission may create the message. */
export interface LinearResolution {
  readonly kind: 'linear';
}
/**
 * The policy in force is switched by `dispersy-dynamic-settings`; policy 0 is the default. The wire carries a
 * 1-byte index into `policies` (spec §2.3).
 */
export interface DynamicResolution {
  readonly kind: 'dynamic';
  /** 1..254 policies. */
  readonly policies: readonly ResolutionPolicyKind[];
}
/** The resolution policy of a meta-message. */
export type Resolution = PublicResolution | LinearResolution | DynamicResolution;

/** Sync direction of a stored meta-message (spec §4.4; stored as 1 / −1 / 0). */
export type SyncDirection = 'ASC' | 'DESC' | 'RANDOM';

/** No pruning. */
export interface NoPruning {
  readonly kind: 'none';
}
/** Messages become inactive at age `inactive` and are deleted at age `pruned` (0 < inactive < pruned). */
export interface GlobalTimePruning {
  readonly kind: 'global-time';
  readonly inactive: number;
  readonly pruned: number;
}
/** Pruning of a sync meta-message. */
export type Pruning = NoPruning | GlobalTimePruning;

/** Not stored; carries the current global time. */
export interface DirectDistribution {
  readonly kind: 'direct';
}
/** Every message is stored; optionally a gap-free sequence number per member. */
export interface FullSyncDistribution {
  readonly kind: 'full-sync';
  readonly sequenceNumbers: boolean;
  readonly direction: SyncDirection;
  /** 0..255; only > 32 takes part in Bloom sync. */
  readonly priority: number;
  /** @default { kind: 'none' } */
  readonly pruning?: Pruning;
}
/** Only the newest `historySize` messages per member (or member pair) are kept. */
export interface LastSyncDistribution {
  readonly kind: 'last-sync';
  readonly historySize: number;
  readonly direction: SyncDirection;
  readonly priority: number;
  /** @default { kind: 'none' } */
  readonly pruning?: Pruning;
}
/** The distribution policy of a meta-message. */
export type Distribution = DirectDistribution | FullSyncDistribution | LastSyncDistribution;

/** Sent to explicit candidates only. */
export interface CandidateDestination {
  readonly kind: 'candidate';
}
/** Sent to explicit candidates plus up to `nodeCount` random verified ones. */
export interface CommunityDestination {
  readonly kind: 'community';
  readonly nodeCount: number;
}
/** As community, plus a signed hop-count byte on the wire (spec §2.3). */
export interface NHopCommunityDestination {
  readonly kind: 'nhop';
  readonly nodeCount: number;
  /** The depth written by the creator, −128..127 (the original's default −1). */
  readonly depth: number;
}
/** The destination policy of a meta-message. */
export type Destination = CandidateDestination | CommunityDestination | NHopCommunityDestination;

/** Shared frozen instances of the parameterless policies. */
export const NO_AUTHENTICATION: NoAuthentication = Object.freeze({ kind: 'none' });
/** @see PublicResolution */
export const PUBLIC_RESOLUTION: PublicResolution = Object.freeze({ kind: 'public' });
/** @see LinearResolution */
export const LINEAR_RESOLUTION: LinearResolution = Object.freeze({ kind: 'linear' });
/** @see DirectDistribution */
export const DIRECT_DISTRIBUTION: DirectDistribution = Object.freeze({ kind: 'direct' });
/** @see CandidateDestination */
export const CANDIDATE_DESTINATION: CandidateDestination = Object.freeze({ kind: 'candidate' });

/**
 * Number of members an authentication policy carries.
 * @param authentication the policy
 * @returns 0, 1 or 2
 * @example `memberCount({ kind: 'member', encoding: 'bin' }) // 1`
 */
export function memberCount(authentication: Authentication): 0 | 1 | 2 {
  assertObject(authentication, 'authentication');
  assertOneOf(authentication.kind, 'authentication.kind', ['none', 'member', 'double-member']);
  return authentication.kind === 'none' ? 0 : authentication.kind === 'member' ? 1 : 2;
}

/**
 * The member encoding in force for a community version (spec §2.2): `sha1` when the version byte is ≤ 1,
 * else `bin`; an explicit `sha1` / `bin` wins.
 * @param encoding the meta's declared encoding
 * @param communityVersion the conversion's community version byte
 * @returns `'sha1'` or `'bin'`
 * @example `resolveMemberEncoding('default', 2) // 'bin'`
 */
export function resolveMemberEncoding(encoding: MemberEncoding, communityVersion: number): 'sha1' | 'bin' {
  assertOneOf(encoding, 'encoding', ['default', 'sha1', 'bin']);
  assertInteger(communityVersion, 'communityVersion', 0, 255);
  if (encoding !== 'default') return encoding;
  return communityVersion <= 1 ? 'sha1' : 'bin';
}
