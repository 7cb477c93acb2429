/**
 * The built-in dispersy-* meta-messages with the policies of `Community.initiate_meta_messages` (spec §9) and the
 * ids of spec §2.6. "Member" authentication uses the `'default'` encoding (sha1 at community version ≤ 1, bin
 * from 2) except dispersy-identity, which always carries the full key (`bin`). None of them is undoable.
 */
import { defineMeta, type AnyMeta, type MetaDefinition } from './meta.ts';
import { MESSAGE_IDS } from './message-ids.ts';
import {
  CANDIDATE_DESTINATION,
  DIRECT_DISTRIBUTION,
  LINEAR_RESOLUTION,
  NO_AUTHENTICATION,
  PUBLIC_RESOLUTION,
  type FullSyncDistribution,
  type MemberAuthentication,
} from './policies.ts';
import { identityPayload, missingIdentityPayload, type IdentityPayload, type MissingIdentityPayload } from './payloads/identity.ts';
import {
  missingMessagePayload,
  missingProofPayload,
  missingSequencePayload,
  type MissingMessagePayload,
  type MissingProofPayload,
  type MissingSequenceInput,
  type MissingSequencePayload,
} from './payloads/missing.ts';
import { signatureRequestPayload, type SignatureRequestInput, type SignatureRequestPayload } from './payloads/signature-request.ts';
import { authorizePayload, revokePayload, type PermissionsPayload } from './payloads/permissions.ts';
import { undoOtherPayload, undoOwnPayload, type UndoOtherPayload, type UndoOwnPayload } from './payloads/undo.ts';
import {
  destroyCommunityPayload,
  dynamicSettingsPayload,
  type DestroyCommunityPayload,
  type DynamicSettingsPayload,
} from './payloads/community.ts';
import {
  introductionRequestPayload,
  introductionResponsePayload,
  punctureRequestPayload,
  puncturePayload,
  type IntroductionRequestPayload,
  type IntroductionResponsePayload,
  type PunctureRequestPayload,
  type PuncturePayload,
} from './payloads/walker.ts';

const MEMBER: MemberAuthentication = Object.freeze({ kind: 'member', encoding: 'default' });
const ASC_128_SEQ: FullSyncDistribution = Object.freeze({ kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 });
const COMMUNITY_10 = Object.freeze({ kind: 'community', nodeCount: 10 } as const);

/** A NoAuthentication / Public / Direct / Candidate request (the missing-* and signature messages). */
function request<T, TInput = T>(name: keyof typeof MESSAGE_IDS, payload: MetaDefinition<T, TInput>['payload'], batchWindow?: number): MetaDefinition<T, TInput> {
  return defineMeta<T, TInput>({
    name,
    id: MESSAGE_IDS[name],
    authentication: NO_AUTHENTICATION,
    resolution: PUBLIC_RESOLUTION,
    distribution: DIRECT_DISTRIBUTION,
    destination: CANDIDATE_DESTINATION,
    payload,
    ...(batchWindow === undefined ? {} : { batchWindow }),
  });
}

/** A Member / Public / Direct / Candidate walker message. */
function walker<T>(name: keyof typeof MESSAGE_IDS, payload: MetaDefinition<T>['payload']): MetaDefinition<T> {
  return defineMeta<T>({
    name,
    id: MESSAGE_IDS[name],
    authentication: MEMBER,
    resolution: PUBLIC_RESOLUTION,
    distribution: DIRECT_DISTRIBUTION,
    destination: CANDIDATE_DESTINATION,
    payload,
  });
}

/**
 * dispersy-identity (248): Member **bin**, Public, LastSync ASC priority 16 history 1, Community(0).
 * @example `conversion.encode(identity, { signer, globalTime: 2, payload: {} })`
 */
export const identity: MetaDefinition<IdentityPayload> = defineMeta({
  name: 'dispersy-identity',
  id: MESSAGE_IDS['dispersy-identity'],
  authentication: { kind: 'member', encoding: 'bin' },
  resolution: PUBLIC_RESOLUTION,
  distribution: { kind: 'last-sync', historySize: 1, direction: 'ASC', priority: 16 },
  destination: { kind: 'community', nodeCount: 0 },
  payload: identityPayload,
});

/**
 * dispersy-signature-request (252): None, Public, Direct, Candidate.
 * @example `conversion.encode(signatureRequest, { globalTime, payload: { identifier, message: { packet } } })`
 */
export const signatureRequest: MetaDefinition<SignatureRequestPayload, SignatureRequestInput> = request('dispersy-signature-request', signatureRequestPayload);
/**
 * dispersy-signature-response (251): None, Public, Direct, Candidate.
 * @example `conversion.encode(signatureResponse, { globalTime, payload: { identifier, message: { packet } } })`
 */
export const signatureResponse: MetaDefinition<SignatureRequestPayload, SignatureRequestInput> = request('dispersy-signature-response', signatureRequestPayload);

/**
 * dispersy-authorize (243): Member, Public, FullSync ASC 128 with sequence numbers, Community(10).
 * @example `conversion.encode(authorize, { signer, globalTime, sequenceNumber, payload: permissionsFromTriplets(triplets) })`
 */
export const authorize: MetaDefinition<PermissionsPayload> = defineMeta({
  name: 'dispersy-authorize',
  id: MESSAGE_IDS['dispersy-authorize'],
  authentication: MEMBER,
  resolution: PUBLIC_RESOLUTION,
  distribution: ASC_128_SEQ,
  destination: COMMUNITY_10,
  payload: authorizePayload,
});

/**
 * dispersy-revoke (242): Member, Public, FullSync ASC 128 with sequence numbers, Community(10).
 * @example `conversion.encode(revoke, { signer, globalTime, sequenceNumber, payload: permissionsFromTriplets(triplets) })`
 */
export const revoke: MetaDefinition<PermissionsPayload> = defineMeta({ ...authorize, name: 'dispersy-revoke', id: MESSAGE_IDS['dispersy-revoke'], payload: revokePayload });

/**
 * dispersy-undo-own (238): Member, Public, FullSync ASC 128 with sequence numbers, Community(10).
 * @example `conversion.encode(undoOwn, { signer, globalTime: 11, sequenceNumber: 1, payload: { globalTime: 10 } })`
 */
export const undoOwn: MetaDefinition<UndoOwnPayload> = defineMeta({ ...authorize, name: 'dispersy-undo-own', id: MESSAGE_IDS['dispersy-undo-own'], payload: undoOwnPayload });

/**
 * dispersy-undo-other (237): Member, **Linear**, FullSync ASC 128 with sequence numbers, Community(10).
 * @example `conversion.encode(undoOther, { signer, globalTime: 12, sequenceNumber: 1, payload: { member, globalTime: 6 } })`
 */
export const undoOther: MetaDefinition<UndoOtherPayload> = defineMeta({
  ...authorize,
  name: 'dispersy-undo-other',
  id: MESSAGE_IDS['dispersy-undo-other'],
  resolution: LINEAR_RESOLUTION,
  payload: undoOtherPayload,
});

/**
 * dispersy-destroy-community (244): Member, **Linear**, FullSync ASC priority **192** without sequence numbers, Community(**50**).
 * @example `conversion.encode(destroyCommunity, { signer, globalTime, payload: { degree: 'hard-kill' } })`
 */
export const destroyCommunity: MetaDefinition<DestroyCommunityPayload> = defineMeta({
  name: 'dispersy-destroy-community',
  id: MESSAGE_IDS['dispersy-destroy-community'],
  authentication: MEMBER,
  resolution: LINEAR_RESOLUTION,
  distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 192 },
  destination: { kind: 'community', nodeCount: 50 },
  payload: destroyCommunityPayload,
});

/**
 * dispersy-dynamic-settings (236): Member, **Linear**, FullSync **DESC** priority **191** with sequence numbers, Community(10).
 * @example `conversion.encode(dynamicSettings, { signer, globalTime, sequenceNumber, payload: { settings: [{ meta, index: 1 }] } })`
 */
export const dynamicSettings: MetaDefinition<DynamicSettingsPayload> = defineMeta({
  name: 'dispersy-dynamic-settings',
  id: MESSAGE_IDS['dispersy-dynamic-settings'],
  authentication: MEMBER,
  resolution: LINEAR_RESOLUTION,
  distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'DESC', priority: 191 },
  destination: COMMUNITY_10,
  payload: dynamicSettingsPayload,
});

/**
 * dispersy-missing-identity (247): None, Public, Direct, Candidate.
 * @example `conversion.encode(missingIdentity, { globalTime, payload: { mid } })`
 */
export const missingIdentity: MetaDefinition<MissingIdentityPayload> = request('dispersy-missing-identity', missingIdentityPayload);
/**
 * dispersy-missing-sequence (254): None, Public, Direct (batch window 0.1 s), Candidate.
 * @example `conversion.encode(missingSequence, { globalTime, payload: { member, meta, missingLow: 1, missingHigh: 4 } })`
 */
export const missingSequence: MetaDefinition<MissingSequencePayload, MissingSequenceInput> = request('dispersy-missing-sequence', missingSequencePayload, 0.1);
/**
 * dispersy-missing-message (239): None, Public, Direct, Candidate.
 * @example `conversion.encode(missingMessage, { globalTime, payload: { member, globalTimes: [12] } })`
 */
export const missingMessage: MetaDefinition<MissingMessagePayload> = request('dispersy-missing-message', missingMessagePayload);
/**
 * dispersy-missing-proof (253): None, Public, Direct, Candidate.
 * @example `conversion.encode(missingProof, { globalTime, payload: { globalTime: 42, member } })`
 */
export const missingProof: MetaDefinition<MissingProofPayload> = request('dispersy-missing-proof', missingProofPayload);

/**
 * dispersy-introduction-request (246): Member, Public, Direct, Candidate.
 * @example `conversion.encode(introductionRequest, { signer, globalTime, payload: { ...addresses, advice: true, connectionType: 'public', identifier } })`
 */
export const introductionRequest: MetaDefinition<IntroductionRequestPayload> = walker('dispersy-introduction-request', introductionRequestPayload);
/**
 * dispersy-introduction-response (245): Member, Public, Direct, Candidate.
 * @example `conversion.encode(introductionResponse, { signer, globalTime, payload })`
 */
export const introductionResponse: MetaDefinition<IntroductionResponsePayload> = walker('dispersy-introduction-response', introductionResponsePayload);
/**
 * dispersy-puncture-request (250): **None**, Public, Direct, Candidate.
 * @example `conversion.encode(punctureRequest, { globalTime, payload: { lanWalkerAddress, wanWalkerAddress, identifier } })`
 */
export const punctureRequest: MetaDefinition<PunctureRequestPayload> = request('dispersy-puncture-request', punctureRequestPayload);
/**
 * dispersy-puncture (249): Member, Public, Direct, Candidate.
 * @example `conversion.encode(puncture, { signer, globalTime, payload: { sourceLanAddress, sourceWanAddress, identifier } })`
 */
export const puncture: MetaDefinition<PuncturePayload> = walker('dispersy-puncture', puncturePayload);

/**
 * Every built-in meta-message, ordered by id (what a conversion includes by default). A community without the
 * candidate walker (or a tracker) builds its conversion with `includeBuiltins: false` and picks from these.
 * @example `createConversion({ cid, communityVersion: 1, metas: [...dispersyMessages.filter(keep), ...mine], includeBuiltins: false })`
 */
export const dispersyMessages: readonly AnyMeta[] = Object.freeze(
  [
    dynamicSettings,
    undoOther,
    undoOwn,
    missingMessage,
    revoke,
    authorize,
    destroyCommunity,
    introductionResponse,
    introductionRequest,
    missingIdentity,
    identity,
    puncture,
    punctureRequest,
    signatureResponse,
    signatureRequest,
    missingProof,
    missingSequence,
  ].sort((a, b) => a.id - b.id),
);
