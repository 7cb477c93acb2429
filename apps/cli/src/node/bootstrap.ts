/**
 * Bootstrap trackers (spec §7.10): the `--bootstrap` / `--bootstrap-file` addresses, resolved to IPv4 (host names
 * through DNS), inserted as DISCOVERED candidates into every community when it loads and again every 300 s
 * (discovered candidates live 57.5 s, so a tracker is walked to at most about once per period, as in the
 * original). Names are re-resolved at every period; one that does not resolve is logged and retried.
 */
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { Community } from '@dispersy/community';
import { sameAddress, type Address } from '@dispersy/interfaces';
import type { HostPort } from './addresses.ts';
import type { Logger } from './logger.ts';

/** Seconds between two insertions of the trackers (`discovery/bootstrap.py`). */
export const BOOTSTRAP_INTERVAL = 300;

/** Resolves a host name to one IPv4 address. */
export type ResolveIPv4 = (host: string) => Promise<string>;

const resolveWithDns: ResolveIPv4 = async (host) => (await lookup(host, { family: 4 })).address;

/** Options of {@link Bootstrap}. */
export interface BootstrapInit {
  readonly trackers: readonly HostPort[];
  readonly log: Logger;
  /** @default DNS (`dns.lookup`, IPv4) */
  readonly resolve?: ResolveIPv4;
  /** Seconds between insertions. @default 300 */
  readonly interval?: number;
  /** This node's UDP address: never inserted (a node does not walk to itself). */
  readonly self?: Address;
}

/**
 * The bootstrap trackers of one node.
 *
 * @example
 * ```ts
 * const bootstrap = new Bootstrap({ trackers, log, self: endpoint.address });
 * await bootstrap.resolve();
 * bootstrap.start(() => node.communities.values());
 * bootstrap.stop();
 * ```
 */
export class Bootstrap {
  readonly #trackers: readonly HostPort[];
  readonly #log: Logger;
  readonly #resolve: ResolveIPv4;
  readonly #interval: number;
  #addresses: Address[] = [];
  readonly #self: Address | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** @param init trackers, logger, resolver, interval */
  constructor(init: BootstrapInit) {
    this.#trackers = init.trackers;
    this.#log = init.log;
    this.#resolve = init.resolve ?? resolveWithDns;
    this.#interval = init.interval ?? BOOTSTRAP_INTERVAL;
    this.#self = init.self;
  }

  /** The resolved tracker addresses. */
  get addresses(): readonly Address[] {
    return this.#addresses;
  }

  /**
   * Resolves every tracker (IPv4 literals as they are); unresolvable names are logged and left out until the next
   * period.
   * @returns when done
   */
  async resolve(): Promise<void> {
    const resolved = await Promise.all(
      this.#trackers.map(async (t): Promise<Address | undefined> => {
        if (isIPv4(t.host)) return { host: t.host, port: t.port };
        try {
          return { host: await this.#resolve(t.host), port: t.port };
        } catch (err) {
          this.#log.warn('bootstrap tracker did not resolve', { host: t.host, error: err });
          return undefined;
        }
      }),
    );
    this.#addresses = resolved.filter((a): a is Address => a !== undefined);
  }

  /**
   * Inserts every tracker (but this node itself) as a discovered candidate.
   * @param community a loaded community
   * @returns how many were inserted
   */
  insertInto(community: Community): number {
    let n = 0;
    for (const address of this.#addresses) {
      if (this.#self !== undefined && sameAddress(address, this.#self)) continue;
      try {
        community.addCandidate(address, { category: 'discovered' });
        n++;
      } catch (err) {
        this.#log.warn('bootstrap tracker rejected as candidate', { address: `${address.host}:${address.port}`, error: err });
      }
    }
    return n;
  }

  /**
   * Starts the periodic re-resolution and insertion.
   * @param communities the node's loaded communities (read at every period)
   */
  start(communities: () => Iterable<Community>): void {
    if (this.#trackers.length === 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.resolve().then(() => {
        if (this.#timer === undefined) return;
        for (const community of communities()) if (community.loaded) this.insertInto(community);
      });
    }, this.#interval * 1000);
    this.#timer.unref();
  }

  /** Stops the periodic task. Idempotent. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
