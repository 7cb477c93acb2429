/**
 * A community's conversion (spec §2.2): built from its cid, community version byte and meta-messages, it encodes
 * and decodes that community's packets. The member encoding of `'default'` metas follows the community version
 * (`sha1` for versions ≤ 1, `bin` from 2). The built-in dispersy-* metas (spec §2.6, §9) are included unless
 * turned off.
 */
import type { PrivateKey, PublicKey } from '@dispersy/crypto';
import { publicKeyFromBytes } from '@dispersy/crypto';
import { authenticationSize, readAuthentication, writeAuthentication } from './authentication.ts';
import { dispersyMessages } from './builtin-metas.ts';
import { DecodeError } from './errors.ts';
import { communityPrefix, HEADER_LENGTH, PREFIX_LENGTH } from './header.ts';
import {
  assertArray,
  assertBoolean,
  assertBytes,
  assertFunction,
  assertInteger,
  assertObject,
  assertString,
  bytesEqual,
  describe,
} from './internal/assert.ts';
import { isPrivateKey, normaliseMembers } from './internal/keys.ts';
import type { DecodeContext, EncodeContext } from './payload.ts';
import type { AnyMeta, MetaDefinition } from './meta.ts';
import { assertDecodedMessage, type DecodedMessage, type DecodeOptions, type EncodeInput, type KeyParser, type MemberLookup } from './message.ts';
import { memberCount, resolveMemberEncoding } from './policies.ts';
import { Reader } from './reader.ts';
import {
  destinationSize,
  distributionSize,
  readDestination,
  readGlobalTime,
  readResolution,
  readSequenceNumber,
  resolutionSize,
  sectionValues,
  writeSections,
} from './sections.ts';
import { isEmptySignature, safeVerify, signedRegions } from './signature.ts';
import { Writer } from './writer.ts';

/** How deep signature-request/response packets may nest inside each other. */
const MAX_NESTING = 4;
const NO_MEMBERS: readonly PublicKey[] = Object.freeze([]);
const NO_OPTIONS: DecodeOptions = Object.freeze({});

/** What {@link createConversion} needs. */
export interface ConversionInit {
  /** The 20-byte community id (the master member's mid). */
  readonly cid: Uint8Array;
  /** The community version byte, 0..254 (communities start at 0x01; 0xFF is reserved). */
  readonly communityVersion: number;
  /** The community's own meta-messages. A meta named like a built-in replaces that built-in. */
  readonly metas: readonly AnyMeta[];
  /** Include the dispersy-* built-ins (spec §2.6). @default true */
  readonly includeBuiltins?: boolean;
  /** Resolves `sha1` member ids (members whose dispersy-identity is known in this community). */
  readonly lookupMember?: MemberLookup;
  /** Parses public keys read from packets (e.g. a caching wrapper). @default publicKeyFromBytes of @dispersy/crypto */
  readonly parseKey?: KeyParser;
}

/** Internal decode context with the nesting depth of embedded packets. */
interface InternalDecodeContext extends DecodeContext {
  readonly nesting: number;
}

/**
 * Encodes and decodes the packets of one community at one community version.
 *
 * @example
 * ```ts
 * const conversion = createConversion({ cid, communityVersion: 2, metas: debugCommunityMessages });
 * const packet = conversion.encode('full-sync-text', { signer, globalTime: 5, payload: { text } });
 * const message = conversion.decode(packet);
 * ```
 */
export class Conversion {
  /** The community id (a private copy). */
  readonly cid: Uint8Array;
  readonly communityVersion: number;
  /** What `'default'` resolves to at this version. */
  readonly defaultMemberEncoding: 'sha1' | 'bin';
  /** The 22-byte prefix: 0x00, community version, cid. */
  readonly prefix: Uint8Array;
  /** Every meta-message this conversion knows, ordered by id. */
  readonly metas: readonly AnyMeta[];
  /** The conversion's member lookup (a decode call may override it). */
  readonly lookupMember: MemberLookup | undefined;
  /** The key parser. */
  readonly parseKey: KeyParser;
  readonly #byId: (AnyMeta | undefined)[] = new Array(256).fill(undefined);
  readonly #encodingById: ('sha1' | 'bin')[] = new Array(256).fill('bin');
  readonly #byName = new Map<string, AnyMeta>();

  /**
   * @param init cid, version, metas and lookups
   * @throws TypeError for malformed arguments or two metas sharing an id or a name; RangeError for a bad version
   */
  constructor(init: ConversionInit) {
    assertObject(init, 'init');
    this.prefix = communityPrefix(init.cid, init.communityVersion);
    this.cid = this.prefix.slice(2);
    this.communityVersion = init.communityVersion;
    this.defaultMemberEncoding = resolveMemberEncoding('default', init.communityVersion);
    assertArray(init.metas, 'init.metas');
    const includeBuiltins = init.includeBuiltins ?? true;
    assertBoolean(includeBuiltins, 'init.includeBuiltins');
    if (init.lookupMember !== undefined) assertFunction(init.lookupMember, 'init.lookupMember');
    if (init.parseKey !== undefined) assertFunction(init.parseKey, 'init.parseKey');
    this.lookupMember = init.lookupMember;
    this.parseKey = init.parseKey ?? publicKeyFromBytes;
    const own = new Set(init.metas.map((m) => (m as { name?: unknown } | null)?.name));
    const all = [...(includeBuiltins ? dispersyMessages.filter((m) => !own.has(m.name)) : []), ...init.metas];
    for (const meta of all) {
      assertObject(meta, 'meta');
      if (typeof meta.name !== 'string' || !Number.isInteger(meta.id) || meta.id < 1 || meta.id > 254) {
        throw new TypeError(`meta must be a MetaDefinition (use defineMeta), got ${describe(meta)}`);
      }
      if (this.#byId[meta.id] !== undefined) throw new TypeError(`two metas share id ${meta.id}: ${this.#byId[meta.id]?.name}, ${meta.name}`);
      if (this.#byName.has(meta.name)) throw new TypeError(`two metas share the name ${meta.name}`);
      this.#byId[meta.id] = meta;
      this.#byName.set(meta.name, meta);
      if (meta.authentication.kind !== 'none') {
        this.#encodingById[meta.id] = resolveMemberEncoding(meta.authentication.encoding, init.communityVersion);
      }
    }
    this.metas = Object.freeze(this.#byId.filter((m): m is AnyMeta => m !== undefined));
  }

  /**
   * @param id a message id byte
   * @returns the meta with that id, if defined
   */
  metaById(id: number): AnyMeta | undefined {
    assertInteger(id, 'id', 0, 255);
    return this.#byId[id];
  }

  /**
   * @param name a meta name
   * @returns the meta with that name, if defined
   */
  metaByName(name: string): AnyMeta | undefined {
    assertString(name, 'name');
    return this.#byName.get(name);
  }

  /**
   * The member encoding a meta uses at this community version.
   * @param meta a meta of this conversion
   * @returns `'sha1'` or `'bin'` (`undefined` for NoAuthentication)
   */
  memberEncodingOf(meta: AnyMeta): 'sha1' | 'bin' | undefined {
    assertObject(meta, 'meta');
    if (this.#byId[meta.id as number] !== meta) throw new RangeError(`meta ${describe(meta.name)} is not part of this conversion`);
    return meta.authentication.kind === 'none' ? undefined : this.#encodingById[meta.id];
  }

  /**
   * Whether this conversion can decode a packet: ≥ 23 bytes, its prefix, and a defined message id (spec §2.1).
   * @param packet a packet without tunnel prefix
   * @returns true if so
   * @throws TypeError if not a Uint8Array
   */
  canDecode(packet: Uint8Array): boolean {
    assertBytes(packet, 'packet');
    if (packet.length < HEADER_LENGTH) return false;
    for (let i = 0; i < PREFIX_LENGTH; i++) if (packet[i] !== this.prefix[i]) return false;
    return this.#byId[packet[PREFIX_LENGTH] as number] !== undefined;
  }

  /**
   * Decodes and (by default) verifies a packet.
   * @param packet a packet without tunnel prefix
   * @param options verification, empty signatures, member lookup
   * @returns the decoded message (views into `packet`)
   * @throws DecodeError on any malformed, unknown or wrongly signed packet (`MissingMemberError` for an unknown
   *   sha1 member); TypeError if `packet` is not a Uint8Array
   */
  decode(packet: Uint8Array, options?: DecodeOptions): DecodedMessage {
    assertBytes(packet, 'packet');
    if (options !== undefined) assertObject(options, 'options');
    return this.#decode(packet, options ?? NO_OPTIONS, 0);
  }

  /**
   * Decodes a packet embedded in another one's payload (signature request/response): same conversion, same
   * options, empty signatures allowed. For payload codecs.
   * @param packet the embedded packet
   * @param ctx the outer payload's decode context
   * @returns the embedded message
   * @throws DecodeError as {@link Conversion.decode}, or INVALID_FIELD when embedded packets nest too deep
   */
  decodeEmbedded(packet: Uint8Array, ctx: DecodeContext): DecodedMessage {
    const nesting = ((ctx as InternalDecodeContext).nesting ?? 0) + 1;
    if (nesting > MAX_NESTING) throw new DecodeError('INVALID_FIELD', `embedded packets nest deeper than ${MAX_NESTING}`);
    return this.#decode(packet, { ...ctx.options, allowEmptySignature: true }, nesting);
  }

  #rejectPrefix(packet: Uint8Array): never {
    if (packet[0] !== this.prefix[0]) {
      throw new DecodeError('BAD_HEADER', `unsupported dispersy version 0x${packet[0]?.toString(16)}`, { offset: 0 });
    }
    if (packet[1] !== this.prefix[1]) {
      throw new DecodeError('BAD_HEADER', `community version 0x${packet[1]?.toString(16)} is not 0x${this.communityVersion.toString(16)}`, { offset: 1 });
    }
    throw new DecodeError('UNKNOWN_COMMUNITY', 'the cid is not this community', { offset: 2 });
  }

  #decode(packet: Uint8Array, options: DecodeOptions, nesting: number): DecodedMessage {
    const length = packet.length;
    if (length < HEADER_LENGTH) {
      throw new DecodeError('TRUNCATED', `a packet needs at least ${HEADER_LENGTH} bytes, got ${length}`, { offset: 0 });
    }
    const prefix = this.prefix;
    for (let i = 0; i < PREFIX_LENGTH; i++) if (packet[i] !== prefix[i]) this.#rejectPrefix(packet);
    const messageId = packet[PREFIX_LENGTH] as number;
    const meta = this.#byId[messageId];
    if (meta === undefined) throw new DecodeError('UNKNOWN_MESSAGE', `message id ${messageId} is not defined`, { offset: PREFIX_LENGTH });

    const r = new Reader(packet, HEADER_LENGTH);
    const authentication = meta.authentication;
    const count = memberCount(authentication);
    const encoding = count === 0 ? undefined : (this.#encodingById[messageId] as 'sha1' | 'bin');
    const members =
      encoding === undefined
        ? NO_MEMBERS
        : readAuthentication(r, count, encoding, options.lookupMember ?? this.lookupMember, this.parseKey);
    let signatureLength = 0;
    for (const m of members) signatureLength += m.signatureLength;
    const signatureOffset = length - signatureLength;
    if (signatureOffset < r.pos) r.fail('TRUNCATED', `the packet is too short for ${signatureLength} signature bytes`);
    r.end = signatureOffset;

    const resolutionIndex = readResolution(r, meta.resolution);
    const depth = readDestination(r, meta.destination);
    const globalTime = readGlobalTime(r);
    const distribution = meta.distribution;
    const sequenceNumber = distribution.kind === 'full-sync' && distribution.sequenceNumbers ? readSequenceNumber(r) : undefined;
    const payloadOffset = r.pos;
    const ctx: InternalDecodeContext = { conversion: this, globalTime, members, options, nesting };
    const payload: unknown = meta.payload.decode(r, ctx);
    r.expectEnd('payload');

    const verify = options.verify ?? true;
    const signatures: Uint8Array[] = [];
    if (count > 0) {
      let regions: readonly Uint8Array[] | undefined;
      let offset = signatureOffset;
      for (let i = 0; i < members.length; i++) {
        const member = members[i] as PublicKey;
        const signature = packet.subarray(offset, offset + member.signatureLength);
        signatures.push(signature);
        if (isEmptySignature(signature)) {
          if (options.allowEmptySignature !== true) {
            throw new DecodeError('EMPTY_SIGNATURE', `signature ${i} is empty`, { offset });
          }
        } else if (verify) {
          regions ??= signedRegions(authentication, packet.subarray(0, signatureOffset));
          if (!safeVerify(member, regions[i] as Uint8Array, signature)) {
            throw new DecodeError('BAD_SIGNATURE', `signature ${i} does not verify`, { offset });
          }
        }
        offset += member.signatureLength;
      }
    }
    return {
      packet,
      meta,
      name: meta.name,
      messageId,
      dispersyVersion: packet[0] as number,
      communityVersion: packet[1] as number,
      cid: packet.subarray(2, PREFIX_LENGTH),
      memberEncoding: encoding,
      members,
      signatures,
      resolutionIndex,
      depth,
      globalTime,
      sequenceNumber,
      payload,
      payloadOffset,
      signatureOffset,
      verified: verify,
    };
  }

  #resolveMeta(meta: unknown): AnyMeta {
    if (typeof meta === 'string') {
      const found = this.#byName.get(meta);
      if (found === undefined) throw new RangeError(`unknown meta-message ${JSON.stringify(meta)}`);
      return found;
    }
    assertObject(meta, 'meta');
    const found = this.#byName.get(meta.name as string);
    if (found === undefined || found.id !== meta.id) throw new RangeError(`meta ${describe(meta.name)} is not part of this conversion`);
    return found;
  }

  /**
   * Encodes and signs a message: computes the exact size, writes every section into one buffer, then signs the
   * unsigned part (a view) with each private key; members given as public keys get an empty (zero) signature.
   * @param meta the meta definition or its name
   * @param input members / signer, section values and payload
   * @returns the packet
   * @throws TypeError / RangeError for a wrong meta, member count, section value or payload
   * @example `conversion.encode(meta, { signer, globalTime: 7, payload })`
   */
  encode<T, TInput>(meta: MetaDefinition<T, TInput> | string, input: EncodeInput<TInput>): Uint8Array<ArrayBuffer> {
    const m = this.#resolveMeta(meta);
    assertObject(input, 'input');
    const keys = normaliseMembers(input, memberCount(m.authentication));
    const publicKeys = keys.map((k) => (isPrivateKey(k) ? k.publicKey : k));
    const values = sectionValues(m.resolution, m.destination, m.distribution, input);
    const ctx: EncodeContext = { conversion: this, globalTime: values.globalTime, members: publicKeys };
    const payloadSize = m.payload.size(input.payload, ctx);
    if (!Number.isInteger(payloadSize) || payloadSize < 0) throw new TypeError(`payload codec of ${m.name} returned size ${payloadSize}`);
    const encoding = this.memberEncodingOf(m);
    const authSize = encoding === undefined ? 0 : authenticationSize(encoding, publicKeys);
    const unsignedLength =
      HEADER_LENGTH + authSize + resolutionSize(m.resolution) + destinationSize(m.destination) + distributionSize(m.distribution) + payloadSize;
    let signatureLength = 0;
    for (const k of publicKeys) signatureLength += k.signatureLength;

    const w = new Writer(unsignedLength + signatureLength);
    w.buffer.set(this.prefix, 0);
    w.pos = PREFIX_LENGTH;
    w.u8(m.id);
    if (encoding !== undefined) writeAuthentication(w, encoding, publicKeys);
    writeSections(w, values);
    m.payload.encode(w, input.payload, ctx);
    if (w.pos !== unsignedLength) throw new Error(`payload codec of ${m.name} wrote ${w.pos - unsignedLength + payloadSize} bytes, sized ${payloadSize}`);

    if (keys.length > 0) {
      const regions = signedRegions(m.authentication, w.buffer.subarray(0, unsignedLength));
      keys.forEach((key, i) => {
        const expected = (publicKeys[i] as PublicKey).signatureLength;
        if (isPrivateKey(key)) {
          const signature = key.sign(regions[i] as Uint8Array);
          if (signature.length !== expected) throw new Error(`signature of ${signature.length} bytes, expected ${expected}`);
          w.bytes(signature, 'signature');
        } else w.pos += expected;
      });
    }
    return w.finish();
  }

  /**
   * Fills a member's empty signature in an already decoded packet (the requester's last step of a signature
   * request, spec §4.2).
   * @param message a decoded message of this conversion with an empty signature for `key`'s member
   * @param key that member's private key
   * @returns a new packet with the signature in place
   * @throws TypeError for wrong arguments; RangeError if `key` is not an unsigned member of the message
   * @example `const full = conversion.cosign(response.payload.message, myKey);`
   */
  cosign(message: DecodedMessage, key: PrivateKey): Uint8Array<ArrayBuffer> {
    assertDecodedMessage(message);
    if (!isPrivateKey(key)) throw new TypeError(`key must be a PrivateKey, got ${describe(key)}`);
    const index = message.members.findIndex(
      (m, i) => bytesEqual(m.bytes, key.publicKey.bytes) && isEmptySignature(message.signatures[i] as Uint8Array),
    );
    if (index < 0) throw new RangeError('key is not an unsigned member of this message');
    const packet = message.packet.slice();
    const regions = signedRegions(message.meta.authentication, packet.subarray(0, message.signatureOffset));
    let offset = message.signatureOffset;
    for (let i = 0; i < index; i++) offset += (message.members[i] as PublicKey).signatureLength;
    const signature = key.sign(regions[index] as Uint8Array);
    if (signature.length !== (message.members[index] as PublicKey).signatureLength) throw new Error('signature length mismatch');
    packet.set(signature, offset);
    return packet;
  }
}

/**
 * Creates a {@link Conversion}.
 * @param init cid, community version, metas, member lookup, key parser
 * @returns the conversion
 * @throws TypeError / RangeError for malformed arguments
 * @example `const conversion = createConversion({ cid, communityVersion: 1, metas: debugCommunityMessages, lookupMember });`
 */
export function createConversion(init: ConversionInit): Conversion {
  return new Conversion(init);
}
