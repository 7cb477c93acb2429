/**
 * What the walker asks the runtime to send. The walker never touches a socket or the codec: each decision is an
 * {@link OutgoingMessage} — the message kind, the destination socket address, the tunnel flag and the payload
 * fields — which the community runtime signs, encodes and hands to its endpoint.
 */
import type { Address } from '@dispersy/interfaces';
import type { IntroductionRequestFields, IntroductionResponseFields, PunctureFields, PunctureRequestFields } from './introduction.ts';
import type { OutstandingRequest } from './introduction-requests.ts';

/** An introduction-request to send (a walk step, a fast-walker step or a keep-alive). */
export interface OutgoingIntroductionRequest {
  readonly kind: 'introduction-request';
  readonly to: Address;
  readonly tunnel: boolean;
  readonly payload: IntroductionRequestFields;
  /** Attach a Bloom-filter sync range if the community syncs (normal steps only; spec §7.5, §8). */
  readonly allowSync: boolean;
  /** A keep-alive request (advice false, never sync). */
  readonly keepAlive: boolean;
  /** Sent by the fast walker (never sync). */
  readonly fastWalker: boolean;
  /** The outstanding request it belongs to (the runtime may attach its sync cache to the identifier). */
  readonly request: OutstandingRequest;
}

/** An introduction-response to send (B → A). */
export interface OutgoingIntroductionResponse {
  readonly kind: 'introduction-response';
  readonly to: Address;
  readonly tunnel: boolean;
  readonly payload: IntroductionResponseFields;
}

/** A puncture-request to send (B → C). Unsigned in the original (NoAuthentication). */
export interface OutgoingPunctureRequest {
  readonly kind: 'puncture-request';
  readonly to: Address;
  readonly tunnel: boolean;
  readonly payload: PunctureRequestFields;
}

/** A puncture to send (C → A). */
export interface OutgoingPuncture {
  readonly kind: 'puncture';
  readonly to: Address;
  readonly tunnel: boolean;
  readonly payload: PunctureFields;
}

/** Any message the walker asks the runtime to send, in the order given. */
export type OutgoingMessage = OutgoingIntroductionRequest | OutgoingIntroductionResponse | OutgoingPunctureRequest | OutgoingPuncture;

/**
 * Narrows an outgoing message by kind.
 *
 * @param message an outgoing message
 * @param kind the kind to test
 * @returns whether `message` is of that kind
 * @example
 * ```ts
 * const responses = result.send.filter((m) => isOutgoing(m, 'introduction-response'));
 * ```
 */
export function isOutgoing<K extends OutgoingMessage['kind']>(
  message: OutgoingMessage,
  kind: K,
): message is Extract<OutgoingMessage, { kind: K }> {
  return message.kind === kind;
}
