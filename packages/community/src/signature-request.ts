/**
 * Double-signed messages, the requester's side (spec §4.2 DoubleMemberAuthentication steps 2, 5 and 6, §11.1
 * SignatureRequestCache): {@link createSignatureRequest} asks the other member of a half-signed message for its
 * signature; the dispersy-signature-response behaviour (`builtins/signature.ts`) pops the request's cache entry,
 * tells the caller whether the co-signer changed the message, and — if the caller accepts — fills this node's
 * signature and stores, handles and forwards the result; a request without an answer times out.
 *
 * Quirk 19 fixed: on timeout the response callback gets the ORIGINAL message (the original passed its cache
 * object). Quirk 1: which bytes each member signs is the meta's split (default: the whole unsigned packet; the
 * original's one byte each as `split: 'original-one-byte'`); this module never looks at it — the codec's
 * `cosign` signs the right region.
 */
import { conversionForPacket, HEADER_LENGTH, isEmptySignature } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { Community } from './community.ts';
import { bytesEqual } from './distribution.ts';
import { toMessage, type Message } from './message.ts';
import type { Destination } from './outgoing.ts';
import { unexpected } from './pipeline.ts';
import { RequestCacheError, type RequestCacheEntry } from './request-cache.ts';

/** The request-cache prefix of signature requests (`SignatureRequestCache`). */
export const SIGNATURE_REQUEST_PREFIX = 'signature-request';
/** Default seconds to wait for a signature response (spec §11.2). */
export const DEFAULT_SIGNATURE_TIMEOUT = 10;

/**
 * Told the outcome of a signature request (the original's `response_func`).
 * - On a response: `original` is the message that was sent, `response` the co-signed (possibly modified) one, and
 *   `changed` whether anything but the signatures (and an NHop depth decremented by one) differs. Return `true` to
 *   add this node's signature, then store, handle and forward the result; anything else drops it.
 * - On timeout: `response` is undefined, `changed` is true; the return value is ignored.
 */
export type SignatureResponseCallback<T = unknown> = (original: Message<T>, response: Message<T> | undefined, changed: boolean) => boolean | void;

/** Options of {@link createSignatureRequest}. */
export interface SignatureRequestOptions {
  /** Seconds until the request times out. @default 10 */
  readonly timeout?: number;
}

/**
 * One outstanding signature request (the original's `SignatureRequestCache`): what was sent, to whom, and who to
 * tell. Its `onTimeout` calls the callback with the original message (quirk 19 fixed).
 *
 * @example
 * ```ts
 * const entry = community.createSignatureRequest(peer, message, onResponse, { timeout: 5 });
 * community.requestCache.get('signature-request', entry.number) === entry; // until answered or timed out
 * ```
 */
export class SignatureRequestEntry implements RequestCacheEntry {
  readonly prefix = SIGNATURE_REQUEST_PREFIX;
  readonly number: number;
  readonly timeout: number;
  /** The half-signed message that was sent for co-signing. */
  readonly message: Message;
  /** Where the request went. */
  readonly candidate: Destination;
  readonly responseFunc: SignatureResponseCallback;
  readonly #community: Community;

  /**
   * @param community the requesting community
   * @param number the identifier on the wire (uint16)
   * @param message the half-signed message
   * @param candidate where the request goes
   * @param responseFunc the callback
   * @param timeout seconds
   */
  constructor(community: Community, number: number, message: Message, candidate: Destination, responseFunc: SignatureResponseCallback, timeout: number) {
    this.#community = community;
    this.number = number;
    this.message = message;
    this.candidate = candidate;
    this.responseFunc = responseFunc;
    this.timeout = timeout;
  }

  /** No response in time: `responseFunc(original, undefined, true)`; a throwing callback is counted. */
  onTimeout(): void {
    try {
      this.responseFunc(this.message, undefined, true);
    } catch (err) {
      unexpected(this.#community, err, 'cache', 'signature_timeout_failed');
    }
  }
}

/** @returns the index of my member among a message's members, or -1 */
function myIndex(c: Community, members: readonly PublicKey[]): number {
  return members.findIndex((key) => c.isMyMember(key));
}

/**
 * `create_signature_request` (spec §4.2 step 2): registers a {@link SignatureRequestEntry} under a random uint16
 * identifier (bounded by the community's request cache) and sends dispersy-signature-request{identifier, message}
 * (current global time, candidate destination) to `candidate`.
 * @param c the community
 * @param candidate the other member's address, candidate or packet source
 * @param message a double-signed message with exactly one empty signature, of a member that is not mine
 * @param responseFunc told the response or the timeout
 * @param options the timeout
 * @returns the cache entry (its `number` is the identifier on the wire)
 * @throws TypeError when the message is not double-signed; RangeError unless exactly one signature is empty and it
 *   is not my member's; RequestCacheError `REQUEST_CACHE_FULL` when the cache is full (also counted)
 * @example `createSignatureRequest(community, peer, message, (old, res, changed) => res !== undefined && !changed)`
 */
export function createSignatureRequest<T>(
  c: Community,
  candidate: Destination,
  message: Message<T>,
  responseFunc: SignatureResponseCallback<T>,
  options: SignatureRequestOptions = {},
): SignatureRequestEntry {
  if (message.meta.authentication.kind !== 'double-member') throw new TypeError(`${message.name} is not a double-signed message`);
  const unsigned = message.signatures.flatMap((signature, i) => (isEmptySignature(signature) ? [i] : []));
  if (unsigned.length !== 1) throw new RangeError(`exactly one member must be unsigned, found ${unsigned.length}`);
  if (c.isMyMember(message.members[unsigned[0] as number] as PublicKey)) throw new RangeError('the unsigned member is my own member: sign it here');
  const timeout = options.timeout ?? DEFAULT_SIGNATURE_TIMEOUT;
  let entry: SignatureRequestEntry;
  try {
    entry = c.requestCache.addRandom(SIGNATURE_REQUEST_PREFIX, (n) =>
      new SignatureRequestEntry(c, n, message, candidate, responseFunc as SignatureResponseCallback, timeout)) as SignatureRequestEntry;
  } catch (err) {
    if (RequestCacheError.is(err)) c.statistics.drop('cache', err.code);
    throw err;
  }
  c.create('dispersy-signature-request', { identifier: entry.number, message: { packet: message.packet } }, { destinations: [candidate], update: false });
  return entry;
}

/** @returns the offset of the NHop depth byte (just before the distribution section), or -1 */
function depthOffset(message: Message): number {
  if (message.meta.destination.kind !== 'nhop') return -1;
  const d = message.meta.distribution;
  const distribution = d.kind === 'full-sync' && d.sequenceNumbers ? 12 : 8;
  return message.payloadOffset - distribution - 1;
}

/**
 * Whether a co-signer changed a message (spec §4.2 step 5): compares the bodies (packets without signatures).
 * For an NHop destination, a depth byte decremented by one is not a change (an original peer re-encodes the
 * message with its in-memory, decremented depth). Unlike the original, only the depth byte gets this exemption,
 * not any byte anywhere.
 * @param original the message that was sent
 * @param response the co-signed message
 * @returns true when the body differs
 * @example `signatureResponseChanged(entry.message, response) // false for an unchanged Allow=True answer`
 */
export function signatureResponseChanged(original: Message, response: Message): boolean {
  const a = original.packet.subarray(0, original.signatureOffset);
  const b = response.packet.subarray(0, response.signatureOffset);
  if (bytesEqual(a, b)) return false;
  const at = depthOffset(original);
  if (at < HEADER_LENGTH || a.length !== b.length || depthOffset(response) !== at) return true;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (i !== at || ((a[i] as number) << 24 >> 24) - 1 !== ((b[i] as number) << 24 >> 24)) return true;
  }
  return false;
}

/**
 * The requester's last step (spec §4.2 step 5): fills my empty signature (`Conversion.cosign`), then stores (sync
 * metas), handles and forwards the double-signed message.
 * @param c the community
 * @param response the co-signed message (every other member signed)
 * @returns the complete message
 * @throws RangeError when my member is not one of its members; what the store or handle callback throws
 * @example `if (responseFunc(original, response, changed) === true) completeDoubleSigned(community, response);`
 */
export function completeDoubleSigned(c: Community, response: Message): Message {
  const conversion = conversionForPacket(c.conversions, response.packet);
  if (conversion === undefined) throw new RangeError('no conversion decodes the response');
  const mine = myIndex(c, response.members);
  if (mine < 0) throw new RangeError('my member is not a member of the response');
  const packet = isEmptySignature(response.signatures[mine] as Uint8Array) ? conversion.cosign(response, c.myMember) : response.packet.slice();
  const keys = response.members;
  const decoded = conversion.decode(packet, { verify: false, lookupMember: (mid) => keys.find((k) => bytesEqual(k.mid, mid)) });
  const message = toMessage(decoded, undefined);
  c.storeUpdateForward([message]);
  return message;
}

/**
 * The co-signer's own signature index in a message, for the behaviours.
 * @param c the community
 * @param message a double-signed message
 * @returns the index of my member, or -1
 * @example `if (mySignatureIndex(community, sub) < 0) return dropVerdict('not_my_signature');`
 */
export function mySignatureIndex(c: Community, message: Pick<Message, 'members'>): number {
  return myIndex(c, message.members);
}
