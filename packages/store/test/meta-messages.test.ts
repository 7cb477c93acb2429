import { describe, expect, it } from 'vitest';
import { MAX_METAS_PER_COMMUNITY, StoreError } from '../src/index.ts';
import { member, open } from './helpers.ts';

function community(): { store: ReturnType<typeof open>; id: number } {
  const store = open();
  const master = member(store, 'master');
  return { store, id: store.communities.create({ master: master.id, myMember: master.id, classification: 'A' }).id };
}

describe('meta-messages', () => {
  it('inserts new metas with defaults and returns them by name', () => {
    const { store, id } = community();
    const metas = store.metas.ensure(id, [
      { name: 'dispersy-identity', priority: 16 },
      { name: 'post', priority: 150, direction: 'DESC' },
      { name: 'random', direction: 'RANDOM' },
    ]);
    expect([...metas.keys()]).toEqual(['dispersy-identity', 'post', 'random']);
    expect(metas.get('dispersy-identity')).toEqual({
      id: 1,
      community: id,
      name: 'dispersy-identity',
      priority: 16,
      direction: 'ASC',
    });
    expect(metas.get('post')).toMatchObject({ priority: 150, direction: 'DESC' });
    expect(metas.get('random')).toMatchObject({ priority: 128, direction: 'RANDOM' });
    expect(store.metas.getById(2)).toEqual(metas.get('post'));
    expect(store.metas.getById(99)).toBeUndefined();
  });

  it('keeps ids stable, updates changed priority and direction, leaves other stored metas alone', () => {
    const { store, id } = community();
    const first = store.metas.ensure(id, [{ name: 'a', priority: 100 }, { name: 'old' }]);
    const second = store.metas.ensure(id, [{ name: 'a', priority: 200, direction: 'DESC' }, { name: 'b' }]);
    expect(second.get('a')).toEqual({ ...first.get('a'), priority: 200, direction: 'DESC' });
    expect(second.get('b')?.id).toBe(3);
    expect(store.metas.list(id).map((m) => [m.name, m.priority, m.direction])).toEqual([
      ['a', 200, 'DESC'],
      ['old', 128, 'ASC'],
      ['b', 128, 'ASC'],
    ]);
  });

  it('stores directions as 1 / −1 / 0 (spec §10)', () => {
    const { store, id } = community();
    store.metas.ensure(id, [
      { name: 'asc', direction: 'ASC' },
      { name: 'desc', direction: 'DESC' },
      { name: 'rnd', direction: 'RANDOM' },
    ]);
    const reopened = store.metas.list(id).map((m) => m.direction);
    expect(reopened).toEqual(['ASC', 'DESC', 'RANDOM']);
  });

  it('keeps names per community', () => {
    const { store, id } = community();
    const master2 = member(store, 'master2');
    const other = store.communities.create({ master: master2.id, myMember: master2.id, classification: 'A' }).id;
    const a = store.metas.ensure(id, [{ name: 'post' }]).get('post');
    const b = store.metas.ensure(other, [{ name: 'post' }]).get('post');
    expect(a?.id).not.toBe(b?.id);
  });

  it('rejects bad specs before writing anything', () => {
    const { store, id } = community();
    expect(() => store.metas.ensure(id, [{ name: 'a' }, { name: 'a' }])).toThrow(RangeError);
    expect(() => store.metas.ensure(id, [{ name: 'a', priority: 256 }])).toThrow(RangeError);
    expect(() => store.metas.ensure(id, [{ name: 'a', direction: 'UP' as 'ASC' }])).toThrow(RangeError);
    expect(() => store.metas.ensure(id, [{ name: '' }])).toThrow(RangeError);
    expect(() =>
      store.metas.ensure(
        id,
        Array.from({ length: MAX_METAS_PER_COMMUNITY + 1 }, (_, i) => ({ name: `m${i}` })),
      ),
    ).toThrow(RangeError);
    expect(store.metas.list(id)).toEqual([]);
  });

  it('reports an unknown community as CONSTRAINT', () => {
    const store = open();
    try {
      store.metas.ensure(5, [{ name: 'a' }]);
      expect.unreachable();
    } catch (err) {
      expect(StoreError.is(err) && err.code).toBe('CONSTRAINT');
    }
  });
});
