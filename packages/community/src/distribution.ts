/**
 * The receive rules of every distribution policy (spec §4.4, §4.6 `check_batch`), as pure logic over a small
 * {@link DistributionStore} view of the stored rows of ONE meta-message of one community. The runtime gives it a
 * batch of decoded messages of that meta and applies the verdicts; unit tests give it an in-memory view.
 *
 * Messages are processed sorted by (global time, packet). Per policy:
 * - Direct: everything is accepted (not stored; the runtime updates the sender candidate).
 * - FullSync without sequence numbers: drop above the acceptable global time; drop when not active (pruning);
 *   drop a repeated (creator, global time) in the batch; drop a duplicate of a stored (creator, global time).
 * - FullSync with sequence numbers: steps 1–6 of spec §4.6 (see {@link checkBatch}).
 * - LastSync: the window of `historySize` per member, or per unordered member pair for double-signed metas.
 *
 * Decisions (DECISIONS.md):
 * - quirk 2: "same payload, different signature" compares every byte before the signatures (the original compared
 *   the first `signature_length` bytes); the lexicographically higher packet is kept.
 * - quirk 3: double-signed LastSync "same content" compares the header and everything between the authentication
 *   section and the signatures (member order and signatures may differ); the higher packet is kept.
 * - quirk 18: the sequence "replace" path reports the deleted rows so the runtime can call undo callbacks, and the
 *   in-batch bookkeeping continues from the new message's own sequence number.
 * - history-size-1 LastSync sends back the newest packet of that member *for this meta* (the original's query
 *   had no meta filter).
 */
import type { Distribution, Pruning } from '@dispersy/codec';

/** A message as the rules see it; the runtime's messages carry more and get returned untouched. */
export interface DistributionMessage {
  /** Local (database) id of the creator (first member). */
  readonly creator: number;
  /** Local ids of all members (1, or 2 for double-signed metas), creator first. */
  readonly members: readonly number[];
  readonly globalTime: number;
  /** FullSync with sequence numbers only. */
  readonly sequenceNumber?: number | undefined;
  /** The whole packet. */
  readonly packet: Uint8Array;
  /** Length of the unsigned part (offset of the first signature). */
  readonly signatureOffset: number;
  /** Offset right after the authentication section. */
  readonly authenticationEnd: number;
}

/** A stored row as the rules see it. */
export interface StoredRow {
  readonly id: number;
  readonly globalTime: number;
  readonly packet: Uint8Array;
  /** 0 live; > 0 the undo message's row id; < 0 undone by a policy change. */
  readonly undone: number;
  readonly sequence: number | null;
}

/**
 * The stored rows the rules read (and the two in-place fixes they make), for ONE meta of ONE community; member
 * arguments are local member ids.
 */
export interface DistributionStore {
  /** The row with this creator and global time, of ANY meta (the sync table's unique key). */
  rowAt(member: number, globalTime: number): StoredRow | undefined;
  /** A row by id (the undo message of an undone row). */
  rowById(id: number): StoredRow | undefined;
  /** Replaces a row's packet in place (and its creator, for double-signed rows). */
  replacePacket(id: number, packet: Uint8Array, member?: number): void;
  /** (MAX(global_time), MAX(sequence)) of the member's rows of this meta; zeros when none. */
  sequenceHead(member: number): { readonly globalTime: number; readonly sequence: number };
  /** The member's row of this meta at chain position `position` (1-based, by global time). */
  sequenceRowAt(member: number, position: number): StoredRow | undefined;
  /** Deletes the member's rows of this meta with global time ≥ `globalTime`; returns the deleted rows. */
  deleteFrom(member: number, globalTime: number): readonly StoredRow[];
  /** The member's stored global times of this meta, ascending. */
  lastSyncTimes(member: number): readonly number[];
  /** The member's newest row of this meta. */
  newestOf(member: number): StoredRow | undefined;
  /** The rows of this meta signed by the unordered member pair, by (global time, packet) ascending. */
  pairRows(memberA: number, memberB: number): readonly StoredRow[];
}

/** What the rules need to know about the community. */
export interface DistributionContext {
  /** The community's current global time (pruning ages). */
  readonly globalTime: number;
  /** The acceptable global time (spec §5). */
  readonly acceptableGlobalTime: number;
}

/** Stable drop reasons of the distribution check (statistics labels). */
export const DISTRIBUTION_DROP_REASONS = [
  /** Global time above the acceptable global time. */
  'global_time_not_acceptable',
  /** Not active under GlobalTimePruning. */
  'pruned',
  /** The same (creator, global time), or member pair and global time, earlier in this batch. */
  'duplicate_in_batch',
  /** Byte-identical to a stored packet. */
  'duplicate',
  /** Same unsigned part as a stored packet, other signature(s) or member order; the higher one is kept. */
  'duplicate_signature',
  /** A different message with the stored (creator, global time): possibly malicious. */
  'duplicate_conflict',
  /** Sequence number already stored with a lower (global time, packet): ours is sent back. */
  'sequence_conflict',
  /** Higher sequence number but not a higher global time than the member's last message. */
  'sequence_global_time',
  /** LastSync: older than the whole window. */
  'old_message',
] as const;

/** One of {@link DISTRIBUTION_DROP_REASONS}. */
export type DistributionDropReason = (typeof DISTRIBUTION_DROP_REASONS)[number];

/** The verdict on one message. `sendBack` packets go to the message's sender. */
export type DistributionVerdict<M> =
  | { readonly kind: 'accept'; readonly message: M; readonly sendBack?: readonly Uint8Array[] }
  | { readonly kind: 'drop'; readonly message: M; readonly reason: DistributionDropReason; readonly sendBack?: readonly Uint8Array[] }
  | { readonly kind: 'delay'; readonly message: M; readonly low: number; readonly high: number };

/** A row the sequence "replace" path deleted. */
export interface DeletedRow {
  /** The creator's local id. */
  readonly member: number;
  readonly row: StoredRow;
}

/** The result of {@link checkBatch}. */
export interface DistributionOutcome<M> {
  /** One verdict per message, in processing order (global time, packet). */
  readonly verdicts: readonly DistributionVerdict<M>[];
  /** Rows deleted by the sequence "replace" path, with their creator (quirk 18: the runtime calls undo callbacks). */
  readonly deleted: readonly DeletedRow[];
}

/**
 * Lexicographic byte order (Python 2 `str` comparison: a proper prefix sorts first).
 * @param a bytes
 * @param b bytes
 * @returns negative, 0 or positive
 * @example `compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)) < 0`
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * @param a bytes
 * @param b bytes
 * @returns whether they are equal
 * @example `bytesEqual(stored.packet, message.packet)`
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/**
 * Pruning state of a message of age `globalTime − messageGlobalTime` (spec §4.4): active below `inactive`, inactive
 * below `pruned`, pruned from `pruned` on. Without GlobalTimePruning a message is always active.
 * @param pruning the meta's pruning policy
 * @param globalTime the community's global time
 * @param messageGlobalTime the message's global time
 * @returns `'active'`, `'inactive'` or `'pruned'`
 * @example `pruningState({ kind: 'global-time', inactive: 10, pruned: 20 }, 30, 15) // 'inactive'`
 */
export function pruningState(pruning: Pruning | undefined, globalTime: number, messageGlobalTime: number): 'active' | 'inactive' | 'pruned' {
  if (pruning === undefined || pruning.kind !== 'global-time') return 'active';
  const age = globalTime - messageGlobalTime;
  if (age < pruning.inactive) return 'active';
  return age < pruning.pruned ? 'inactive' : 'pruned';
}

/** Sorts by (global time, packet), as `check_batch` does. */
function sorted<M extends DistributionMessage>(messages: readonly M[]): M[] {
  return [...messages].sort((a, b) => a.globalTime - b.globalTime || compareBytes(a.packet, b.packet));
}

type Dup = { readonly reason: DistributionDropReason; readonly sendBack?: readonly Uint8Array[] } | undefined;

/**
 * `_is_duplicate_sync_message` (spec §4.6) with quirk 2 fixed: a stored row with the same (creator, global time)
 * makes the message a duplicate. Identical packet → send the undo packet back when the row is undone by an undo
 * message. Same unsigned part → keep the higher packet (replaced in place, no callbacks). Otherwise a conflict.
 */
function duplicateOf(message: DistributionMessage, store: DistributionStore): Dup {
  const row = store.rowAt(message.creator, message.globalTime);
  if (row === undefined) return undefined;
  if (bytesEqual(row.packet, message.packet)) {
    if (row.undone > 0) {
      const undo = store.rowById(row.undone);
      if (undo !== undefined) return { reason: 'duplicate', sendBack: [undo.packet] };
    }
    return { reason: 'duplicate' };
  }
  const signatures = message.packet.length - message.signatureOffset;
  const storedUnsigned = row.packet.length - signatures;
  if (storedUnsigned === message.signatureOffset && bytesEqual(row.packet.subarray(0, storedUnsigned), message.packet.subarray(0, message.signatureOffset))) {
    if (compareBytes(message.packet, row.packet) > 0) store.replacePacket(row.id, message.packet);
    return { reason: 'duplicate_signature' };
  }
  return { reason: 'duplicate_conflict' };
}

function drop<M>(message: M, reason: DistributionDropReason, sendBack?: readonly Uint8Array[]): DistributionVerdict<M> {
  return sendBack === undefined || sendBack.length === 0 ? { kind: 'drop', message, reason } : { kind: 'drop', message, reason, sendBack };
}

/** The acceptable-time and pruning checks every sync policy starts with. */
function windowDrop(message: DistributionMessage, pruning: Pruning | undefined, ctx: DistributionContext): DistributionDropReason | undefined {
  if (message.globalTime > ctx.acceptableGlobalTime) return 'global_time_not_acceptable';
  if (pruningState(pruning, ctx.globalTime, message.globalTime) !== 'active') return 'pruned';
  return undefined;
}

function checkFullSync<M extends DistributionMessage>(
  messages: readonly M[], pruning: Pruning | undefined, store: DistributionStore, ctx: DistributionContext,
): DistributionOutcome<M> {
  const seen = new Set<string>();
  const verdicts = sorted(messages).map((message): DistributionVerdict<M> => {
    const early = windowDrop(message, pruning, ctx);
    if (early !== undefined) return drop(message, early);
    const key = `${message.creator}:${message.globalTime}`;
    if (seen.has(key)) return drop(message, 'duplicate_in_batch');
    seen.add(key);
    const dup = duplicateOf(message, store);
    if (dup !== undefined) return drop(message, dup.reason, dup.sendBack);
    return { kind: 'accept', message };
  });
  return { verdicts, deleted: [] };
}

function checkSequence<M extends DistributionMessage>(
  messages: readonly M[], pruning: Pruning | undefined, store: DistributionStore, ctx: DistributionContext,
): DistributionOutcome<M> {
  const seen = new Set<string>();
  const heads = new Map<number, { globalTime: number; sequence: number }>();
  const deleted: DeletedRow[] = [];
  const headOf = (member: number): { globalTime: number; sequence: number } => {
    let head = heads.get(member);
    if (head === undefined) heads.set(member, (head = { ...store.sequenceHead(member) }));
    return head;
  };
  const verdicts = sorted(messages).map((message): DistributionVerdict<M> => {
    // Step 1: window, pruning, in-batch repeats.
    const early = windowDrop(message, pruning, ctx);
    if (early !== undefined) return drop(message, early);
    const key = `${message.creator}:${message.globalTime}`;
    if (seen.has(key)) return drop(message, 'duplicate_in_batch');
    seen.add(key);
    const seq = message.sequenceNumber ?? 0;
    let head = headOf(message.creator);
    if (seq <= head.sequence) {
      // Step 2: that sequence number is stored already.
      const stored = store.sequenceRowAt(message.creator, seq);
      if (stored !== undefined) {
        if (bytesEqual(stored.packet, message.packet)) return drop(message, 'duplicate');
        const storedFirst = stored.globalTime - message.globalTime || compareBytes(stored.packet, message.packet);
        if (storedFirst < 0) return drop(message, 'sequence_conflict', [stored.packet]);
        for (const row of store.deleteFrom(message.creator, stored.globalTime)) deleted.push({ member: message.creator, row });
        heads.set(message.creator, (head = { ...store.sequenceHead(message.creator) }));
      }
    } else if (seq !== head.sequence + 1) {
      // Step 3: a gap; wait for the missing range.
      return { kind: 'delay', message, low: head.sequence + 1, high: seq - 1 };
    }
    // Step 4: the (creator, global time) must be new.
    const dup = duplicateOf(message, store);
    if (dup !== undefined) return drop(message, dup.reason, dup.sendBack);
    // Step 5: strictly increasing global times along the chain.
    if (head.globalTime > 0 && message.globalTime <= head.globalTime) return drop(message, 'sequence_global_time');
    // Step 6: accept; continue the chain from this message (quirk 18: its own sequence number).
    heads.set(message.creator, { globalTime: message.globalTime, sequence: seq });
    return { kind: 'accept', message };
  });
  return { verdicts, deleted };
}

function checkLastSync<M extends DistributionMessage>(
  messages: readonly M[], historySize: number, pruning: Pruning | undefined, store: DistributionStore, ctx: DistributionContext,
): DistributionOutcome<M> {
  const seen = new Set<string>();
  const times = new Map<number, number[]>();
  const verdicts = sorted(messages).map((message): DistributionVerdict<M> => {
    const early = windowDrop(message, pruning, ctx);
    if (early !== undefined) return drop(message, early);
    const key = `${message.creator}:${message.globalTime}`;
    if (seen.has(key)) return drop(message, 'duplicate_in_batch');
    seen.add(key);
    let tim = times.get(message.creator);
    if (tim === undefined) times.set(message.creator, (tim = [...store.lastSyncTimes(message.creator)]));
    // The original checked duplicates only when the time was in this meta's window; a row of another meta at the
    // same (creator, global time) would then break the unique key, so every message is checked.
    const dup = duplicateOf(message, store);
    if (dup !== undefined) return drop(message, dup.reason, dup.sendBack);
    if (tim.length >= historySize && Math.min(...tim) > message.globalTime) {
      const newest = historySize === 1 ? store.newestOf(message.creator) : undefined;
      return drop(message, 'old_message', newest === undefined ? undefined : [newest.packet]);
    }
    tim.push(message.globalTime);
    return { kind: 'accept', message };
  });
  return { verdicts, deleted: [] };
}

/**
 * Quirk 3 fixed: two double-signed packets carry "the same content" when the header (23 bytes) and everything
 * from the end of the authentication section to the signatures are equal (the members may be in another order and
 * the signatures may differ).
 */
function sameDoubleContent(stored: Uint8Array, message: DistributionMessage): boolean {
  const signatures = message.packet.length - message.signatureOffset;
  const storedUnsigned = stored.length - signatures;
  if (storedUnsigned !== message.signatureOffset) return false;
  return (
    bytesEqual(stored.subarray(0, 23), message.packet.subarray(0, 23)) &&
    bytesEqual(stored.subarray(message.authenticationEnd, storedUnsigned), message.packet.subarray(message.authenticationEnd, message.signatureOffset))
  );
}

function checkDoubleLastSync<M extends DistributionMessage>(
  messages: readonly M[], historySize: number, pruning: Pruning | undefined, store: DistributionStore, ctx: DistributionContext,
): DistributionOutcome<M> {
  const seen = new Set<string>();
  const pairs = new Map<string, Map<number, Uint8Array>>();
  const verdicts = sorted(messages).map((message): DistributionVerdict<M> => {
    const early = windowDrop(message, pruning, ctx);
    if (early !== undefined) return drop(message, early);
    const creatorKey = `${message.creator}:${message.globalTime}`;
    if (seen.has(creatorKey)) return drop(message, 'duplicate_in_batch');
    seen.add(creatorKey);
    const [a, b] = [...message.members].sort((x, y) => x - y) as [number, number];
    const pairKey = `${a}+${b}`;
    if (seen.has(`${pairKey}:${message.globalTime}`)) return drop(message, 'duplicate_in_batch');
    seen.add(`${pairKey}:${message.globalTime}`);
    const dup = duplicateOf(message, store);
    if (dup !== undefined) return drop(message, dup.reason, dup.sendBack);
    let tim = pairs.get(pairKey);
    if (tim === undefined) {
      tim = new Map(store.pairRows(a, b).map((row) => [row.globalTime, row.packet] as const));
      pairs.set(pairKey, tim);
    }
    const stored = tim.get(message.globalTime);
    if (stored !== undefined) {
      if (bytesEqual(stored, message.packet)) return drop(message, 'duplicate');
      if (!sameDoubleContent(stored, message)) return drop(message, 'duplicate_conflict');
      if (compareBytes(message.packet, stored) > 0) {
        const row = store.pairRows(a, b).find((r) => r.globalTime === message.globalTime);
        if (row !== undefined) store.replacePacket(row.id, message.packet, message.creator);
        tim.set(message.globalTime, message.packet);
      }
      return drop(message, 'duplicate_signature');
    }
    const globalTimes = [...tim.keys()];
    if (globalTimes.length >= historySize && Math.min(...globalTimes) > message.globalTime) {
      const newest = historySize === 1 ? tim.get(Math.max(...globalTimes)) : undefined;
      return drop(message, 'old_message', newest === undefined ? undefined : [newest]);
    }
    tim.set(message.globalTime, message.packet);
    return { kind: 'accept', message };
  });
  return { verdicts, deleted: [] };
}

/**
 * Runs the distribution rules of one meta over a batch (spec §4.6 `check_batch`).
 *
 * FullSync with sequence numbers, per message: (1) acceptable time, pruning, in-batch repeats; (2) a sequence number
 * that is already stored: identical → drop; the stored (global time, packet) is lower → drop and send ours back;
 * else delete the stored row and every later one, and continue; (3) a gap → delay for `last + 1 .. seq − 1`;
 * (4) a stored (creator, global time) → duplicate handling; (5) not a higher global time than the chain's last →
 * drop; (6) accept.
 * @param distribution the meta's distribution policy
 * @param doubleMember whether the meta uses DoubleMemberAuthentication (LastSync windows per member pair)
 * @param messages the batch (any order)
 * @param store the stored rows of this meta
 * @param ctx the community's global time and acceptable global time
 * @returns the verdicts in processing order, and rows the replace path deleted
 * @example
 * ```ts
 * const { verdicts } = checkBatch(meta.distribution, false, batch, view, { globalTime: 10, acceptableGlobalTime: 10_010 });
 * ```
 */
export function checkBatch<M extends DistributionMessage>(
  distribution: Distribution, doubleMember: boolean, messages: readonly M[], store: DistributionStore, ctx: DistributionContext,
): DistributionOutcome<M> {
  switch (distribution.kind) {
    case 'direct':
      return { verdicts: sorted(messages).map((message) => ({ kind: 'accept', message })), deleted: [] };
    case 'full-sync':
      return distribution.sequenceNumbers
        ? checkSequence(messages, distribution.pruning, store, ctx)
        : checkFullSync(messages, distribution.pruning, store, ctx);
    case 'last-sync':
      return doubleMember
        ? checkDoubleLastSync(messages, distribution.historySize, distribution.pruning, store, ctx)
        : checkLastSync(messages, distribution.historySize, distribution.pruning, store, ctx);
  }
}
