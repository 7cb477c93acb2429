/** Generic payload codecs: empty, raw text, schema adapter. */
import { expect, test } from 'vitest';
import { emptyPayload, schemaPayload, struct, textPayload, uint8 } from '../src/index.ts';
import { Reader } from '../src/reader.ts';

test('emptyPayload is zero bytes decoded as {}', () => {
  expect(emptyPayload.size({}, undefined as never)).toBe(0);
  expect(emptyPayload.decode(new Reader(new Uint8Array(0)), undefined as never)).toEqual({});
});

test('textPayload takes every byte up to the signature', () => {
  const r = new Reader(Uint8Array.of(1, 2, 3, 4), 1, 3);
  expect([...textPayload.decode(r, undefined as never).text]).toEqual([2, 3]);
  expect(() => textPayload.size({ text: 'x' } as never, undefined as never)).toThrow(TypeError);
});

test('schemaPayload returns the schema codec itself', () => {
  const codec = struct({ n: uint8 });
  expect(schemaPayload(codec)).toBe(codec);
});
