/**
 * dispersy-signature-request (252) and dispersy-signature-response (251) (spec §4.2 steps 3–5, §9): co-signing
 * double-signed messages. Both are NoAuthentication / Direct / Candidate messages carrying an identifier and the
 * complete embedded packet; the pipeline verifies the embedded signatures with the outer ones
 * (`embedded-signatures.ts`).
 *
 * - request, `check_signature_request`: the embedded message must be double-signed, my member must be one of its
 *   members with an empty signature, and its meta must have an `allowSignature` callback — else a counted drop.
 *   `on_signature_request`: `allowSignature(message)` returns undefined (refuse: counted `signature_refused`, no
 *   answer), the same message (co-sign it as it is), or a new payload / message (re-encoded with my signature;
 *   the other members' signatures are kept where they still verify over the new body — e.g. the creator's part of
 *   a split payload). The answer goes back in a dispersy-signature-response with the request's identifier.
 * - response, `check_signature_response`: the identifier must name an outstanding signature request (else
 *   `unknown_identifier`, also counted as an invalid response identifier), once per batch; every member but me
 *   must have signed; the meta, the first member and the global time must be those of the request.
 *   `on_signature_response`: pops the request and calls its response callback (see `signature-request.ts`).
 */
import { conversionForPacket, isEmptySignature, signedRegions, type SignatureRequestPayload } from '@dispersy/codec';
import type { PublicKey } from '@dispersy/crypto';
import type { Community } from '../community.ts';
import type { MetaCallbacks } from '../community-meta.ts';
import { bytesEqual } from '../distribution.ts';
import { ACCEPT, dropVerdict, toMessage, type CheckVerdict, type Message } from '../message.ts';
import {
  completeDoubleSigned,
  mySignatureIndex,
  SIGNATURE_REQUEST_PREFIX,
  SignatureRequestEntry,
  signatureResponseChanged,
} from '../signature-request.ts';
import type { BuiltinBehaviour } from './behaviour.ts';

function allowSignatureOf(c: Community, name: string): MetaCallbacks['allowSignature'] {
  return (c.metas.get(name)?.meta as MetaCallbacks | undefined)?.allowSignature;
}

function checkRequest(m: Message<SignatureRequestPayload>, c: Community): CheckVerdict {
  const sub = m.payload.message;
  if (sub.meta.authentication.kind !== 'double-member') return dropVerdict('not_double_signed');
  const mine = mySignatureIndex(c, sub);
  if (mine < 0) return dropVerdict('not_my_signature');
  if (!isEmptySignature(sub.signatures[mine] as Uint8Array)) return dropVerdict('already_signed');
  if (allowSignatureOf(c, sub.name) === undefined) return dropVerdict('no_allow_signature');
  return ACCEPT;
}

function verifies(key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return key.verify(data, signature) === true;
  } catch {
    return false;
  }
}

/** Re-encodes `sub` with a new payload, signed by my member; keeps the others' signatures that still verify. */
function signNewPayload(c: Community, sub: Message, payload: unknown): Uint8Array {
  const fresh = c.encode(sub.name, {
    globalTime: sub.globalTime,
    payload,
    members: sub.members.map((key) => (c.isMyMember(key) ? c.myMember : key)),
    ...(sub.sequenceNumber === undefined ? {} : { sequenceNumber: sub.sequenceNumber }),
    ...(sub.resolutionIndex === undefined ? {} : { resolutionIndex: sub.resolutionIndex }),
    ...(sub.depth === undefined ? {} : { depth: sub.depth }),
  });
  const packet = fresh.packet.slice();
  const regions = signedRegions(fresh.meta.authentication, packet.subarray(0, fresh.signatureOffset));
  let offset = fresh.signatureOffset;
  fresh.members.forEach((key, i) => {
    const old = sub.signatures[i];
    const keep = old !== undefined && !c.isMyMember(key) && !isEmptySignature(old) && old.length === key.signatureLength
      && bytesEqual((sub.members[i] as PublicKey).bytes, key.bytes) && verifies(key, regions[i] as Uint8Array, old);
    if (keep) packet.set(old, offset);
    offset += key.signatureLength;
  });
  return packet;
}

/** The packet to answer with, signed by my member. */
function answerPacket(c: Community, sub: Message, answer: Message | { readonly payload: unknown }): Uint8Array {
  if (!('packet' in answer)) return signNewPayload(c, sub, answer.payload);
  const mine = mySignatureIndex(c, answer);
  const conversion = conversionForPacket(c.conversions, answer.packet);
  if (mine < 0 || conversion === undefined || !isEmptySignature(answer.signatures[mine] as Uint8Array)) return answer.packet;
  return conversion.cosign(answer, c.myMember);
}

/**
 * dispersy-signature-request: `check_signature_request` / `on_signature_request`.
 * @example `new Map([['dispersy-signature-request', signatureRequestBehaviour]])`
 */
export const signatureRequestBehaviour: BuiltinBehaviour = {
  check: (messages: readonly Message<SignatureRequestPayload>[], c: Community): CheckVerdict[] => messages.map((m) => checkRequest(m, c)),
  handle(messages: readonly Message<SignatureRequestPayload>[], c: Community): void {
    for (const m of messages) {
      if (m.source === undefined) continue; // our own request
      const sub = toMessage(m.payload.message, m.source);
      const allow = allowSignatureOf(c, sub.name);
      const answer = allow?.(sub, c);
      if (answer === undefined || answer === null) {
        c.statistics.drop('message', 'signature_refused');
        continue;
      }
      const packet = answerPacket(c, sub, answer as Message | { readonly payload: unknown });
      c.create('dispersy-signature-response', { identifier: m.payload.identifier, message: { packet } }, { destinations: [m.source], update: false });
    }
  },
};

function checkResponse(m: Message<SignatureRequestPayload>, c: Community, seen: Set<number>): CheckVerdict {
  const { identifier, message: sub } = m.payload;
  const entry = c.requestCache.get(SIGNATURE_REQUEST_PREFIX, identifier);
  if (!(entry instanceof SignatureRequestEntry)) {
    c.statistics.invalidResponseIdentifier();
    return dropVerdict('unknown_identifier');
  }
  if (seen.has(identifier)) return dropVerdict('duplicate_identifier');
  const mine = mySignatureIndex(c, sub);
  if (mine < 0) return dropVerdict('not_my_signature');
  if (sub.signatures.some((signature, i) => i !== mine && isEmptySignature(signature))) return dropVerdict('unsigned_member');
  const original = entry.message;
  if (sub.name !== original.name || sub.messageId !== original.messageId) return dropVerdict('meta_changed');
  if (!bytesEqual((sub.members[0] as PublicKey).bytes, (original.members[0] as PublicKey).bytes)) return dropVerdict('member_changed');
  if (sub.globalTime !== original.globalTime) return dropVerdict('global_time_changed');
  seen.add(identifier);
  return ACCEPT;
}

/**
 * dispersy-signature-response: `check_signature_response` / `on_signature_response`.
 * @example `new Map([['dispersy-signature-response', signatureResponseBehaviour]])`
 */
export const signatureResponseBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<SignatureRequestPayload>[], c: Community): CheckVerdict[] {
    const seen = new Set<number>();
    return messages.map((m) => checkResponse(m, c, seen));
  },
  handle(messages: readonly Message<SignatureRequestPayload>[], c: Community): void {
    for (const m of messages) {
      if (m.source === undefined) continue; // our own response
      const entry = c.requestCache.pop(SIGNATURE_REQUEST_PREFIX, m.payload.identifier);
      if (!(entry instanceof SignatureRequestEntry)) {
        c.statistics.invalidResponseIdentifier();
        continue;
      }
      const response = toMessage(m.payload.message, m.source);
      const changed = signatureResponseChanged(entry.message, response);
      if (entry.responseFunc(entry.message, response, changed) === true) completeDoubleSigned(c, response);
    }
  },
};
