import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMUNITY_DATABASE_VERSION } from '../src/index.ts';
import { codeOf, member, open } from './helpers.ts';

describe('communities', () => {
  it('creates a community and loads it by master and by id', () => {
    const store = open();
    const master = member(store, 'master');
    const me = member(store, 'me');
    const created = store.communities.create({ master: master.id, myMember: me.id, classification: 'DebugCommunity' });
    expect(created).toEqual({
      id: 1,
      master: master.id,
      myMember: me.id,
      classification: 'DebugCommunity',
      autoLoad: true,
      databaseVersion: DEFAULT_COMMUNITY_DATABASE_VERSION,
    });
    expect(store.communities.getByMaster(master.id)).toEqual(created);
    expect(store.communities.getById(created.id)).toEqual(created);
    expect(store.communities.getByMaster(me.id)).toBeUndefined();
    expect(store.communities.getById(2)).toBeUndefined();
  });

  it('refuses a second community with the same master (DUPLICATE) and unknown members (CONSTRAINT)', () => {
    const store = open();
    const master = member(store, 'master');
    const me = member(store, 'me');
    store.communities.create({ master: master.id, myMember: me.id, classification: 'A' });
    expect(codeOf(() => store.communities.create({ master: master.id, myMember: me.id, classification: 'B' }))).toBe(
      'DUPLICATE',
    );
    expect(codeOf(() => store.communities.create({ master: 77, myMember: me.id, classification: 'B' }))).toBe(
      'CONSTRAINT',
    );
  });

  it('ensure() loads an existing community, updating my member when it changed', () => {
    const store = open();
    const master = member(store, 'master');
    const me = member(store, 'me');
    const other = member(store, 'other');
    const created = store.communities.ensure({
      master: master.id,
      myMember: me.id,
      classification: 'A',
      autoLoad: false,
    });
    expect(created.autoLoad).toBe(false);
    expect(store.communities.ensure({ master: master.id, myMember: me.id, classification: 'ignored' })).toEqual(
      created,
    );
    const moved = store.communities.ensure({ master: master.id, myMember: other.id, classification: 'A' });
    expect(moved).toEqual({ ...created, myMember: other.id });
    expect(store.communities.getById(created.id)).toEqual(moved);
  });

  it('updates classification, auto-load flag and data version', () => {
    const store = open();
    const master = member(store, 'master');
    const c = store.communities.create({
      master: master.id,
      myMember: master.id,
      classification: 'A',
      databaseVersion: 3,
    });
    expect(c.databaseVersion).toBe(3);
    expect(store.communities.setClassification(c.id, 'HardKilledCommunity')).toBe(true);
    expect(store.communities.setAutoLoad(c.id, false)).toBe(true);
    expect(store.communities.setDatabaseVersion(c.id, 4)).toBe(true);
    expect(store.communities.getById(c.id)).toMatchObject({
      classification: 'HardKilledCommunity',
      autoLoad: false,
      databaseVersion: 4,
    });
    expect(store.communities.setClassification(99, 'X')).toBe(false);
    expect(store.communities.setAutoLoad(99, true)).toBe(false);
    expect(store.communities.setDatabaseVersion(99, 1)).toBe(false);
  });

  it('lists auto-load communities in pages', () => {
    const store = open();
    const me = member(store, 'me');
    const ids = Array.from({ length: 5 }, (_, i) => {
      const master = member(store, `master-${i}`);
      return store.communities.create({
        master: master.id,
        myMember: me.id,
        classification: `C${i}`,
        autoLoad: i !== 2,
      }).id;
    });
    expect(store.communities.list().map((c) => c.id)).toEqual(ids);
    expect(store.communities.listAutoLoad().map((c) => c.classification)).toEqual(['C0', 'C1', 'C3', 'C4']);
    const page1 = store.communities.listAutoLoad({ limit: 2 });
    const page2 = store.communities.listAutoLoad({ afterId: page1.at(-1)?.id ?? 0, limit: 2 });
    expect([...page1, ...page2].map((c) => c.classification)).toEqual(['C0', 'C1', 'C3', 'C4']);
    expect(() => store.communities.list({ limit: 0 })).toThrow(RangeError);
  });

  it('rejects malformed arguments', () => {
    const store = open();
    expect(() => store.communities.create({ master: 1, myMember: 1, classification: '' })).toThrow(RangeError);
    expect(() => store.communities.create({ master: 0, myMember: 1, classification: 'A' })).toThrow(RangeError);
    expect(() =>
      store.communities.create({ master: 1, myMember: 1, classification: 'A', autoLoad: 1 as unknown as boolean }),
    ).toThrow(TypeError);
    expect(() => store.communities.setAutoLoad(1, 'yes' as unknown as boolean)).toThrow(TypeError);
    expect(() => store.communities.setDatabaseVersion(1, -1)).toThrow(RangeError);
  });
});
