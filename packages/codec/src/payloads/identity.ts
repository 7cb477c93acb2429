/**
 * Identity payloads (spec §2.5): dispersy-identity (id 248) carries nothing — the member's key is in its `bin`
 * authentication section — and dispersy-missing-identity (id 247) asks for one by its 20-byte member id.
 */
import { MID_LENGTH } from '../header.ts';
import { assertBytes, assertObject } from '../internal/assert.ts';
import { emptyPayload, type EmptyPayload, type PayloadCodec } from '../payload.ts';

/** dispersy-identity's payload: empty (`{}`). */
export type IdentityPayload = EmptyPayload;

/**
 * The identity payload codec: zero bytes.
 * @example `conversion.encode('dispersy-identity', { signer, globalTime: 2, payload: {} })`
 */
export const identityPayload: PayloadCodec<IdentityPayload> = emptyPayload;

/** dispersy-missing-identity (id 247): "send me the identity of this member". */
export interface MissingIdentityPayload {
  /** The member id (20 bytes; a view when decoded). */
  readonly mid: Uint8Array;
}

/**
 * The missing-identity payload codec: exactly the 20-byte member id.
 * @example `conversion.encode('dispersy-missing-identity', { globalTime, payload: { mid } })`
 */
export const missingIdentityPayload: PayloadCodec<MissingIdentityPayload> = {
  size(value) {
    assertObject(value, 'payload');
    assertBytes(value.mid, 'mid', MID_LENGTH);
    return MID_LENGTH;
  },
  encode: (w, value) => w.bytes(value.mid, 'mid'),
  decode: (r) => ({ mid: r.bytes(MID_LENGTH, 'mid') }),
};
