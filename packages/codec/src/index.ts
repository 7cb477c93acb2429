/**
 * The Dispersy wire codec (spec §2): the byte layout of every packet — tunnel prefix, 23-byte header, the
 * authentication / resolution / destination / distribution sections, payload, signatures — every built-in
 * dispersy-* payload, meta-message definitions with their four policies, a per-community {@link Conversion},
 * and a schema helper for community payloads. Decoding is strict and bounded: any failure is a
 * {@link DecodeError} with a stable `code`.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from '@dispersy/crypto';
 * import { createConversion, defineMeta, struct, utf8ToEnd } from '@dispersy/codec';
 *
 * const post = defineMeta({
 *   name: 'post', id: 1,
 *   authentication: { kind: 'member', encoding: 'default' },
 *   resolution: { kind: 'public' },
 *   distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 },
 *   destination: { kind: 'community', nodeCount: 10 },
 *   payload: struct({ text: utf8ToEnd }),
 * });
 * const me = generateKeyPair();
 * const conversion = createConversion({ cid: new Uint8Array(20), communityVersion: 2, metas: [post] });
 * const packet = conversion.encode(post, { signer: me, globalTime: 1, sequenceNumber: 1, payload: { text: 'hi' } });
 * const message = conversion.decode(packet); // verified; message.payload → { text: 'hi' }
 * ```
 * @packageDocumentation
 */
export { DECODE_ERROR_CODES, DecodeError, MissingMemberError, type DecodeErrorCode, type DecodeErrorOptions, type MissingMemberSection } from './errors.ts';
export { Reader } from './reader.ts';
export { Writer } from './writer.ts';
export {
  addTunnelPrefix,
  CID_LENGTH,
  communityPrefix,
  DISPERSY_VERSION,
  hasTunnelPrefix,
  HEADER_LENGTH,
  MAX_DATAGRAM_SIZE,
  MID_LENGTH,
  PREFIX_LENGTH,
  readHeader,
  stripTunnelPrefix,
  TUNNEL_PREFIX,
  type PacketHeader,
  type UntunnelledDatagram,
} from './header.ts';
export {
  CANDIDATE_DESTINATION,
  DIRECT_DISTRIBUTION,
  LINEAR_RESOLUTION,
  memberCount,
  NO_AUTHENTICATION,
  PUBLIC_RESOLUTION,
  resolveMemberEncoding,
  type Authentication,
  type CandidateDestination,
  type CommunityDestination,
  type Destination,
  type DirectDistribution,
  type Distribution,
  type DoubleMemberAuthentication,
  type DoubleSplit,
  type DynamicResolution,
  type FullSyncDistribution,
  type GlobalTimePruning,
  type LastSyncDistribution,
  type LinearResolution,
  type MemberAuthentication,
  type MemberEncoding,
  type NHopCommunityDestination,
  type NoAuthentication,
  type NoPruning,
  type Pruning,
  type PublicResolution,
  type Resolution,
  type ResolutionPolicyKind,
  type SplitFunction,
  type SyncDirection,
} from './policies.ts';
export { checkPolicyCombination, defineMeta, type AnyMeta, type MetaDefinition, type MetaInit } from './meta.ts';
export {
  emptyPayload,
  schemaPayload,
  textPayload,
  type DecodeContext,
  type EmptyPayload,
  type EncodeContext,
  type PayloadCodec,
  type PayloadInputOf,
  type PayloadOf,
  type TextPayload,
} from './payload.ts';
export {
  describeMessage,
  isMessageOf,
  messageLayout,
  type DecodedMessage,
  type DecodeOptions,
  type EncodeInput,
  type KeyParser,
  type LayoutSection,
  type MemberKey,
  type MemberLookup,
} from './message.ts';
export { isEmptySignature, signatureChecks, signedRegions, splitAtLastComma, verifyMessageSignatures, type SignatureCheck } from './signature.ts';
export { Conversion, createConversion, type ConversionInit } from './conversion.ts';
export { conversionForMessage, conversionForPacket } from './selection.ts';
export {
  boolean,
  bytes,
  decodeValue,
  encodeValue,
  fixedBytes,
  int8,
  restBytes,
  uint16,
  uint32,
  uint64,
  uint64n,
  uint8,
  type Codec,
  type Infer,
  type LengthPrefixOptions,
  type PrefixWidth,
} from './schema.ts';
export { list, optional, struct, utf8, utf8ToEnd, type StructValue } from './schema-composite.ts';
export { address, ADDRESS_SIZE, formatAddress, ipv4Bytes, NO_ADDRESS, type Address } from './address.ts';
export { builtinMessageName, isBuiltinMessageId, MESSAGE_IDS, OBSOLETE_MESSAGE_IDS, RESERVED_MESSAGE_ID, type BuiltinMessageName } from './message-ids.ts';
export {
  authorize,
  destroyCommunity,
  dispersyMessages,
  dynamicSettings,
  identity,
  introductionRequest,
  introductionResponse,
  missingIdentity,
  missingMessage,
  missingProof,
  missingSequence,
  puncture,
  punctureRequest,
  revoke,
  signatureRequest,
  signatureResponse,
  undoOther,
  undoOwn,
} from './builtin-metas.ts';
export {
  introductionRequestPayload,
  introductionResponsePayload,
  puncturePayload,
  punctureRequestPayload,
  type ConnectionType,
  type IntroductionRequestPayload,
  type IntroductionResponsePayload,
  type PuncturePayload,
  type PunctureRequestPayload,
  type SyncBloomFilter,
  type SyncRange,
} from './payloads/walker.ts';
export { identityPayload, missingIdentityPayload, type IdentityPayload, type MissingIdentityPayload } from './payloads/identity.ts';
export {
  missingMessagePayload,
  missingProofPayload,
  missingSequencePayload,
  type MissingMessagePayload,
  type MissingProofPayload,
  type MissingSequenceInput,
  type MissingSequencePayload,
} from './payloads/missing.ts';
export { signatureRequestPayload, type SignatureRequestInput, type SignatureRequestPayload } from './payloads/signature-request.ts';
export {
  authorizePayload,
  PERMISSION_BITS,
  permissionsFromTriplets,
  PERMISSIONS,
  permissionTriplets,
  revokePayload,
  type Permission,
  type PermissionGrant,
  type PermissionGroup,
  type PermissionsPayload,
  type PermissionTriplet,
} from './payloads/permissions.ts';
export { undoOtherPayload, undoOwnPayload, type UndoOtherPayload, type UndoOwnPayload } from './payloads/undo.ts';
export {
  destroyCommunityPayload,
  dynamicSettingsPayload,
  type DestroyCommunityPayload,
  type DestroyDegree,
  type DynamicSetting,
  type DynamicSettingsPayload,
} from './payloads/community.ts';
