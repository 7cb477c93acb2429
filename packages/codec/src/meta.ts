/**
 * Meta-message definitions: a name, a 1-byte id, the four policies, an `undoable` flag and a payload codec —
 * everything the codec needs to encode and decode one message type, and what the runtime builds on (spec §1,
 * §4). {@link defineMeta} checks the definition and the policy combination rules of spec §4.1.
 */
import type { PayloadCodec } from './payload.ts';
import type { Authentication, Destination, Distribution, Pruning, Resolution } from './policies.ts';
import {
  assertArray,
  assertBoolean,
  assertFunction,
  assertInteger,
  assertObject,
  assertOneOf,
  assertString,
} from './internal/assert.ts';

/**
 * One meta-message of a community. `T` is the decoded payload type, `TInput` what the encoder accepts.
 *
 * @example
 * ```ts
 * const post: MetaDefinition<{ text: string }> = defineMeta({
 *   name: 'post', id: 1,
 *   authentication: { kind: 'member', encoding: 'default' },
 *   resolution: { kind: 'public' },
 *   distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 },
 *   destination: { kind: 'community', nodeCount: 10 },
 *   payload: struct({ text: utf8ToEnd }),
 * });
 * ```
 */
export interface MetaDefinition<T = unknown, TInput = T> {
  /** Unique within the community, e.g. `'dispersy-authorize'`. */
  readonly name: string;
  /** The message id byte, 1..254 (255 is reserved). */
  readonly id: number;
  readonly authentication: Authentication;
  readonly resolution: Resolution;
  readonly distribution: Distribution;
  readonly destination: Destination;
  /**
   * Whether the meta has an undo callback in the original: required for DynamicResolution, and for an
   * authorize to grant the `undo` permission on it (spec §2.5).
   */
  readonly undoable: boolean;
  readonly payload: PayloadCodec<T, TInput>;
  /** Batch window in seconds, a hint for the runtime (the original's BatchConfiguration max_window). */
  readonly batchWindow?: number;
}

/** A meta-message of any payload type (for collections). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- collections hold metas of every payload type
export type AnyMeta = MetaDefinition<any, any>;

/** What {@link defineMeta} accepts: a definition whose `undoable` may be left out (default `false`). */
export type MetaInit<T, TInput = T> = Omit<MetaDefinition<T, TInput>, 'undoable'> & { readonly undoable?: boolean };

const SPLITS = ['whole', 'original-one-byte'] as const;

function checkAuthentication(a: unknown): asserts a is Authentication {
  assertObject(a, 'authentication');
  assertOneOf(a.kind, 'authentication.kind', ['none', 'member', 'double-member']);
  if (a.kind === 'none') return;
  assertOneOf(a.encoding, 'authentication.encoding', ['default', 'sha1', 'bin']);
  if (a.kind === 'double-member' && a.split !== undefined && typeof a.split !== 'function') {
    assertOneOf(a.split, 'authentication.split', SPLITS);
  }
}

function checkResolution(r: unknown): asserts r is Resolution {
  assertObject(r, 'resolution');
  assertOneOf(r.kind, 'resolution.kind', ['public', 'linear', 'dynamic']);
  if (r.kind !== 'dynamic') return;
  assertArray(r.policies, 'resolution.policies');
  if (r.policies.length < 1 || r.policies.length > 254) {
    throw new RangeError(`resolution.policies must hold 1..254 policies, got ${r.policies.length}`);
  }
  r.policies.forEach((p, i) => assertOneOf(p, `resolution.policies[${i}]`, ['public', 'linear']));
}

function checkPruning(p: unknown): asserts p is Pruning | undefined {
  if (p === undefined) return;
  assertObject(p, 'distribution.pruning');
  assertOneOf(p.kind, 'distribution.pruning.kind', ['none', 'global-time']);
  if (p.kind === 'global-time') {
    assertInteger(p.inactive, 'distribution.pruning.inactive', 1, Number.MAX_SAFE_INTEGER);
    assertInteger(p.pruned, 'distribution.pruning.pruned', p.inactive + 1, Number.MAX_SAFE_INTEGER);
  }
}

function checkDistribution(d: unknown): asserts d is Distribution {
  assertObject(d, 'distribution');
  assertOneOf(d.kind, 'distribution.kind', ['direct', 'full-sync', 'last-sync']);
  if (d.kind === 'direct') return;
  assertOneOf(d.direction, 'distribution.direction', ['ASC', 'DESC', 'RANDOM']);
  assertInteger(d.priority, 'distribution.priority', 0, 255);
  if (d.kind === 'full-sync') assertBoolean(d.sequenceNumbers, 'distribution.sequenceNumbers');
  else assertInteger(d.historySize, 'distribution.historySize', 1, Number.MAX_SAFE_INTEGER);
  checkPruning(d.pruning);
}

function checkDestination(d: unknown): asserts d is Destination {
  assertObject(d, 'destination');
  assertOneOf(d.kind, 'destination.kind', ['candidate', 'community', 'nhop']);
  if (d.kind === 'candidate') return;
  assertInteger(d.nodeCount, 'destination.nodeCount', 0, Number.MAX_SAFE_INTEGER);
  if (d.kind === 'nhop') assertInteger(d.depth, 'destination.depth', -128, 127);
}

/**
 * Checks the policy combination rules of spec §4.1 (`Message.check_policy_combination`).
 * @param meta the policies and the undoable flag
 * @throws TypeError naming the first rule broken
 * @example `checkPolicyCombination(meta) // throws for { kind: 'none' } + { kind: 'linear' }`
 */
export function checkPolicyCombination(meta: Pick<MetaDefinition, 'authentication' | 'resolution' | 'distribution' | 'destination' | 'undoable'>): void {
  const { authentication: a, resolution: r, distribution: d, destination: t } = meta;
  const fail = (rule: string): never => {
    throw new TypeError(`invalid policy combination: ${rule}`);
  };
  if (a.kind === 'none' && r.kind !== 'public') fail('NoAuthentication allows only PublicResolution');
  if (a.kind === 'none' && d.kind !== 'direct') fail('NoAuthentication allows only DirectDistribution');
  if (d.kind !== 'direct' && t.kind === 'candidate') fail('FullSync/LastSync require a community destination');
  if (d.kind === 'full-sync' && a.kind === 'double-member' && d.sequenceNumbers) {
    fail('FullSync with DoubleMemberAuthentication cannot enable sequence numbers');
  }
  if (r.kind === 'dynamic' && !meta.undoable) fail('DynamicResolution requires an undoable meta (undo callback)');
}

/**
 * Validates a meta-message definition and returns it frozen (with `undoable` defaulting to `false`).
 * @param init the definition
 * @returns the checked, frozen definition
 * @throws TypeError for a wrong field type or an invalid policy combination; RangeError for an id outside 1..254
 *   or another value out of range
 * @example `const ping = defineMeta({ name: 'ping', id: 1, authentication: { kind: 'none' }, ... })`
 */
export function defineMeta<T, TInput = T>(init: MetaInit<T, TInput>): MetaDefinition<T, TInput> {
  assertObject(init, 'meta');
  assertString(init.name, 'meta.name');
  if (init.name.length === 0) throw new RangeError('meta.name must not be empty');
  assertInteger(init.id, 'meta.id', 1, 254);
  checkAuthentication(init.authentication);
  checkResolution(init.resolution);
  checkDistribution(init.distribution);
  checkDestination(init.destination);
  const undoable = init.undoable ?? false;
  assertBoolean(undoable, 'meta.undoable');
  assertObject(init.payload, 'meta.payload');
  assertFunction(init.payload.size, 'meta.payload.size');
  assertFunction(init.payload.encode, 'meta.payload.encode');
  assertFunction(init.payload.decode, 'meta.payload.decode');
  if (init.batchWindow !== undefined && !(typeof init.batchWindow === 'number' && init.batchWindow >= 0)) {
    throw new TypeError('meta.batchWindow must be a non-negative number of seconds');
  }
  const meta: MetaDefinition<T, TInput> = {
    name: init.name,
    id: init.id,
    authentication: Object.freeze({ ...init.authentication }),
    resolution:
      init.resolution.kind === 'dynamic'
        ? Object.freeze({ kind: 'dynamic', policies: Object.freeze([...init.resolution.policies]) })
        : Object.freeze({ ...init.resolution }),
    distribution: Object.freeze({ ...init.distribution }),
    destination: Object.freeze({ ...init.destination }),
    undoable,
    payload: init.payload,
    ...(init.batchWindow === undefined ? {} : { batchWindow: init.batchWindow }),
  };
  checkPolicyCombination(meta);
  return Object.freeze(meta);
}
