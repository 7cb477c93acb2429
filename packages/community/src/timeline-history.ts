/**
 * The two histories behind {@link Timeline} (spec §6.1, §6.2): per member, the grants and revokes of each
 * `"<permission>^<meta>"` key by global time; per DynamicResolution meta, the policy changes by global time.
 * Pure data structures, no I/O. Internal to the timeline: the runtime talks to `Timeline`.
 *
 * Memory: entries are only ever added by accepted (signed, stored) authorize / revoke / dynamic-settings
 * messages, and a proof that compares equal to one already recorded is not added twice. So the size is bounded
 * by the permission messages in the store, which the runtime keeps anyway; there is no cache to evict.
 */

/** Orders proofs recorded at the same global time (the runtime compares the stored packets' bytes). */
export type ProofComparator<P> = (a: P, b: P) => number;

/** What one key holds at one global time. Both lists are sorted by the comparator, without duplicates. */
export interface KeyRecord<P> {
  readonly grants: P[];
  readonly revokes: P[];
}

/** The permissions one member received or lost at one global time. */
export interface HistoryEntry<P> {
  readonly globalTime: number;
  readonly keys: Map<string, KeyRecord<P>>;
}

/** The verdict of one key at one global time. */
export interface KeyVerdict<P> {
  readonly allowed: boolean;
  /** The authorize proofs when allowed, the revoke proofs when denied (flat: quirk 6 fixed). */
  readonly proofs: readonly P[];
}

/**
 * Index of the first element whose global time is greater than `globalTime` (binary search on a sorted list).
 * @param list entries sorted by ascending global time
 * @param globalTime the time to place
 * @returns 0..list.length
 * @example `upperBound([{ globalTime: 1 }, { globalTime: 5 }], 3) // 1`
 */
export function upperBound(list: readonly { readonly globalTime: number }[], globalTime: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as { globalTime: number }).globalTime <= globalTime) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Inserts `proof` into a sorted list unless an equal one (comparator returns 0) is already there.
 * @returns whether it was added
 */
function insertSorted<P>(list: P[], proof: P, compare: ProofComparator<P>): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(list[mid] as P, proof);
    if (c === 0) return false;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, proof);
  return true;
}

/**
 * Decides a key at one global time. Decision (quirk 7): when grants and revokes of the same key share a global
 * time, the revoke wins, whatever the arrival order (the original raised NotImplementedError).
 */
function verdictOf<P>(record: KeyRecord<P>): KeyVerdict<P> {
  return record.revokes.length > 0 ? { allowed: false, proofs: record.revokes } : { allowed: true, proofs: record.grants };
}

/** One member's permission history: entries sorted by global time, entries at the same global time merged. */
export class PermissionHistory<P> {
  readonly entries: HistoryEntry<P>[] = [];

  /**
   * Records a grant (`allowed`) or revoke of `key` at `globalTime`.
   * @returns false when an equal proof was already recorded there (idempotent replay)
   */
  record(globalTime: number, key: string, allowed: boolean, proof: P, compare: ProofComparator<P>): boolean {
    const at = upperBound(this.entries, globalTime);
    let entry = this.entries[at - 1];
    if (entry === undefined || entry.globalTime !== globalTime) {
      entry = { globalTime, keys: new Map() };
      this.entries.splice(at, 0, entry);
    }
    let record = entry.keys.get(key);
    if (record === undefined) entry.keys.set(key, (record = { grants: [], revokes: [] }));
    return insertSorted(allowed ? record.grants : record.revokes, proof, compare);
  }

  /**
   * Spec §6.1 Linear walk: from the newest entry with time ≤ `globalTime` backwards, the first entry holding
   * `key` decides.
   * @returns the verdict, or undefined when no entry holds the key (→ deny)
   */
  lookup(globalTime: number, key: string): KeyVerdict<P> | undefined {
    for (let i = upperBound(this.entries, globalTime) - 1; i >= 0; i--) {
      const record = (this.entries[i] as HistoryEntry<P>).keys.get(key);
      if (record !== undefined) return verdictOf(record);
    }
    return undefined;
  }
}

/** One dynamic-settings decision for one meta. */
export interface PolicyEntry<P> {
  readonly globalTime: number;
  readonly index: number;
  readonly proof: P;
}

/** The policy changes of one DynamicResolution meta, sorted by global time, one per global time. */
export class PolicyHistory<P> {
  readonly entries: PolicyEntry<P>[] = [];

  /**
   * Records a policy change. Decision: of two changes at the same global time, the one whose proof compares
   * greater wins whatever the arrival order — the one the original's (global_time, packet)-ordered replay at
   * load applies last ("same gt overwrites").
   * @returns whether this change now decides the policy after `globalTime`
   */
  set(globalTime: number, index: number, proof: P, compare: ProofComparator<P>): boolean {
    const at = upperBound(this.entries, globalTime);
    const previous = this.entries[at - 1];
    if (previous !== undefined && previous.globalTime === globalTime) {
      if (compare(proof, previous.proof) <= 0) return false;
      this.entries[at - 1] = { globalTime, index, proof };
      return true;
    }
    this.entries.splice(at, 0, { globalTime, index, proof });
    return true;
  }

  /**
   * Spec §6.2 `get_resolution_policy`: the newest change with policy time strictly below `globalTime`.
   * @returns that change, or undefined (→ the meta's default, policies[0])
   */
  at(globalTime: number): PolicyEntry<P> | undefined {
    return this.entries[upperBound(this.entries, globalTime - 1) - 1];
  }
}
