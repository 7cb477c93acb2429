/**
 * The bootstrap tracker behind `dispersy tracker`, as a library: `startTracker(config, log)` binds UDP, starts the
 * runtime's tracker node (`createTracker`, spec §13.2: any community, walker and identity messages only, a
 * `:memory:` store, bounded state) with a fresh key, optionally serves the status API, and returns a handle whose
 * `stop()` shuts everything down (HTTP, the status timer, the node — which closes the socket and the store).
 *
 * What the tracker logs: `tracker started` / `tracker stopped`; a community served or dropped (debug); every
 * {@link TRACKER_STATUS_INTERVAL} seconds one `tracker status` line (communities, candidates, packets and bytes), as
 * the original printed its `BANDWIDTH` / `COMMUNITY` lines every 300 s.
 */
import { generateKeyPair } from '@dispersy/crypto';
import { createTracker, EndpointError, ipv4Interfaces, openUdpEndpoint, type Community, type CommunityExtension, type Dispersy } from '@dispersy/community';
import { formatAddress, type Endpoint } from '@dispersy/interfaces';
import { CliError } from '../io.ts';
import { listenApi } from '../http/server.ts';
import { formatHostPort, isLoopback } from '../node/addresses.ts';
import type { Logger } from '../node/logger.ts';
import { hex } from '../node/render.ts';
import { CLI_VERSION } from '../version.ts';
import type { TrackerConfig } from './config.ts';
import { createTrackerApp, trackerCounts } from './http.ts';

/** Seconds between two `tracker status` log lines (the original's statistics period). */
export const TRACKER_STATUS_INTERVAL = 300;

/** The line `dispersy tracker` prints on standard output once it is ready. */
export interface TrackerReadyInfo {
  readonly event: 'ready';
  /** `tracker`: tells its ready line from a node's. */
  readonly mode: 'tracker';
  readonly publicKey: string;
  readonly mid: string;
  /** The UDP address (`host:port`): what nodes pass to `--bootstrap`. */
  readonly udp: string;
  /** The status API's URL, when `--api` was given. */
  readonly api?: string;
}

/** A running tracker. */
export interface RunningTracker {
  readonly node: Dispersy;
  readonly ready: TrackerReadyInfo;
  /** Shuts down (see the module comment). Idempotent. */
  stop(): Promise<void>;
}

function logExtension(log: Logger): CommunityExtension {
  return {
    name: 'cli-tracker-log',
    onLoad: (c: Community) => log.debug('community served', { cid: c.cidHex, communityVersion: c.definition.communityVersion }),
    onUnload: (c: Community) => log.debug('community dropped', { cid: c.cidHex }),
  };
}

async function openEndpoint(config: TrackerConfig): Promise<Endpoint> {
  try {
    return await openUdpEndpoint({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    if (err instanceof EndpointError) throw new CliError('UDP_BIND_FAILED', err.message, 1, { cause: err });
    throw err;
  }
}

/**
 * Starts the tracker.
 * @param config the checked configuration
 * @param log where the tracker logs
 * @returns the running tracker
 * @throws CliError UDP_BIND_FAILED / API_BIND_FAILED (exit status 1) when an address cannot be bound; nothing stays
 *   open after a failure
 * @example
 * ```ts
 * const tracker = await startTracker(resolveTrackerConfig({ listen: '127.0.0.1:0' }), createLogger('info'));
 * console.log(tracker.ready.udp); // 127.0.0.1:PORT — the nodes' --bootstrap
 * await tracker.stop();
 * ```
 */
export async function startTracker(config: TrackerConfig, log: Logger): Promise<RunningTracker> {
  const startedAt = Date.now();
  const endpoint = await openEndpoint(config);
  let node: Dispersy;
  try {
    node = createTracker({
      endpoint,
      memberKey: generateKeyPair(config.keyLevel),
      interfaces: ipv4Interfaces(), // the "in my LAN" test by the real interface networks (spec §7.9)
      maxCommunities: config.maxCommunities,
      extensions: [logExtension(log)],
    });
  } catch (err) {
    await endpoint.close();
    throw err;
  }
  await node.start();
  let closeApi: () => Promise<void> = async () => undefined;
  let api: string | undefined;
  if (config.api !== undefined) {
    const loopback = isLoopback(config.api.host);
    if (!loopback && config.apiToken === undefined) log.warn('the HTTP API is reachable from the network without a token', { api: formatHostPort(config.api) });
    const app = createTrackerApp({ node, log, startedAt, version: CLI_VERSION, token: config.apiToken, loopbackHostsOnly: loopback });
    try {
      const server = await listenApi(app, config.api);
      closeApi = () => server.close();
      api = server.url;
    } catch (err) {
      await node.stop();
      throw err;
    }
  }
  const status = setInterval(() => log.info('tracker status', { ...trackerCounts(node) }), TRACKER_STATUS_INTERVAL * 1000);
  status.unref();
  const key = node.myMember.publicKey;
  const ready: TrackerReadyInfo = {
    event: 'ready',
    mode: 'tracker',
    publicKey: hex(key.bytes),
    mid: hex(key.mid),
    udp: formatAddress(node.address),
    ...(api === undefined ? {} : { api }),
  };
  log.info('tracker started', { mid: ready.mid, udp: ready.udp, api: ready.api, keyLevel: key.level, maxCommunities: config.maxCommunities });
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    clearInterval(status);
    try {
      await closeApi();
    } finally {
      await node.stop();
    }
    log.info('tracker stopped', { mid: ready.mid });
  };
  return {
    node,
    ready,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
