import { NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import { isOutgoing, type OutgoingMessage } from '../src/index.ts';

describe('isOutgoing', () => {
  it('narrows by kind', () => {
    const m: OutgoingMessage = {
      kind: 'puncture',
      to: NO_ADDRESS,
      tunnel: false,
      payload: { sourceLanAddress: NO_ADDRESS, sourceWanAddress: NO_ADDRESS, identifier: 1 },
    };
    expect(isOutgoing(m, 'puncture')).toBe(true);
    expect(isOutgoing(m, 'puncture-request')).toBe(false);
  });
});
