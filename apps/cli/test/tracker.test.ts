import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  DEFAULT_TRACKER_LISTEN,
  resolveTrackerConfig,
  run,
  startTracker,
  type CliIo,
  type RunningTracker,
  type TrackerReadyInfo,
} from '../src/index.ts';
import { cli } from './helpers.ts';
import { call, eventually, masterKey, startTestNode } from './node-helpers.ts';

const trackers: RunningTracker[] = [];
afterEach(async () => {
  for (const t of trackers.splice(0)) await t.stop();
});

async function tracker(options: Parameters<typeof resolveTrackerConfig>[0] = {}, logs: string[] = []): Promise<RunningTracker> {
  const config = resolveTrackerConfig({ listen: '127.0.0.1:0', api: '127.0.0.1:0', logLevel: 'debug', ...options });
  const running = await startTracker(config, createLogger(config.logLevel, (line) => void logs.push(line)));
  trackers.push(running);
  return running;
}

describe('dispersy tracker: options', () => {
  it('defaults to UDP 0.0.0.0:6421 (the original port, every interface), no API, curve25519, 1,000 communities', () => {
    expect(DEFAULT_TRACKER_LISTEN).toBe('0.0.0.0:6421');
    expect(resolveTrackerConfig({})).toEqual({
      listen: { host: '0.0.0.0', port: 6421 },
      api: undefined,
      apiToken: undefined,
      keyLevel: 'curve25519',
      logLevel: 'info',
      maxCommunities: 1000,
    });
    expect(resolveTrackerConfig({ api: '[::1]:0', apiToken: 'abcdefgh', maxCommunities: '5', keyLevel: 'very-low' })).toMatchObject({
      api: { host: '::1', port: 0 }, apiToken: 'abcdefgh', maxCommunities: 5, keyLevel: 'very-low',
    });
    expect(resolveTrackerConfig({ api: '127.0.0.1:0' }, { DISPERSY_API_TOKEN: 'from-the-env' }).apiToken).toBe('from-the-env');
  });

  it.each([
    [['--listen', 'nope'], 'BAD_ADDRESS'],
    [['--listen', '[::1]:6421'], 'BAD_ADDRESS'],
    [['--api', 'example.org:80'], 'BAD_ADDRESS'],
    [['--api-token', 'abcdefgh'], 'BAD_OPTION'],
    [['--api', '127.0.0.1:0', '--api-token', 'short'], 'BAD_OPTION'],
    [['--max-communities', '0'], 'BAD_OPTION'],
    [['--max-communities', '1.5'], 'BAD_OPTION'],
  ])('refuses %j with one line and exit status 2 (%s), before binding anything', async (args, code) => {
    const result = await cli(['tracker', ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^dispersy tracker: error ${code}: .+\\n$`));
  });

  it('refuses an unknown --key-level or --log-level (exit status 2)', async () => {
    expect((await cli(['tracker', '--key-level', 'huge'])).status).toBe(2);
    expect((await cli(['tracker', '--log-level', 'loud'])).status).toBe(2);
  });
});

describe('dispersy tracker: in-process', () => {
  it('run() prints the ready line, serves the status API and returns 0 when shut down', async () => {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    let readyLine: (line: string) => void = () => undefined;
    const firstLine = new Promise<string>((resolve) => (readyLine = resolve));
    const io: Partial<CliIo> = {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('\n')) readyLine(stdout.slice(0, stdout.indexOf('\n')));
      },
      stderr: (t) => void (stderr += t),
      shutdown: controller.signal,
    };
    const status = run(['tracker', '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0'], io);
    const ready = JSON.parse(await firstLine) as TrackerReadyInfo;
    expect(ready).toMatchObject({ event: 'ready', mode: 'tracker', udp: expect.stringMatching(/^127\.0\.0\.1:\d+$/), mid: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const node = await call(ready.api as string, '/v1/node');
    expect(node.body).toMatchObject({ mode: 'tracker', mid: ready.mid, publicKey: ready.publicKey, udp: ready.udp, communities: 0, keyLevel: 'curve25519' });
    controller.abort();
    expect(await status).toBe(0);
    const msgs = stderr.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toEqual(['tracker started', 'tracker stopped']);
  });

  it('a node that knows only the tracker walks to it; the tracker serves the community and stores none of its data', async () => {
    const logs: string[] = [];
    const t = await tracker({}, logs);
    const master = masterKey();
    const node = await startTestNode({ community: [`debug-master:${master.file}`], bootstrap: [t.ready.udp], walkInterval: '0.2' });
    const api = t.ready.api as string;
    const served = await eventually(async () => {
      const r = await call(api, '/v1/communities');
      return r.body.communities.find((c: { cid: string; verifiedCandidates: number }) => c.cid === master.cid && c.verifiedCandidates === 1);
    }, 20_000, () => logs.join(''));
    expect(served).toEqual({ cid: master.cid, communityVersion: 1, candidates: 1, verifiedCandidates: 1 });
    await eventually(async () => {
      const r = await call(node, `/v1/communities/${master.cid}/candidates`);
      return r.body.candidates.some((c: { address: string; category: string; mid?: string }) => c.address === t.ready.udp && c.category === 'walk' && c.mid === t.ready.mid) ? true : undefined;
    }, 20_000, () => logs.join(''));
    const community = t.node.communities.get(master.cid);
    expect(community?.classification).toBe('TrackerCommunity');
    expect(t.node.store.selection.countSyncable(community?.databaseId ?? -1)).toBe(0);
    expect(logs.join('')).toContain('"msg":"community served"');

    const stats = await call(api, '/v1/stats');
    expect(stats.body.tracker).toMatchObject({ communities: 1, candidates: 1, verifiedCandidates: 1 });
    expect(stats.body.node.packets.in.byLabel['dispersy-introduction-request']).toBeGreaterThan(0);
    expect(stats.body.endpoint.packetsReceived).toBeGreaterThan(0);
    const metrics = await call(api, '/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.text).toMatch(/^dispersy_communities 1$/m);
    expect(metrics.text).toMatch(/^dispersy_tracker_verified_candidates 1$/m);
    expect(metrics.text).toMatch(/^dispersy_packets_total\{direction="in",message="dispersy-introduction-request"\} \d+$/m);
  });

  it('the status API keeps the node API guards: loopback Host names only, the bearer token, 404 for anything else', async () => {
    const t = await tracker({ apiToken: 'tracker-token-1' });
    const api = t.ready.api as string;
    const auth = { authorization: 'Bearer tracker-token-1' };
    expect((await call(api, '/v1/node')).status).toBe(401);
    expect((await call(api, '/v1/node', { headers: auth })).status).toBe(200);
    const url = new URL(api);
    const withHost = (host: string): Promise<number> => new Promise((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/v1/node', headers: { ...auth, host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(await withHost('evil.example:80')).toBe(403);
    expect(await withHost(`localhost:${url.port}`)).toBe(200);
    const missing = await call(api, '/v1/communities/00/messages', { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('a failed API bind (API_BIND_FAILED, exit status 1) releases the UDP port it had bound', async () => {
    const busy = await tracker();
    const probe = await startTracker(resolveTrackerConfig({ listen: '127.0.0.1:0' }), createLogger('silent'));
    const udpPort = probe.node.address.port;
    await probe.stop();
    const apiPort = new URL(busy.ready.api as string).port;
    const failed = startTracker(resolveTrackerConfig({ listen: `127.0.0.1:${udpPort}`, api: `127.0.0.1:${apiPort}` }), createLogger('silent'));
    await expect(failed).rejects.toMatchObject({ code: 'API_BIND_FAILED', exitCode: 1 });
    const again = await tracker({ listen: `127.0.0.1:${udpPort}` });
    expect(again.node.address.port).toBe(udpPort);
  });

  it('has no API without --api; stop() is idempotent', async () => {
    const config = resolveTrackerConfig({ listen: '127.0.0.1:0' });
    const t = await startTracker(config, createLogger('silent'));
    expect(t.ready.api).toBeUndefined();
    expect(Object.keys(t.ready)).toEqual(['event', 'mode', 'publicKey', 'mid', 'udp']);
    await Promise.all([t.stop(), t.stop()]);
    expect(t.node.running).toBe(false);
  });
});
