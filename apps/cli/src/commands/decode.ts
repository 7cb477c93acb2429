/**
 * `dispersy decode [--community-version N] [--key HEX ...] HEX`: decodes one packet (built-in dispersy-* messages
 * and the DebugCommunity's messages 101–119) and prints every field as JSON. Bad input: one line with the
 * DecodeError code on stderr, exit status 2.
 */
import { publicKeyFromBytes, KeyFormatError, type PublicKey } from '@dispersy/crypto';
import {
  createConversion,
  DecodeError,
  messageLayout,
  readHeader,
  signatureChecks,
  stripTunnelPrefix,
  type DecodedMessage,
} from '@dispersy/codec';
import { debugCommunityMessages } from '@dispersy/codec/debug';
import { CliError, EXIT_USAGE, formatJson, parseHex, type CliIo } from '../io.ts';

/** Options of the decode command. */
export interface DecodeCommandOptions {
  readonly communityVersion?: string;
  readonly key?: readonly string[];
}

function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0x[0-9a-f]{1,2}|\d{1,3})$/i.test(text) || Number(text) > 254) {
    throw new CliError('BAD_COMMUNITY_VERSION', `--community-version must be a number from 0 to 254, got '${text}'`);
  }
  return Number(text);
}

function parseKeys(hexKeys: readonly string[]): Map<string, PublicKey> {
  const byMid = new Map<string, PublicKey>();
  for (const hex of hexKeys) {
    let key: PublicKey;
    try {
      key = publicKeyFromBytes(parseHex(hex, '--key'));
    } catch (err) {
      if (err instanceof KeyFormatError) throw new CliError(err.code, `--key ${hex.slice(0, 16)}…: ${err.message}`, EXIT_USAGE, { cause: err });
      throw err;
    }
    byMid.set(Buffer.from(key.mid).toString('hex'), key);
  }
  return byMid;
}

/**
 * Decodes a packet into the JSON the command prints.
 * @param datagram the bytes as received (a tunnel prefix is accepted)
 * @param options community version override and known public keys
 * @returns the description
 * @throws DecodeError for a malformed packet; CliError for bad options
 */
export function describePacket(datagram: Uint8Array, options: DecodeCommandOptions = {}): Record<string, unknown> {
  const version = parseVersion(options.communityVersion);
  const keys = parseKeys(options.key ?? []);
  const { packet, tunnel } = stripTunnelPrefix(datagram);
  const header = readHeader(packet);
  const conversion = createConversion({
    cid: header.cid,
    communityVersion: version ?? header.communityVersion,
    metas: debugCommunityMessages,
    lookupMember: (mid) => keys.get(Buffer.from(mid).toString('hex')),
  });
  const message: DecodedMessage = conversion.decode(packet, { verify: false, allowEmptySignature: true });
  const checks = signatureChecks(message);
  const valid = new Map(checks.map((c) => [c.index, c.publicKey.verify(c.data, c.signature)]));
  const a = message.meta.authentication;
  return {
    length: packet.length,
    tunnel,
    header: {
      dispersyVersion: message.dispersyVersion,
      communityVersion: message.communityVersion,
      cid: message.cid,
    },
    message: { name: message.name, id: message.messageId },
    policies: {
      authentication: a.kind,
      resolution: message.meta.resolution.kind,
      distribution: message.meta.distribution.kind,
      destination: message.meta.destination.kind,
    },
    authentication:
      a.kind === 'none'
        ? null
        : {
            encoding: message.memberEncoding,
            members: message.members.map((m, i) => ({
              mid: m.mid,
              publicKey: m.bytes,
              level: m.level,
              signature: message.signatures[i],
              signatureValid: valid.get(i) ?? null,
            })),
          },
    resolutionIndex: message.resolutionIndex,
    depth: message.depth,
    globalTime: message.globalTime,
    sequenceNumber: message.sequenceNumber,
    payload: message.payload,
    signatureValid: a.kind === 'none' ? null : checks.length === message.members.length && [...valid.values()].every(Boolean),
    layout: messageLayout(message),
  };
}

/**
 * Runs `dispersy decode`.
 * @param hex the packet as hex (`-` reads it from standard input)
 * @param options parsed options
 * @param io output sinks
 * @throws CliError with the DecodeError's code for a malformed packet
 */
export async function decode(hex: string, options: DecodeCommandOptions, io: CliIo): Promise<void> {
  const text = hex === '-' ? await io.readStdin() : hex;
  const bytes = parseHex(text, 'the packet');
  try {
    io.stdout(formatJson(describePacket(bytes, options)));
  } catch (err) {
    if (err instanceof DecodeError) {
      const hint = err.code === 'UNKNOWN_MEMBER' ? ' (pass its public key with --key)' : '';
      throw new CliError(err.code, `${err.message}${hint}`, EXIT_USAGE, { cause: err });
    }
    throw err;
  }
}
