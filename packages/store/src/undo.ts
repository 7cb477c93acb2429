/**
 * Undo marks on stored messages (spec §6.2, §6.4). The `undone` column holds 0 (live), the sync id of the undo
 * message (> 0), or {@link UNDONE_BY_POLICY} (−1) for a message undone by a revoke or dynamic-settings change.
 *
 * The original stored 1 for the policy case, which is also "undone by sync row 1" (spec §15 quirk 9): a duplicate
 * of such a message would send back whatever packet has id 1. A negative sentinel cannot name a row (ids start at
 * 1), and keeps `undone = 0` the single test for "live" that the sync indexes serve.
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { type SyncRowSql, assertSyncRowKey, syncColumnsOf, toSyncRow } from './internal/rows.ts';
import { assertId } from './internal/validate.ts';
import { type SyncRow, type SyncRowKey, UNDONE_BY_POLICY } from './types.ts';

const MARK_BY_KEY = 'UPDATE sync SET undone = ? WHERE community = ? AND member = ? AND global_time = ?';
const MARK_BY_ID = 'UPDATE sync SET undone = ? WHERE id = ?';
const MARK_POLICY = `UPDATE sync SET undone = ${UNDONE_BY_POLICY} WHERE id = ? AND undone = 0`;
const CLEAR_POLICY = `UPDATE sync SET undone = 0 WHERE id = ? AND undone = ${UNDONE_BY_POLICY}`;
const REDO = 'UPDATE sync SET undone = 0 WHERE id = ? AND undone <> 0';
const UNDOER = `SELECT ${syncColumnsOf('u')}
  FROM sync AS t JOIN sync AS u ON u.id = t.undone
  WHERE t.community = ? AND t.member = ? AND t.global_time = ? AND t.undone > 0`;

/** A target by key (community, creator, global time) or by sync row id. */
export type UndoTarget = SyncRowKey | number;

/**
 * Undo marks. Reached as `store.undo`.
 *
 * @example
 * ```ts
 * // on_undo: the target (member, global time) is undone by the undo message stored as row `undo.id`
 * store.undo.markUndone({ community: c.id, member: target.member, globalTime: target.globalTime }, undo.id);
 * // a later duplicate of the target: send the undo packet back
 * store.undo.undoerOf({ community: c.id, member: target.member, globalTime: target.globalTime })?.packet;
 * ```
 */
export class UndoMarks {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * Marks a message as undone by an undo message (whatever its mark was: the lower of two duplicate undo messages
   * takes over, spec §6.4).
   * @param target the undone message, by key or id
   * @param undoer sync row id of the undo message
   * @returns `false` when the target is not stored
   */
  markUndone(target: UndoTarget, undoer: number): boolean {
    assertId(undoer, 'undoer');
    if (typeof target === 'number') {
      assertId(target, 'target');
      return this.#c.run('undo.markUndone', () => this.#c.statement(MARK_BY_ID).run(undoer, target).changes > 0);
    }
    assertSyncRowKey(target, 'target');
    return this.#c.run(
      'undo.markUndone',
      () => this.#c.statement(MARK_BY_KEY).run(undoer, target.community, target.member, target.globalTime).changes > 0,
    );
  }

  /**
   * Marks a live message as undone by a permission or policy change (`_update_timerange`, spec §6.2).
   * @param id sync row id
   * @returns `true` when the row was live and is now marked; `false` when it is missing or already undone
   */
  markUndoneByPolicy(id: number): boolean {
    assertId(id, 'id');
    return this.#c.run('undo.markUndoneByPolicy', () => this.#c.statement(MARK_POLICY).run(id).changes > 0);
  }

  /**
   * Makes a policy-undone message live again, leaving messages undone by an undo message alone.
   * @param id sync row id
   * @returns `true` when the row was policy-undone and is now live
   */
  clearUndoneByPolicy(id: number): boolean {
    assertId(id, 'id');
    return this.#c.run('undo.clearUndoneByPolicy', () => this.#c.statement(CLEAR_POLICY).run(id).changes > 0);
  }

  /**
   * Makes an undone message live again whatever undid it: the original's redo in `_update_timerange`, which also
   * re-does messages undone by an undo message (spec §15 quirk 8; use {@link UndoMarks.clearUndoneByPolicy} to
   * touch only policy marks).
   * @param id sync row id
   * @returns `true` when the row was undone and is now live
   */
  redo(id: number): boolean {
    assertId(id, 'id');
    return this.#c.run('undo.redo', () => this.#c.statement(REDO).run(id).changes > 0);
  }

  /**
   * The undo message that undid a message: the packet to send back to a peer that offers the undone message again
   * (spec §4.6), or to return from a second `create_undo` (spec §6.4).
   * @param target the undone message's key
   * @returns the undo message's row, or `undefined` when the target is live, policy-undone, missing, or its undo
   *   message was pruned
   */
  undoerOf(target: SyncRowKey): SyncRow | undefined {
    assertSyncRowKey(target, 'target');
    return this.#c.run('undo.undoerOf', () => {
      const { community, member, globalTime } = target;
      const row = this.#c.statement(UNDOER).get(community, member, globalTime) as SyncRowSql | undefined;
      return row === undefined ? undefined : toSyncRow(row);
    });
  }
}
