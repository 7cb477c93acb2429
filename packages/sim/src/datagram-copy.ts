/**
 * How the network copies a datagram's bytes when it schedules it — the one copy per datagram (sim-endpoint.ts). The
 * copy is the most expensive step of the datagram path: a typed array above 64 bytes gets an off-heap backing store,
 * ≈ 0.3–0.6 µs each on the project's 2-core machine class, about a third of the per-datagram cost. So there are three
 * modes:
 *
 * | mode | what the receiver gets | cost | caveat |
 * | --- | --- | --- | --- |
 * | `exact` (default) | its own `ArrayBuffer` of exactly the datagram's size | ≈ 0.3–0.6 µs | none |
 * | `pooled` | a view into a shared 16 KiB slab (like Node's `Buffer` pool), datagrams ≤ 2 KiB | ≈ 0.06–0.09 µs | a retained packet keeps its whole slab alive; `packet.buffer` holds other datagrams |
 * | `none` | the sender's own buffer (untunnelled), no copy | 0 | safe only if senders never mutate a buffer after sending it |
 *
 * Whatever the mode, a tunnelled datagram is built in a fresh buffer (the prefix must be prepended) and a datagram
 * dropped at send time is never copied.
 */

/** A copy mode; see the table in this module's documentation. */
export type CopyMode = 'exact' | 'pooled' | 'none';

/** Every {@link CopyMode}. */
export const COPY_MODES: readonly CopyMode[] = Object.freeze(['exact', 'pooled', 'none']);

const SLAB_SIZE = 16 * 1024;
const MAX_POOLED = 2 * 1024;

/**
 * Makes the copier of a mode.
 * @param mode `exact`, `pooled` or `none`
 * @returns `(packet, tunnel) => datagram`: the wire bytes, with `FF FF FF FF` first when `tunnel` is true
 * @throws RangeError for an unknown mode
 * @example `createCopier('exact')(Uint8Array.of(1), true) // FF FF FF FF 01`
 */
export function createCopier(mode: CopyMode): (packet: Uint8Array, tunnel: boolean) => Uint8Array {
  if (!COPY_MODES.includes(mode)) throw new RangeError(`copy must be one of ${COPY_MODES.join(', ')}, got ${String(mode)}`);
  let slab = new Uint8Array(0);
  let offset = 0;
  const allocate = (size: number): Uint8Array => {
    if (mode !== 'pooled' || size > MAX_POOLED) return new Uint8Array(size);
    if (offset + size > slab.length) {
      slab = new Uint8Array(SLAB_SIZE);
      offset = 0;
    }
    const view = slab.subarray(offset, offset + size);
    offset += (size + 7) & ~7; // keep views 8-byte aligned
    return view;
  };
  return (packet, tunnel) => {
    if (!tunnel) {
      if (mode === 'none') return packet;
      const data = allocate(packet.length);
      data.set(packet);
      return data;
    }
    const data = allocate(packet.length + 4);
    data[0] = data[1] = data[2] = data[3] = 0xff;
    data.set(packet, 4);
    return data;
  };
}
