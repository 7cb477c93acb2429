/**
 * The node daemon behind `dispersy node`, as a library: `startNode(config, log)` opens the data directory, binds
 * UDP, starts a {@link Dispersy} node with the daemon's extensions, joins the configured communities (and loads
 * the DebugCommunities stored by earlier runs), inserts the bootstrap trackers, starts the observer and the HTTP
 * API, and returns a handle whose `stop()` shuts everything down in order (event clients, HTTP, timers, the node —
 * which closes the database and the socket — and the data directory's lock).
 *
 * The daemon's extensions, run with every community at load: the walker task, the bootstrap insertion, the event
 * hooks, and the periodic trim of the DebugCommunity's recording arrays.
 *
 * Walking — ONE mechanism per community: the daemon's walker task (one `takeStep()` every `--walk-interval`
 * seconds), because the runtime's periodic walker (knob `enableCandidateWalker`) has a fixed 5 s interval. The
 * daemon's definitions (./communities.ts) turn the runtime's walker off; a community whose knobs leave it on is
 * walked by the runtime alone and the daemon adds no task for it (see {@link daemonWalks}).
 */
import { Dispersy, EndpointError, ipv4Interfaces, openUdpEndpoint, type Community, type CommunityExtension } from '@dispersy/community';
import { formatAddress, type Endpoint } from '@dispersy/interfaces';
import { CLI_VERSION } from '../version.ts';
import { CliError } from '../io.ts';
import { createApiApp } from '../http/app.ts';
import { listenApi, type ApiServer } from '../http/server.ts';
import { formatHostPort, isLoopback } from './addresses.ts';
import { Bootstrap } from './bootstrap.ts';
import { daemonDebugCommunity, isDaemonDefinition, joinSpec, trimDebugRecords } from './communities.ts';
import type { NodeConfig } from './config.ts';
import { openDataDir, type DataDir } from './data-dir.ts';
import { EventHub } from './events.ts';
import type { Logger } from './logger.ts';
import { NodeObserver } from './observer.ts';
import { hex } from './render.ts';

/** The line `dispersy node` prints on standard output once it is ready. */
export interface ReadyInfo {
  readonly event: 'ready';
  readonly publicKey: string;
  readonly mid: string;
  /** The UDP address (`host:port`). */
  readonly udp: string;
  /** The API's URL. */
  readonly api: string;
  /** The loaded communities' cids. */
  readonly communities: readonly string[];
}

/** A running daemon. */
export interface RunningNode {
  readonly node: Dispersy;
  readonly hub: EventHub;
  readonly ready: ReadyInfo;
  /** Shuts down (see the module comment). Idempotent. */
  stop(): Promise<void>;
}

/** Seconds between two trims of the DebugCommunity's recording arrays. */
const TRIM_INTERVAL = 10;

/**
 * Whether the daemon runs its own walker task for a community: only when the runtime's periodic walker is off for
 * it, so that a community is never walked twice.
 * @param community a loaded community
 * @returns true when the daemon walks it every `--walk-interval` seconds
 */
export function daemonWalks(community: Community): boolean {
  return !community.knobs.enableCandidateWalker;
}

function daemonExtension(config: NodeConfig, bootstrap: Bootstrap, log: Logger): CommunityExtension {
  return {
    name: 'cli-daemon',
    appliesTo: (community: Community) => isDaemonDefinition(community.definition),
    onLoad: (community: Community) => {
      const inserted = bootstrap.insertInto(community);
      if (inserted > 0) log.debug('bootstrap trackers inserted', { cid: community.cidHex, inserted });
      const step = (): void => {
        try {
          community.takeStep();
        } catch (err) {
          log.warn('walker step failed', { cid: community.cidHex, error: err });
        }
      };
      if (daemonWalks(community)) {
        community.tasks.repeat('cli-walker', config.walkInterval, step, { delay: Math.min(community.databaseId % 3, config.walkInterval) });
      } else {
        log.debug('the runtime walks this community (every 5 s); --walk-interval does not apply', { cid: community.cidHex });
      }
      community.tasks.repeat('cli-trim-debug-records', TRIM_INTERVAL, () => trimDebugRecords(community));
    },
  };
}

async function openEndpoint(config: NodeConfig): Promise<Endpoint> {
  try {
    return await openUdpEndpoint({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    if (err instanceof EndpointError) throw new CliError('UDP_BIND_FAILED', err.message, 1, { cause: err });
    throw err;
  }
}

/**
 * Starts the daemon.
 * @param config the checked configuration
 * @param log where the daemon logs
 * @returns the running daemon
 * @throws CliError for an unusable data directory, an address that cannot be bound, or a database that does not
 *   open (exit status 1); nothing stays open after a failure
 * @example
 * ```ts
 * const running = await startNode(resolveNodeConfig({ listen: '127.0.0.1:0', data: dir }, cwd), createLogger('info'));
 * console.log(running.ready.api);
 * await running.stop();
 * ```
 */
export async function startNode(config: NodeConfig, log: Logger): Promise<RunningNode> {
  const cleanup: (() => Promise<void> | void)[] = [];
  const unwind = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        log.error('shutdown step failed', { error: err });
      }
    }
  };
  try {
    const data: DataDir = openDataDir(config.dataDir, config.keyLevel, log);
    cleanup.push(() => data.release());
    if (data.createdKey) log.info('node key created', { keyFile: data.keyFile, keyLevel: data.key.level });
    const endpoint = await openEndpoint(config);
    cleanup.push(() => endpoint.close());
    const bootstrap = new Bootstrap({ trackers: config.bootstrap, log, self: endpoint.address });
    await bootstrap.resolve();
    const hub = new EventHub();
    const observer = new NodeObserver(hub);
    let node: Dispersy;
    try {
      node = new Dispersy({
        endpoint,
        databasePath: data.databasePath,
        memberKey: data.key,
        interfaces: ipv4Interfaces(), // the "in my LAN" test by the real interface networks (spec §7.9)
        extensions: [observer.extension(), daemonExtension(config, bootstrap, log)],
      });
    } catch (err) {
      throw new CliError('DATABASE_OPEN_FAILED', `cannot open ${data.databasePath}: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
    }
    cleanup.pop(); // the node owns the endpoint now
    cleanup.push(() => node.stop());
    await node.start();
    for (const spec of config.communities) joinSpec(node, spec, log);
    node.defineAutoLoad(daemonDebugCommunity, { load: true });
    const communities = (): Iterable<Community> => node.communities.values();
    bootstrap.start(communities);
    observer.start(communities);
    cleanup.push(() => {
      bootstrap.stop();
      observer.stop();
    });
    const loopback = isLoopback(config.api.host);
    if (!loopback && config.apiToken === undefined) log.warn('the HTTP API is reachable from the network without a token', { api: formatHostPort(config.api) });
    const app = createApiApp({ node, hub, log, startedAt: Date.now(), version: CLI_VERSION, token: config.apiToken, loopbackHostsOnly: loopback });
    const server: ApiServer = await listenApi(app, config.api);
    cleanup.push(async () => {
      hub.close();
      await server.close();
    });
    const key = node.myMember.publicKey;
    const ready: ReadyInfo = {
      event: 'ready',
      publicKey: hex(key.bytes),
      mid: hex(key.mid),
      udp: formatAddress(node.address),
      api: server.url,
      communities: [...node.communities.keys()],
    };
    log.info('node started', { mid: ready.mid, udp: ready.udp, api: ready.api, communities: ready.communities.length, trackers: bootstrap.addresses.length });
    let stopping: Promise<void> | undefined;
    return {
      node,
      hub,
      ready,
      stop: () => {
        stopping ??= unwind().then(() => log.info('node stopped', { mid: ready.mid }));
        return stopping;
      },
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
