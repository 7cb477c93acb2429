/** Choosing a conversion (spec §2.2): decode by whichever accepts the packet, encode with the newest. */
import { describe, expect, test } from 'vitest';
import { conversionForMessage, conversionForPacket, createConversion } from '../src/index.ts';
import { debugCommunityMessages } from '../src/debug.ts';
import { KEYS, PUBLIC_KEYS } from './arbitraries.ts';
import { debugConversion, lookupOf, TEST_CID } from './helpers.ts';

const v1 = debugConversion(1, lookupOf(PUBLIC_KEYS));
const v2 = createConversion({ cid: TEST_CID, communityVersion: 2, metas: debugCommunityMessages.slice(0, 3) });
const conversions = [v1, v2];

describe('conversion selection', () => {
  test('decoding: the conversion whose prefix and ids accept the packet, newest first', () => {
    const old = v1.encode('full-sync-text', { signer: KEYS[0]!, globalTime: 1, payload: { text: new Uint8Array(1) } });
    const fresh = v2.encode('last-1-test', { signer: KEYS[0]!, globalTime: 1, payload: { text: new Uint8Array(1) } });
    expect(conversionForPacket(conversions, old)).toBe(v1);
    expect(conversionForPacket(conversions, fresh)).toBe(v2);
    expect(conversionForPacket(conversions, new Uint8Array(10))).toBeUndefined();
  });

  test('encoding: the newest conversion that knows the name', () => {
    expect(conversionForMessage(conversions, 'dispersy-introduction-request')).toBe(v2);
    expect(conversionForMessage(conversions, 'last-1-test')).toBe(v2);
    expect(conversionForMessage(conversions, 'full-sync-text')).toBe(v1);
    expect(conversionForMessage(conversions, 'nope')).toBeUndefined();
  });

  test('wrong types are TypeErrors', () => {
    expect(() => conversionForPacket([{}] as never, new Uint8Array(1))).toThrow(TypeError);
    expect(() => conversionForPacket(conversions, 'x' as never)).toThrow(TypeError);
    expect(() => conversionForMessage(null as never, 'x')).toThrow(TypeError);
    expect(() => conversionForMessage(conversions, 5 as never)).toThrow(TypeError);
  });
});
