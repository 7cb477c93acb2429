/**
 * Choosing among a community's conversions (spec §2.2). A community may keep several (e.g. version 0x01 for old
 * peers and 0x02 for new ones); they are listed oldest first and tried **last to first**: for decoding, the first
 * whose `canDecode` accepts the packet; for encoding, the first that defines the message name — so outgoing
 * dispersy-* messages use the newest community version.
 */
import type { Conversion } from './conversion.ts';
import { assertArray, assertBytes, assertString } from './internal/assert.ts';

function checkList(conversions: readonly Conversion[]): void {
  assertArray(conversions, 'conversions');
  conversions.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof (c as Conversion).canDecode !== 'function') {
      throw new TypeError(`conversions[${i}] must be a Conversion`);
    }
  });
}

/**
 * The conversion that decodes a packet: the last one (newest) whose prefix and message ids accept it.
 * @param conversions the community's conversions, oldest first
 * @param packet a packet without tunnel prefix
 * @returns the conversion, or `undefined` if none can decode it (the node drops the packet)
 * @throws TypeError for malformed arguments
 * @example `const conversion = conversionForPacket(community.conversions, packet); conversion?.decode(packet)`
 */
export function conversionForPacket(conversions: readonly Conversion[], packet: Uint8Array): Conversion | undefined {
  checkList(conversions);
  assertBytes(packet, 'packet');
  for (let i = conversions.length - 1; i >= 0; i--) {
    const c = conversions[i] as Conversion;
    if (c.canDecode(packet)) return c;
  }
  return undefined;
}

/**
 * The conversion that encodes a message: the last one (newest) that defines a meta of that name.
 * @param conversions the community's conversions, oldest first
 * @param name the meta-message name
 * @returns the conversion, or `undefined` if none defines it
 * @throws TypeError for malformed arguments
 * @example `conversionForMessage(community.conversions, 'dispersy-introduction-request')?.encode(...)`
 */
export function conversionForMessage(conversions: readonly Conversion[], name: string): Conversion | undefined {
  checkList(conversions);
  assertString(name, 'name');
  for (let i = conversions.length - 1; i >= 0; i--) {
    const c = conversions[i] as Conversion;
    if (c.metaByName(name) !== undefined) return c;
  }
  return undefined;
}
