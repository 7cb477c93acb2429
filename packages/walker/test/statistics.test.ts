import { describe, expect, it } from 'vitest';
import { WalkerCounters } from '../src/index.ts';

describe('WalkerCounters', () => {
  it('counts drops per reason and snapshots a frozen copy', () => {
    const c = new WalkerCounters();
    c.walkAttempts += 2;
    c.drop('UNKNOWN_IDENTIFIER');
    c.drop('UNKNOWN_IDENTIFIER');
    c.drop('OWN_MEMBER');
    const s = c.snapshot();
    expect(s.walkAttempts).toBe(2);
    expect(s.dropped).toEqual({ UNKNOWN_IDENTIFIER: 2, OWN_MEMBER: 1 });
    expect(Object.isFrozen(s) && Object.isFrozen(s.dropped)).toBe(true);
    c.drop('OWN_MEMBER');
    expect(s.dropped.OWN_MEMBER).toBe(1);
  });
});
