/**
 * dispersy-undo-own (id 238) and dispersy-undo-other (id 237) (spec §2.5, §6.4): undo an earlier message,
 * identified by its member and global time. For undo-own the member is the signer itself.
 */
import type { PublicKey } from '@dispersy/crypto';
import { keyFieldSize, readLengthPrefixedKey, writeKeyField } from '../authentication.ts';
import { assertInteger, assertObject } from '../internal/assert.ts';
import { assertPublicKey } from '../internal/keys.ts';
import type { PayloadCodec } from '../payload.ts';
import type { Reader } from '../reader.ts';

/** dispersy-undo-own: undo my own message at `globalTime`. */
export interface UndoOwnPayload {
  /** The target message's global time, lower than the undo message's own. */
  readonly globalTime: number;
}

/** dispersy-undo-other: undo `member`'s message at `globalTime` (needs the `undo` permission on its meta). */
export interface UndoOtherPayload {
  readonly member: PublicKey;
  /** The target message's global time, lower than the undo message's own. */
  readonly globalTime: number;
}

function checkTargetTime(value: unknown, own: number): void {
  assertInteger(value, 'globalTime', 0, Number.MAX_SAFE_INTEGER);
  if (value >= own) throw new RangeError(`the target global time ${value} must be lower than the message's ${own}`);
}

function readTargetTime(r: Reader, own: number): number {
  const globalTime = r.u64('target global time');
  if (globalTime >= own) {
    r.pos -= 8;
    r.fail('INVALID_FIELD', `the target global time ${globalTime} is not lower than the undo's own ${own}`);
  }
  return globalTime;
}

/**
 * The undo-own payload codec: target global time (uint64). Decode check: target < the message's global time
 * (`INVALID_FIELD`).
 * @example `conversion.encode('dispersy-undo-own', { signer, globalTime: 11, sequenceNumber: 1, payload: { globalTime: 10 } })`
 */
export const undoOwnPayload: PayloadCodec<UndoOwnPayload> = {
  size(value, ctx) {
    assertObject(value, 'payload');
    checkTargetTime(value.globalTime, ctx.globalTime);
    return 8;
  },
  encode: (w, value) => w.u64(value.globalTime),
  decode: (r, ctx) => ({ globalTime: readTargetTime(r, ctx.globalTime) }),
};

/**
 * The undo-other payload codec: key length (uint16), target member key, target global time (uint64). Decode
 * checks: the key parses (`BAD_KEY`); target < the message's global time (`INVALID_FIELD`).
 * @example `payload: { member: target, globalTime: 6 }`
 */
export const undoOtherPayload: PayloadCodec<UndoOtherPayload> = {
  size(value, ctx) {
    assertObject(value, 'payload');
    assertPublicKey(value.member, 'member');
    checkTargetTime(value.globalTime, ctx.globalTime);
    return keyFieldSize(value.member) + 8;
  },
  encode(w, value) {
    writeKeyField(w, value.member);
    w.u64(value.globalTime);
  },
  decode(r, ctx) {
    const member = readLengthPrefixedKey(r, ctx.conversion.parseKey);
    return { member, globalTime: readTargetTime(r, ctx.globalTime) };
  },
};
