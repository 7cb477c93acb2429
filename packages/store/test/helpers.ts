/** Shared fixtures of the store tests: stores closed in teardown, a seeded community, members and packets. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import {
  type MemberRecord,
  type MetaMessageRecord,
  type Store,
  StoreError,
  type StoreOptions,
  openStore,
} from '../src/index.ts';

/** SHA-1, as `@dispersy/crypto`'s memberId computes a mid. */
export function sha1(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(bytes).digest());
}

/** A fake public key with a recognisable content. */
export function fakeKey(label: string): Uint8Array {
  return new TextEncoder().encode(`LibNaCLPK:${label.padEnd(64, '.')}`);
}

/** A packet whose bytes encode its (member, global time) so tests can check contents. */
export function packet(member: number, globalTime: number, size = 40): Uint8Array {
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, member);
  new DataView(bytes.buffer).setFloat64(4, globalTime);
  for (let i = 12; i < size; i++) bytes[i] = (member * 31 + globalTime * 7 + i) & 0xff;
  return bytes;
}

/** An in-memory store (or one at `path`), closed when the test finishes. */
export function open(path = ':memory:', options: StoreOptions = {}): Store {
  const store = openStore(path, options);
  onTestFinished(() => store.close());
  return store;
}

/** A temporary directory, removed when the test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dispersy-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A member with a fake key. */
export function member(store: Store, label: string): MemberRecord {
  const key = fakeKey(label);
  return store.members.getOrCreate(sha1(key), key);
}

/** The metas the seeded community defines (priorities and directions as in the debug community). */
export const SEED_METAS = [
  { name: 'dispersy-identity', priority: 16, direction: 'ASC' },
  { name: 'dispersy-authorize', priority: 128, direction: 'ASC' },
  { name: 'dispersy-revoke', priority: 128, direction: 'ASC' },
  { name: 'dispersy-undo-own', priority: 128, direction: 'ASC' },
  { name: 'dispersy-dynamic-settings', priority: 191, direction: 'DESC' },
  { name: 'ASC-text', priority: 128, direction: 'ASC' },
  { name: 'DESC-text', priority: 128, direction: 'DESC' },
  { name: 'RANDOM-text', priority: 128, direction: 'RANDOM' },
  { name: 'high-priority-text', priority: 200, direction: 'ASC' },
  { name: 'low-priority-text', priority: 100, direction: 'ASC' },
  { name: 'sequence-text', priority: 128, direction: 'ASC' },
  { name: 'last-1-text', priority: 128, direction: 'ASC' },
  { name: 'double-signed-text', priority: 128, direction: 'ASC' },
] as const;

/** A store with a community, its master, my member, two other members and the {@link SEED_METAS}. */
export interface Seeded {
  readonly store: Store;
  readonly community: number;
  readonly master: MemberRecord;
  readonly me: MemberRecord;
  readonly alice: MemberRecord;
  readonly bob: MemberRecord;
  /** Meta id by name. */
  readonly meta: (name: (typeof SEED_METAS)[number]['name']) => number;
  readonly metas: ReadonlyMap<string, MetaMessageRecord>;
}

/** Seeds a store (a fresh in-memory one by default). */
export function seed(store: Store = open()): Seeded {
  const master = member(store, 'master');
  const me = member(store, 'me');
  const alice = member(store, 'alice');
  const bob = member(store, 'bob');
  const community = store.communities.create({ master: master.id, myMember: me.id, classification: 'DebugCommunity' });
  const metas = store.metas.ensure(community.id, SEED_METAS);
  const meta = (name: string): number => {
    const record = metas.get(name);
    if (record === undefined) throw new Error(`no meta ${name}`);
    return record.id;
  };
  return { store, community: community.id, master, me, alice, bob, meta, metas };
}

/** The StoreError `fn` throws (other errors are rethrown; no error fails the test). */
export function storeErrorOf(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (StoreError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

/** The code of the StoreError `fn` throws. */
export function codeOf(fn: () => unknown): string {
  return storeErrorOf(fn).code;
}
