import { describe, expect, test } from 'vitest';
import { orderPackets } from '../src/packet-order.ts';

const source = { address: { host: '10.0.0.1', port: 1 }, tunnel: false };
function packet(cid: number, version: number, id: number, tag: number): Uint8Array {
  const p = new Uint8Array(24);
  p[1] = version;
  p.fill(cid, 2, 22);
  p[22] = id;
  p[23] = tag;
  return p;
}

describe('orderPackets (quirk 20: a total order, identities first)', () => {
  test('groups by cid; inside by version, identity (248) first, then message id, then arrival', () => {
    const items = [
      packet(2, 1, 105, 1),
      packet(1, 1, 105, 2),
      packet(1, 1, 248, 3),
      packet(1, 0, 247, 4),
      packet(1, 1, 105, 5),
      packet(1, 1, 101, 6),
      new Uint8Array(22),
    ].map((p) => ({ packet: p, source }));
    const { communities, short } = orderPackets(items);
    expect(short).toHaveLength(1);
    expect(communities.map((c) => c.cid.slice(0, 2))).toEqual(['01', '02']);
    expect(communities[0]!.items.map((i) => i.packet[23])).toEqual([4, 3, 6, 2, 5]);
    expect(communities[1]!.items.map((i) => i.packet[23])).toEqual([1]);
  });
});
