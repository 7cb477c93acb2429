/**
 * `GET /v1/communities/:cid/messages?meta=&since=&limit=` lists stored messages (./message-list.ts);
 * `POST /v1/communities/:cid/messages` with `{ meta, payload }` creates one — claims the global time (and sequence
 * number), signs, stores, handles and forwards it — and answers 201 with its global time, sequence number and
 * packet.
 *
 * Creatable over HTTP: the community's own metas with a text payload (the DebugCommunity's: `{ "text": "…" }`, or
 * raw bytes as `{ "hex": "…" }`) and single-member authentication. Built-in dispersy-* messages have their own
 * routes (permissions, undo); double-signed messages need the other member's signature (a signature request),
 * which this API does not drive. Linear (or Dynamic, when linear) metas need the `permit` grant: without it the
 * answer is 403 PERMISSION_DENIED instead of a message every peer would drop.
 */
import type { Hono } from 'hono';
import type { Community, CreateOptions } from '@dispersy/community';
import { textPayload } from '@dispersy/codec';
import { hex, messageToJson, rowToJson } from '../node/render.ts';
import { communityOf, jsonBody, type ApiContext } from './context.ts';
import { ApiError, badRequest, clientInput } from './errors.ts';
import { DEFAULT_LIMIT, listMessages, MAX_LIMIT, storedMetaNames } from './message-list.ts';

/** Largest text payload accepted (bytes): a created packet must fit one UDP datagram with room for the header. */
export const MAX_TEXT_BYTES = 60_000;

function integerParam(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) throw badRequest(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return Number(value);
}

function textBytes(payload: unknown): Uint8Array {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new ApiError(400, 'BAD_PAYLOAD', 'payload must be an object: { "text": "…" } or { "hex": "…" }');
  const { text, hex: hexText } = payload as { text?: unknown; hex?: unknown };
  let bytes: Uint8Array;
  if (typeof text === 'string' && hexText === undefined) bytes = new TextEncoder().encode(text);
  else if (typeof hexText === 'string' && text === undefined) {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hexText)) throw new ApiError(400, 'BAD_PAYLOAD', 'payload.hex must be an even-length hex string');
    bytes = new Uint8Array(Buffer.from(hexText, 'hex'));
  } else throw new ApiError(400, 'BAD_PAYLOAD', 'payload must have exactly one of "text" (a string) or "hex"');
  if (bytes.length > MAX_TEXT_BYTES) throw new ApiError(400, 'BAD_PAYLOAD', `the payload is ${bytes.length} bytes; at most ${MAX_TEXT_BYTES}`);
  return bytes;
}

function createOptions(community: Community, meta: string): CreateOptions {
  const resolution = community.metas.get(meta)?.meta.resolution;
  if (resolution?.kind !== 'dynamic') return {};
  // Claim the policy in force at the global time the message will get.
  return { resolutionIndex: community.timeline.resolutionPolicy(meta, community.globalTime + 1).index };
}

function createMessage(community: Community, body: Record<string, unknown>): ReturnType<Community['create']> {
  const name = body['meta'];
  if (typeof name !== 'string' || name === '') throw badRequest('meta must be a meta-message name');
  const rt = community.metas.get(name);
  if (rt === undefined) throw new ApiError(400, 'UNKNOWN_META', `community ${community.cidHex} has no meta-message '${name}'`);
  if (rt.builtin) throw new ApiError(400, 'UNSUPPORTED_META', `${name} is a built-in message: use POST /permissions or /undo`);
  if (rt.meta.authentication.kind !== 'member') {
    throw new ApiError(400, 'UNSUPPORTED_META', `${name} needs ${rt.meta.authentication.kind === 'double-member' ? "another member's signature" : 'no signer'}: not creatable over HTTP`);
  }
  if (rt.meta.payload !== textPayload) throw new ApiError(400, 'UNSUPPORTED_META', `${name} does not have a text payload: not creatable over HTTP`);
  const payload = { text: textBytes(body['payload']) };
  if (rt.meta.resolution.kind !== 'public' && !community.timeline.allowed(hex(community.myMember.publicKey.mid), name, community.globalTime + 1)) {
    throw new ApiError(403, 'PERMISSION_DENIED', `this node's member does not hold permit on ${name}`);
  }
  return clientInput('BAD_PAYLOAD', () => community.create(name, payload, createOptions(community, name)));
}

/**
 * Registers the message routes.
 * @param app the Hono app
 * @param ctx the API context
 */
export function registerMessageRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/communities/:cid/messages', (c) => {
    const community = communityOf(ctx, c.req.param('cid'));
    const meta = c.req.query('meta');
    if (meta !== undefined && !storedMetaNames(community).includes(meta)) {
      throw new ApiError(400, 'UNKNOWN_META', `community ${community.cidHex} stores no meta-message '${meta}'`);
    }
    const since = integerParam(c.req.query('since'), 'since', 0, Number.MAX_SAFE_INTEGER - 1, 0);
    const limit = integerParam(c.req.query('limit'), 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
    const page = listMessages(community, { metas: meta === undefined ? [] : [meta], since, limit });
    return c.json({ cid: community.cidHex, messages: page.rows.map((row) => rowToJson(community, row)), next: page.next });
  });

  app.post('/v1/communities/:cid/messages', async (c) => {
    const community = communityOf(ctx, c.req.param('cid'));
    const message = createMessage(community, await jsonBody(c));
    ctx.log.debug('message created', { cid: community.cidHex, meta: message.name, globalTime: message.globalTime });
    return c.json({ cid: community.cidHex, ...messageToJson(message) }, 201);
  });
}
