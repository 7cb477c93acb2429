/**
 * Hostile-input table (house style §2.7.4, after noble's getTypeTests): every public function, given a value of
 * the wrong type for a parameter, throws a TypeError — never a DecodeError, never garbage output.
 */
import { describe, expect, test } from 'vitest';
import * as codec from '../src/index.ts';
import { createDebugCommunityMessages } from '../src/debug.ts';
import { KEYS } from './arbitraries.ts';
import { debugConversion } from './helpers.ts';

const HOSTILE: Record<string, unknown> = {
  undefined: undefined,
  null: null,
  zero: 0,
  'minus one': -1,
  'one and a half': 1.5,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  'empty string': '',
  string: 'abc',
  'hex string': '00ff',
  true: true,
  bigint: 1n,
  symbol: Symbol('x'),
  'plain object': {},
  array: [1, 2, 3],
  function: () => 1,
  Uint16Array: new Uint16Array(4),
  ArrayBuffer: new ArrayBuffer(4),
  DataView: new DataView(new ArrayBuffer(4)),
};

type Kind = 'bytes' | 'object' | 'optional-object' | 'meta' | 'integer' | 'string';

/** Which hostile values are of the wrong *type* for a kind of parameter. */
function wrongFor(kind: Kind): [string, unknown][] {
  return Object.entries(HOSTILE).filter(([name, v]) => {
    switch (kind) {
      case 'bytes':
        return true;
      case 'meta': // a meta definition or its name
        return typeof v !== 'string' && (v === null || (typeof v !== 'object' && typeof v !== 'function') || name === 'function');
      case 'object':
        return v === null || (typeof v !== 'object' && typeof v !== 'function') || name === 'function';
      case 'optional-object':
        return v !== undefined && (v === null || (typeof v !== 'object' && typeof v !== 'function') || name === 'function');
      case 'integer':
        return !(typeof v === 'number' && Number.isInteger(v));
      case 'string':
        return typeof v !== 'string';
    }
  });
}

const conversion = debugConversion(2);
const alice = KEYS[0]!;
const packet = conversion.encode('full-sync-text', { signer: alice, globalTime: 1, payload: { text: new Uint8Array(1) } });
const message = conversion.decode(packet);

/** [name, kind of the hostile parameter, call]. */
const TABLE: [string, Kind, (x: never) => unknown][] = [
  ['hasTunnelPrefix(datagram)', 'bytes', (x) => codec.hasTunnelPrefix(x)],
  ['stripTunnelPrefix(datagram)', 'bytes', (x) => codec.stripTunnelPrefix(x)],
  ['addTunnelPrefix(packet)', 'bytes', (x) => codec.addTunnelPrefix(x)],
  ['readHeader(packet)', 'bytes', (x) => codec.readHeader(x)],
  ['communityPrefix(cid, ·)', 'bytes', (x) => codec.communityPrefix(x, 1)],
  ['communityPrefix(·, version)', 'integer', (x) => codec.communityPrefix(new Uint8Array(20), x)],
  ['new Reader(buffer)', 'bytes', (x) => new codec.Reader(x)],
  ['new Writer(size)', 'integer', (x) => new codec.Writer(x)],
  ['writer.u8(value)', 'integer', (x) => new codec.Writer(8).u8(x)],
  ['writer.u16(value)', 'integer', (x) => new codec.Writer(8).u16(x)],
  ['writer.u32(value)', 'integer', (x) => new codec.Writer(8).u32(x)],
  ['writer.bytes(value)', 'bytes', (x) => new codec.Writer(8).bytes(x)],
  ['isEmptySignature(signature)', 'bytes', (x) => codec.isEmptySignature(x)],
  ['splitAtLastComma(packet)', 'bytes', (x) => codec.splitAtLastComma(x)],
  ['signedRegions(authentication, ·)', 'object', (x) => codec.signedRegions(x, packet)],
  ['signedRegions(·, packet)', 'bytes', (x) => codec.signedRegions({ kind: 'member', encoding: 'bin' }, x)],
  ['signatureChecks(message)', 'object', (x) => codec.signatureChecks(x)],
  ['verifyMessageSignatures(message)', 'object', (x) => codec.verifyMessageSignatures(x)],
  ['messageLayout(message)', 'object', (x) => codec.messageLayout(x)],
  ['describeMessage(message)', 'object', (x) => codec.describeMessage(x)],
  ['isMessageOf(message, ·)', 'object', (x) => codec.isMessageOf(x, codec.identity)],
  ['isMessageOf(·, meta)', 'object', (x) => codec.isMessageOf(message, x)],
  ['createConversion(init)', 'object', (x) => codec.createConversion(x)],
  ['new Conversion(init)', 'object', (x) => new codec.Conversion(x)],
  ['createConversion({ cid })', 'bytes', (x) => codec.createConversion({ cid: x, communityVersion: 1, metas: [] })],
  ['createConversion({ communityVersion })', 'integer', (x) => codec.createConversion({ cid: new Uint8Array(20), communityVersion: x, metas: [] })],
  ['createConversion({ metas })', 'object', (x) => codec.createConversion({ cid: new Uint8Array(20), communityVersion: 1, metas: x })],
  ['conversion.decode(packet)', 'bytes', (x) => conversion.decode(x)],
  ['conversion.decode(·, options)', 'optional-object', (x) => conversion.decode(packet, x)],
  ['conversion.canDecode(packet)', 'bytes', (x) => conversion.canDecode(x)],
  ['conversion.encode(meta, ·)', 'meta', (x) => conversion.encode(x, { signer: alice, globalTime: 1, payload: {} })],
  ['conversion.encode(·, input)', 'object', (x) => conversion.encode('full-sync-text', x)],
  ['conversion.encode(·, { globalTime })', 'integer', (x) => conversion.encode('full-sync-text', { signer: alice, globalTime: x, payload: { text: new Uint8Array(0) } })],
  ['conversion.encode(·, { payload })', 'object', (x) => conversion.encode('full-sync-text', { signer: alice, globalTime: 1, payload: x })],
  ['conversion.encode(·, { signer })', 'object', (x) => conversion.encode('full-sync-text', { signer: x ?? 0, globalTime: 1, payload: { text: new Uint8Array(0) } })],
  ['conversion.cosign(message, ·)', 'object', (x) => conversion.cosign(message, x)],
  ['conversion.cosign(·, key)', 'object', (x) => conversion.cosign(x, alice)],
  ['conversionForPacket(conversions, ·)', 'object', (x) => codec.conversionForPacket(x, packet)],
  ['conversionForPacket(·, packet)', 'bytes', (x) => codec.conversionForPacket([conversion], x)],
  ['conversionForMessage(conversions, ·)', 'object', (x) => codec.conversionForMessage(x, 'x')],
  ['conversionForMessage(·, name)', 'string', (x) => codec.conversionForMessage([conversion], x)],
  ['conversion.metaById(id)', 'integer', (x) => conversion.metaById(x)],
  ['conversion.metaByName(name)', 'string', (x) => conversion.metaByName(x)],
  ['conversion.memberEncodingOf(meta)', 'object', (x) => conversion.memberEncodingOf(x)],
  ['defineMeta(init)', 'object', (x) => codec.defineMeta(x)],
  ['checkPolicyCombination(meta)', 'object', (x) => codec.checkPolicyCombination(x)],
  ['memberCount(authentication)', 'object', (x) => codec.memberCount(x)],
  ['resolveMemberEncoding(encoding, ·)', 'string', (x) => codec.resolveMemberEncoding(x, 1)],
  ['resolveMemberEncoding(·, version)', 'integer', (x) => codec.resolveMemberEncoding('default', x)],
  ['encodeValue(codec, ·)', 'object', (x) => codec.encodeValue(x, 1)],
  ['decodeValue(codec, ·)', 'object', (x) => codec.decodeValue(x, new Uint8Array(1))],
  ['decodeValue(·, bytes)', 'bytes', (x) => codec.decodeValue(codec.uint8, x)],
  ['encodeValue(uint64, value)', 'integer', (x) => codec.encodeValue(codec.uint64, x)],
  ['encodeValue(restBytes, value)', 'bytes', (x) => codec.encodeValue(codec.restBytes, x)],
  ['encodeValue(utf8(), value)', 'string', (x) => codec.encodeValue(codec.utf8(), x)],
  ['encodeValue(address, value)', 'object', (x) => codec.encodeValue(codec.address, x)],
  ['fixedBytes(length)', 'integer', (x) => codec.fixedBytes(x)],
  ['bytes(options)', 'optional-object', (x) => codec.bytes(x)],
  ['utf8(options)', 'optional-object', (x) => codec.utf8(x)],
  ['list(item)', 'object', (x) => codec.list(x)],
  ['optional(inner)', 'object', (x) => codec.optional(x)],
  ['struct(fields)', 'object', (x) => codec.struct(x)],
  ['ipv4Bytes(host)', 'string', (x) => codec.ipv4Bytes(x)],
  ['formatAddress(address)', 'object', (x) => codec.formatAddress(x)],
  ['builtinMessageName(id)', 'integer', (x) => codec.builtinMessageName(x)],
  ['isBuiltinMessageId(id)', 'integer', (x) => codec.isBuiltinMessageId(x)],
  ['permissionTriplets(payload)', 'object', (x) => codec.permissionTriplets(x)],
  ['permissionsFromTriplets(triplets)', 'object', (x) => codec.permissionsFromTriplets(x)],
  ['createDebugCommunityMessages(options)', 'optional-object', (x) => createDebugCommunityMessages(x)],
];

describe.each(TABLE)('%s', (_name, kind, call) => {
  test.each(wrongFor(kind))('rejects %s with a TypeError', (_value, value) => {
    expect(() => call(value as never)).toThrow(TypeError);
  });
});
