/** The copy modes of the datagram path. */
import { describe, expect, test } from 'vitest';
import { COPY_MODES, createCopier } from '../src/index.ts';

describe('createCopier', () => {
  test.each(COPY_MODES)('%s: the tunnel prefix is prepended in a fresh buffer', (mode) => {
    const packet = Uint8Array.of(1, 2);
    const out = createCopier(mode)(packet, true);
    expect([...out]).toEqual([255, 255, 255, 255, 1, 2]);
    expect(out.buffer).not.toBe(packet.buffer);
  });

  test('exact: an own buffer of exactly the size', () => {
    const out = createCopier('exact')(Uint8Array.of(1, 2, 3), false);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(3);
  });

  test('pooled: aligned views into shared slabs; large datagrams get their own buffer', () => {
    const copy = createCopier('pooled');
    const a = copy(Uint8Array.of(1, 2, 3), false);
    const b = copy(Uint8Array.of(4), false);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(8);
    expect([...a, ...b]).toEqual([1, 2, 3, 4]);
    const big = copy(new Uint8Array(4096), false);
    expect(big.buffer).not.toBe(a.buffer);
    for (let i = 0; i < 20; i++) copy(new Uint8Array(2048), false); // fills slabs and moves on
    expect(copy(Uint8Array.of(9), false).buffer).not.toBe(a.buffer);
  });

  test('none: by reference', () => {
    const packet = Uint8Array.of(1);
    expect(createCopier('none')(packet, false)).toBe(packet);
    expect(() => createCopier('deep' as never)).toThrow(RangeError);
  });
});
