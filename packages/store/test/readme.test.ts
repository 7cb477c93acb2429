/** The README's usage example, verbatim, so it cannot rot (house style P12). */
import { createHash } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { openStore } from '../src/index.ts';

it('README usage example', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  const sha1 = (bytes: Uint8Array) => new Uint8Array(createHash('sha1').update(bytes).digest());
  const masterKey = new TextEncoder().encode('master public key'); // in real use: @dispersy/crypto keys and memberId()
  const myKey = new TextEncoder().encode('my public key');

  const store = openStore(':memory:'); // or a file path: WAL, synchronous NORMAL
  const master = store.members.getOrCreate(sha1(masterKey), masterKey);
  const me = store.members.getOrCreate(sha1(myKey), myKey);
  const community = store.communities.ensure({ master: master.id, myMember: me.id, classification: 'FeedCommunity' });
  const metas = store.metas.ensure(community.id, [
    { name: 'dispersy-identity', priority: 16 },
    { name: 'post', priority: 128, direction: 'DESC' },
  ]);
  const post = metas.get('post')!;

  // One incoming batch, one transaction.
  const results = store.transaction(() =>
    store.sync.insertBatch([
      { community: community.id, member: me.id, globalTime: 1, meta: post.id, packet: new Uint8Array([1, 2, 3]) },
      { community: community.id, member: me.id, globalTime: 2, meta: post.id, packet: new Uint8Array([4, 5, 6]) },
    ]),
  );
  console.log(results); // [ { id: 1, inserted: true }, { id: 2, inserted: true } ]
  console.log(store.sync.maxGlobalTime(community.id)); // 2: the Lamport clock at load

  // Responder side of Bloom-filter sync: stream the requested range, newest first for a DESC meta.
  const rows = store.selection.responderRows({ metas: [...metas.values()], timeLow: 1, timeHigh: 2 });
  console.log([...rows].map((row) => row.globalTime)); // [ 2, 1 ]

  store.close();

  expect(log.mock.calls).toEqual([
    [
      [
        { id: 1, inserted: true },
        { id: 2, inserted: true },
      ],
    ],
    [2],
    [[2, 1]],
  ]);
  log.mockRestore();
});

it('package documentation example (src/index.ts)', () => {
  const sha1 = (bytes: Uint8Array) => new Uint8Array(createHash('sha1').update(bytes).digest());
  const masterKey = new TextEncoder().encode('master public key');
  const myKey = new TextEncoder().encode('my public key');

  const store = openStore(':memory:');
  const master = store.members.getOrCreate(sha1(masterKey), masterKey);
  const me = store.members.getOrCreate(sha1(myKey), myKey);
  const community = store.communities.ensure({ master: master.id, myMember: me.id, classification: 'FeedCommunity' });
  const post = store.metas.ensure(community.id, [{ name: 'post', priority: 128, direction: 'DESC' }]).get('post')!;

  store.sync.insertBatch([
    { community: community.id, member: me.id, globalTime: 1, meta: post.id, packet: new Uint8Array([1, 2, 3]) },
    { community: community.id, member: me.id, globalTime: 2, meta: post.id, packet: new Uint8Array([4, 5, 6]) },
  ]);
  expect(store.sync.maxGlobalTime(community.id)).toBe(2);
  const rows = [...store.selection.responderRows({ metas: [post], timeLow: 1, timeHigh: 2 })];
  expect(rows.map((row) => row.globalTime)).toEqual([2, 1]);
  store.close();
});
