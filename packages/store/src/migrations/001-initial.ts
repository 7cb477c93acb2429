/**
 * Migration 1: the schema of spec §10 (the original's version 21), with TypeScript-friendly meanings:
 *
 * - `member`: every known identity; `public_key` is NULL for a member known only by its mid (a "dummy" member, e.g.
 *   a master whose key has not arrived yet); `private_key` only for local identities. Index on `mid`, not unique
 *   (SHA-1 collisions are tolerated); one row per public key.
 * - `community`: one row per community, keyed by its master member; `my_member` is the local signing identity.
 * - `meta_message`: one row per (community, message name) with the sync priority and direction
 *   (ASC 1, DESC −1, RANDOM 0).
 * - `sync`: every stored message; `member` is the creator; (community, member, global_time) is unique. `undone` is
 *   0 (live), the id of the undo message's own sync row (> 0), or −1 for "undone by a permission or policy change"
 *   (the original used 1 there, which collides with sync row 1; spec §15 quirk 9).
 * - `double_signed_sync`: the two members of a double-signed message, `member1 ≤ member2` by local id.
 * - `option`: key/value settings.
 * @module
 */
import type { Migration } from './index.ts';

/** Migration 1: the initial schema. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
CREATE TABLE member (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  mid         BLOB NOT NULL CHECK (length(mid) = 20),
  public_key  BLOB,
  private_key BLOB
);
CREATE INDEX member_mid ON member (mid);
CREATE UNIQUE INDEX member_public_key ON member (public_key) WHERE public_key IS NOT NULL;

CREATE TABLE community (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  master           INTEGER NOT NULL UNIQUE REFERENCES member (id),
  my_member        INTEGER NOT NULL REFERENCES member (id),
  classification   TEXT NOT NULL,
  auto_load        INTEGER NOT NULL DEFAULT 1 CHECK (auto_load IN (0, 1)),
  database_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE meta_message (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  community INTEGER NOT NULL REFERENCES community (id),
  name      TEXT NOT NULL,
  priority  INTEGER NOT NULL DEFAULT 128 CHECK (priority BETWEEN 0 AND 255),
  direction INTEGER NOT NULL DEFAULT 1 CHECK (direction IN (-1, 0, 1)),
  UNIQUE (community, name)
);

CREATE TABLE sync (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  community    INTEGER NOT NULL REFERENCES community (id),
  member       INTEGER NOT NULL REFERENCES member (id),
  global_time  INTEGER NOT NULL CHECK (global_time > 0),
  meta_message INTEGER NOT NULL REFERENCES meta_message (id),
  undone       INTEGER NOT NULL DEFAULT 0 CHECK (undone >= -1),
  packet       BLOB NOT NULL,
  sequence     INTEGER CHECK (sequence IS NULL OR sequence > 0),
  UNIQUE (community, member, global_time)
);
-- Responder selection (meta, undone = 0, global_time range, in order), syncable counts, pruning of live rows.
CREATE INDEX sync_meta_undone_global_time ON sync (meta_message, undone, global_time);
-- Per (meta, member): LastSync windows, max global time, the n-th stored row, suffix deletes.
CREATE INDEX sync_meta_member_global_time ON sync (meta_message, member, global_time);
-- Per (meta, member) sequence numbers: max sequence, missing-sequence ranges.
CREATE INDEX sync_meta_member_sequence ON sync (meta_message, member, sequence) WHERE sequence IS NOT NULL;

CREATE TABLE double_signed_sync (
  sync    INTEGER PRIMARY KEY REFERENCES sync (id) ON DELETE CASCADE,
  member1 INTEGER NOT NULL REFERENCES member (id),
  member2 INTEGER NOT NULL REFERENCES member (id),
  CHECK (member1 <= member2)
);
CREATE INDEX double_signed_sync_members ON double_signed_sync (member1, member2);

CREATE TABLE option (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
