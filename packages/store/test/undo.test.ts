import { describe, expect, it } from 'vitest';
import { UNDONE_BY_POLICY } from '../src/index.ts';
import { open, packet, seed, type Seeded } from './helpers.ts';

function twoMessages(s: Seeded = seed()) {
  const text = s.meta('ASC-text');
  const undoOwn = s.meta('dispersy-undo-own');
  const [target, undo, undo2] = s.store.sync.insertBatch([
    { community: s.community, member: s.alice.id, globalTime: 5, meta: text, packet: packet(1, 5) },
    { community: s.community, member: s.alice.id, globalTime: 6, meta: undoOwn, packet: packet(1, 6) },
    { community: s.community, member: s.alice.id, globalTime: 7, meta: undoOwn, packet: packet(1, 7) },
  ]);
  if (target === undefined || undo === undefined || undo2 === undefined) throw new Error('insert failed');
  const key = { community: s.community, member: s.alice.id, globalTime: 5 };
  return { s, key, target: target.id, undo: undo.id, undo2: undo2.id };
}

describe('undo marks', () => {
  it('marks a message undone by an undo message, by key or id, and finds the undo packet', () => {
    const { s, key, target, undo, undo2 } = twoMessages();
    expect(s.store.undo.undoerOf(key)).toBeUndefined();
    expect(s.store.undo.markUndone(key, undo2)).toBe(true);
    expect(s.store.sync.get(key)?.undone).toBe(undo2);
    expect(s.store.undo.undoerOf(key)?.packet).toEqual(packet(1, 7));
    // duplicate undo-own resolution: the lower one takes over, and the higher is itself marked undone by it
    expect(s.store.undo.markUndone(target, undo)).toBe(true);
    expect(s.store.undo.markUndone(undo2, undo)).toBe(true);
    expect(s.store.undo.undoerOf(key)?.id).toBe(undo);
    expect(s.store.sync.getById(undo2)?.undone).toBe(undo);
    expect(s.store.undo.markUndone({ ...key, globalTime: 99 }, undo)).toBe(false);
    expect(s.store.undo.markUndone(12345, undo)).toBe(false);
  });

  it('keeps "undone by policy" distinct from "undone by sync row 1" (quirk 9)', () => {
    const s = seed();
    const text = s.meta('ASC-text');
    // Sync row 1 is an undo message; row 2 is undone by it; row 3 is undone by a policy change.
    s.store.sync.insertBatch([
      {
        community: s.community,
        member: s.bob.id,
        globalTime: 1,
        meta: s.meta('dispersy-undo-own'),
        packet: packet(2, 1),
      },
      { community: s.community, member: s.bob.id, globalTime: 2, meta: text, packet: packet(2, 2) },
      { community: s.community, member: s.alice.id, globalTime: 3, meta: text, packet: packet(1, 3) },
    ]);
    s.store.undo.markUndone(2, 1);
    expect(s.store.undo.markUndoneByPolicy(3)).toBe(true);
    expect(s.store.sync.getById(2)?.undone).toBe(1);
    expect(s.store.sync.getById(3)?.undone).toBe(UNDONE_BY_POLICY);
    expect(s.store.undo.undoerOf({ community: s.community, member: s.bob.id, globalTime: 2 })?.id).toBe(1);
    expect(s.store.undo.undoerOf({ community: s.community, member: s.alice.id, globalTime: 3 })).toBeUndefined();
  });

  it('marks and clears policy undo only where it applies', () => {
    const { s, target, undo } = twoMessages();
    expect(s.store.undo.clearUndoneByPolicy(target)).toBe(false); // live
    expect(s.store.undo.markUndoneByPolicy(target)).toBe(true);
    expect(s.store.undo.markUndoneByPolicy(target)).toBe(false); // already undone
    expect(s.store.undo.clearUndoneByPolicy(target)).toBe(true);
    expect(s.store.sync.getById(target)?.undone).toBe(0);
    s.store.undo.markUndone(target, undo);
    expect(s.store.undo.markUndoneByPolicy(target)).toBe(false); // an undo message's mark is not overwritten
    expect(s.store.undo.clearUndoneByPolicy(target)).toBe(false); // nor cleared by a policy redo
    expect(s.store.sync.getById(target)?.undone).toBe(undo);
  });

  it('redo() clears any mark, as the original does after a revoke (quirk 8)', () => {
    const { s, target, undo } = twoMessages();
    expect(s.store.undo.redo(target)).toBe(false);
    s.store.undo.markUndone(target, undo);
    expect(s.store.undo.redo(target)).toBe(true);
    s.store.undo.markUndoneByPolicy(target);
    expect(s.store.undo.redo(target)).toBe(true);
    expect(s.store.sync.getById(target)?.undone).toBe(0);
  });

  it('undone rows leave the syncable set and come back when redone', () => {
    const { s, target } = twoMessages();
    expect(s.store.selection.countSyncable(s.community)).toBe(3);
    s.store.undo.markUndoneByPolicy(target);
    expect(s.store.selection.countSyncable(s.community)).toBe(2);
    s.store.undo.redo(target);
    expect(s.store.selection.countSyncable(s.community)).toBe(3);
  });

  it('does not find an undo message that was pruned', () => {
    const { s, key, undo } = twoMessages();
    s.store.undo.markUndone(key, undo);
    s.store.sync.prune(s.meta('dispersy-undo-own'), 100);
    expect(s.store.undo.undoerOf(key)).toBeUndefined();
    expect(s.store.sync.get(key)?.undone).toBe(undo); // still undone
  });

  it('rejects bad arguments', () => {
    const store = open();
    expect(() => store.undo.markUndone(1, 0)).toThrow(RangeError);
    expect(() => store.undo.markUndone(1, UNDONE_BY_POLICY)).toThrow(RangeError);
    expect(() => store.undo.markUndone({ community: 1, member: 1, globalTime: 0 }, 1)).toThrow(RangeError);
    expect(() => store.undo.markUndone(null as unknown as number, 1)).toThrow(TypeError);
    expect(() => store.undo.redo(0)).toThrow(RangeError);
  });
});
