/**
 * The built-in behaviour table: which dispersy-* meta-messages this runtime implements, and how. Add a built-in
 * by writing `src/builtins/<name>.ts` exporting a {@link BuiltinBehaviour} and listing it here; a built-in that is
 * not listed is received as a counted drop (`not_implemented`). A node can override or extend the table with its
 * `builtins` option (e.g. a tracker).
 *
 * Implemented: dispersy-identity, dispersy-missing-identity; the permissions (authorize, revoke, undo-own,
 * undo-other, dynamic-settings, destroy-community, and the missing-proof / missing-message answers); the walker
 * messages (introduction-request / -response with Bloom-filter sync, puncture-request, puncture) and the
 * missing-sequence answer; the co-signing of double-signed messages (signature-request / -response). Requests for
 * the other delay kinds are SENT by the pipeline (see ./requests.ts); answering them comes with their behaviours.
 */
import type { BuiltinBehaviour } from './behaviour.ts';
import { destroyCommunityBehaviour } from './destroy.ts';
import { dynamicSettingsBehaviour } from './dynamic-settings.ts';
import { identityBehaviour, missingIdentityBehaviour } from './identity.ts';
import { introductionRequestBehaviour, introductionResponseBehaviour } from './introduction.ts';
import { missingMessageBehaviour, missingProofBehaviour } from './missing.ts';
import { missingSequenceBehaviour } from './missing-sequence.ts';
import { authorizeBehaviour, revokeBehaviour } from './permissions.ts';
import { punctureBehaviour, punctureRequestBehaviour } from './puncture.ts';
import { signatureRequestBehaviour, signatureResponseBehaviour } from './signature.ts';
import { undoBehaviour } from './undo.ts';

export type { BuiltinBehaviour } from './behaviour.ts';
export { genericTimelineCheck } from './generic-check.ts';
export { downloadMasterIdentity, DOWNLOAD_MASTER_INTERVAL, identityBehaviour, missingIdentityBehaviour, MISSING_IDENTITY_MEMBERS } from './identity.ts';
export { sendRequest } from './requests.ts';
export { destroyCommunityBehaviour, destroyedPacketOf, HARD_KILLED_CLASSIFICATION, hardKill, hardKilledDefinition, hardKillKeep } from './destroy.ts';
export { dynamicSettingsBehaviour, handleDynamicSettings } from './dynamic-settings.ts';
export { MISSING_MESSAGE_RESPONSE_LIMIT, missingMessageBehaviour, missingMessagePackets, missingProofBehaviour, proofPackets } from './missing.ts';
export { authorizeBehaviour, checkPermissionMessages, revokeBehaviour } from './permissions.ts';
export { checkTimeline, decodeStoredPacket, knownMemberId, undoTargetMeta } from './timeline-check.ts';
export { TIMERANGE_CHUNK, updateTimerange, type TimerangeOutcome } from './timerange.ts';
export { checkUndo, handleUndo, undoBehaviour, undoMessageOf, undoTarget } from './undo.ts';
export { signatureRequestBehaviour, signatureResponseBehaviour } from './signature.ts';
export { introductionRequestBehaviour, introductionResponseBehaviour, WALKER_RESPONSES_DISABLED } from './introduction.ts';
export { punctureBehaviour, punctureRequestBehaviour } from './puncture.ts';
export { mergeRanges, missingSequenceBehaviour } from './missing-sequence.ts';

/** Built-in behaviours by meta name. */
export const BUILTIN_BEHAVIOURS: ReadonlyMap<string, BuiltinBehaviour> = new Map<string, BuiltinBehaviour>([
  ['dispersy-identity', identityBehaviour],
  ['dispersy-missing-identity', missingIdentityBehaviour],
  ['dispersy-authorize', authorizeBehaviour],
  ['dispersy-revoke', revokeBehaviour],
  ['dispersy-undo-own', undoBehaviour],
  ['dispersy-undo-other', undoBehaviour],
  ['dispersy-dynamic-settings', dynamicSettingsBehaviour],
  ['dispersy-destroy-community', destroyCommunityBehaviour],
  ['dispersy-missing-proof', missingProofBehaviour],
  ['dispersy-missing-message', missingMessageBehaviour],
  ['dispersy-signature-request', signatureRequestBehaviour],
  ['dispersy-signature-response', signatureResponseBehaviour],
  ['dispersy-introduction-request', introductionRequestBehaviour],
  ['dispersy-introduction-response', introductionResponseBehaviour],
  ['dispersy-puncture-request', punctureRequestBehaviour],
  ['dispersy-puncture', punctureBehaviour],
  ['dispersy-missing-sequence', missingSequenceBehaviour],
]);
