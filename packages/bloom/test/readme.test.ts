/** The README's usage example, verbatim, so it cannot rot (house style P12). */
import { expect, it, vi } from 'vitest';
import { BloomFilter, syncFilterBits } from '../src/index.ts';

it('README usage example', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  const utf8 = (text: string) => new TextEncoder().encode(text);

  // Requester: advertise the packets it has, in a filter sized for one 1500-byte datagram.
  const filter = BloomFilter.fromBits(syncFilterBits(64), 0.01, new Uint8Array([0x07])); // m 10128, k 7
  filter.addKeys([utf8('packet-one'), utf8('packet-two')]);
  const sent = { functions: filter.functions, bits: filter.bits, prefix: filter.prefix, bytes: filter.toBytes() };

  // Responder: load what arrived and answer with what the requester lacks.
  const received = BloomFilter.fromBytes(sent.bytes, sent.functions, sent.prefix, { bits: sent.bits });
  const missing = [...received.notFilter([utf8('packet-one'), utf8('packet-three')])];
  console.log(missing.map((p) => new TextDecoder().decode(p))); // [ 'packet-three' ]

  expect(log).toHaveBeenCalledWith(['packet-three']);
  expect([filter.bits, filter.functions]).toEqual([10128, 7]);
  log.mockRestore();
});
