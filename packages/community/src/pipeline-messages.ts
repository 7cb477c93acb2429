/**
 * The second half of the incoming pipeline (spec §1, §4.6, §12.2 step 4, `on_messages`): for a batch of decoded
 * messages of one meta — distribution rules → check callback → store (ONE transaction) → handle callback →
 * resume the delayed items that were waiting for these messages. Delays register once and send their request to
 * the sender once (the DelayRegistry de-duplicates); `sendBack` packets of the rules and checks go to the sender.
 *
 * A handle callback that throws is counted (`handle_failed`); the stored rows stay and nothing is resumed, as in
 * the original.
 */
import { HEADER_LENGTH } from '@dispersy/codec';
import { checkBatch, compareBytes, type DeletedRow, type DistributionMessage } from './distribution.ts';
import { genericTimelineCheck } from './builtins/generic-check.ts';
import { sendRequest } from './builtins/requests.ts';
import type { Community } from './community.ts';
import type { DelayCause, ProcessedRecord } from './delays.ts';
import { toHex } from './internal/bytes.ts';
import type { Message, UndoRecord } from './message.ts';
import { receivePackets, unexpected } from './pipeline.ts';
import type { RuntimeMeta } from './runtime-meta.ts';
import type { NewStoredMessage } from './storage.ts';

interface Entry extends DistributionMessage {
  readonly message: Message;
}

/**
 * Runs the distribution rules, the check callback, storing, the handle callback and the resumption of delayed
 * items for a batch of one meta.
 * @param c the community
 * @param name the meta name
 * @param messages decoded, verified messages of that meta
 * @example `community.work.run(() => onMessages(community, 'full-sync-text', messages))`
 */
export function onMessages(c: Community, name: string, messages: readonly Message[]): void {
  if (messages.length === 0) return;
  if (!c.loaded) {
    c.statistics.drop('message', 'not_loaded', messages.length);
    return;
  }
  const rt = c.metas.get(name);
  if (rt === undefined) {
    c.statistics.drop('message', 'unknown_meta', messages.length);
    return;
  }
  if (!rt.implemented) {
    c.statistics.drop('message', 'not_implemented', messages.length);
    return;
  }
  let accepted = distribute(c, rt, messages);
  if (accepted.length > 0) accepted = check(c, rt, accepted);
  if (accepted.length === 0) return;
  let stored: readonly Message[];
  try {
    stored = storeMessages(c, rt, accepted);
  } catch (err) {
    unexpected(c, err, 'message', 'store_failed', accepted.length);
    return;
  }
  if (stored.length < accepted.length) c.statistics.drop('message', 'duplicate', accepted.length - stored.length);
  if (stored.length === 0) return;
  if (rt.handle !== undefined) {
    try {
      rt.handle(stored, c);
    } catch (err) {
      unexpected(c, err, 'message', 'handle_failed', stored.length);
      return;
    }
  }
  c.statistics.processed(name, stored.length);
  resumeDelayed(c, stored);
}

/** The distribution phase: returns the accepted messages in (global time, packet) order. */
function distribute(c: Community, rt: RuntimeMeta, messages: readonly Message[]): Message[] {
  const distribution = rt.meta.distribution;
  if (distribution.kind === 'direct') {
    // Not stored, no duplicate detection (spec §4.4): the sender candidate learns the global time and member.
    const sorted = [...messages].sort((a, b) => a.globalTime - b.globalTime || compareBytes(a.packet, b.packet));
    for (const m of sorted) {
      const candidate = m.source === undefined ? undefined : c.candidates.get(m.source.address);
      if (candidate === undefined) continue;
      candidate.reportGlobalTime(m.globalTime);
      if (rt.meta.authentication.kind === 'member' && m.members[0] !== undefined) candidate.associate(toHex(m.members[0].mid));
    }
    return sorted;
  }
  let entries: Entry[];
  try {
    entries = messages.map((message) => entryOf(c, message));
  } catch (err) {
    unexpected(c, err, 'message', 'member_lookup_failed', messages.length);
    return [];
  }
  const outcome = checkBatch(distribution, rt.meta.authentication.kind === 'double-member', entries, c.storage.view(rt.name), {
    globalTime: c.globalTime,
    acceptableGlobalTime: c.acceptableGlobalTime,
  });
  const accepted: Message[] = [];
  for (const verdict of outcome.verdicts) {
    const m = verdict.message.message;
    if (verdict.kind !== 'delay' && verdict.sendBack !== undefined && m.source !== undefined) c.send(verdict.sendBack, [m.source]);
    if (verdict.kind === 'accept') accepted.push(m);
    else if (verdict.kind === 'drop') c.statistics.drop('message', verdict.reason);
    else {
      const mid = (m.members[0] as { mid: Uint8Array }).mid;
      delayMessage(c, m, { kind: 'sequence', mid, meta: rt.name, low: verdict.low, high: verdict.high });
    }
  }
  if (outcome.deleted.length > 0) undoReplaced(c, rt, outcome.deleted);
  return accepted;
}

function entryOf(c: Community, message: Message): Entry {
  const members = message.members.map((key) => c.node.members.idOf(key));
  let authentication = 0;
  for (const key of message.members) authentication += message.memberEncoding === 'sha1' ? 20 : 2 + key.bytes.length;
  return {
    message,
    creator: members[0] ?? 0,
    members,
    globalTime: message.globalTime,
    sequenceNumber: message.sequenceNumber,
    packet: message.packet,
    signatureOffset: message.signatureOffset,
    authenticationEnd: HEADER_LENGTH + authentication,
  };
}

/**
 * Quirk 18 decided: the rows a sequence conflict deleted had been handled, so the live ones get the meta's undo
 * callback (reason `'replaced'`); they are counted as `replaced_by_sequence_conflict`.
 */
function undoReplaced(c: Community, rt: RuntimeMeta, deleted: readonly DeletedRow[]): void {
  c.statistics.drop('message', 'replaced_by_sequence_conflict', deleted.length);
  if (rt.undo === undefined) return;
  const records: UndoRecord[] = [];
  for (const { member, row } of deleted) {
    const key = row.undone === 0 ? c.node.members.keyOf(member) : undefined;
    if (key !== undefined) records.push({ meta: rt.name, member: key, globalTime: row.globalTime, packet: row.packet, reason: 'replaced' });
  }
  if (records.length === 0) return;
  try {
    rt.undo(records, c);
  } catch (err) {
    unexpected(c, err, 'message', 'undo_failed', records.length);
  }
}

/** The check phase: the meta's check callback (default: the generic timeline check). */
function check(c: Community, rt: RuntimeMeta, messages: readonly Message[]): Message[] {
  const callback = rt.check ?? genericTimelineCheck;
  let verdicts: readonly { kind: string }[];
  try {
    verdicts = callback(messages, c);
    if (!Array.isArray(verdicts) || verdicts.length !== messages.length) {
      throw new TypeError(`check callback of ${rt.name} returned ${Array.isArray(verdicts) ? verdicts.length : typeof verdicts} verdicts for ${messages.length} messages`);
    }
  } catch (err) {
    unexpected(c, err, 'message', 'check_failed', messages.length);
    return [];
  }
  const accepted: Message[] = [];
  messages.forEach((m, i) => {
    const verdict = (verdicts as ReturnType<typeof genericTimelineCheck>)[i];
    if (verdict === undefined) return;
    if (verdict.sendBack !== undefined && m.source !== undefined) c.send(verdict.sendBack, [m.source]);
    if (verdict.kind === 'accept') accepted.push(m);
    else if (verdict.kind === 'drop') c.statistics.drop('message', verdict.reason);
    else delayMessage(c, m, verdict.cause);
  });
  return accepted;
}

/**
 * Delays a message and sends the cause's request to its sender when the registry says so.
 * @param c the community
 * @param message the message (received: it has a source)
 * @param cause what it waits for
 * @example `delayMessage(community, message, { kind: 'message', mid, globalTime: 12 })`
 */
export function delayMessage(c: Community, message: Message, cause: DelayCause): void {
  if (message.source === undefined) {
    c.statistics.drop('message', 'delay_without_source');
    return;
  }
  const { request } = c.delays.delay({ stage: 'message', value: message }, cause, message.source, c.clock.now());
  if (request) sendRequest(c, cause, message.source);
}

/**
 * Stores messages of a sync meta in ONE transaction (spec §4.6 store phase): inserts the rows (double-signed
 * pairs too), trims LastSync windows, and raises the global time to the highest stored one (pruning runs then).
 * Direct metas are returned as they are. Tells the stored-listeners afterwards.
 * @param c the community
 * @param rt the meta
 * @param messages the messages
 * @returns the messages actually stored (a row whose key exists already is not)
 * @throws StoreError when the store fails (nothing is stored then)
 * @example `const stored = storeMessages(community, community.metas.get('full-sync-text')!, messages);`
 */
export function storeMessages(c: Community, rt: RuntimeMeta, messages: readonly Message[]): Message[] {
  const distribution = rt.meta.distribution;
  if (distribution.kind === 'direct') return [...messages];
  const members = c.node.members;
  const rows: NewStoredMessage[] = messages.map((m) => {
    const ids = m.members.map((key) => members.idOf(key));
    return {
      meta: rt.name,
      member: ids[0] as number,
      globalTime: m.globalTime,
      packet: m.packet,
      sequence: m.sequenceNumber,
      members: ids.length === 2 ? [ids[0] as number, ids[1] as number] : undefined,
    };
  });
  const stored = c.storage.transaction(() => {
    const results = c.storage.insert(rows);
    const out = messages.filter((_, i) => results[i]?.inserted === true);
    if (distribution.kind === 'last-sync') {
      const metaId = c.storage.metaId(rt.name);
      const done = new Set<string>();
      rows.forEach((row, i) => {
        if (results[i]?.inserted !== true) return;
        const key = row.members === undefined ? `${row.member}` : [...row.members].sort((a, b) => a - b).join('+');
        if (done.has(key)) return;
        done.add(key);
        if (row.members === undefined) c.storage.store.history.trim(metaId, row.member, distribution.historySize);
        else c.storage.store.history.trimPair(metaId, row.members[0], row.members[1], distribution.historySize);
      });
    }
    let highest = 0;
    for (const m of out) highest = Math.max(highest, m.globalTime);
    c.updateGlobalTime(highest);
    return out;
  });
  if (stored.length > 0) c.notifyStored(stored);
  return stored;
}

/**
 * Hands the processed messages to the delay registry and queues what it resumes: packets re-enter decoding,
 * messages re-run distribution and check (spec §6.3 `_resume_delayed`), after the current work.
 * @param c the community
 * @param messages successfully processed messages
 * @example `resumeDelayed(community, stored)`
 */
export function resumeDelayed(c: Community, messages: readonly Message[]): void {
  if (c.delays.size === 0) return;
  const records: ProcessedRecord[] = messages.map((m) => ({
    name: m.name,
    mid: m.members[0]?.mid ?? null,
    globalTime: m.globalTime,
    sequence: m.sequenceNumber ?? null,
  }));
  const { packets, messages: resumed } = c.delays.processed(records);
  if (packets.length > 0) receivePackets(c, packets.map((p) => ({ packet: p.value, source: p.source })), { resumed: true });
  const byMeta = new Map<string, Message[]>();
  for (const entry of resumed) {
    const list = byMeta.get(entry.value.name);
    if (list === undefined) byMeta.set(entry.value.name, [entry.value]);
    else list.push(entry.value);
  }
  for (const [name, list] of byMeta) c.work.run(() => onMessages(c, name, list));
}
