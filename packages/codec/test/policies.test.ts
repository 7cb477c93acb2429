/** Policy helpers (spec §4.2–4.5). */
import { describe, expect, test } from 'vitest';
import {
  CANDIDATE_DESTINATION,
  DIRECT_DISTRIBUTION,
  LINEAR_RESOLUTION,
  memberCount,
  NO_AUTHENTICATION,
  PUBLIC_RESOLUTION,
  resolveMemberEncoding,
} from '../src/index.ts';

describe('policies', () => {
  test('memberCount', () => {
    expect(memberCount(NO_AUTHENTICATION)).toBe(0);
    expect(memberCount({ kind: 'member', encoding: 'bin' })).toBe(1);
    expect(memberCount({ kind: 'double-member', encoding: 'sha1' })).toBe(2);
    expect(() => memberCount({ kind: 'x' } as never)).toThrow(TypeError);
  });

  test('resolveMemberEncoding checks its arguments', () => {
    expect(() => resolveMemberEncoding('hex' as never, 1)).toThrow(TypeError);
    expect(() => resolveMemberEncoding('default', -1)).toThrow(RangeError);
  });

  test('the shared parameterless policies are frozen', () => {
    for (const p of [NO_AUTHENTICATION, PUBLIC_RESOLUTION, LINEAR_RESOLUTION, DIRECT_DISTRIBUTION, CANDIDATE_DESTINATION]) expect(Object.isFrozen(p)).toBe(true);
  });
});
