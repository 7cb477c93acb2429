/**
 * Crash safety: a message whose storing was acknowledged survives kill -9 of the process.
 *
 * The writer must be another process, and Node 20 cannot import our TypeScript sources, so the child is a small
 * plain-JS fixture (test/fixtures/crash-writer.mjs) using better-sqlite3 directly. To make it write exactly as the
 * store does, this test hands it the store's own pragma list (`connectionPragmas`) and INSERT statement
 * (`SYNC_INSERT_SQL`), and the database is created and later reopened by the real store (`openStore`). The child
 * prints "<last id> <last global time>" after each committed batch; the test SIGKILLs it mid-stream, reopens the
 * file (WAL recovery), checks `PRAGMA integrity_check`, and checks that every acknowledged row is there, intact.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type SynchronousMode, openStore } from '../src/index.ts';
import { connectionPragmas } from '../src/schema.ts';
import { SYNC_INSERT_SQL } from '../src/sync-rows.ts';
import { open, seed, tempDir } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
const PACKET_SIZE = 180;

function packetOf(globalTime: number): Uint8Array {
  const bytes = Buffer.alloc(PACKET_SIZE, globalTime % 251);
  bytes.writeUInt32BE(Math.floor(globalTime / 2 ** 32), 0);
  bytes.writeUInt32BE(globalTime >>> 0, 4);
  return new Uint8Array(bytes);
}

/** Runs the child until it has acknowledged `acks` batches, then SIGKILLs it; resolves with the last ack. */
function writeAndKill(
  child: ChildProcess,
  acks: number,
): Promise<{ lastId: number; lastGlobalTime: number; acked: number }> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let acked = 0;
    let last = { lastId: 0, lastGlobalTime: 0 };
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [id, gt] = line.split(' ').map(Number);
        if (acked >= acks) break; // lines after the kill decision do not count
        last = { lastId: id ?? 0, lastGlobalTime: gt ?? 0 };
        acked += 1;
        if (acked === acks) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && acked === acks) resolve({ ...last, acked });
      else reject(new Error(`writer exited early (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe('crash safety (kill -9)', () => {
  it.each<SynchronousMode>(['normal', 'full'])(
    'keeps every acknowledged row with synchronous %s',
    async (synchronous) => {
      const path = join(tempDir(), 'node.db');
      const setup = openStore(path, { synchronous });
      const s = seed(setup);
      const meta = s.meta('ASC-text');
      setup.close();

      const config = {
        pragmas: connectionPragmas({ file: true, synchronous, busyTimeoutMs: 5000, cacheSizeKiB: 32_768 }),
        insertSql: SYNC_INSERT_SQL,
        community: s.community,
        member: s.alice.id,
        meta,
        firstGlobalTime: 1,
        batchSize: 250,
        packetSize: PACKET_SIZE,
      };
      const child = spawn(process.execPath, [FIXTURE, path, JSON.stringify(config)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const { lastGlobalTime, acked } = await writeAndKill(child, 12);
      expect(acked).toBe(12);
      expect(lastGlobalTime).toBe(12 * 250);

      expect(existsSync(`${path}-wal`)).toBe(true); // the killed writer left its WAL behind: reopening recovers it
      const store = open(path, { synchronous });
      expect(store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
      const stored = [...store.sync.iterateByMeta(meta, { chunkSize: 1000 })];
      expect(stored.length).toBeGreaterThanOrEqual(lastGlobalTime); // maybe more: committed but not yet printed
      expect(stored.length % 250).toBe(0); // whole batches only: the batch being written at the kill is gone
      for (let t = 1; t <= lastGlobalTime; t++) {
        const row = stored[t - 1];
        expect(row?.globalTime).toBe(t);
        expect(row?.packet).toEqual(packetOf(t));
      }
      // The reopened store keeps working.
      const next = stored.length + 1;
      expect(
        store.sync.insert({
          community: s.community,
          member: s.alice.id,
          globalTime: next,
          meta,
          packet: packetOf(next),
        }).inserted,
      ).toBe(true);
    },
  );
});
