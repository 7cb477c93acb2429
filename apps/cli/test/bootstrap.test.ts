import { describe, expect, it } from 'vitest';
import { Bootstrap, createLogger } from '../src/index.ts';
import { eventually, masterKey, startTestNode } from './node-helpers.ts';

function logger() {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (line) => void lines.push(line)) };
}

describe('bootstrap trackers', () => {
  it('resolves names (IPv4 literals as they are), logs the ones that fail, and never inserts the node itself', async () => {
    const master = masterKey();
    const node = await startTestNode({ community: [`debug:${master.publicHex}`] });
    const community = node.running.node.communities.get(master.cid);
    if (community === undefined) throw new Error('not joined');
    const [host, port] = node.running.ready.udp.split(':') as [string, string];
    const { lines, log } = logger();
    const asked: string[] = [];
    const bootstrap = new Bootstrap({
      trackers: [{ host: '127.0.0.11', port: 6421 }, { host: 'tracker.example.org', port: 6422 }, { host: 'gone.example.org', port: 1 }, { host, port: Number(port) }],
      log,
      self: { host, port: Number(port) },
      resolve: async (name) => {
        asked.push(name);
        if (name === 'gone.example.org') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        return '127.0.0.12';
      },
    });
    await bootstrap.resolve();
    expect(asked).toEqual(['tracker.example.org', 'gone.example.org']);
    expect(bootstrap.addresses).toEqual([{ host: '127.0.0.11', port: 6421 }, { host: '127.0.0.12', port: 6422 }, { host, port: Number(port) }]);
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 'warn', msg: 'bootstrap tracker did not resolve', host: 'gone.example.org' })]);
    expect(bootstrap.insertInto(community)).toBe(2);
    const now = community.clock.now();
    expect(community.candidates.list().map((c) => [c.key, c.category(now)])).toEqual([['127.0.0.11:6421', 'discovered'], ['127.0.0.12:6422', 'discovered']]);
  });

  it('re-inserts the trackers into every loaded community every period', async () => {
    const master = masterKey();
    const node = await startTestNode({ community: [`debug:${master.publicHex}`] });
    const community = node.running.node.communities.get(master.cid);
    if (community === undefined) throw new Error('not joined');
    const bootstrap = new Bootstrap({ trackers: [{ host: '127.0.0.11', port: 6421 }], log: logger().log, interval: 0.05 });
    await bootstrap.resolve();
    bootstrap.start(() => node.running.node.communities.values());
    try {
      await eventually(async () => (community.candidates.size === 1 ? true : undefined), 2000, () => 'not inserted');
      community.candidates.remove({ host: '127.0.0.11', port: 6421 });
      await eventually(async () => (community.candidates.size === 1 ? true : undefined), 2000, () => 'not re-inserted');
    } finally {
      bootstrap.stop();
    }
  });

  it('inserts --bootstrap trackers into each community as it loads', async () => {
    const master = masterKey();
    const node = await startTestNode({ community: [`debug:${master.publicHex}`], bootstrap: ['127.0.0.11:6421,127.0.0.13:6421'] });
    const community = node.running.node.communities.get(master.cid);
    expect(community?.candidates.list().map((c) => c.key)).toEqual(['127.0.0.11:6421', '127.0.0.13:6421']);
  });
});
