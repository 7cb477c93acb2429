/**
 * dispersy-puncture-request and dispersy-puncture (spec §7.8, §9), minimal:
 * - puncture-request (C, asked by B): check — the walker's addresses are valid, are not the sender's own socket
 *   address (B asking to puncture itself) and are not mine; handle — send a dispersy-puncture {my LAN, my WAN,
 *   identifier} to the walker (its LAN address when its WAN IP is mine, else its WAN address).
 * - puncture (A, from C): check — an outstanding `introduction-request` cache with that identifier, unique per
 *   batch; handle — the cache learns of the puncture, and C becomes an intro candidate (not stumble).
 */
import type { PunctureRequestPayload, PuncturePayload } from '@dispersy/codec';
import { sameAddress } from '@dispersy/interfaces';
import type { Community } from '../community.ts';
import { ACCEPT, dropVerdict, type CheckVerdict, type Message } from '../message.ts';
import { isNoAddress, isValidAddress, localAddresses, punctureTarget, puncturedCandidate } from '../simple-walker.ts';
import { introductionRequestCache } from '../walk.ts';
import type { BuiltinBehaviour } from './behaviour.ts';
import { WALKER_RESPONSES_DISABLED } from './introduction.ts';

function checkPunctureRequest(m: Message<PunctureRequestPayload>, c: Community): CheckVerdict {
  if (!c.knobs.enableCandidateWalkerResponses) return dropVerdict(WALKER_RESPONSES_DISABLED);
  const { lanWalkerAddress: lan, wanWalkerAddress: wan } = m.payload;
  if (m.source !== undefined && (sameAddress(lan, m.source.address) || sameAddress(wan, m.source.address))) return dropVerdict('puncture_sender_itself');
  if (!isValidAddress(lan) || !isValidAddress(wan)) return dropVerdict('invalid_walker_address');
  const local = localAddresses(c);
  if (sameAddress(wan, local.wan) || (wan.host === local.wan.host && sameAddress(lan, local.lan))) return dropVerdict('puncture_myself');
  return ACCEPT;
}

/** dispersy-puncture-request: `check_puncture_request` → `on_puncture_request`. */
export const punctureRequestBehaviour: BuiltinBehaviour = {
  check: (messages: readonly Message<PunctureRequestPayload>[], c: Community) => messages.map((m) => checkPunctureRequest(m, c)),
  handle(messages: readonly Message<PunctureRequestPayload>[], c: Community): void {
    const local = localAddresses(c);
    for (const m of messages) {
      if (m.source === undefined) continue; // our own request
      const p = m.payload;
      const payload: PuncturePayload = { sourceLanAddress: local.lan, sourceWanAddress: local.wan, identifier: p.identifier };
      c.create('dispersy-puncture', payload, { destinations: [punctureTarget(c, p.lanWalkerAddress, p.wanWalkerAddress)], update: false });
    }
  },
};

/** dispersy-puncture: `check_puncture` → `on_puncture`. */
export const punctureBehaviour: BuiltinBehaviour = {
  check(messages: readonly Message<PuncturePayload>[], c: Community): CheckVerdict[] {
    const seen = new Set<number>();
    return messages.map((m) => {
      if (!c.knobs.enableCandidateWalkerResponses) return dropVerdict(WALKER_RESPONSES_DISABLED);
      const identifier = m.payload.identifier;
      if (introductionRequestCache(c, identifier) === undefined) return dropVerdict('invalid_puncture_identifier');
      if (seen.has(identifier)) return dropVerdict('duplicate_identifier');
      seen.add(identifier);
      return ACCEPT;
    });
  },
  handle(messages: readonly Message<PuncturePayload>[], c: Community): void {
    for (const m of messages) {
      if (m.source === undefined) continue;
      const p = m.payload;
      const cache = introductionRequestCache(c, p.identifier);
      if (!isNoAddress(p.sourceLanAddress) && !isNoAddress(p.sourceWanAddress)) {
        const candidate = puncturedCandidate(c, m.source, p.sourceLanAddress, p.sourceWanAddress);
        if (cache !== undefined) cache.punctureCandidate = candidate;
      }
      cache?.onPuncture();
    }
  },
};
