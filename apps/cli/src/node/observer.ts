/**
 * Turns what the runtime lets the daemon observe into API events:
 *
 * - `message` for every stored message (incoming or created), and `undo` for stored undo-own / undo-other
 *   messages, from `community.onStored`;
 * - `candidate`, `sync` and `drop` by POLLING (the runtime has no hooks for these): once a second each community's
 *   candidate table is compared with the previous poll (new, category changed, gone), and the deltas of its
 *   statistics are published — Bloom-sync and walk counters as one `sync` event, drops per (stage, reason).
 */
import type { Community, CommunityExtension, StatisticsSnapshot } from '@dispersy/community';
import type { EventHub } from './events.ts';
import { candidateToJson, messageToJson, undoEventJson } from './render.ts';

/** Seconds between two polls. */
export const OBSERVE_INTERVAL = 1;

interface Baseline {
  readonly candidates: Map<string, string>;
  drops: Map<string, number>;
  counters: Record<string, number>;
}

const SEP = '\u0000';

function dropCounts(snapshot: StatisticsSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const [stage, reasons] of Object.entries(snapshot.drops.byStage)) {
    for (const [reason, n] of Object.entries(reasons)) out.set(`${stage}${SEP}${reason}`, n);
  }
  return out;
}

function syncCounters(snapshot: StatisticsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(snapshot.syncBloom)) out[`syncBloom.${k}`] = v;
  for (const [k, v] of Object.entries(snapshot.walk)) out[`walk.${k}`] = v;
  return out;
}

/**
 * Feeds an {@link EventHub} from the node's communities. See the module comment.
 *
 * @example
 * ```ts
 * const observer = new NodeObserver(hub);
 * const node = new Dispersy({ …, extensions: [observer.extension()] });
 * observer.start(() => node.communities.values());
 * ```
 */
export class NodeObserver {
  readonly #hub: EventHub;
  readonly #baselines = new Map<Community, Baseline>();
  readonly #listeners = new Map<Community, () => void>();
  #timer: NodeJS.Timeout | undefined;

  /** @param hub where events go */
  constructor(hub: EventHub) {
    this.#hub = hub;
  }

  /** @returns the extension that hooks every community's stored-listener at load */
  extension(): CommunityExtension {
    return {
      name: 'cli-events',
      onLoad: (community) => {
        this.#listeners.set(community, community.onStored((messages) => {
          if (this.#hub.subscribers === 0) return;
          for (const message of messages) {
            this.#hub.publish('message', { cid: community.cidHex, ...messageToJson(message) });
            if (message.name === 'dispersy-undo-own' || message.name === 'dispersy-undo-other') {
              this.#hub.publish('undo', undoEventJson(community, message));
            }
          }
        }));
        this.#baselines.set(community, this.#measure(community));
      },
      onUnload: (community) => {
        this.#listeners.get(community)?.();
        this.#listeners.delete(community);
        this.#baselines.delete(community);
      },
    };
  }

  /**
   * Starts polling.
   * @param communities the loaded communities, read at every poll
   * @param interval seconds between polls @default 1
   */
  start(communities: () => Iterable<Community>, interval = OBSERVE_INTERVAL): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.poll(communities()), interval * 1000);
    this.#timer.unref();
  }

  /** Stops polling. Idempotent. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One poll: publishes the candidate, sync and drop changes since the previous poll.
   * @param communities the communities to look at
   */
  poll(communities: Iterable<Community>): void {
    for (const community of communities) {
      const before = this.#baselines.get(community);
      if (before === undefined || !community.loaded) continue;
      const now = this.#measure(community);
      this.#baselines.set(community, now);
      this.#publishCandidates(community, before, now);
      this.#publishCounters(community, before, now);
    }
  }

  #measure(community: Community): Baseline {
    const t = community.clock.now();
    const candidates = new Map(community.candidates.list().map((c) => [c.key, c.category(t)]));
    const snapshot = community.statistics.snapshot();
    return { candidates, drops: dropCounts(snapshot), counters: syncCounters(snapshot) };
  }

  #publishCandidates(community: Community, before: Baseline, now: Baseline): void {
    if (this.#hub.subscribers === 0) return;
    const t = community.clock.now();
    for (const candidate of community.candidates.list()) {
      const previous = before.candidates.get(candidate.key);
      const category = now.candidates.get(candidate.key);
      if (previous === category) continue;
      const change = previous === undefined ? 'new' : 'category';
      this.#hub.publish('candidate', { cid: community.cidHex, change, ...candidateToJson(candidate, t) });
    }
    for (const key of before.candidates.keys()) {
      if (!now.candidates.has(key)) this.#hub.publish('candidate', { cid: community.cidHex, change: 'gone', address: key });
    }
  }

  #publishCounters(community: Community, before: Baseline, now: Baseline): void {
    if (this.#hub.subscribers === 0) return;
    for (const [key, n] of now.drops) {
      const delta = n - (before.drops.get(key) ?? 0);
      if (delta <= 0) continue;
      const [stage, reason] = key.split(SEP) as [string, string];
      this.#hub.publish('drop', { cid: community.cidHex, stage, reason, count: delta });
    }
    const syncBloom: Record<string, number> = {};
    const walk: Record<string, number> = {};
    let changed = false;
    for (const [key, n] of Object.entries(now.counters)) {
      const delta = n - (before.counters[key] ?? 0);
      const [family, name] = key.split('.') as ['syncBloom' | 'walk', string];
      (family === 'syncBloom' ? syncBloom : walk)[name] = delta;
      if (delta !== 0) changed = true;
    }
    if (changed) this.#hub.publish('sync', { cid: community.cidHex, syncBloom, walk, globalTime: community.globalTime });
  }
}
