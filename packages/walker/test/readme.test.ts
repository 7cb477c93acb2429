/** The README's usage example, verbatim, so it cannot rot (house style P12). */
import { createSeededRandom, ManualClock } from '@dispersy/interfaces';
import { expect, it, vi } from 'vitest';
import { Walker, type OutgoingMessage } from '../src/index.ts';

it('README usage example', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  const clock = new ManualClock();
  const alice = new Walker({ clock, random: createSeededRandom(1) }, { lanAddress: { host: '1.0.0.1', port: 6421 } });
  const bob = new Walker({ clock, random: createSeededRandom(2) }, { lanAddress: { host: '2.0.0.2', port: 6421 } });
  const carol = new Walker({ clock, random: createSeededRandom(3) }, { lanAddress: { host: '3.0.0.3', port: 6421 } });
  const peers = new Map([alice, bob, carol].map((w) => [`${w.lan.host}:${w.lan.port}`, w]));

  // A tiny in-process network: hand every outgoing message to the walker at its destination.
  function deliver(from: Walker, messages: readonly OutgoingMessage[]): void {
    for (const m of messages) {
      const to = peers.get(`${m.to.host}:${m.to.port}`);
      const source = { address: from.lan, tunnel: false };
      if (to === undefined) continue;
      if (m.kind === 'introduction-request') {
        const out = to.onIntroductionRequest(source, m.payload);
        if (out.accepted) deliver(to, out.send); // the response, and a puncture-request if someone was introduced
      } else if (m.kind === 'introduction-response') {
        to.onIntroductionResponse(source, m.payload);
      } else if (m.kind === 'puncture-request') {
        const out = to.onPunctureRequest(source, m.payload);
        if (out.accepted) deliver(to, out.send); // the puncture
      } else {
        to.onPuncture(source, m.payload);
      }
    }
  }

  // bob is the bootstrap tracker both know
  alice.addDiscovered(bob.lan);
  carol.addDiscovered(bob.lan);
  deliver(carol, carol.step().send); // carol walks to bob: bob now knows carol
  deliver(alice, alice.step().send); // alice walks to bob: bob introduces carol, carol punctures alice

  console.log(alice.candidates().map((c) => `${c} ${c.category(clock.now())}`));
  // [ '{2.0.0.2:6421} walk', '{3.0.0.3:6421} intro' ]
  console.log(alice.statistics.walkSuccess, alice.statistics.puncturesReceived); // 1 1

  expect(log).toHaveBeenNthCalledWith(1, ['{2.0.0.2:6421} walk', '{3.0.0.3:6421} intro']);
  expect(log).toHaveBeenNthCalledWith(2, 1, 1);
  log.mockRestore();
});
