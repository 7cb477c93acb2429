/**
 * `dispersy showcase`: an offline tour of the foundation packages — keys and member ids, a signed packet encoded
 * and decoded, a forged packet rejected, and Bloom-filter set reconciliation between two peers. No network.
 */
import { createSyncFilter } from '@dispersy/bloom';
import { createConversion, DecodeError } from '@dispersy/codec';
import { DEBUG_COMMUNITY_VERSION, debugCommunityMessages } from '@dispersy/codec/debug';
import { generateKeyPair } from '@dispersy/crypto';
import type { CliIo } from '../io.ts';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Runs `dispersy showcase`.
 * @param io output sinks
 */
export function showcase(io: CliIo): void {
  const say = (line = ''): void => io.stdout(`${line}\n`);
  say('Dispersy for TypeScript: offline showcase');
  say();

  const master = generateKeyPair();
  const alice = generateKeyPair();
  const bob = generateKeyPair();
  say('1. Identities (curve25519: LibNaCL key format, Ed25519 signatures)');
  say(`   community id (cid) = SHA-1(master public key) = ${hex(master.publicKey.mid)}`);
  say(`   alice mid = ${hex(alice.publicKey.mid)}`);
  say(`   bob   mid = ${hex(bob.publicKey.mid)}`);
  say();

  // Community version 2: members travel as full public keys, so a peer can verify without an identity exchange.
  const conversion = createConversion({ cid: master.publicKey.mid, communityVersion: DEBUG_COMMUNITY_VERSION + 1, metas: debugCommunityMessages });
  const posts = ['hello, decentralised world', 'no servers were harmed', 'every message is signed'];
  const alicePackets = posts.map((text, i) =>
    conversion.encode('full-sync-text', { signer: alice, globalTime: 10 + i, payload: { text: new TextEncoder().encode(text) } }),
  );
  const first = alicePackets[0] as Uint8Array;
  say(`2. Alice signs a 'full-sync-text' message (${first.length} bytes on the wire):`);
  say(`   ${hex(first)}`);
  const decoded = conversion.decode(first);
  say(`   Bob decodes it: ${decoded.name} (id ${decoded.messageId}), global time ${decoded.globalTime},`);
  say(`   by ${hex(decoded.members[0]?.mid ?? new Uint8Array())}, signature verified: ${decoded.verified}`);
  say();

  const forged = first.slice();
  forged[decoded.payloadOffset] = (forged[decoded.payloadOffset] as number) ^ 0x01;
  say('3. Mallory flips one payload bit:');
  try {
    conversion.decode(forged);
    say('   ...and it decoded, which must never happen');
  } catch (err) {
    say(`   rejected: ${err instanceof DecodeError ? `DecodeError ${err.code}` : String(err)}`);
  }
  say();

  const bobPackets = [conversion.encode('full-sync-text', { signer: bob, globalTime: 11, payload: { text: new TextEncoder().encode('hi alice') } })];
  const bobsFilter = createSyncFilter(64, new Uint8Array([0x5a]));
  bobsFilter.addKeys([...bobPackets, first]);
  const missing = [...bobsFilter.notFilter(alicePackets)];
  say('4. Bloom-filter sync: Bob advertises what he has in a filter');
  say(`   (${bobsFilter.bits} bits, ${bobsFilter.functions} hash functions, ${bobsFilter.toBytes().length} bytes: it fits one 1,500-byte datagram);`);
  say(`   Alice sends back the ${missing.length} of her ${alicePackets.length} messages the filter lacks:`);
  for (const p of missing) {
    const m = conversion.decode(p);
    say(`   - gt ${m.globalTime}: "${new TextDecoder().decode((m.payload as { text: Uint8Array }).text)}"`);
  }
  say();
  say('Next: `dispersy keygen`, `dispersy decode HEX`, `dispersy bloom --help`.');
}
