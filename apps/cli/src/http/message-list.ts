/**
 * Listing a community's stored messages for `GET /v1/communities/:cid/messages`: the rows of one or every stored
 * meta with global time above `since`, in (global time, row) order, at most `limit` of them, merged from the
 * store's per-meta chunked iterators (the store has no cross-meta listing query). A page never splits a global
 * time: rows sharing the last global time of a full page are included (up to {@link MAX_LIMIT} more), so `next`
 * (the last global time) resumes the listing without losing messages.
 */
import { isSyncMeta, type Community } from '@dispersy/community';
import type { SyncRow } from '@dispersy/store';

/** Default page size. */
export const DEFAULT_LIMIT = 100;
/** Largest page size a client may ask for. */
export const MAX_LIMIT = 1000;

/** A page of stored rows. */
export interface MessagePage {
  readonly rows: readonly SyncRow[];
  /** The `since` of the next page, or null when this page holds the last rows. */
  readonly next: number | null;
}

/** What to list. */
export interface ListQuery {
  /** Meta names (every stored meta of the community when empty). */
  readonly metas: readonly string[];
  /** Only rows with a global time above this. */
  readonly since: number;
  /** 1..{@link MAX_LIMIT}. */
  readonly limit: number;
}

/**
 * The names of a community's metas whose messages are stored (every non-direct distribution).
 * @param community a loaded community
 * @returns the meta names
 */
export function storedMetaNames(community: Community): string[] {
  return [...community.metas.values()].filter((rt) => isSyncMeta(rt.meta)).map((rt) => rt.name);
}

interface Head {
  readonly iterator: Generator<SyncRow, void, undefined>;
  row: SyncRow | undefined;
}

function before(a: SyncRow, b: SyncRow): boolean {
  return a.globalTime < b.globalTime || (a.globalTime === b.globalTime && a.id < b.id);
}

/**
 * Lists stored rows (see the module comment).
 * @param community a loaded community
 * @param query metas, since, limit
 * @returns the page
 * @throws RangeError for a meta name the community does not have
 * @example `listMessages(community, { metas: ['full-sync-text'], since: 0, limit: 100 })`
 */
export function listMessages(community: Community, query: ListQuery): MessagePage {
  const names = query.metas.length > 0 ? query.metas : storedMetaNames(community);
  const chunkSize = Math.min(query.limit + 1, 256);
  const heads: Head[] = names.map((name) => {
    const iterator = community.storage.store.sync.iterateByMeta(community.storage.metaId(name), { low: query.since + 1, chunkSize });
    return { iterator, row: iterator.next().value ?? undefined };
  });
  const rows: SyncRow[] = [];
  let more = false;
  try {
    for (;;) {
      let best: Head | undefined;
      for (const head of heads) {
        if (head.row !== undefined && (best === undefined || before(head.row, best.row as SyncRow))) best = head;
      }
      if (best === undefined) break;
      const row = best.row as SyncRow;
      const last = rows.at(-1);
      if (rows.length >= query.limit && (last === undefined || row.globalTime !== last.globalTime || rows.length >= query.limit + MAX_LIMIT)) {
        more = true;
        break;
      }
      rows.push(row);
      best.row = best.iterator.next().value ?? undefined;
    }
  } finally {
    for (const head of heads) head.iterator.return();
  }
  const last = rows.at(-1);
  return { rows, next: more && last !== undefined ? last.globalTime : null };
}
