import { struct, utf8ToEnd } from '@dispersy/codec';
import { Dispersy, defineCommunity, defineCommunityMeta, type Community, type Message } from '@dispersy/community';
import { MemoryNetwork } from '@dispersy/community/testing';
import { createSeededRandom, ManualClock } from '@dispersy/interfaces';

/** Two nodes chat on an in-memory network: anyone may `chat`; only permitted members may `announce`. */
export async function main(log: (line: string) => void = console.log): Promise<void> {
  const names = new Map<Community, string>();
  const show = (messages: readonly Message<{ text: string }>[], c: Community): void =>
    messages.forEach((m) => m.source !== undefined && log(`${names.get(c)} received ${m.name}: ${m.payload.text}`));
  const common = {
    authentication: { kind: 'member', encoding: 'default' },
    distribution: { kind: 'full-sync', sequenceNumbers: false, direction: 'ASC', priority: 128 },
    destination: { kind: 'community', nodeCount: 10 },
    payload: struct({ text: utf8ToEnd }),
    handle: show,
  } as const;
  const chat = defineCommunityMeta({ name: 'chat', id: 1, resolution: { kind: 'public' }, ...common });
  const announce = defineCommunityMeta({ name: 'announce', id: 2, resolution: { kind: 'linear' }, ...common });
  const Chat = defineCommunity({ classification: 'ChatCommunity', communityVersion: 2, metas: [chat, announce] });
  const network = new MemoryNetwork();
  const clock = new ManualClock(); // virtual time: timers run on clock.advance()
  const node = (seed: number) => new Dispersy({ endpoint: network.createEndpoint(), databasePath: ':memory:', clock, random: createSeededRandom(seed) });
  const [alice, bob] = [node(1), node(2)];
  await Promise.all([alice.start(), bob.start()]);
  const a = alice.createCommunity(Chat); // the creator: its member may announce
  const b = bob.joinCommunity(Chat, { masterKey: a.master! });
  names.set(a, 'alice').set(b, 'bob');
  a.addCandidate(bob.address, { category: 'stumble' });
  b.addCandidate(alice.address, { category: 'walk' });

  a.create('chat', { text: 'hello' });
  a.create('announce', { text: 'welcome' }); // bob asks alice for the proof that she may announce
  b.create('announce', { text: 'I am not allowed' }); // alice waits for a proof that never comes
  network.deliverAll();
  clock.advance(15);
  log(`alice rejected ${a.statistics.snapshot().drops.byStage.delay?.timeout ?? 0} announce`);
  await Promise.all([bob.stop(), alice.stop()]);
}
