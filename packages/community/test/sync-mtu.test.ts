// Sync-filter sizing (spec §8.2): with the default 'mtu' sizing every introduction-request fits a 1,500-byte MTU
// with a 20-byte IP and an 8-byte UDP header (≤ 1,472 bytes of UDP payload, tunnel prefix included) for every
// security level and both member encodings; the 'original' knob keeps the original's formula byte for byte.
import { describe, expect, test } from 'vitest';
import { syncFilterBits } from '@dispersy/bloom';
import type { SecurityLevel } from '@dispersy/crypto';
import { createDebugCommunityDefinition } from '../src/testing/index.ts';
import { environment } from './helpers.ts';

const LEVELS: readonly SecurityLevel[] = ['curve25519', 'very-low', 'low', 'medium', 'high'];
const UDP_PAYLOAD = 1500 - 20 - 8;

describe('sync filter sizing', () => {
  for (const communityVersion of [1, 2]) {
    for (const level of LEVELS) {
      test(`every introduction-request fits the MTU: ${level} member, community version ${communityVersion} (${communityVersion === 1 ? 'sha1' : 'bin'})`, async () => {
        const env = await environment({ communityVersion });
        const [node] = await env.createNodes(1, { memberLevel: level, candidates: false });
        const c = node!.community;
        c.create('full-sync-text', { text: new TextEncoder().encode('something to advertise') }, { forward: false });
        for (const tunnel of [false, true]) {
          const to = { host: tunnel ? '10.99.0.2' : '10.99.0.1', port: 7 };
          c.addCandidate(to, { category: 'walk', tunnel });
          const request = c.createIntroductionRequest(c.candidates.get(to)!, { allowSync: true })!;
          expect(request.payload.sync!.bloom.bytes.length).toBeGreaterThan(1000);
          const datagrams = env.network.take(to);
          expect(datagrams).toHaveLength(1);
          expect(datagrams[0]!.data.length).toBe(request.packet.length + (tunnel ? 4 : 0));
          expect(datagrams[0]!.data.length).toBeLessThanOrEqual(UDP_PAYLOAD);
          // and it uses the room: at most 8 bytes (one filter byte plus the alignment of m) are left
          expect(UDP_PAYLOAD - request.packet.length - 4).toBeLessThan(8);
        }
      });
    }
  }

  test("syncFilterSizing 'original': the original's m for my signature length (a full-key request is 1,482 bytes)", async () => {
    const definition = createDebugCommunityDefinition({ communityVersion: 2, knobs: { syncFilterSizing: 'original' } });
    const env = await environment({ definition });
    const [node] = await env.createNodes(1, { candidates: false });
    const c = node!.community;
    c.create('full-sync-text', { text: new TextEncoder().encode('x') }, { forward: false });
    const request = c.createIntroductionRequest({ host: '10.99.0.1', port: 7 }, { allowSync: true })!;
    expect(request.payload.sync!.bloom.bytes.length * 8).toBe(syncFilterBits(64));
    expect(request.packet.length).toBe(1482);
  });

  test('an explicit syncBloomFilterBits knob wins over both sizings', async () => {
    const definition = createDebugCommunityDefinition({ knobs: { syncBloomFilterBits: 2048 } });
    const env = await environment({ definition });
    const [node] = await env.createNodes(1, { candidates: false });
    node!.community.create('full-sync-text', { text: new TextEncoder().encode('x') }, { forward: false });
    const request = node!.community.createIntroductionRequest({ host: '10.99.0.1', port: 7 })!;
    expect(request.payload.sync!.bloom.bytes.length).toBe(256);
  });
});
