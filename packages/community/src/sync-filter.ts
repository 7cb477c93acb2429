/**
 * Building a sync Bloom filter (spec §8.2, §8.3): its size for my introduction-requests, and the two strategies
 * that choose which stored packets it advertises — `'largest'` (the default: a global-time range around a pivot
 * drawn from an exponential distribution) and `'modulo'`. Only metas with SyncDistribution and priority > 32 take
 * part, and only rows with `undone = 0` (the store's selection queries enforce both).
 *
 * Sizing: the original's `(1500 − 60 − 8 − 51 − signature − 21 − 30) · 8` assumed a 20-byte member id, so with
 * full keys (`bin` encoding) its requests exceed the MTU. The default (`syncFilterSizing: 'mtu'`) counts the real
 * header, authentication and signature lengths of MY request, a 20-byte IP header, the UDP header and the 4-byte
 * tunnel prefix (a cached filter may be reused towards a tunnelled peer), so every request fits 1,500 bytes.
 */
import { BloomFilter, emptySyncFilter, filterBitsForMtu, syncFilterBits } from '@dispersy/bloom';
import { MAX_LIST_LIMIT, MAX_MODULO, type TimedPacket } from '@dispersy/store';
import type { Community } from './community.ts';

/** Metas with a priority above this take part in Bloom-filter sync (spec §4.4). */
export const SYNC_PRIORITY = 32;
/** The IP header the `'mtu'` sizing reserves (IPv4 without options). */
export const MTU_IP_HEADER = 20;
/** The "extend the other way" threshold of `_select_bloomfilter_range`. */
const EXTENSION_THRESHOLD = 25;

/** What an introduction-request advertises: a range, a modulo class, and the filter of the packets it holds. */
export interface SyncClaim {
  readonly timeLow: number;
  readonly timeHigh: number;
  readonly modulo: number;
  readonly offset: number;
  readonly filter: BloomFilter;
}

/** Strategy state kept per community (the original's `_nrsyncpackets`). */
export interface StrategyState {
  /** Whether the database is known to hold more syncable packets than a filter's capacity. */
  nrSyncPackets: number;
}

/**
 * The names of the metas that take part in Bloom-filter sync: SyncDistribution with priority > 32.
 * @param c the community
 * @returns their names
 * @example `syncableMetas(community) // ['dispersy-authorize', …, 'full-sync-text', …]`
 */
export function syncableMetas(c: Community): string[] {
  const out: string[] = [];
  for (const rt of c.metas.values()) {
    const d = rt.meta.distribution;
    if (d.kind !== 'direct' && d.priority > SYNC_PRIORITY) out.push(rt.name);
  }
  return out;
}

/**
 * The authentication length of my introduction-request: 20 for a `sha1` member id, 2 + key length for `bin`.
 * @param c the community
 * @returns bytes
 */
function requestAuthenticationLength(c: Community): number {
  const conversion = c.conversion;
  const meta = conversion.metaByName('dispersy-introduction-request');
  const encoding = meta === undefined ? 'sha1' : conversion.memberEncodingOf(meta);
  return encoding === 'bin' ? 2 + c.myMember.publicKey.bytes.length : 20;
}

/**
 * The size m (bits) of my sync filters: the `syncBloomFilterBits` knob when set, else per `syncFilterSizing`
 * (see the module comment).
 * @param c the community
 * @returns m, a multiple of 8
 * @throws RangeError when no filter fits (impossible with the supported key levels)
 * @example `syncFilterSize(community) // 10464 for a curve25519 member in a v1 community`
 */
export function syncFilterSize(c: Community): number {
  if (c.knobs.syncBloomFilterBits !== undefined) return c.knobs.syncBloomFilterBits;
  const signatureLength = c.myMember.publicKey.signatureLength;
  if (c.knobs.syncFilterSizing === 'original') return syncFilterBits(signatureLength);
  return filterBitsForMtu({ ipHeader: MTU_IP_HEADER, tunnel: true, authenticationLength: requestAuthenticationLength(c), signatureLength });
}

/**
 * A new, empty sync filter of {@link syncFilterSize} bits at the community's error rate, with a random one-byte
 * prefix from the injected random source.
 * @param c the community
 * @returns the filter
 * @example `const filter = newSyncFilter(community);`
 */
export function newSyncFilter(c: Community): BloomFilter {
  const prefix = Uint8Array.of(Math.floor(c.random.next() * 256));
  return BloomFilter.fromBits(syncFilterSize(c), c.knobs.syncBloomFilterErrorRate, prefix);
}

/** `random.expovariate(lambd)` on the injected random source. */
function expovariate(c: Community, lambd: number): number {
  return -Math.log(1 - c.random.next()) / lambd;
}

interface Selection {
  readonly rows: TimedPacket[];
  readonly fixed: boolean;
}

/**
 * `_select_and_fix`: up to n + 1 rows above (or below) a global time; when n + 1 came back the extra row AND every
 * row sharing its global time are dropped, so a range never splits one global time. Returned ascending.
 */
function selectAndFix(c: Community, globalTime: number, n: number, higher: boolean): Selection {
  const from = higher ? globalTime + 1 : globalTime - 1;
  if (from < 0 || n < 1) return { rows: [], fixed: false };
  const rows = c.storage.store.selection.requesterRange({ community: c.storage.id, order: higher ? 'ASC' : 'DESC', from, limit: Math.min(n + 1, MAX_LIST_LIMIT) });
  let fixed = false;
  if (rows.length > n) {
    fixed = true;
    const cut = (rows.pop() as TimedPacket).globalTime;
    while (rows.length > 0 && (rows.at(-1) as TimedPacket).globalTime === cut) rows.pop();
  }
  if (!higher) rows.reverse();
  return { rows, fixed };
}

interface Range {
  low: number;
  high: number;
  readonly rows: TimedPacket[];
}

/** `_select_bloomfilter_range`: the main selection, the extension by the shortfall (> 25), and the span rule. */
function selectRange(c: Community, globalTime: number, n: number, higher: boolean, acceptable: number): Range | undefined {
  const main = selectAndFix(c, globalTime, n, higher);
  let rows = main.rows;
  let lowerFixed = true;
  let higherFixed = true;
  const shortfall = n - rows.length;
  if (shortfall > EXTENSION_THRESHOLD) {
    if (higher) {
      const lower = selectAndFix(c, globalTime + 1, shortfall, false);
      rows = [...lower.rows, ...rows];
      lowerFixed = lower.fixed;
    } else {
      const upper = selectAndFix(c, globalTime - 1, shortfall, true);
      rows = [...rows, ...upper.rows];
      higherFixed = upper.fixed;
    }
  }
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const range: Range = { low: first.globalTime, high: last.globalTime, rows };
  if (higher) {
    range.low = Math.min(range.low, globalTime + 1);
    if (!main.fixed) range.high = acceptable;
  } else {
    range.high = Math.max(range.high, globalTime - 1);
    if (!main.fixed) range.low = 1;
  }
  if (!lowerFixed) range.low = 1;
  if (!higherFixed) range.high = acceptable;
  return range;
}

function emptyClaim(acceptable: number): SyncClaim {
  return { timeLow: 1, timeHigh: acceptable, modulo: 1, offset: 0, filter: emptySyncFilter() };
}

/**
 * Strategy `'largest'` (`_dispersy_claim_sync_bloom_filter_largest`, spec §8.3): modulo 1, offset 0; a pivot
 * `global time − int(expovariate(1 / (global time / 2)))` (else `int(random · global time)` when below 1). While
 * the database is small (or the pivot ≤ 1) the lowest capacity rows from global time 1 are taken with the range
 * [1, acceptable] — cut at the last included global time once more rows exist, which switches to pivot mode for
 * good. In pivot mode the right side (from the pivot up) is taken, or the left side (down from it) when the right
 * one is full and the left one spans more global time.
 * @param c the community
 * @param state the community's strategy state
 * @returns the range and the filled filter (the 8-bit empty filter when nothing is selected)
 * @example `const claim = claimLargest(community, state);`
 */
export function claimLargest(c: Community, state: StrategyState): SyncClaim {
  const acceptable = c.acceptableGlobalTime;
  if (syncableMetas(c).length === 0) return emptyClaim(acceptable);
  const filter = newSyncFilter(c);
  const capacity = filter.capacityFor(c.knobs.syncBloomFilterErrorRate);
  const globalTime = c.globalTime;
  let pivot = globalTime - Math.floor(expovariate(c, 1 / (globalTime / 2)));
  if (pivot < 1) pivot = Math.floor(c.random.next() * globalTime);
  let range: Range | undefined;
  if (pivot > 1 && state.nrSyncPackets >= capacity) {
    const right = selectRange(c, pivot - 1, capacity, true, acceptable);
    range = right;
    if (right !== undefined && right.rows.length === capacity) {
      const left = selectRange(c, pivot + 1, capacity, false, acceptable);
      if (left !== undefined && (left.high || globalTime) - left.low > (right.high || globalTime) - right.low) range = left;
    }
  } else {
    const { rows, fixed } = selectAndFix(c, 0, capacity, true);
    range = { low: 1, high: acceptable, rows };
    const last = rows.at(-1);
    if (last !== undefined && fixed) {
      range.high = last.globalTime;
      state.nrSyncPackets = capacity + 1;
    }
  }
  if (range === undefined || range.rows.length === 0) return emptyClaim(acceptable);
  filter.addKeys(range.rows.map((row) => row.packet));
  return { timeLow: Math.min(range.low, acceptable), timeHigh: Math.min(range.high, acceptable), modulo: 1, offset: 0, filter };
}

/**
 * Strategy `'modulo'` (spec §8.3): n = the number of syncable rows, modulo = ceil(n / capacity); when > 1 a random
 * offset picks one residue class (`(global time + offset) % modulo == 0`); the range is [1, acceptable].
 * @param c the community
 * @param state the community's strategy state (n is recorded)
 * @returns the range, modulo, offset and filled filter
 * @example `const claim = claimModulo(community, state);`
 */
export function claimModulo(c: Community, state: StrategyState): SyncClaim {
  const acceptable = c.acceptableGlobalTime;
  if (syncableMetas(c).length === 0) return emptyClaim(acceptable);
  const filter = newSyncFilter(c);
  const capacity = filter.capacityFor(c.knobs.syncBloomFilterErrorRate);
  const n = c.storage.store.selection.countSyncable(c.storage.id);
  state.nrSyncPackets = n;
  let modulo = Math.min(Math.ceil(n / capacity), MAX_MODULO);
  let offset = 0;
  if (modulo > 1) offset = Math.floor(c.random.next() * modulo);
  else modulo = 1;
  if (n > 0) {
    const rows = c.storage.store.selection.requesterModulo({
      community: c.storage.id,
      low: 1,
      high: Math.max(1, c.globalTime),
      modulo,
      offset,
      limit: Math.min(n, MAX_LIST_LIMIT),
    });
    filter.addKeys(rows.map((row) => row.packet));
  }
  return { timeLow: 1, timeHigh: acceptable, modulo, offset, filter };
}
