/**
 * Payload codecs: how a meta-message's payload is encoded and decoded. A schema {@link Codec} is a payload codec
 * (it simply ignores the context); the built-in dispersy-* payloads use the context to reach the conversion
 * (message ids, members, keys, embedded packets) and the message's own global time.
 */
import type { PublicKey } from '@dispersy/crypto';
import type { Conversion } from './conversion.ts';
import type { DecodeOptions } from './message.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';
import type { Codec } from './schema.ts';

/** What a payload codec may consult while encoding. */
export interface EncodeContext {
  /** The conversion encoding the message (message ids by name, community version). */
  readonly conversion: Conversion;
  /** The message's own global time. */
  readonly globalTime: number;
  /** The message's authenticating members (0, 1 or 2), in order. */
  readonly members: readonly PublicKey[];
}

/** What a payload codec may consult while decoding. */
export interface DecodeContext extends EncodeContext {
  /** The decode options in force (an embedded packet is decoded with them, empty signatures allowed). */
  readonly options: DecodeOptions;
}

/**
 * Encodes and decodes one meta-message's payload. `T` is the decoded value; `TInput` what `encode` accepts
 * (they differ only where decoding adds information, e.g. an embedded packet's decoded message).
 *
 * Two-pass like every codec here: `size` validates and measures, `encode` writes exactly that. `decode` reads
 * from a reader bounded by the payload's end; the conversion then rejects left-over bytes (`TRAILING_BYTES`).
 */
export interface PayloadCodec<T, TInput = T> {
  /**
   * @param value the payload to encode
   * @param ctx the encoding context
   * @returns its exact size
   * @throws TypeError / RangeError if the value is not a valid payload
   */
  size(value: TInput, ctx: EncodeContext): number;
  /** Writes the payload (validated by `size` just before). */
  encode(writer: Writer, value: TInput, ctx: EncodeContext): void;
  /** Reads the payload. @throws DecodeError */
  decode(reader: Reader, ctx: DecodeContext): T;
}

/** The decoded payload type of a payload codec. */
export type PayloadOf<C> = C extends PayloadCodec<infer T, infer _> ? T : never;
/** The encodable payload type of a payload codec. */
export type PayloadInputOf<C> = C extends PayloadCodec<infer _, infer I> ? I : never;

/** The payload of messages that carry none (dispersy-identity). */
export type EmptyPayload = Record<string, never>;

/**
 * A payload of zero bytes, decoded as `{}`.
 * @example `defineMeta({ ..., payload: emptyPayload })`
 */
export const emptyPayload: PayloadCodec<EmptyPayload> = {
  size: () => 0,
  encode: () => undefined,
  decode: () => ({}),
};

/** The DebugCommunity's payload: the raw text bytes to the end of the payload (spec §14). */
export interface TextPayload {
  /** The bytes as sent (a view into the packet when decoded). */
  readonly text: Uint8Array;
}

/**
 * The DebugCommunity text payload: `{ text }`, every byte up to the first signature byte.
 * @example `conversion.encode('full-sync-text', { ..., payload: { text: new TextEncoder().encode('hi') } })`
 */
export const textPayload: PayloadCodec<TextPayload> = {
  size(value) {
    if (typeof value !== 'object' || value === null || !(value.text instanceof Uint8Array)) {
      throw new TypeError('payload.text must be a Uint8Array');
    }
    return value.text.length;
  },
  encode: (w, value) => w.bytes(value.text, 'text'),
  decode: (r) => ({ text: r.rest() }),
};

/**
 * Adapts a schema codec as a payload codec (it is one already; this only narrows the type for inference).
 * @param codec a schema codec
 * @returns the same object, typed as a payload codec
 * @example `const payload = schemaPayload(struct({ text: utf8ToEnd }));`
 */
export function schemaPayload<T>(codec: Codec<T>): PayloadCodec<T> {
  return codec;
}
