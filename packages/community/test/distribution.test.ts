import type { Distribution } from '@dispersy/codec';
import { describe, expect, test } from 'vitest';
import {
  checkBatch,
  compareBytes,
  pruningState,
  type DistributionContext,
  type DistributionMessage,
  type DistributionStore,
  type StoredRow,
} from '../src/distribution.ts';

// Synthetic packets: 23-byte header + `body` bytes (the unsigned part), then `signature` bytes. The rules only
// compare bytes and use the offsets, so no real encoding is needed.
const SIG = 4;
function packet(body: number[], signature: number[] = [1, 1, 1, 1], header = 0): Uint8Array {
  return Uint8Array.from([...new Array(23).fill(header), ...body, ...signature]);
}
function msg(creator: number, globalTime: number, body: number[], signature?: number[], extra: Partial<DistributionMessage> = {}): DistributionMessage {
  const p = packet(body, signature);
  return { creator, members: [creator], globalTime, packet: p, signatureOffset: p.length - SIG, authenticationEnd: 23, ...extra };
}

interface Row extends StoredRow {
  member: number;
  meta: string;
  pair?: [number, number];
}

/** An in-memory DistributionStore for meta `'m'` (rows of other metas take part in `rowAt` only). */
class FakeStore implements DistributionStore {
  rows: Row[] = [];
  replaced: { id: number; packet: Uint8Array; member: number | undefined }[] = [];
  #next = 1;
  add(member: number, globalTime: number, p: Uint8Array, options: { meta?: string; undone?: number; sequence?: number; pair?: [number, number] } = {}): Row {
    const row: Row = { id: this.#next++, member, meta: options.meta ?? 'm', globalTime, packet: p, undone: options.undone ?? 0, sequence: options.sequence ?? null, ...(options.pair ? { pair: options.pair } : {}) };
    this.rows.push(row);
    return row;
  }
  #mine(member: number): Row[] {
    return this.rows.filter((r) => r.meta === 'm' && r.member === member).sort((a, b) => a.globalTime - b.globalTime);
  }
  rowAt(member: number, globalTime: number): StoredRow | undefined {
    return this.rows.find((r) => r.member === member && r.globalTime === globalTime);
  }
  rowById(id: number): StoredRow | undefined {
    return this.rows.find((r) => r.id === id);
  }
  replacePacket(id: number, p: Uint8Array, member?: number): void {
    this.replaced.push({ id, packet: p, member });
    const row = this.rows.find((r) => r.id === id);
    if (row) (row as { packet: Uint8Array }).packet = p;
  }
  sequenceHead(member: number): { globalTime: number; sequence: number } {
    const rows = this.#mine(member);
    return { globalTime: Math.max(0, ...rows.map((r) => r.globalTime)), sequence: Math.max(0, ...rows.map((r) => r.sequence ?? 0)) };
  }
  sequenceRowAt(member: number, position: number): StoredRow | undefined {
    return this.#mine(member)[position - 1];
  }
  deleteFrom(member: number, globalTime: number): readonly StoredRow[] {
    const gone = this.#mine(member).filter((r) => r.globalTime >= globalTime);
    this.rows = this.rows.filter((r) => !gone.includes(r));
    return gone;
  }
  lastSyncTimes(member: number): readonly number[] {
    return this.#mine(member).map((r) => r.globalTime);
  }
  newestOf(member: number): StoredRow | undefined {
    return this.#mine(member).at(-1);
  }
  pairRows(a: number, b: number): readonly StoredRow[] {
    const [x, y] = a < b ? [a, b] : [b, a];
    return this.rows
      .filter((r) => r.meta === 'm' && r.pair !== undefined && r.pair[0] === x && r.pair[1] === y)
      .sort((p, q) => p.globalTime - q.globalTime || compareBytes(p.packet, q.packet));
  }
}

const CTX: DistributionContext = { globalTime: 100, acceptableGlobalTime: 1000 };
const FULL: Distribution = { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 };
const SEQ: Distribution = { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 };
const LAST1: Distribution = { kind: 'last-sync', historySize: 1, direction: 'ASC', priority: 128 };
const LAST3: Distribution = { kind: 'last-sync', historySize: 3, direction: 'ASC', priority: 128 };
const kinds = (out: { verdicts: readonly { kind: string }[] }): string[] => out.verdicts.map((v) => v.kind);
const reasons = (out: { verdicts: readonly { kind: string; reason?: string }[] }): (string | undefined)[] => out.verdicts.map((v) => v.reason);

describe('helpers', () => {
  test('compareBytes is Python 2 str order (prefix first)', () => {
    expect(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9))).toBeGreaterThan(0);
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(0);
  });

  test('pruningState: active below inactive, inactive below pruned, then pruned (spec §4.4)', () => {
    const pruning = { kind: 'global-time', inactive: 10, pruned: 20 } as const;
    expect(pruningState(pruning, 30, 21)).toBe('active');
    expect(pruningState(pruning, 30, 20)).toBe('inactive');
    expect(pruningState(pruning, 30, 11)).toBe('inactive');
    expect(pruningState(pruning, 30, 10)).toBe('pruned');
    expect(pruningState(undefined, 1_000_000, 1)).toBe('active');
    expect(pruningState({ kind: 'none' }, 1_000_000, 1)).toBe('active');
  });
});

describe('direct distribution', () => {
  test('accepts everything, sorted by (global time, packet)', () => {
    const out = checkBatch({ kind: 'direct' }, false, [msg(1, 5, [2]), msg(1, 5, [1]), msg(1, 3, [9])], new FakeStore(), CTX);
    expect(kinds(out)).toEqual(['accept', 'accept', 'accept']);
    expect(out.verdicts.map((v) => v.message.globalTime)).toEqual([3, 5, 5]);
    expect(out.verdicts[1]?.message.packet[23]).toBe(1);
  });
});

describe('full sync without sequence numbers', () => {
  test('drops above the acceptable global time and pruned messages', () => {
    const out = checkBatch(FULL, false, [msg(1, 1001, [1])], new FakeStore(), CTX);
    expect(reasons(out)).toEqual(['global_time_not_acceptable']);
    const pruned = checkBatch({ ...FULL, pruning: { kind: 'global-time', inactive: 10, pruned: 20 } }, false, [msg(1, 90, [1]), msg(1, 91, [1])], new FakeStore(), CTX);
    expect(reasons(pruned)).toEqual(['pruned', undefined]);
  });

  test('drops a repeated (creator, global time) within the batch, keeping the lower packet', () => {
    const out = checkBatch(FULL, false, [msg(1, 5, [2]), msg(1, 5, [1]), msg(2, 5, [3])], new FakeStore(), CTX);
    expect(out.verdicts.map((v) => [v.message.creator, v.message.packet[23], v.kind])).toEqual([
      [1, 1, 'accept'],
      [1, 2, 'drop'],
      [2, 3, 'accept'],
    ]);
    expect(reasons(out)[1]).toBe('duplicate_in_batch');
  });

  test('a byte-identical stored packet is a duplicate; when undone, the undo packet goes back', () => {
    const store = new FakeStore();
    const undo = store.add(1, 50, packet([7, 7]));
    const m = msg(1, 5, [1]);
    store.add(1, 5, m.packet, { undone: undo.id });
    const out = checkBatch(FULL, false, [m], store, CTX);
    expect(out.verdicts[0]).toMatchObject({ kind: 'drop', reason: 'duplicate', sendBack: [undo.packet] });
  });

  test('a row undone by a policy change (undone < 0) sends nothing back (quirk 9)', () => {
    const store = new FakeStore();
    const m = msg(1, 5, [1]);
    store.add(1, 5, m.packet, { undone: -1 });
    expect(checkBatch(FULL, false, [m], store, CTX).verdicts[0]).toEqual({ kind: 'drop', message: m, reason: 'duplicate' });
  });

  test('same unsigned part, other signature: the higher packet is kept (quirk 2 fixed)', () => {
    const store = new FakeStore();
    const low = msg(1, 5, [1, 2, 3], [1, 1, 1, 1]);
    const high = msg(1, 5, [1, 2, 3], [9, 9, 9, 9]);
    const row = store.add(1, 5, low.packet);
    const out = checkBatch(FULL, false, [high], store, CTX);
    expect(reasons(out)).toEqual(['duplicate_signature']);
    expect(store.replaced).toEqual([{ id: row.id, packet: high.packet, member: undefined }]);
    // the lower one arriving later changes nothing
    const again = checkBatch(FULL, false, [low], store, CTX);
    expect(reasons(again)).toEqual(['duplicate_signature']);
    expect(store.replaced).toHaveLength(1);
  });

  test('quirk 2: packets equal only in their first signature-length bytes are a conflict, not a re-signature', () => {
    const store = new FakeStore();
    const body = new Array(80).fill(5);
    const stored = msg(1, 5, body, [1, 1, 1, 1]);
    const other = msg(1, 5, [...body.slice(0, 79), 6], [9, 9, 9, 9]);
    store.add(1, 5, stored.packet);
    expect(reasons(checkBatch(FULL, false, [other], store, CTX))).toEqual(['duplicate_conflict']);
    expect(store.replaced).toHaveLength(0);
  });

  test('a row of ANOTHER meta with the same (creator, global time) also blocks (unique key)', () => {
    const store = new FakeStore();
    store.add(1, 5, packet([42]), { meta: 'other' });
    expect(reasons(checkBatch(FULL, false, [msg(1, 5, [1])], store, CTX))).toEqual(['duplicate_conflict']);
  });
});

describe('full sync with sequence numbers (spec §4.6 steps 1–6)', () => {
  const s = (creator: number, globalTime: number, sequenceNumber: number, body: number[] = [sequenceNumber]): DistributionMessage =>
    msg(creator, globalTime, body, undefined, { sequenceNumber });

  test('a chain in one batch is accepted in order', () => {
    const out = checkBatch(SEQ, false, [s(1, 12, 2), s(1, 11, 1), s(1, 13, 3)], new FakeStore(), CTX);
    expect(kinds(out)).toEqual(['accept', 'accept', 'accept']);
    expect(out.verdicts.map((v) => v.message.sequenceNumber)).toEqual([1, 2, 3]);
  });

  test('a gap delays the message for the missing range', () => {
    const store = new FakeStore();
    store.add(1, 11, packet([1]), { sequence: 1 });
    const out = checkBatch(SEQ, false, [s(1, 15, 5)], store, CTX);
    expect(out.verdicts[0]).toMatchObject({ kind: 'delay', low: 2, high: 4 });
  });

  test('a stored sequence number: identical → duplicate', () => {
    const store = new FakeStore();
    const m = s(1, 11, 1);
    store.add(1, 11, m.packet, { sequence: 1 });
    expect(reasons(checkBatch(SEQ, false, [m], store, CTX))).toEqual(['duplicate']);
  });

  test('a conflict where ours is lower: drop and send ours back', () => {
    const store = new FakeStore();
    const ours = s(1, 11, 1, [1]);
    store.add(1, 11, ours.packet, { sequence: 1 });
    const theirs = s(1, 12, 1, [2]);
    const out = checkBatch(SEQ, false, [theirs], store, CTX);
    expect(out.verdicts[0]).toMatchObject({ kind: 'drop', reason: 'sequence_conflict', sendBack: [ours.packet] });
  });

  test('a conflict where theirs is lower: delete ours and later rows, report them, accept (quirk 18)', () => {
    const store = new FakeStore();
    store.add(1, 11, packet([1]), { sequence: 1 });
    store.add(1, 13, packet([2]), { sequence: 2 });
    store.add(1, 14, packet([3]), { sequence: 3 });
    const replacement = s(1, 12, 2, [9]);
    const next = s(1, 15, 3, [10]);
    const out = checkBatch(SEQ, false, [next, replacement], store, CTX);
    expect(kinds(out)).toEqual(['accept', 'accept']);
    expect(out.deleted.map((d) => [d.member, d.row.globalTime])).toEqual([[1, 13], [1, 14]]);
    expect(store.rows.map((r) => r.globalTime)).toEqual([11]);
  });

  test('a higher sequence number with a lower global time is dropped (step 5)', () => {
    const store = new FakeStore();
    store.add(1, 20, packet([1]), { sequence: 1 });
    expect(reasons(checkBatch(SEQ, false, [s(1, 19, 2)], store, CTX))).toEqual(['sequence_global_time']);
  });

  test('step 4: the (creator, global time) is taken by another message', () => {
    const store = new FakeStore();
    store.add(1, 11, packet([1]), { sequence: 1 });
    store.add(1, 12, packet([77]), { meta: 'other' });
    expect(reasons(checkBatch(SEQ, false, [s(1, 12, 2)], store, CTX))).toEqual(['duplicate_conflict']);
  });

  test('window checks come first (step 1)', () => {
    expect(reasons(checkBatch(SEQ, false, [s(1, 2000, 1)], new FakeStore(), CTX))).toEqual(['global_time_not_acceptable']);
    expect(reasons(checkBatch(SEQ, false, [s(1, 11, 1), s(1, 11, 2)], new FakeStore(), CTX))).toEqual([undefined, 'duplicate_in_batch']);
  });
});

describe('last sync, single member', () => {
  test('history 1: newer accepted; older dropped with our newest sent back', () => {
    const store = new FakeStore();
    const stored = store.add(1, 10, packet([1]));
    expect(kinds(checkBatch(LAST1, false, [msg(1, 11, [2])], store, CTX))).toEqual(['accept']);
    const out = checkBatch(LAST1, false, [msg(1, 9, [3])], store, CTX);
    expect(out.verdicts[0]).toMatchObject({ kind: 'drop', reason: 'old_message', sendBack: [stored.packet] });
  });

  test('history 3: older than the full window is dropped without sending back', () => {
    const store = new FakeStore();
    for (const t of [10, 11, 12]) store.add(1, t, packet([t]));
    const out = checkBatch(LAST3, false, [msg(1, 9, [9]), msg(1, 13, [13]), msg(2, 1, [1])], store, CTX);
    expect(kinds(out)).toEqual(['accept', 'drop', 'accept']);
    expect(out.verdicts[1]).toEqual(expect.objectContaining({ reason: 'old_message' }));
    expect(out.verdicts[1]).not.toHaveProperty('sendBack');
  });

  test('a stored global time is a duplicate (identical or not)', () => {
    const store = new FakeStore();
    const m = msg(1, 10, [1]);
    store.add(1, 10, m.packet);
    expect(reasons(checkBatch(LAST1, false, [m], store, CTX))).toEqual(['duplicate']);
    expect(reasons(checkBatch(LAST1, false, [msg(1, 10, [2])], store, CTX))).toEqual(['duplicate_conflict']);
  });
});

describe('last sync, member pairs', () => {
  const double = (a: number, b: number, globalTime: number, body: number[], signature?: number[]): DistributionMessage => {
    const p = packet([a, b, ...body], signature);
    return { creator: a, members: [a, b], globalTime, packet: p, signatureOffset: p.length - SIG, authenticationEnd: 25 };
  };

  test('the window is per unordered pair; older dropped with the newest sent back', () => {
    const store = new FakeStore();
    const ab = store.add(1, 10, double(1, 2, 10, [5]).packet, { pair: [1, 2] });
    const out = checkBatch(LAST1, true, [double(2, 1, 9, [6]), double(1, 3, 9, [7])], store, CTX);
    const byPair = new Map(out.verdicts.map((v) => [v.message.members.join('+'), v]));
    expect(byPair.get('1+3')?.kind).toBe('accept');
    expect(byPair.get('2+1')).toMatchObject({ kind: 'drop', reason: 'old_message', sendBack: [ab.packet] });
  });

  test('same content with the members swapped: the higher packet is kept with its creator (quirk 3 fixed)', () => {
    const store = new FakeStore();
    const stored = double(1, 2, 10, [5], [1, 1, 1, 1]);
    const row = store.add(1, 10, stored.packet, { pair: [1, 2] });
    const swapped = double(2, 1, 10, [5], [1, 1, 1, 1]);
    const out = checkBatch(LAST1, true, [swapped], store, CTX);
    expect(reasons(out)).toEqual(['duplicate_signature']);
    expect(store.replaced).toEqual([{ id: row.id, packet: swapped.packet, member: 2 }]);
  });

  test('other content at the same global time is a conflict', () => {
    const store = new FakeStore();
    store.add(1, 10, double(1, 2, 10, [5]).packet, { pair: [1, 2] });
    expect(reasons(checkBatch(LAST1, true, [double(2, 1, 10, [6])], store, CTX))).toEqual(['duplicate_conflict']);
  });

  test('the same pair and global time twice in one batch', () => {
    const out = checkBatch(LAST1, true, [double(1, 2, 10, [5]), double(2, 1, 10, [5])], new FakeStore(), CTX);
    expect(reasons(out)).toEqual([undefined, 'duplicate_in_batch']);
  });
});
