/** The README's usage example, kept compiling and running. */
import { expect, test } from 'vitest';
import { generateKeyPair } from '@dispersy/crypto';
import { createConversion, DecodeError, defineMeta, struct, uint8, utf8ToEnd } from '../src/index.ts';
import { DEBUG_COMMUNITY_VERSION, debugCommunityMessages } from '../src/debug.ts';

test('README usage', () => {
  const post = defineMeta({
    name: 'post',
    id: 1,
    authentication: { kind: 'member', encoding: 'default' },
    resolution: { kind: 'public' },
    distribution: { kind: 'full-sync', sequenceNumbers: true, direction: 'ASC', priority: 128 },
    destination: { kind: 'community', nodeCount: 10 },
    payload: struct({ mood: uint8, text: utf8ToEnd }),
  });
  const me = generateKeyPair();
  const conversion = createConversion({ cid: new Uint8Array(20).fill(1), communityVersion: 2, metas: [post] });
  const packet = conversion.encode(post, { signer: me, globalTime: 1, sequenceNumber: 1, payload: { mood: 3, text: 'hello' } });
  const message = conversion.decode(packet);
  expect([message.name, message.globalTime, message.sequenceNumber, message.payload]).toEqual(['post', 1, 1, { mood: 3, text: 'hello' }]);
  let code: string | undefined;
  try {
    conversion.decode(packet.subarray(0, 40));
  } catch (err) {
    if (DecodeError.is(err)) code = err.code;
  }
  expect(code).toBe('TRUNCATED');

  const debug = createConversion({ cid: new Uint8Array(20), communityVersion: DEBUG_COMMUNITY_VERSION, metas: debugCommunityMessages });
  expect(debug.metaById(101)?.name).toBe('last-1-test');
});
