// `dispersy tracker` as a real process (the built bin): the ready line, the status API, clean shutdown on SIGTERM
// and SIGINT (exit 0), exit status 1 for a port in use and 2 for bad options, one line on stderr each.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackerReadyInfo } from '../src/index.ts';
import { getJson, runBin, spawnReady } from './process-helpers.ts';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function occupiedPort(): Promise<number> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0, exclusive: true }, resolve));
  return socket.address().port;
}

describe('dispersy tracker (process)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints its ready line, serves the status API and stops cleanly on %s (exit 0)', async (signal) => {
    const tracker = await spawnReady<TrackerReadyInfo>('tracker', ['tracker', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0']);
    expect(tracker.ready).toMatchObject({
      event: 'ready',
      mode: 'tracker',
      udp: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      mid: expect.stringMatching(/^[0-9a-f]{40}$/),
      api: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    const node = await getJson(`${tracker.ready.api ?? ''}/v1/node`);
    expect(node?.body).toMatchObject({ mode: 'tracker', mid: tracker.ready.mid, udp: tracker.ready.udp });
    const stats = await getJson(`${tracker.ready.api ?? ''}/v1/stats`);
    expect(stats?.status).toBe(200);

    tracker.child.kill(signal);
    expect(await tracker.exit, tracker.stderr.text()).toEqual({ code: 0, signal: null });
    const msgs = tracker.stderr.text().trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(msgs).toEqual(['tracker started', 'shutting down', 'tracker stopped']);
  });

  it('exits 1 with one line when the UDP port is in use', async () => {
    const port = await occupiedPort();
    const result = await runBin(['tracker', '--listen', `127.0.0.1:${port}`]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^dispersy tracker: error UDP_BIND_FAILED: cannot bind UDP 127\\.0\\.0\\.1:${port}: .+\\n$`));
  });

  it('exits 1 with one line when the API port is in use', async () => {
    const first = await spawnReady<TrackerReadyInfo>('tracker', ['tracker', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0']);
    const apiPort = new URL(first.ready.api ?? '').port;
    const result = await runBin(['tracker', '--listen', '127.0.0.1:0', '--api', `127.0.0.1:${apiPort}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^dispersy tracker: error API_BIND_FAILED: cannot bind the HTTP API to 127\.0\.0\.1:\d+ \(EADDRINUSE\)\n$/);
  });

  it('exits 2 with one line for a bad option', async () => {
    const result = await runBin(['tracker', '--listen', '127.0.0.1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dispersy tracker: error BAD_ADDRESS: --listen must be HOST:PORT with HOST an IPv4 address and PORT 0..65535 (0 picks a free port), got '127.0.0.1'\n");
  });
});
