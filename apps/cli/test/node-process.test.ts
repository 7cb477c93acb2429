import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '@dispersy/store';
import { DATABASE_FILE_NAME, type ReadyInfo } from '../src/index.ts';
import { tempDir } from './helpers.ts';
import { call, masterKey } from './node-helpers.ts';

// The installed bin runs the BUILT CLI (dist/); the CLI's test task runs after `turbo build`.
const BIN = new URL('../bin/dispersy.js', import.meta.url).pathname;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Daemon {
  readonly child: ChildProcess;
  readonly ready: ReadyInfo;
  readonly stderr: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnDaemon(args: string[]): Promise<Daemon> {
  const child = spawn(process.execPath, [BIN, 'node', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise<ReadyInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 15 s\nstdout: ${stdout}\nstderr: ${stderr}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, end)) as ReadyInfo);
      }
    });
    void exit.then(({ code }) => reject(new Error(`exited with ${code} before ready\nstderr: ${stderr}`)));
  });
  return { child, ready, stderr: () => stderr, exit };
}

describe('dispersy node (process)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves the API, stops cleanly on %s (exit 0) and leaves a database that reopens intact', async (signal) => {
    const dir = tempDir();
    const master = masterKey(dir);
    const data = join(dir, 'data');
    const daemon = await spawnDaemon(['--data', data, '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', '--community', `debug-master:${master.file}`]);
    expect(daemon.ready).toMatchObject({ event: 'ready', communities: [master.cid] });
    const info = await call(daemon.ready.api, '/v1/node');
    expect(info.status).toBe(200);
    expect(info.body.mid).toBe(daemon.ready.mid);
    const texts = ['first', 'second', 'third'];
    const packets: string[] = [];
    for (const text of texts) {
      const created = await call(daemon.ready.api, `/v1/communities/${master.cid}/messages`, { body: { meta: 'full-sync-text', payload: { text } } });
      expect(created.status).toBe(201);
      packets.push(created.body.packet as string);
    }

    daemon.child.kill(signal);
    const exit = await daemon.exit;
    expect(exit, daemon.stderr()).toEqual({ code: 0, signal: null });
    const logs = daemon.stderr().trim().split('\n').map((line) => JSON.parse(line) as { msg: string });
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['node started', 'shutting down', 'node stopped']));

    const store = openStore(join(data, DATABASE_FILE_NAME));
    try {
      const [community] = store.communities.list();
      expect(community?.classification).toBe('DebugCommunity');
      const meta = store.metas.list(community?.id ?? 0).find((m) => m.name === 'full-sync-text');
      const stored = [...store.sync.iterateByMeta(meta?.id ?? 0)].map((row) => Buffer.from(row.packet).toString('hex'));
      expect(stored).toEqual(packets);
      expect(store.integrityCheck().ok).toBe(true);
    } finally {
      store.close();
    }
  });
});
