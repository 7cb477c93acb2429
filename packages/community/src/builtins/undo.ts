/**
 * dispersy-undo-own and dispersy-undo-other (spec §6.3, §6.4, §9): `check_undo` and `on_undo`.
 *
 * Check, per message in batch order:
 * 1. the target (member, global time) is not stored → delay by missing message (a dispersy-missing-message goes to
 *    the sender, once);
 * 2. the target's meta has no undo callback → drop (`not_undoable`);
 * 3. the timeline: undo-own passes (Public); undo-other needs `undo` on the TARGET's meta at the undo's global
 *    time → else delay by proof;
 * 4. batch dependency: once an undo of a signer failed 1–3 in this batch, its later undo messages (higher sequence
 *    numbers) get the same fate — accepting them would leave a gap in the signer's stored sequence;
 * 5. duplicate undo-own (the target is already undone by an undo-own of the same signer, stored or earlier in this
 *    batch): both are kept and the binary-LOWEST is the effective one. A new higher one is accepted without
 *    undoing anything, marked undone by the lower, and the stored lower packet is sent back to its sender; a new
 *    lower one undoes the target and marks the higher one undone by itself.
 *
 * Handle (`on_undo`): mark each target undone by the undo's row id and call the target meta's undo callback with
 * the targets, grouped by meta (reason `'undo'`). The plan made by the check travels to the handler in a WeakMap
 * keyed by the message object; messages created here (no check) get the plain plan.
 */
import type { UndoOtherPayload, UndoOwnPayload } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { SyncRow } from '@dispersy/store';
import type { Community } from '../community.ts';
import { compareBytes } from '../distribution.ts';
import { toHex } from '../internal/bytes.ts';
import { ACCEPT, delayVerdict, dropVerdict, type CheckVerdict, type Message, type UndoRecord } from '../message.ts';
import { unexpected } from '../pipeline.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { checkTimeline, decodeStoredPacket } from './timeline-check.ts';

type UndoPayload = UndoOwnPayload | UndoOtherPayload;

/** What the handler does with one accepted undo message. */
interface UndoPlan {
  /** The target's creator and row. */
  readonly member: PublicKey;
  readonly target: SyncRow;
  readonly targetMeta: string;
  /** Undo the target (false for a duplicate that is not the lowest). */
  process: boolean;
  /** Mark this undo message undone by the lower one (a row id, or a message of the same batch). */
  undoneBy?: number | Message;
  /** Mark this stored (higher) undo message of the same signer undone by this one. */
  supersedes?: number;
}

const plans = new WeakMap<Message, UndoPlan>();

/** The effective undo-own of one (signer, target) seen so far: stored (row id) or earlier in the batch. */
interface Effective {
  readonly packet: Uint8Array;
  readonly ref: number | Message;
}

/**
 * The target of an undo message: (member, global time).
 * @param message a dispersy-undo-own or -undo-other message
 * @returns the target's creator and global time
 * @example `undoTarget(message).globalTime`
 */
export function undoTarget(message: Message): { member: PublicKey; globalTime: number } {
  const payload = message.payload as UndoPayload;
  const member = 'member' in payload ? payload.member : (message.members[0] as PublicKey);
  return { member, globalTime: payload.globalTime };
}

/** The stored undo-own that undid `target`, when there is one (the candidate for the duplicate rule). */
function storedUndoOwn(c: Community, target: SyncRow): Effective | undefined {
  if (target.undone <= 0) return undefined;
  const row = c.storage.store.sync.getById(target.undone);
  if (row === undefined || c.storage.metaName(row.meta) !== 'dispersy-undo-own') return undefined;
  return { packet: row.packet, ref: row.id };
}

/** The consequence of an earlier failure, applied to a later undo of the same signer (rule 4). */
function sameFate(earlier: CheckVerdict, message: Message): CheckVerdict {
  if (earlier.kind === 'drop') return dropVerdict(earlier.reason);
  if (earlier.kind === 'delay' && earlier.cause.kind === 'proof') {
    return delayVerdict({ kind: 'proof', mid: (message.members[0] as PublicKey).mid, globalTime: message.globalTime });
  }
  return earlier.kind === 'delay' ? delayVerdict(earlier.cause) : ACCEPT;
}

/**
 * `check_undo` for a batch of undo-own or undo-other messages (see the module comment).
 * @param messages messages of one undo meta, in batch order
 * @param c their community
 * @returns one verdict per message
 * @example `undoBehaviour.check!(messages, community)`
 */
export function checkUndo(messages: readonly Message[], c: Community): CheckVerdict[] {
  const failures = new Map<string, CheckVerdict>();
  const effective = new Map<string, Effective>();
  return messages.map((m): CheckVerdict => {
    const signer = m.members[0];
    if (signer === undefined) return dropVerdict('not_an_undo_message');
    const signerHex = toHex(signer.mid);
    const fail = (verdict: CheckVerdict): CheckVerdict => {
      failures.set(signerHex, verdict);
      return verdict;
    };
    const { member, globalTime } = undoTarget(m);
    const target = c.storage.get(c.node.members.idOf(member), globalTime);
    if (target === undefined) return fail(delayVerdict({ kind: 'message', mid: member.mid, globalTime }));
    const targetMeta = c.storage.metaName(target.meta);
    if (targetMeta === undefined || c.metas.get(targetMeta)?.undo === undefined) return fail(dropVerdict('not_undoable'));
    const allowed = m.name === 'dispersy-undo-other'
      ? c.timeline.checkUndoOther(signerHex, m.globalTime, targetMeta).allowed
      : checkTimeline(c, m).allowed;
    if (!allowed) return fail(delayVerdict({ kind: 'proof', mid: signer.mid, globalTime: m.globalTime }));
    const earlier = failures.get(signerHex);
    if (earlier !== undefined) return sameFate(earlier, m);

    const plan: UndoPlan = { member, target, targetMeta, process: true };
    plans.set(m, plan);
    if (m.name !== 'dispersy-undo-own') return ACCEPT;
    const key = `${signerHex}:${globalTime}`;
    const current = effective.get(key) ?? storedUndoOwn(c, target);
    if (current === undefined || bytesEqualRef(current, m)) {
      effective.set(key, { packet: m.packet, ref: m });
      return ACCEPT;
    }
    if (compareBytes(current.packet, m.packet) <= 0) {
      // The new one is higher: stored without effect, undone by the lower; a stored lower one goes back.
      plan.process = false;
      plan.undoneBy = current.ref;
      return typeof current.ref === 'number' ? { kind: 'accept', sendBack: [current.packet] } : ACCEPT;
    }
    // The new one is lower: it becomes the effective undo and the higher one is marked undone by it.
    if (typeof current.ref === 'number') plan.supersedes = current.ref;
    else {
      const higher = plans.get(current.ref);
      if (higher !== undefined) {
        higher.process = false;
        higher.undoneBy = m;
      }
    }
    effective.set(key, { packet: m.packet, ref: m });
    return ACCEPT;
  });
}

function bytesEqualRef(current: Effective, m: Message): boolean {
  return current.ref === m || compareBytes(current.packet, m.packet) === 0;
}

/** The plan of a message that did not pass through {@link checkUndo} (created here). */
function plainPlan(c: Community, m: Message): UndoPlan | undefined {
  const { member, globalTime } = undoTarget(m);
  const target = c.storage.get(c.node.members.idOf(member), globalTime);
  const targetMeta = target === undefined ? undefined : c.storage.metaName(target.meta);
  return target === undefined || targetMeta === undefined ? undefined : { member, target, targetMeta, process: true };
}

function rowIdOf(c: Community, m: Message): number | undefined {
  const signer = m.members[0];
  return signer === undefined ? undefined : c.storage.get(c.node.members.idOf(signer), m.globalTime)?.id;
}

/**
 * `on_undo`: marks the targets undone by the undo messages and calls the targets' undo callbacks grouped by meta.
 * @param messages stored undo-own or undo-other messages
 * @param c their community
 * @example `undoBehaviour.handle!(stored, community)`
 */
export function handleUndo(messages: readonly Message[], c: Community): void {
  const records = new Map<string, UndoRecord[]>();
  const undo = c.storage.store.undo;
  c.storage.transaction(() => {
    for (const m of messages) {
      const plan = plans.get(m) ?? plainPlan(c, m);
      plans.delete(m);
      const id = rowIdOf(c, m);
      if (plan === undefined || id === undefined) continue;
      if (plan.process && undo.markUndone(plan.target.id, id)) {
        const list = records.get(plan.targetMeta) ?? [];
        list.push({ meta: plan.targetMeta, member: plan.member, globalTime: plan.target.globalTime, packet: plan.target.packet, reason: 'undo' });
        records.set(plan.targetMeta, list);
      }
      const lower = typeof plan.undoneBy === 'object' ? rowIdOf(c, plan.undoneBy) : plan.undoneBy;
      if (lower !== undefined) undo.markUndone(id, lower);
      if (plan.supersedes !== undefined) undo.markUndone(plan.supersedes, id);
    }
  });
  for (const [meta, list] of records) {
    const rt = c.metas.get(meta);
    if (rt?.undo === undefined) continue;
    try {
      rt.undo(list, c);
    } catch (err) {
      unexpected(c, err, 'message', 'undo_failed', list.length);
    }
  }
}

/**
 * The stored undo message that undid a stored message, decoded (the original's lookup in `create_undo`).
 * @param c the community
 * @param target the undone row
 * @returns the undo-own / undo-other message, or undefined (live, undone by policy, or its undo is gone)
 * @example `const previous = undoMessageOf(community, row); if (previous) return previous;`
 */
export function undoMessageOf(c: Community, target: SyncRow): Message | undefined {
  if (target.undone <= 0) return undefined;
  const row = c.storage.store.sync.getById(target.undone);
  const message = row === undefined ? undefined : decodeStoredPacket(c, row.packet);
  return message?.name === 'dispersy-undo-own' || message?.name === 'dispersy-undo-other' ? message : undefined;
}

/** dispersy-undo-own and dispersy-undo-other: `check_undo` → `on_undo`. */
export const undoBehaviour: BuiltinBehaviour = { check: checkUndo, handle: handleUndo };
