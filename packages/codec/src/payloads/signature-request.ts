/**
 * dispersy-signature-request (id 252) and dispersy-signature-response (id 251) (spec §2.5, §4.2): an identifier
 * and the complete packet of a double-signed message to be co-signed, decoded with the same conversion, with
 * signature verification as for the outer packet and empty signatures allowed.
 */
import { assertBytes, assertInteger, assertObject } from '../internal/assert.ts';
import type { DecodedMessage } from '../message.ts';
import type { PayloadCodec } from '../payload.ts';

/** The decoded payload of a signature request or response. */
export interface SignatureRequestPayload {
  /** The requester's request-cache number. */
  readonly identifier: number;
  /** The embedded message (its `packet` is a view into the outer packet). */
  readonly message: DecodedMessage;
}

/** What the encoder accepts: the embedded message only needs its packet (a decoded message will do). */
export interface SignatureRequestInput {
  readonly identifier: number;
  readonly message: { readonly packet: Uint8Array };
}

/**
 * The signature-request / signature-response payload codec: uint16 identifier + the embedded packet (the rest of
 * the payload). Decode checks: everything the embedded packet's own decoding checks (same prefix and conversion);
 * empty signatures are allowed inside; packets nest at most 4 deep (`INVALID_FIELD`).
 * @example `conversion.encode('dispersy-signature-request', { globalTime, payload: { identifier: 7, message: { packet } } })`
 */
export const signatureRequestPayload: PayloadCodec<SignatureRequestPayload, SignatureRequestInput> = {
  size(value) {
    assertObject(value, 'payload');
    assertInteger(value.identifier, 'identifier', 0, 0xffff);
    assertObject(value.message, 'message');
    assertBytes(value.message.packet, 'message.packet');
    return 2 + value.message.packet.length;
  },
  encode(w, value) {
    w.u16(value.identifier);
    w.bytes(value.message.packet, 'message.packet');
  },
  decode(r, ctx) {
    const identifier = r.u16('identifier');
    const start = r.pos;
    const packet = r.rest();
    try {
      return { identifier, message: ctx.conversion.decodeEmbedded(packet, ctx) };
    } catch (err) {
      // Offsets inside the embedded packet are relative to it; shift them to the outer packet.
      if (err instanceof Error && 'offset' in err && typeof err.offset === 'number') {
        Object.defineProperty(err, 'offset', { value: err.offset + start });
      }
      throw err;
    }
  },
};
