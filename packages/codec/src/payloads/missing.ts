/**
 * The "missing" requests a peer sends when it lacks something (spec §2.5, §6.3): a range of sequence numbers
 * (missing-sequence, id 254), messages by global time (missing-message, id 239), and the proof that a message was
 * permitted (missing-proof, id 253). All are NoAuthentication / DirectDistribution.
 */
import type { PublicKey } from '@dispersy/crypto';
import { keyFieldSize, readLengthPrefixedKey, resolveMid, writeKeyField } from '../authentication.ts';
import { MID_LENGTH } from '../header.ts';
import { assertArray, assertInteger, assertObject, assertString } from '../internal/assert.ts';
import { assertHasMid, assertPublicKey } from '../internal/keys.ts';
import type { EncodeContext, PayloadCodec } from '../payload.ts';

/** dispersy-missing-sequence: "send me sequence numbers low..high of this member's messages of this meta". */
export interface MissingSequencePayload {
  /** The member whose messages are missing (travels as its 20-byte mid; resolved through the lookup). */
  readonly member: PublicKey;
  /** Name of the meta-message (travels as its id byte). */
  readonly meta: string;
  /** First missing sequence number, > 0. */
  readonly missingLow: number;
  /** Last missing sequence number, ≥ missingLow. */
  readonly missingHigh: number;
}

/** What the missing-sequence encoder accepts: the member needs only its mid. */
export type MissingSequenceInput = Omit<MissingSequencePayload, 'member'> & { readonly member: { readonly mid: Uint8Array } };

/** Internal: the id of a meta name in the encoding conversion. @throws RangeError if unknown */
export function metaIdOf(ctx: EncodeContext, name: unknown, what: string): number {
  assertString(name, what);
  const meta = ctx.conversion.metaByName(name);
  if (meta === undefined) throw new RangeError(`${what}: unknown meta-message ${JSON.stringify(name)}`);
  return meta.id;
}

/**
 * The missing-sequence payload codec: mid (20), message id (1), low (uint32), high (uint32). Decode checks: the mid
 * must resolve (`UNKNOWN_MEMBER`, a {@link MissingMemberError} with `section: 'payload'`; the original drops
 * it), the message id must be defined (`UNKNOWN_MESSAGE`), 0 < low ≤ high (`INVALID_FIELD`).
 * @example `payload: { member, meta: 'sequence-text', missingLow: 3, missingHigh: 3 }`
 */
export const missingSequencePayload: PayloadCodec<MissingSequencePayload, MissingSequenceInput> = {
  size(value, ctx) {
    assertObject(value, 'payload');
    assertHasMid(value.member, 'member');
    metaIdOf(ctx, value.meta, 'meta');
    assertInteger(value.missingLow, 'missingLow', 1, 0xffff_ffff);
    assertInteger(value.missingHigh, 'missingHigh', value.missingLow, 0xffff_ffff);
    return MID_LENGTH + 1 + 4 + 4;
  },
  encode(w, value, ctx) {
    w.bytes(value.member.mid, 'mid');
    w.u8(metaIdOf(ctx, value.meta, 'meta'));
    w.u32(value.missingLow);
    w.u32(value.missingHigh);
  },
  decode(r, ctx) {
    const midAt = r.pos;
    const mid = r.bytes(MID_LENGTH, 'member id');
    const id = r.u8('message id');
    const missingLow = r.u32('missing_low');
    const missingHigh = r.u32('missing_high');
    const meta = ctx.conversion.metaById(id);
    if (meta === undefined) {
      r.pos = midAt + MID_LENGTH;
      return r.fail('UNKNOWN_MESSAGE', `missing-sequence for undefined message id ${id}`);
    }
    if (missingLow === 0 || missingLow > missingHigh) {
      r.pos = midAt + MID_LENGTH + 1;
      r.fail('INVALID_FIELD', `missing range ${missingLow}..${missingHigh} must satisfy 0 < low ≤ high`);
    }
    const end = r.pos;
    r.pos = midAt + MID_LENGTH;
    const member = resolveMid(r, mid, ctx.options.lookupMember ?? ctx.conversion.lookupMember, 'payload');
    r.pos = end;
    return { member, meta: meta.name, missingLow, missingHigh };
  },
};

/** dispersy-missing-message: "send me this member's messages at these global times". */
export interface MissingMessagePayload {
  readonly member: PublicKey;
  /** At least one global time. */
  readonly globalTimes: readonly number[];
}

/**
 * The missing-message payload codec: key length (uint16), key, then N ≥ 1 uint64 global times. Decode checks:
 * the key parses (`BAD_KEY`); the rest is a non-zero multiple of 8 bytes (`INVALID_FIELD`).
 * @example `payload: { member, globalTimes: [12, 13] }`
 */
export const missingMessagePayload: PayloadCodec<MissingMessagePayload> = {
  size(value) {
    assertObject(value, 'payload');
    assertPublicKey(value.member, 'member');
    assertArray(value.globalTimes, 'globalTimes');
    if (value.globalTimes.length === 0) throw new RangeError('globalTimes must not be empty');
    value.globalTimes.forEach((t, i) => assertInteger(t, `globalTimes[${i}]`, 0, Number.MAX_SAFE_INTEGER));
    return keyFieldSize(value.member) + 8 * value.globalTimes.length;
  },
  encode(w, value) {
    writeKeyField(w, value.member);
    for (const t of value.globalTimes) w.u64(t);
  },
  decode(r, ctx) {
    const member = readLengthPrefixedKey(r, ctx.conversion.parseKey);
    const rest = r.remaining();
    if (rest === 0 || rest % 8 !== 0) r.fail('INVALID_FIELD', `global times need a non-zero multiple of 8 bytes, got ${rest}`);
    const globalTimes: number[] = [];
    while (r.remaining() > 0) globalTimes.push(r.u64('global time'));
    return { member, globalTimes };
  },
};

/** dispersy-missing-proof: "send me the proof that this member's message at this global time was permitted". */
export interface MissingProofPayload {
  readonly globalTime: number;
  readonly member: PublicKey;
}

/**
 * The missing-proof payload codec: global time (uint64), key length (uint16), key. Decode check: the key
 * parses (`BAD_KEY`).
 * @example `payload: { globalTime: 10, member }`
 */
export const missingProofPayload: PayloadCodec<MissingProofPayload> = {
  size(value) {
    assertObject(value, 'payload');
    assertInteger(value.globalTime, 'globalTime', 0, Number.MAX_SAFE_INTEGER);
    assertPublicKey(value.member, 'member');
    return 8 + keyFieldSize(value.member);
  },
  encode(w, value) {
    w.u64(value.globalTime);
    writeKeyField(w, value.member);
  },
  decode(r, ctx) {
    const globalTime = r.u64('global time');
    return { globalTime, member: readLengthPrefixedKey(r, ctx.conversion.parseKey) };
  },
};
