import { createConversion } from '@dispersy/codec';
import { debugCommunityMessages } from '@dispersy/codec/debug';
import { generateKeyPair } from '@dispersy/crypto';
import { describe, expect, test } from 'vitest';
import { ACCEPT, delayVerdict, dropVerdict, toMessage } from '../src/message.ts';

describe('message helpers', () => {
  test('toMessage: received NHop messages hold depth − 1, created ones the wire depth (quirk 14)', () => {
    const key = generateKeyPair();
    const conversion = createConversion({ cid: key.publicKey.mid, communityVersion: 2, metas: debugCommunityMessages });
    const packet = conversion.encode('n-hop-sync-text', { signer: key, globalTime: 3, payload: { text: Uint8Array.of(1) } });
    const decoded = conversion.decode(packet);
    const source = { address: { host: '10.0.0.1', port: 1 }, tunnel: false };
    expect(toMessage(decoded, undefined).remainingDepth).toBe(1);
    expect(toMessage(decoded, source).remainingDepth).toBe(0);
    const unlimited = conversion.decode(conversion.encode('n-hop-sync-text', { signer: key, globalTime: 3, depth: -1, payload: { text: Uint8Array.of(1) } }));
    expect(toMessage(unlimited, source).remainingDepth).toBe(-1);
    expect(toMessage(conversion.decode(conversion.encode('full-sync-text', { signer: key, globalTime: 3, payload: { text: Uint8Array.of(1) } })), source).remainingDepth).toBeUndefined();
  });

  test('verdict helpers', () => {
    expect(ACCEPT).toEqual({ kind: 'accept' });
    expect(dropVerdict('x')).toEqual({ kind: 'drop', reason: 'x' });
    const mid = new Uint8Array(20);
    expect(delayVerdict({ kind: 'proof', mid, globalTime: 4 }, [Uint8Array.of(1)])).toEqual({ kind: 'delay', cause: { kind: 'proof', mid, globalTime: 4 }, sendBack: [Uint8Array.of(1)] });
  });
});
