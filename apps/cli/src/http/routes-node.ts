/**
 * Read-only routes about the node: `GET /v1/node`, `GET /v1/communities`, `GET /v1/communities/:cid/candidates`,
 * `GET /v1/stats` and `GET /metrics`.
 *
 * LAN / WAN address and connection type come from the node's WAN voting (spec §7.9): LAN is the endpoint's address,
 * WAN what peers outside my LAN saw, the connection type what the votes imply.
 */
import type { Hono } from 'hono';
import type { Community, Dispersy, StatisticsSnapshot } from '@dispersy/community';
import { formatAddress } from '@dispersy/interfaces';
import { candidateToJson, hex } from '../node/render.ts';
import { communityOf, messageCount, type ApiContext } from './context.ts';
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE, statisticsFamilies, type MetricFamily } from './metrics.ts';

function uptime(ctx: ApiContext): number {
  return Math.round((Date.now() - ctx.startedAt) / 100) / 10;
}

function communitySummary(community: Community): Record<string, unknown> {
  const now = community.clock.now();
  return {
    cid: community.cidHex,
    classification: community.classification,
    communityVersion: community.definition.communityVersion,
    globalTime: community.globalTime,
    masterPublicKey: community.master === undefined ? null : hex(community.master.bytes),
    messages: messageCount(community),
    candidates: community.candidates.size,
    verifiedCandidates: community.candidates.verifiedCandidates(now).length,
  };
}

/**
 * Counters of a snapshot plus the derived ones the API names (punctures).
 * @param snapshot a node's or community's statistics snapshot
 * @returns the JSON of `/v1/stats`
 */
export function statsOf(snapshot: StatisticsSnapshot): Record<string, unknown> {
  const received = snapshot.packets.in.byLabel['dispersy-puncture'] ?? 0;
  const sent = snapshot.packets.out.byLabel['dispersy-puncture'] ?? 0;
  return { ...snapshot, punctures: { received, sent } };
}

/**
 * The endpoint's counters as metric families (datagrams and bytes in / out, datagrams dropped).
 * @param node the node
 * @returns the families
 */
export function endpointFamilies(node: Dispersy): MetricFamily[] {
  const counters = node.endpoint.counters;
  return [
    {
      name: 'dispersy_endpoint_packets_total', help: 'UDP datagrams received and sent by the endpoint.', type: 'counter',
      samples: [{ labels: { direction: 'in' }, value: counters.packetsReceived }, { labels: { direction: 'out' }, value: counters.packetsSent }],
    },
    {
      name: 'dispersy_endpoint_bytes_total', help: 'UDP bytes received and sent by the endpoint.', type: 'counter',
      samples: [{ labels: { direction: 'in' }, value: counters.bytesReceived }, { labels: { direction: 'out' }, value: counters.bytesSent }],
    },
    { name: 'dispersy_endpoint_dropped_total', help: 'Datagrams the endpoint dropped itself.', type: 'counter', samples: [{ labels: {}, value: counters.packetsDropped }] },
  ];
}

function loaded(ctx: ApiContext): Community[] {
  return [...ctx.node.communities.values()].filter((c) => c.loaded);
}

function gauges(ctx: ApiContext): MetricFamily[] {
  const communities = loaded(ctx);
  const perCommunity = (name: string, help: string, value: (c: Community) => number): MetricFamily => ({
    name, help, type: 'gauge', samples: communities.map((c) => ({ labels: { community: c.cidHex }, value: value(c) })),
  });
  return [
    { name: 'dispersy_uptime_seconds', help: 'Seconds since the daemon started.', type: 'gauge', samples: [{ labels: {}, value: uptime(ctx) }] },
    { name: 'dispersy_communities', help: 'Loaded communities.', type: 'gauge', samples: [{ labels: {}, value: communities.length }] },
    perCommunity('dispersy_candidates', 'Candidates in the community candidate table.', (c) => c.candidates.size),
    perCommunity('dispersy_global_time', 'The community global time (Lamport clock).', (c) => c.globalTime),
    perCommunity('dispersy_stored_messages', 'Live stored messages of syncable metas.', messageCount),
    ...endpointFamilies(ctx.node),
    { name: 'dispersy_event_subscribers', help: 'Connected /v1/events clients.', type: 'gauge', samples: [{ labels: {}, value: ctx.hub.subscribers }] },
    { name: 'dispersy_event_subscribers_dropped_total', help: 'Event clients dropped for reading too slowly.', type: 'counter', samples: [{ labels: {}, value: ctx.hub.droppedSubscribers }] },
  ];
}

/**
 * Registers the read-only node routes.
 * @param app the Hono app
 * @param ctx the API context
 */
export function registerNodeRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/node', (c) => {
    const key = ctx.node.myMember.publicKey;
    const votes = ctx.node.votes;
    return c.json({
      publicKey: hex(key.bytes),
      mid: hex(key.mid),
      keyLevel: key.level,
      udp: formatAddress(ctx.node.address),
      lan: formatAddress(votes.lan),
      wan: formatAddress(votes.wan),
      connectionType: votes.connectionType,
      version: ctx.version,
      dispersyVersion: 0,
      communities: loaded(ctx).length,
      uptime: uptime(ctx),
    });
  });

  app.get('/v1/communities', (c) => c.json({ communities: loaded(ctx).map(communitySummary) }));

  app.get('/v1/communities/:cid/candidates', (c) => {
    const community = communityOf(ctx, c.req.param('cid'));
    const now = community.clock.now();
    return c.json({ cid: community.cidHex, candidates: community.candidates.list().map((x) => candidateToJson(x, now)) });
  });

  app.get('/v1/stats', (c) => c.json({
    uptime: uptime(ctx),
    node: statsOf(ctx.node.statistics.snapshot()),
    endpoint: ctx.node.endpoint.counters,
    events: { subscribers: ctx.hub.subscribers, droppedSubscribers: ctx.hub.droppedSubscribers },
    communities: Object.fromEntries(loaded(ctx).map((community) => [community.cidHex, statsOf(community.statistics.snapshot())])),
  }));

  app.get('/metrics', (c) => {
    const text = formatPrometheus([...statisticsFamilies(ctx.node.statistics.samples()), ...gauges(ctx)]);
    return c.body(text, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });
}
