/**
 * Network partitions: named splits of the node set into groups that cannot reach each other, until healed. Several
 * partitions may be active at once; a datagram is blocked when *any* active partition puts its sender and receiver in
 * different groups. A node listed in no group of a partition is not affected by it — unless the partition was made
 * with {@link PartitionTable.isolate}, where everyone unlisted forms one implicit "rest" group. Checked when a datagram
 * is sent and again when it arrives, so a partition also cuts datagrams already in flight.
 */

/** Something that belongs to groups: the network passes its nodes (anything with an identity works). */
export type Member = object;

interface Partition {
  readonly groupOf: Map<Member, number>;
  /** Group of unlisted members, or undefined when they are unaffected. */
  readonly rest: number | undefined;
}

/**
 * The set of active partitions.
 *
 * @example
 * ```ts
 * const table = new PartitionTable();
 * table.split('east-west', [[a, b], [c]]);
 * table.blocks(a, c); // true
 * table.heal('east-west');
 * ```
 */
export class PartitionTable {
  readonly #partitions = new Map<string, Partition>();

  /** Names of the active partitions, in creation order. */
  get active(): string[] {
    return [...this.#partitions.keys()];
  }

  /** Number of active partitions (0 lets the router skip the check entirely). */
  get size(): number {
    return this.#partitions.size;
  }

  /**
   * Splits members into groups that cannot reach each other; unlisted members are unaffected.
   * @param name a name to heal it by (replaces an active partition of the same name)
   * @param groups two or more disjoint groups
   * @throws TypeError for an empty name; RangeError for fewer than two groups or a member in two groups
   * @example `table.split('halves', [left, right])`
   */
  split(name: string, groups: readonly (readonly Member[])[]): void {
    if (groups.length < 2) throw new RangeError(`a partition needs at least two groups, got ${groups.length}`);
    this.#add(name, groups, undefined);
  }

  /**
   * Cuts `members` off from everyone else (they still reach each other).
   * @param name a name to heal it by
   * @param members the isolated group
   * @throws TypeError for an empty name
   * @example `table.isolate('island', [a, b])`
   */
  isolate(name: string, members: readonly Member[]): void {
    this.#add(name, [members], 1);
  }

  /**
   * Ends a partition.
   * @param name its name
   * @returns whether it was active
   */
  heal(name: string): boolean {
    return this.#partitions.delete(name);
  }

  /** Ends every partition. */
  healAll(): void {
    this.#partitions.clear();
  }

  /**
   * Whether some active partition separates two members.
   * @param a a sender
   * @param b a receiver
   * @returns true when blocked
   */
  blocks(a: Member, b: Member): boolean {
    if (this.#partitions.size === 0 || a === b) return false;
    for (const p of this.#partitions.values()) {
      const ga = p.groupOf.get(a) ?? p.rest;
      const gb = p.groupOf.get(b) ?? p.rest;
      if (ga !== undefined && gb !== undefined && ga !== gb) return true;
    }
    return false;
  }

  #add(name: string, groups: readonly (readonly Member[])[], rest: number | undefined): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');
    const groupOf = new Map<Member, number>();
    groups.forEach((group, index) => {
      for (const member of group) {
        if (groupOf.has(member) && groupOf.get(member) !== index) throw new RangeError(`partition '${name}': a member is in two groups`);
        groupOf.set(member, index);
      }
    });
    this.#partitions.set(name, { groupOf, rest });
  }
}
