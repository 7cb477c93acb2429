/**
 * dispersy-puncture-request and dispersy-puncture (spec §7.8, §9), run by the community's `@dispersy/walker`:
 * - puncture-request (C, asked by B): check — walker responses on, a valid source, then the walker's
 *   `checkPunctureRequest`: the walker's addresses are not the sender's own socket address (B asking to puncture
 *   itself), are valid, and are not mine; handle — the walker answers with a dispersy-puncture {my LAN, my WAN,
 *   identifier} to the walker's LAN address when its WAN IP is mine, else to its WAN address (the known candidate
 *   there — symmetric-NAT lookup without re-homing — with its tunnel flag).
 * - puncture (A, from C): check — a valid source, unique per batch, an outstanding introduction-request with that
 *   identifier (else `invalid_puncture_identifier`); handle — the walker records the puncture on the request and C
 *   becomes an intro candidate (not stumble), connection type unknown.
 */
import type { PunctureRequestPayload, PuncturePayload } from '@dispersy/codec';
import { checkPunctureRequest } from '@dispersy/walker';
import type { Community } from '../community.ts';
import { ACCEPT, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import { incomingOf, recordDiscovered, sendWalkerMessages, walkerDropReason } from '../walker-setup.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { commonWalkerCheck, countRejected, received } from './introduction.ts';

function checkRequest(m: Message<PunctureRequestPayload>, c: Community): CheckVerdict {
  const common = commonWalkerCheck(m, c);
  if (common !== undefined) return common;
  if (m.source === undefined) return ACCEPT;
  const wrong = checkPunctureRequest(m.source.address, m.payload, c.walker.votes);
  return wrong === undefined ? ACCEPT : dropVerdict(walkerDropReason(wrong));
}

/** dispersy-puncture-request: `check_puncture_request` → `on_puncture_request`. */
export const punctureRequestBehaviour: BuiltinBehaviour = {
  check: (messages: readonly Message<PunctureRequestPayload>[], c: Community) => messages.map((m) => checkRequest(m, c)),
  handle(messages: readonly Message<PunctureRequestPayload>[], c: Community): void {
    for (const { message, source } of received(messages)) {
      const outcome = c.walker.onPunctureRequest(source, message.payload);
      if (outcome.accepted) sendWalkerMessages(c, outcome.send);
      else countRejected(c, outcome.reason, 'other');
    }
  },
};

/** dispersy-puncture: `check_puncture` → `on_puncture`. */
export const punctureBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<PuncturePayload>[], c: Community): CheckVerdict[] {
    const seen = new Set<number>();
    const now = c.clock.now();
    return messages.map((m) => {
      const common = commonWalkerCheck(m, c);
      if (common !== undefined) return common;
      const identifier = m.payload.identifier;
      if (seen.has(identifier)) return dropVerdict(walkerDropReason('DUPLICATE_IDENTIFIER', 'puncture'));
      if (!c.walker.requests.isOutstanding(identifier, now)) return dropVerdict(walkerDropReason('UNKNOWN_IDENTIFIER', 'puncture'));
      seen.add(identifier);
      return ACCEPT;
    });
  },
  handle(messages: readonly Message<PuncturePayload>[], c: Community): void {
    const batch = received(messages);
    const outcomes = c.walker.onPunctures(batch.map(({ message, source }) => incomingOf(message, source)));
    for (const outcome of outcomes) if (!outcome.accepted) countRejected(c, outcome.reason, 'puncture');
    recordDiscovered(c);
  },
};
