/**
 * Re-evaluation of stored messages after a revoke or a dynamic-settings (spec §6.2 `_update_timerange`). The
 * runtime selects the candidate rows, this module decides; the runtime then sets `undone`, calls the handle
 * callback for the re-done rows and the undo callback for the undone ones.
 *
 * Quirk 8: the original re-does every undone row that is permitted again, even one undone by an undo-own or by
 * a still valid undo-other. Its tests (test_revoke_causing_undo / _permitted) only need the real intent: a revoke
 * that takes `undo` from an undoer at the undo's global time re-does what it undid.
 */
import type { Resolution } from '@dispersy/codec';
import type { Timeline } from './timeline.ts';
import type { MemberId } from './timeline-input.ts';

/** The stored undo message that undid a row (`undone` = its sync id in the database). */
export interface UndoneByMessage {
  /** dispersy-undo-own or dispersy-undo-other. */
  readonly by: 'undo-own' | 'undo-other';
  /** The undo message's signer. */
  readonly signer: MemberId;
  /** The undo message's global time. */
  readonly globalTime: number;
}

/** A stored row to re-evaluate. Extra fields (the runtime's row id, packet…) are returned untouched. */
export interface TimerangeRow {
  /** The creator, and the second signer of a double-signed message. */
  readonly members: readonly MemberId[];
  readonly globalTime: number;
  /** The meta name. */
  readonly meta: string;
  /** @default the meta's declared resolution (`resolutionOf`) */
  readonly resolution?: Resolution;
  /** The policy index in the row's resolution section, for Dynamic (see `CheckOptions`). */
  readonly claimedPolicyIndex?: number;
  /** `'no'` (undone = 0), `'by-policy'` (undone = 1) or the undo message (undone = its sync id). */
  readonly undone: 'no' | 'by-policy' | UndoneByMessage;
}

/** The decisions of {@link reevaluateTimerange}. */
export interface TimerangeDecision<R> {
  /** Set undone = 0 and call the handle callback. */
  readonly redo: R[];
  /** Set undone = 1 (policy) and call the undo callback. */
  readonly undo: R[];
}

/**
 * Decides which stored rows to redo or undo after a revoke or dynamic-settings changed the timeline.
 * Decision (quirk 8): a live row that is no longer permitted is undone (by policy); a row undone by policy is
 * re-done when permitted again; a row undone by an undo-other whose signer no longer holds `undo` on the row's
 * meta at the undo's global time counts as undone by policy (re-done when permitted); a row undone by an
 * undo-own, or by a still valid undo-other, stays undone. The undo message itself stays stored.
 *
 * Candidate rows: those of each affected meta with low ≤ global time ≤ high (low = the batch's lowest global
 * time, high = the community's global time), as the original; add the rows undone by an undo-other whose global
 * time is in that range, so an undo of an older row is caught too.
 * @param timeline the community's timeline, already updated
 * @param rows the candidate rows
 * @returns the rows to redo and to undo, in input order
 * @throws TypeError / RangeError for a malformed row (as {@link Timeline.checkMessage}) or an unknown meta
 * @example
 * ```ts
 * const { redo, undo } = reevaluateTimerange(timeline, store.rowsOf(meta, low, high));
 * ```
 */
export function reevaluateTimerange<P, R extends TimerangeRow>(timeline: Timeline<P>, rows: readonly R[]): TimerangeDecision<R> {
  if (!Array.isArray(rows)) throw new TypeError('rows must be an array');
  const redo: R[] = [];
  const undo: R[] = [];
  rows.forEach((row: R, i) => {
    if (typeof row !== 'object' || row === null) throw new TypeError(`rows[${i}] must be an object`);
    const resolution = row.resolution ?? timeline.declaredResolution(row.meta);
    const options = row.claimedPolicyIndex === undefined ? {} : { claimedPolicyIndex: row.claimedPolicyIndex };
    const permitted = (): boolean => timeline.checkMessage(row.members, row.globalTime, row.meta, resolution, 'permit', options).allowed;
    const state = row.undone;
    if (state === 'no') {
      if (!permitted()) undo.push(row);
    } else if (state === 'by-policy') {
      if (permitted()) redo.push(row);
    } else if (typeof state === 'object' && state !== null && (state.by === 'undo-own' || state.by === 'undo-other')) {
      if (state.by === 'undo-other' && !timeline.checkUndoOther(state.signer, state.globalTime, row.meta).allowed && permitted()) redo.push(row);
    } else {
      throw new TypeError(`rows[${i}].undone must be 'no', 'by-policy' or { by: 'undo-own' | 'undo-other', signer, globalTime }`);
    }
  });
  return { redo, undo };
}
