/**
 * The `dispersy` command line as a library: `run(argv, io)` executes one invocation and returns its exit status;
 * `startNode(config, log)` runs the node daemon behind `dispersy node` (UDP peer, SQLite store, HTTP API) in the
 * calling process; `startTracker(config, log)` the bootstrap tracker behind `dispersy tracker`.
 *
 * @example
 * ```ts
 * import { run } from '@dispersy/cli';
 * const status = await run(['bloom', '--bits', '64', '--functions', '4', '--prefix', '61', '68656c6c6f']);
 * ```
 * @example
 * ```ts
 * import { createLogger, resolveNodeConfig, startNode } from '@dispersy/cli';
 * const running = await startNode(resolveNodeConfig({ data: './node', listen: '127.0.0.1:0' }, process.cwd()), createLogger('warn'));
 * console.log(running.ready.api); // http://127.0.0.1:PORT
 * await running.stop();
 * ```
 * @packageDocumentation
 */
export { CLI_VERSION, run } from './cli.ts';
export { CliError, EXIT_USAGE, formatJson, parseHex, toJsonValue, type CliIo } from './io.ts';
export { describePacket, type DecodeCommandOptions } from './commands/decode.ts';
export { buildFilter, type BloomOptions } from './commands/bloom.ts';
export { DEFAULT_KEY_FILE, type KeygenOptions } from './commands/keygen.ts';
export { COMMUNITY_KINDS, DEFAULT_MASTER_KEY_FILE, type CreateCommunityOptions } from './commands/create-community.ts';
export { formatHostPort, isLoopback, parseBootstrapFile, parseBootstrapList, parseHostPort, type HostPort, type HostPortRules } from './node/addresses.ts';
export { parseCommunitySpec, parseCommunitySpecs, DEFAULT_BARE_VERSION, type CommunitySpec } from './node/community-specs.ts';
export {
  API_TOKEN_ENV,
  DEFAULT_API,
  DEFAULT_DATA_DIR,
  DEFAULT_LISTEN,
  DEFAULT_WALK_INTERVAL,
  resolveNodeConfig,
  type NodeCommandOptions,
  type NodeConfig,
} from './node/config.ts';
export { daemonWalks, startNode, type ReadyInfo, type RunningNode } from './node/daemon.ts';
export { DATABASE_FILE_NAME, KEY_FILE_NAME, LOCK_FILE_NAME } from './node/data-dir.ts';
export { BARE_CLASSIFICATION, bareCommunity, daemonDebugCommunity, foundCommunity } from './node/communities.ts';
export { Bootstrap, BOOTSTRAP_INTERVAL, type BootstrapInit, type ResolveIPv4 } from './node/bootstrap.ts';
export { EventHub, NODE_EVENT_NAMES, Subscription, type NodeEvent, type NodeEventName } from './node/events.ts';
export { createLogger, formatLogLine, isLogLevel, LOG_LEVELS, type Logger, type LogLevel } from './node/logger.ts';
export { createApiApp, guardedApp, MAX_BODY_BYTES, type GuardOptions } from './http/app.ts';
export { ApiError, type ErrorBody } from './http/errors.ts';
export { formatPrometheus, PROMETHEUS_CONTENT_TYPE, statisticsFamilies, type MetricFamily, type MetricSample } from './http/metrics.ts';
export { DEFAULT_LIMIT, MAX_LIMIT } from './http/message-list.ts';
export { MAX_EVENT_CLIENTS } from './http/routes-events.ts';
export {
  DEFAULT_TRACKER_KEY_LEVEL,
  DEFAULT_TRACKER_LISTEN,
  DEFAULT_TRACKER_PORT,
  MAX_TRACKER_COMMUNITIES,
  resolveTrackerConfig,
  type TrackerCommandOptions,
  type TrackerConfig,
} from './tracker/config.ts';
export { startTracker, TRACKER_STATUS_INTERVAL, type RunningTracker, type TrackerReadyInfo } from './tracker/tracker.ts';
export { createTrackerApp, MAX_LISTED_COMMUNITIES, trackerCounts, type TrackerApiContext, type TrackerCounts } from './tracker/http.ts';
export { resolveApiToken } from './node/config.ts';
