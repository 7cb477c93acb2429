/**
 * `_update_timerange` (spec §6.2): after a dispersy-revoke or -dynamic-settings changed the timeline, re-check the
 * stored messages of each affected meta whose global time lies in [lowest global time of the batch, current global
 * time]: a live message that is no longer permitted is undone by policy (`undone = −1`, the meta's undo callback
 * with reason `'policy'`); a message undone by policy — or by an undo-other whose signer lost `undo` — that is
 * permitted again is re-done (`undone = 0`, the meta's handle callback). The decisions are the timeline's
 * ({@link reevaluateTimerange}, quirk 8); this module selects the rows, marks them and calls the callbacks.
 *
 * Rows are streamed from the store in chunks of {@link TIMERANGE_CHUNK} (marked while iterating, which the store's
 * iterator allows), so a long range never sits in memory at once. After a revoke the targets of the undo-other
 * messages in the range are added even when they are older than the range, so that revoking `undo` re-does what
 * the undoer undid (test_revoke_causing_undo). The permission containers themselves (authorize, revoke, undo-own,
 * undo-other) are not re-evaluated: they are applied to the timeline, not undone by it.
 */
import type { UndoOtherPayload } from '@dispersy/codec';
import type { SyncRow } from '@dispersy/store';
import type { Community } from '../community.ts';
import { isSyncMeta } from '../community-meta.ts';
import { toHex } from '../internal/bytes.ts';
import type { Message, UndoRecord } from '../message.ts';
import { unexpected } from '../pipeline.ts';
import { reevaluateTimerange, type TimerangeRow } from '../timeline.ts';
import { decodeStoredPacket, knownMemberId } from './timeline-check.ts';

/** Rows re-evaluated (and called back) per step. */
export const TIMERANGE_CHUNK = 256;

/** Metas whose stored rows are never re-evaluated (see the module comment). */
const NOT_REEVALUATED: ReadonlySet<string> = new Set(['dispersy-authorize', 'dispersy-revoke', 'dispersy-undo-own', 'dispersy-undo-other']);

/** What {@link updateTimerange} changed. */
export interface TimerangeOutcome {
  /** Rows marked undone by policy. */
  readonly undone: number;
  /** Rows made live again. */
  readonly redone: number;
}

interface Candidate extends TimerangeRow {
  readonly row: SyncRow;
  readonly message: Message;
}

/**
 * Re-evaluates the stored rows of one meta in [low, high] (see the module comment).
 * @param c the community (its timeline already holds the change)
 * @param meta the affected meta's name
 * @param low the lowest global time of the changing batch
 * @param high the current global time
 * @param options `undoOtherTargets`: also re-check the targets of undo-other messages in the range (revoke)
 * @returns how many rows were undone and redone
 * @throws StoreError when the store fails
 * @example `updateTimerange(community, 'full-sync-text', revoke.globalTime, community.globalTime, { undoOtherTargets: true })`
 */
export function updateTimerange(
  c: Community, meta: string, low: number, high: number, options: { readonly undoOtherTargets?: boolean } = {},
): TimerangeOutcome {
  const rt = c.metas.get(meta);
  if (rt === undefined || !isSyncMeta(rt.meta) || NOT_REEVALUATED.has(meta) || high < low) return { undone: 0, redone: 0 };
  const metaId = c.storage.metaId(meta);
  const seen = new Set<number>();
  let undone = 0;
  let redone = 0;
  let chunk: SyncRow[] = [];
  const flush = (): void => {
    const outcome = applyChunk(c, meta, chunk);
    undone += outcome.undone;
    redone += outcome.redone;
    chunk = [];
  };
  const add = (row: SyncRow): void => {
    if (seen.has(row.id)) return;
    seen.add(row.id);
    chunk.push(row);
    if (chunk.length >= TIMERANGE_CHUNK) flush();
  };
  for (const row of c.storage.store.sync.iterateByMeta(metaId, { low, high })) add(row);
  if (options.undoOtherTargets === true && c.metas.has('dispersy-undo-other')) {
    for (const undoRow of c.storage.store.sync.iterateByMeta(c.storage.metaId('dispersy-undo-other'), { low, high })) {
      const target = undoOtherTarget(c, undoRow);
      if (target !== undefined && target.meta === metaId && target.undone === undoRow.id) add(target);
    }
  }
  if (chunk.length > 0) flush();
  return { undone, redone };
}

function undoOtherTarget(c: Community, undoRow: SyncRow): SyncRow | undefined {
  const undo = decodeStoredPacket(c, undoRow.packet);
  if (undo === undefined) return undefined;
  const payload = undo.payload as UndoOtherPayload;
  const member = knownMemberId(c, payload.member);
  return member === undefined ? undefined : c.storage.get(member, payload.globalTime);
}

function candidateOf(c: Community, meta: string, row: SyncRow): Candidate | undefined {
  const message = decodeStoredPacket(c, row.packet);
  if (message === undefined || message.members.length === 0) {
    c.statistics.drop('message', 'timerange_decode_failed');
    return undefined;
  }
  let undone: TimerangeRow['undone'];
  if (row.undone === 0) undone = 'no';
  else if (row.undone < 0) undone = 'by-policy';
  else {
    const undoRow = c.storage.store.sync.getById(row.undone);
    const undo = undoRow === undefined ? undefined : decodeStoredPacket(c, undoRow.packet);
    const signer = undo?.members[0];
    // Without its undo message (pruned, or not an undo) the row simply stays undone.
    if (undo === undefined || signer === undefined) return undefined;
    if (undo.name === 'dispersy-undo-other') undone = { by: 'undo-other', signer: toHex(signer.mid), globalTime: undo.globalTime };
    else if (undo.name === 'dispersy-undo-own') undone = { by: 'undo-own', signer: toHex(signer.mid), globalTime: undo.globalTime };
    else return undefined;
  }
  return {
    row,
    message,
    members: message.members.map((k) => toHex(k.mid)),
    globalTime: message.globalTime,
    meta,
    ...(message.resolutionIndex === undefined ? {} : { claimedPolicyIndex: message.resolutionIndex }),
    undone,
  };
}

function applyChunk(c: Community, meta: string, rows: readonly SyncRow[]): TimerangeOutcome {
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const candidate = candidateOf(c, meta, row);
    if (candidate !== undefined) candidates.push(candidate);
  }
  const decision = reevaluateTimerange(c.timeline, candidates);
  const records: UndoRecord[] = [];
  const redone: Message[] = [];
  c.storage.transaction(() => {
    for (const { row, message } of decision.undo) {
      if (!c.storage.store.undo.markUndoneByPolicy(row.id)) continue;
      records.push({ meta, member: message.members[0] as NonNullable<Message['members'][0]>, globalTime: message.globalTime, packet: row.packet, reason: 'policy' });
    }
    for (const { row, message } of decision.redo) if (c.storage.store.undo.redo(row.id)) redone.push(message);
  });
  const rt = c.metas.get(meta);
  if (records.length > 0 && rt?.undo !== undefined) {
    try {
      rt.undo(records, c);
    } catch (err) {
      unexpected(c, err, 'message', 'undo_failed', records.length);
    }
  }
  if (redone.length > 0 && rt?.handle !== undefined) {
    try {
      rt.handle(redone, c);
    } catch (err) {
      unexpected(c, err, 'message', 'handle_failed', redone.length);
    }
  }
  return { undone: records.length, redone: redone.length };
}
