/**
 * The generic timeline check (spec §4.6 check phase, `_generic_timeline_check`): the default check callback of
 * every meta. NoAuthentication messages pass; otherwise every member must hold `permit` on the meta at the
 * message's global time under its resolution (Public passes; Linear needs a grant; Dynamic uses the locally
 * recorded policy). A message that is not allowed is delayed by proof (a dispersy-missing-proof goes to the
 * sender, once); under DynamicResolution the dynamic-settings proofs we used are sent back first (spec §4.3).
 */
import type { CheckCallback } from '../community-meta.ts';
import { toHex } from '../internal/bytes.ts';
import { ACCEPT, delayVerdict, type CheckVerdict } from '../message.ts';

/**
 * The generic timeline check.
 * @param messages messages of one meta
 * @param community their community
 * @returns one verdict per message
 * @example `check: (messages, community) => genericTimelineCheck(messages, community).map(extraRule)`
 */
export const genericTimelineCheck: CheckCallback = (messages, community): CheckVerdict[] =>
  messages.map((m) => {
    const creator = m.members[0];
    if (m.meta.authentication.kind === 'none' || creator === undefined) return ACCEPT;
    const options = m.resolutionIndex === undefined ? {} : { claimedPolicyIndex: m.resolutionIndex };
    const verdict = community.timeline.checkMessage(m.members.map((k) => toHex(k.mid)), m.globalTime, m.name, m.meta.resolution, 'permit', options);
    if (verdict.allowed) return ACCEPT;
    const proofs = m.meta.resolution.kind === 'dynamic'
      ? verdict.proofs.filter((p) => p.name === 'dispersy-dynamic-settings').map((p) => p.packet)
      : [];
    return delayVerdict({ kind: 'proof', mid: creator.mid, globalTime: m.globalTime }, proofs.length > 0 ? proofs : undefined);
  });
