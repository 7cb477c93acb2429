/** The message-id map (spec §2.6). */
import { expect, test } from 'vitest';
import { builtinMessageName, isBuiltinMessageId, MESSAGE_IDS, OBSOLETE_MESSAGE_IDS, RESERVED_MESSAGE_ID } from '../src/index.ts';

test('ids 236–254 minus the obsolete 240/241; 235 obsolete; 255 reserved', () => {
  expect(Object.values(MESSAGE_IDS).sort((a, b) => a - b)).toEqual([236, 237, 238, 239, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254]);
  expect(Object.keys(OBSOLETE_MESSAGE_IDS).map(Number).sort()).toEqual([235, 240, 241]);
  expect(RESERVED_MESSAGE_ID).toBe(255);
  expect(builtinMessageName(246)).toBe('dispersy-introduction-request');
  expect(builtinMessageName(241)).toBeUndefined();
  expect(isBuiltinMessageId(236)).toBe(true);
  expect(isBuiltinMessageId(101)).toBe(false);
  expect(() => builtinMessageName('x' as never)).toThrow(TypeError);
});
