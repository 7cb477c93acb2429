/**
 * Record types shared by the store's modules.
 * @module
 */

/** The `undone` value of a row undone by a permission or dynamic-settings change (spec §6.2; quirk 9 fixed). */
export const UNDONE_BY_POLICY = -1;

/** Sync direction of a meta-message (spec §4.4), stored as 1 (ASC), −1 (DESC) or 0 (RANDOM). */
export type SyncDirection = 'ASC' | 'DESC' | 'RANDOM';

/** The unique key of a stored message: (community, creator, global time). */
export interface SyncRowKey {
  /** Community id. */
  readonly community: number;
  /** Member id of the creator. */
  readonly member: number;
  /** The message's global time. */
  readonly globalTime: number;
}

/** One stored message (a row of the `sync` table). */
export interface SyncRow extends SyncRowKey {
  /** Sync row id (local to this database; never put it on the wire). */
  readonly id: number;
  /** Meta-message id. */
  readonly meta: number;
  /**
   * 0 when live; the sync id of the undo message that undid it (> 0); or {@link UNDONE_BY_POLICY} (−1) when a
   * permission or policy change undid it.
   */
  readonly undone: number;
  /** The packet as received or created, signatures included. */
  readonly packet: Uint8Array<ArrayBuffer>;
  /** The sequence number, or `null` for metas without sequence numbers. */
  readonly sequence: number | null;
}

/** A global time with its packet: what the Bloom-filter selection queries return. */
export interface TimedPacket {
  /** Sync row id. */
  readonly id: number;
  /** The message's global time. */
  readonly globalTime: number;
  /** The packet. */
  readonly packet: Uint8Array<ArrayBuffer>;
}
