/**
 * Sending the request that belongs to a delay cause (spec §6.3), to the sender of the delayed item:
 * identity → dispersy-missing-identity(mid); proof → dispersy-missing-proof(member, global time);
 * sequence → dispersy-missing-sequence(member, meta, low, high); message → dispersy-missing-message(member, [gt]).
 * All are NoAuthentication / Direct messages carrying the current global time (not claimed). The DelayRegistry
 * decides WHEN to send (once per new cause); answering the requests is each built-in's own behaviour.
 */
import type { PacketSource } from '@dispersy/interfaces';
import type { Community } from '../community.ts';
import type { DelayCause } from '../delays.ts';

/**
 * Sends the request of a delay cause to `to`. A proof or message request needs the member's public key; when it
 * is unknown nothing is sent (counted as `request_without_key`).
 * @param c the community
 * @param cause the delay cause
 * @param to the sender of the delayed item
 * @returns whether a request was sent
 * @example `if (c.delays.delay(item, cause, source, now).request) sendRequest(c, cause, source);`
 */
export function sendRequest(c: Community, cause: DelayCause, to: PacketSource): boolean {
  const destinations = [to];
  switch (cause.kind) {
    case 'identity':
      c.create('dispersy-missing-identity', { mid: cause.mid }, { destinations });
      return true;
    case 'sequence':
      c.create(
        'dispersy-missing-sequence',
        { member: { mid: cause.mid }, meta: cause.meta, missingLow: cause.low, missingHigh: cause.high },
        { destinations },
      );
      return true;
    case 'proof':
    case 'message': {
      const member = c.getMember(cause.mid) ?? c.node.members.byMid(cause.mid).find((e) => e.key !== undefined)?.key;
      if (member === undefined) {
        c.statistics.drop('send', 'request_without_key');
        return false;
      }
      if (cause.kind === 'proof') c.create('dispersy-missing-proof', { globalTime: cause.globalTime, member }, { destinations });
      else c.create('dispersy-missing-message', { member, globalTimes: [cause.globalTime] }, { destinations });
      return true;
    }
  }
}
