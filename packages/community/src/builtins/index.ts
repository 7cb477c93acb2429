/**
 * The built-in behaviour table: which dispersy-* meta-messages this runtime implements, and how. Add a built-in
 * by writing `src/builtins/<name>.ts` exporting a {@link BuiltinBehaviour} and listing it here; a built-in that is
 * not listed is received as a counted drop (`not_implemented`). A node can override or extend the table with its
 * `builtins` option (e.g. a tracker).
 *
 * Implemented: dispersy-identity, dispersy-missing-identity. Requests for the other delay kinds are SENT by the
 * pipeline (see ./requests.ts); answering them comes with their behaviours.
 */
import type { BuiltinBehaviour } from './behaviour.ts';
import { identityBehaviour, missingIdentityBehaviour } from './identity.ts';

export type { BuiltinBehaviour } from './behaviour.ts';
export { genericTimelineCheck } from './generic-check.ts';
export { downloadMasterIdentity, DOWNLOAD_MASTER_INTERVAL, identityBehaviour, missingIdentityBehaviour, MISSING_IDENTITY_MEMBERS } from './identity.ts';
export { sendRequest } from './requests.ts';

/** Built-in behaviours by meta name. */
export const BUILTIN_BEHAVIOURS: ReadonlyMap<string, BuiltinBehaviour> = new Map<string, BuiltinBehaviour>([
  ['dispersy-identity', identityBehaviour],
  ['dispersy-missing-identity', missingIdentityBehaviour],
]);
