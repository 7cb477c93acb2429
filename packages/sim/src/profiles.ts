/**
 * Link profiles: presets of {@link AccessLink} with ranges that are drawn once per node from the seeded random source,
 * so a population of "3G" nodes differs node to node but replays exactly. The figures are the project's own
 * (performance-model.md §1.6 and B10: the original claims "very well in 3G and WiFi" without a number):
 *
 * | profile | RTT to a zero-latency host | download | upload | loss per link | MTU |
 * | --- | --- | --- | --- | --- | --- |
 * | `3G` | 150–300 ms | 1–2 Mbit/s | 0.4 Mbit/s | 1–3 % | 1,500 B |
 * | `WiFi` | 5–20 ms | 20 Mbit/s | 20 Mbit/s | 0.5 % | 1,500 B |
 *
 * The RTT range is realised as a per-node base latency plus per-datagram jitter: 3G = latency U(75, 125) ms + jitter
 * U(0, 25) ms each way; WiFi = latency U(2.5, 7.5) ms + jitter U(0, 2.5) ms. Between two 3G nodes both access links
 * are crossed, so their RTT is 300–600 ms and their loss 2–6 %.
 */
import type { Random } from '@dispersy/interfaces';
import { resolveLink, type AccessLink } from './link.ts';

/** A fixed value or an inclusive `[min, max]` range drawn uniformly per node. */
export type Range = number | readonly [number, number];

/** A named preset of access-link ranges. */
export interface LinkProfile {
  /** The preset's name (also what tells a profile from a partial link). */
  readonly name: string;
  /** One-way base latency, seconds. */
  readonly latency: Range;
  /** Per-datagram jitter bound, seconds. */
  readonly jitter: Range;
  /** Loss probability per link. */
  readonly loss: Range;
  /** Upload bytes per second. */
  readonly upload: Range;
  /** Download bytes per second. */
  readonly download: Range;
  /** MTU in bytes (IP datagram). */
  readonly mtu: Range;
}

const MBIT = 1_000_000 / 8;

/** "3G": RTT 150–300 ms, 1–2 Mbit/s down, 0.4 Mbit/s up, 1–3 % loss, MTU 1,500. */
export const PROFILE_3G: LinkProfile = Object.freeze({
  name: '3G',
  latency: [0.075, 0.125] as const,
  jitter: 0.025,
  loss: [0.01, 0.03] as const,
  upload: 0.4 * MBIT,
  download: [1 * MBIT, 2 * MBIT] as const,
  mtu: 1500,
});

/** "WiFi": RTT 5–20 ms, 20 Mbit/s both ways, 0.5 % loss, MTU 1,500. */
export const PROFILE_WIFI: LinkProfile = Object.freeze({
  name: 'WiFi',
  latency: [0.0025, 0.0075] as const,
  jitter: 0.0025,
  loss: 0.005,
  upload: 20 * MBIT,
  download: 20 * MBIT,
  mtu: 1500,
});

/** The presets by name, for `createNode({ link: '3G' })`. */
export const LINK_PROFILES: Readonly<Record<'3G' | 'WiFi', LinkProfile>> = Object.freeze({ '3G': PROFILE_3G, WiFi: PROFILE_WIFI });

/** A preset's name. */
export type LinkProfileName = keyof typeof LINK_PROFILES;

function draw(range: Range, random: Random, name: string): number {
  if (typeof range === 'number') return range;
  const [min, max] = range;
  if (!(min <= max)) throw new RangeError(`${name} range must be [min, max] with min ≤ max, got [${min}, ${max}]`);
  return min === max ? min : min + random.next() * (max - min);
}

/**
 * Draws one node's access link from a profile (ranged fields consume one random number each, in field order; fixed
 * fields consume none).
 * @param profile a preset such as {@link PROFILE_3G}, or its name
 * @param random the seeded source
 * @returns a validated access link
 * @throws RangeError for an unknown name, an inverted range or values {@link resolveLink} rejects
 * @example `sampleLink('3G', createSeededRandom(7)).upload // 50000`
 */
export function sampleLink(profile: LinkProfile | LinkProfileName, random: Random): AccessLink {
  const p = typeof profile === 'string' ? LINK_PROFILES[profile] : profile;
  if (p === undefined) throw new RangeError(`unknown link profile '${String(profile)}' (known: ${Object.keys(LINK_PROFILES).join(', ')})`);
  return resolveLink({
    latency: draw(p.latency, random, 'latency'),
    jitter: draw(p.jitter, random, 'jitter'),
    loss: draw(p.loss, random, 'loss'),
    upload: draw(p.upload, random, 'upload'),
    download: draw(p.download, random, 'download'),
    mtu: draw(p.mtu, random, 'mtu'),
  });
}
