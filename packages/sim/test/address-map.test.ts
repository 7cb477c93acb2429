/** AddressMap: (host, port) keys compared by content. */
import { expect, test } from 'vitest';
import { AddressMap } from '../src/index.ts';

test('set, get, delete by content; size; retain; values', () => {
  const m = new AddressMap<number>();
  m.set({ host: '20.0.0.1', port: 1 }, 1);
  m.set({ host: '20.0.0.1', port: 2 }, 2);
  m.set({ host: '20.0.0.2', port: 1 }, 3);
  m.set({ host: '20.0.0.1', port: 1 }, 4); // replaces
  expect(m.size).toBe(3);
  expect(m.get({ host: '20.0.0.1', port: 1 })).toBe(4);
  expect(m.get({ host: '20.0.0.1', port: 3 })).toBeUndefined();
  expect([...m.values()]).toEqual([4, 2, 3]);
  expect(m.delete({ host: '20.0.0.2', port: 1 })).toBe(true);
  expect(m.delete({ host: '20.0.0.2', port: 1 })).toBe(false);
  m.retain((v) => v > 2);
  expect([...m.values()]).toEqual([4]);
  expect(m.size).toBe(1);
});
