/** Helpers over decoded messages: layout, type narrowing, description. */
import { describe, expect, test } from 'vitest';
import { describeMessage, isMessageOf, messageLayout, missingIdentity } from '../src/index.ts';
import { KEYS } from './arbitraries.ts';
import { debugConversion } from './helpers.ts';

const conversion = debugConversion(2);
const alice = KEYS[0]!;

describe('messageLayout', () => {
  test('lists resolution and destination sections only when present; the payload always', () => {
    const m = conversion.decode(
      conversion.encode('n-hop-sync-text', { signer: alice, globalTime: 9, payload: { text: new Uint8Array(0) } }),
    );
    const layout = messageLayout(m);
    expect(layout.map((s) => s.field)).toEqual([
      'dispersy_version',
      'community_version',
      'cid',
      'message_id',
      'authentication',
      'destination',
      'distribution',
      'payload',
      'signature',
    ]);
    expect(layout.find((s) => s.field === 'payload')!.length).toBe(0);
    const last = layout[layout.length - 1]!;
    expect(last.offset + last.length).toBe(m.packet.length);
  });

  test('a NoAuthentication message has neither authentication nor signature sections', () => {
    const m = conversion.decode(conversion.encode(missingIdentity, { globalTime: 2, payload: { mid: new Uint8Array(20) } }));
    expect(messageLayout(m).map((s) => s.field)).toEqual(['dispersy_version', 'community_version', 'cid', 'message_id', 'distribution', 'payload']);
    expect(isMessageOf(m, missingIdentity)).toBe(true);
    expect(describeMessage(m)).toBe('dispersy-missing-identity gt=2');
  });

  test('a sequence number shows in the description', () => {
    const m = conversion.decode(conversion.encode('sequence-text', { signer: alice, globalTime: 9, sequenceNumber: 3, payload: { text: new Uint8Array(1) } }));
    expect(describeMessage(m)).toMatch(/^sequence-text gt=9 seq=3 by [0-9a-f]{8}$/);
  });
});
