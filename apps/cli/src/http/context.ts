/**
 * What the HTTP API's routes work with: the node, the event hub and logger, and the helpers every
 * community-scoped route shares (finding the community named by `:cid`, reading a JSON body, counting messages).
 */
import type { Context } from 'hono';
import type { Community, Dispersy } from '@dispersy/community';
import type { EventHub } from '../node/events.ts';
import type { Logger } from '../node/logger.ts';
import { ApiError, badRequest } from './errors.ts';

/** The daemon state the API serves. */
export interface ApiContext {
  readonly node: Dispersy;
  readonly hub: EventHub;
  readonly log: Logger;
  /** When the daemon started (ms since the epoch). */
  readonly startedAt: number;
  /** The CLI's version. */
  readonly version: string;
  /** The bearer token demanded, if any. */
  readonly token: string | undefined;
  /** Accept only loopback names in the Host header (the API is bound to loopback): DNS-rebinding defence. */
  readonly loopbackHostsOnly: boolean;
}

/**
 * The community a `:cid` path parameter names.
 * @param ctx the API context
 * @param cid the parameter
 * @returns the loaded community
 * @throws ApiError 400 BAD_CID for a malformed cid; 404 UNKNOWN_COMMUNITY when this node has not joined it
 */
export function communityOf(ctx: ApiContext, cid: string | undefined): Community {
  if (cid === undefined || !/^[0-9a-fA-F]{40}$/.test(cid)) throw new ApiError(400, 'BAD_CID', 'a cid is 40 hex digits');
  const community = ctx.node.communities.get(cid.toLowerCase());
  if (community === undefined || !community.loaded) throw new ApiError(404, 'UNKNOWN_COMMUNITY', `this node has not joined community ${cid.toLowerCase()}`);
  return community;
}

/**
 * Reads a JSON object body. The body size is limited by the app's middleware.
 * @param c the request context
 * @returns the object
 * @throws ApiError 400 when the body is not a JSON object
 */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

const counts = new WeakMap<Community, { readonly at: number; readonly n: number }>();

/**
 * The number of live stored messages of the community's syncable metas (the count Bloom-filter sync uses; undone
 * rows excluded), cached for a second because the query is linear in the row count.
 * @param community a loaded community
 * @returns the count
 */
export function messageCount(community: Community): number {
  const now = Date.now();
  const cached = counts.get(community);
  if (cached !== undefined && now - cached.at < 1000) return cached.n;
  const n = community.storage.store.selection.countSyncable(community.storage.id);
  counts.set(community, { at: now, n });
  return n;
}
