/**
 * The tracker's small status API (`dispersy tracker --api HOST:PORT`), read-only, with the node API's guards
 * (loopback Host check, optional bearer token, error shapes; see ../http/app.ts):
 *
 * - `GET /v1/node` — who the tracker is: publicKey, mid, keyLevel, udp, lan, wan, connectionType, version, the
 *   number of communities served and their candidates, uptime;
 * - `GET /v1/communities` — the communities served, most verified candidates first (at most
 *   {@link MAX_LISTED_COMMUNITIES}): cid, community version, candidates, verified candidates;
 * - `GET /v1/stats` — the node's counters (packets and bytes per message, drops by stage and reason, walker
 *   answers) and the endpoint's;
 * - `GET /metrics` — the same in the Prometheus text format, plus tracker gauges. No per-community labels: a
 *   tracker serves up to `--max-communities` communities, too many label values for a scraper.
 */
import type { Hono } from 'hono';
import type { Dispersy } from '@dispersy/community';
import { formatAddress } from '@dispersy/interfaces';
import { guardedApp } from '../http/app.ts';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE, statisticsFamilies, type MetricFamily } from '../http/metrics.ts';
import { endpointFamilies, statsOf } from '../http/routes-node.ts';
import type { Logger } from '../node/logger.ts';
import { hex } from '../node/render.ts';

/** Most communities `GET /v1/communities` lists. */
export const MAX_LISTED_COMMUNITIES = 1000;

/** What the tracker's API serves. */
export interface TrackerApiContext {
  readonly node: Dispersy;
  readonly log: Logger;
  /** When the tracker started (ms since the epoch). */
  readonly startedAt: number;
  /** The CLI's version. */
  readonly version: string;
  /** The bearer token demanded, if any. */
  readonly token: string | undefined;
  /** Accept only loopback names in the Host header (the API is bound to loopback). */
  readonly loopbackHostsOnly: boolean;
}

/** Totals over the communities a tracker serves. */
export interface TrackerCounts {
  readonly communities: number;
  readonly candidates: number;
  readonly verifiedCandidates: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/**
 * Counts what a tracker serves (linear in its communities, which are bounded).
 * @param node the tracker node
 * @returns communities, candidates, verified candidates, endpoint packets and bytes
 * @example `log.info('tracker status', trackerCounts(node))`
 */
export function trackerCounts(node: Dispersy): TrackerCounts {
  let communities = 0;
  let candidates = 0;
  let verifiedCandidates = 0;
  for (const c of node.communities.values()) {
    if (!c.loaded) continue;
    communities++;
    candidates += c.candidates.size;
    verifiedCandidates += c.candidates.verifiedCandidates(c.clock.now()).length;
  }
  const e = node.endpoint.counters;
  return { communities, candidates, verifiedCandidates, packetsIn: e.packetsReceived, packetsOut: e.packetsSent, bytesIn: e.bytesReceived, bytesOut: e.bytesSent };
}

function uptime(ctx: TrackerApiContext): number {
  return Math.round((Date.now() - ctx.startedAt) / 100) / 10;
}

function gauges(ctx: TrackerApiContext): MetricFamily[] {
  const counts = trackerCounts(ctx.node);
  const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ labels: {}, value }] });
  return [
    gauge('dispersy_uptime_seconds', 'Seconds since the tracker started.', uptime(ctx)),
    gauge('dispersy_communities', 'Communities the tracker serves.', counts.communities),
    gauge('dispersy_tracker_candidates', 'Candidates over every served community.', counts.candidates),
    gauge('dispersy_tracker_verified_candidates', 'Verified (walk or stumble) candidates over every served community.', counts.verifiedCandidates),
    ...endpointFamilies(ctx.node),
  ];
}

/**
 * Builds the tracker's status app (see the module comment).
 * @param ctx the tracker and the API's guards
 * @returns the app; serve it with ../http/server.ts or call `app.request()`
 * @example `const res = await createTrackerApp(ctx).request('/v1/node');`
 */
export function createTrackerApp(ctx: TrackerApiContext): Hono {
  const app = guardedApp(ctx);

  app.get('/v1/node', (c) => {
    const key = ctx.node.myMember.publicKey;
    const votes = ctx.node.votes;
    const counts = trackerCounts(ctx.node);
    return c.json({
      mode: 'tracker',
      publicKey: hex(key.bytes),
      mid: hex(key.mid),
      keyLevel: key.level,
      udp: formatAddress(ctx.node.address),
      lan: formatAddress(votes.lan),
      wan: formatAddress(votes.wan),
      connectionType: votes.connectionType,
      version: ctx.version,
      communities: counts.communities,
      candidates: counts.candidates,
      verifiedCandidates: counts.verifiedCandidates,
      uptime: uptime(ctx),
    });
  });

  app.get('/v1/communities', (c) => {
    const rows = [...ctx.node.communities.values()].filter((x) => x.loaded).map((x) => {
      const now = x.clock.now();
      return { cid: x.cidHex, communityVersion: x.definition.communityVersion, candidates: x.candidates.size, verifiedCandidates: x.candidates.verifiedCandidates(now).length };
    });
    rows.sort((a, b) => b.verifiedCandidates - a.verifiedCandidates || b.candidates - a.candidates);
    return c.json({ total: rows.length, communities: rows.slice(0, MAX_LISTED_COMMUNITIES) });
  });

  app.get('/v1/stats', (c) => c.json({
    uptime: uptime(ctx),
    tracker: trackerCounts(ctx.node),
    node: statsOf(ctx.node.statistics.snapshot()),
    endpoint: ctx.node.endpoint.counters,
  }));

  app.get('/metrics', (c) => {
    const text = formatPrometheus([...statisticsFamilies(ctx.node.statistics.samples()), ...gauges(ctx)]);
    return c.body(text, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });

  return app;
}
