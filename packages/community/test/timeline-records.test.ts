import { createConversion, permissionsFromTriplets } from '@dispersy/codec';
import { debugCommunityMessages } from '@dispersy/codec/debug';
import { generateKeyPair } from '@dispersy/crypto';
import { describe, expect, test } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { Timeline } from '../src/timeline.ts';
import { applyTimelineRecord, compareProofs, timelineRecordOf } from '../src/timeline-records.ts';

describe('timeline records', () => {
  const master = generateKeyPair();
  const member = generateKeyPair();
  const conversion = createConversion({ cid: master.publicKey.mid, communityVersion: 2, metas: debugCommunityMessages });
  const metas = new Map(conversion.metas.map((m) => [m.name, m]));
  const timeline = () => new Timeline({ masterMid: toHex(master.publicKey.mid), resolutionOf: (n) => metas.get(n)?.resolution, compareProofs });

  test('an authorize becomes a record whose grants apply', () => {
    const payload = permissionsFromTriplets([{ member: member.publicKey, meta: 'protected-full-sync-text', permission: 'permit' }]);
    const message = conversion.decode(conversion.encode('dispersy-authorize', { signer: master, globalTime: 4, sequenceNumber: 1, payload }));
    const record = timelineRecordOf(message)!;
    expect(record).toMatchObject({ kind: 'authorize', signer: toHex(master.publicKey.mid), globalTime: 4 });
    const t = timeline();
    expect(t.allowed(toHex(member.publicKey.mid), 'protected-full-sync-text', 5)).toBe(false);
    expect(applyTimelineRecord(t, record)).toBe(true);
    expect(t.allowed(toHex(member.publicKey.mid), 'protected-full-sync-text', 5)).toBe(true);
    expect(t.checkMessage([toHex(member.publicKey.mid)], 5, 'protected-full-sync-text', { kind: 'linear' }).proofs[0]?.packet).toEqual(message.packet);
  });

  test('dynamic-settings and other messages', () => {
    const settings = conversion.decode(
      conversion.encode('dispersy-dynamic-settings', { signer: master, globalTime: 6, sequenceNumber: 1, payload: { settings: [{ meta: 'dynamic-resolution-text', index: 1 }] } }),
    );
    const record = timelineRecordOf(settings)!;
    expect(record).toMatchObject({ kind: 'dynamic-settings', settings: [{ meta: 'dynamic-resolution-text', policyIndex: 1 }] });
    const t = timeline();
    applyTimelineRecord(t, record);
    expect(t.resolutionPolicy('dynamic-resolution-text', 7).policy).toBe('linear');
    const text = conversion.decode(conversion.encode('full-sync-text', { signer: member, globalTime: 3, payload: { text: Uint8Array.of(1) } }));
    expect(timelineRecordOf(text)).toBeUndefined();
  });
});
