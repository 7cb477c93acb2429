/**
 * The `meta_message` table: one row per (community, message name) with its sync priority and direction
 * (spec §4.4, §10).
 * @module
 */
import type { Connection } from './internal/connection.ts';
import { DIRECTION_CODES, directionOf } from './internal/rows.ts';
import { assertArray, assertId, assertInteger, assertString } from './internal/validate.ts';
import type { SyncDirection } from './types.ts';

/** At most this many metas per community in one {@link MetaMessages.ensure} call (message ids are one byte). */
export const MAX_METAS_PER_COMMUNITY = 1024;

/** A meta-message as the runtime defines it. */
export interface MetaMessageSpec {
  /** The unique name within the community, e.g. `dispersy-authorize`. */
  readonly name: string;
  /** Sync priority 0–255 (default 128); only metas above 32 take part in Bloom-filter sync. */
  readonly priority?: number;
  /** Sync direction (default `'ASC'`). */
  readonly direction?: SyncDirection;
}

/** A stored meta-message. */
export interface MetaMessageRecord {
  /** Local database id: the `meta` of its sync rows. */
  readonly id: number;
  /** Community id. */
  readonly community: number;
  /** The name. */
  readonly name: string;
  /** Sync priority 0–255. */
  readonly priority: number;
  /** Sync direction. */
  readonly direction: SyncDirection;
}

interface MetaSql {
  id: number;
  community: number;
  name: string;
  priority: number;
  direction: number;
}

const COLUMNS = 'id, community, name, priority, direction';
const BY_NAME = `SELECT ${COLUMNS} FROM meta_message WHERE community = ? AND name = ?`;
const BY_ID = `SELECT ${COLUMNS} FROM meta_message WHERE id = ?`;
const LIST = `SELECT ${COLUMNS} FROM meta_message WHERE community = ? ORDER BY id LIMIT ?`;
const INSERT = `INSERT INTO meta_message (community, name, priority, direction)
  VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`;
const UPDATE = 'UPDATE meta_message SET priority = ?, direction = ? WHERE id = ?';

function toRecord(row: MetaSql): MetaMessageRecord {
  return {
    id: row.id,
    community: row.community,
    name: row.name,
    priority: row.priority,
    direction: directionOf(row.direction),
  };
}

/**
 * Meta-messages. Reached as `store.metas`.
 *
 * @example
 * ```ts
 * const metas = store.metas.ensure(community.id, [
 *   { name: 'dispersy-authorize', priority: 128, direction: 'ASC' },
 *   { name: 'dispersy-identity', priority: 16 },
 *   { name: 'post', priority: 128, direction: 'DESC' },
 * ]);
 * metas.get('post')?.id; // the meta id to store posts under
 * ```
 */
export class MetaMessages {
  readonly #c: Connection;

  /** @param connection the store's connection */
  constructor(connection: Connection) {
    this.#c = connection;
  }

  /**
   * Makes the stored metas of a community match its definitions, at community load: inserts new names, updates
   * priority and direction where they changed, leaves other stored metas alone (their rows stay readable). One
   * transaction.
   * @param community community id
   * @param specs the community's meta-messages (unique names)
   * @returns every given meta by name
   * @throws RangeError on a duplicate name, a priority outside 0–255 or an unknown direction;
   *   StoreError `CONSTRAINT` when the community does not exist
   */
  ensure(community: number, specs: readonly MetaMessageSpec[]): Map<string, MetaMessageRecord> {
    assertId(community, 'community');
    assertArray(specs, 'specs', MAX_METAS_PER_COMMUNITY);
    const wanted = specs.map((spec, i) => {
      assertString(spec.name, `specs[${i}].name`);
      const priority = spec.priority ?? 128;
      assertInteger(priority, `specs[${i}].priority`, 0, 255);
      const direction = spec.direction ?? 'ASC';
      const code = DIRECTION_CODES[direction];
      if (!Object.hasOwn(DIRECTION_CODES, direction) || code === undefined) {
        throw new RangeError(`specs[${i}].direction must be ASC, DESC or RANDOM, got ${String(direction)}`);
      }
      return { name: spec.name, priority, code };
    });
    const names = new Set(wanted.map((w) => w.name));
    if (names.size !== wanted.length) throw new RangeError('specs must have unique names');
    return this.#c.transaction('metas.ensure', () => {
      const result = new Map<string, MetaMessageRecord>();
      for (const { name, priority, code } of wanted) {
        let row = this.#c.statement(BY_NAME).get(community, name) as MetaSql | undefined;
        if (row === undefined) {
          row = this.#c.statement(INSERT).get(community, name, priority, code) as MetaSql;
        } else if (row.priority !== priority || row.direction !== code) {
          this.#c.statement(UPDATE).run(priority, code, row.id);
          row = { ...row, priority, direction: code };
        }
        result.set(name, toRecord(row));
      }
      return result;
    });
  }

  /**
   * @param id meta-message id
   * @returns the meta, or `undefined`
   */
  getById(id: number): MetaMessageRecord | undefined {
    assertId(id, 'id');
    return this.#c.run('metas.getById', () => {
      const row = this.#c.statement(BY_ID).get(id) as MetaSql | undefined;
      return row === undefined ? undefined : toRecord(row);
    });
  }

  /**
   * Every stored meta of a community, in id order.
   * @param community community id
   * @returns the metas (at most {@link MAX_METAS_PER_COMMUNITY})
   */
  list(community: number): MetaMessageRecord[] {
    assertId(community, 'community');
    return this.#c.run('metas.list', () =>
      (this.#c.statement(LIST).all(community, MAX_METAS_PER_COMMUNITY) as MetaSql[]).map(toRecord),
    );
  }
}
