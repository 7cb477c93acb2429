/**
 * The HTTP API as a Hono app (architecture.md "The node daemon and its HTTP API"). Around the routes:
 *
 * - a Host-header check when the API is bound to loopback: only loopback names are accepted, so a web page cannot
 *   reach the API through DNS rebinding;
 * - the bearer token, when one is configured (compared in constant time): 401 UNAUTHORIZED without it;
 * - POST bodies: `Content-Type: application/json` (415 otherwise, which also keeps browsers from posting
 *   cross-site without a CORS preflight this API never grants) and at most 64 KiB (413);
 * - every error as `{ "error": { "code", "message" } }`; unknown routes 404 NOT_FOUND.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isLoopback } from '../node/addresses.ts';
import type { Logger } from '../node/logger.ts';
import type { ApiContext } from './context.ts';
import { errorResponse, toErrorResponse } from './errors.ts';
import { registerEventRoutes } from './routes-events.ts';
import { registerMessageRoutes } from './routes-messages.ts';
import { registerNodeRoutes } from './routes-node.ts';
import { registerPermissionRoutes } from './routes-permissions.ts';

/** Largest request body accepted (bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whether an `Authorization` header carries the token (constant-time over the token's digest).
 * @param header the header value
 * @param token the configured token
 * @returns true when it matches
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return false;
  return timingSafeEqual(digest(match[1] as string), digest(token));
}

/**
 * Whether a Host header names a loopback host (any port).
 * @param host the header value (undefined for HTTP/1.0 clients that send none)
 * @returns true for `localhost`, `127.x.x.x`, `[::1]`, or no header
 */
export function loopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  const name = bracketed !== null ? (bracketed[1] as string) : host.replace(/:\d+$/, '');
  return isLoopback(name.toLowerCase());
}

/** What the guard middleware of {@link guardedApp} needs. */
export interface GuardOptions {
  readonly log: Logger;
  /** The bearer token demanded, if any. */
  readonly token: string | undefined;
  /** Accept only loopback names in the Host header (the API is bound to loopback). */
  readonly loopbackHostsOnly: boolean;
}

/**
 * An app with the API's guards and error shapes but no routes (see the module comment): request logging at debug
 * level, the loopback Host check, the bearer token, JSON-only POST bodies of at most {@link MAX_BODY_BYTES},
 * `NOT_FOUND` for unknown routes and the error renderer. The node's API and the tracker's status API build on it.
 * @param options logger, token, Host check
 * @returns the app; register routes on it
 * @example `const app = guardedApp({ log, token: undefined, loopbackHostsOnly: true }); app.get('/v1/x', (c) => c.json({}));`
 */
export function guardedApp(options: GuardOptions): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    options.log.debug('http request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });

  app.use('*', async (c, next) => {
    if (options.loopbackHostsOnly && !loopbackHost(c.req.header('host'))) {
      return errorResponse(c, 403, 'FORBIDDEN_HOST', 'the API is bound to loopback: use http://127.0.0.1:PORT or http://localhost:PORT');
    }
    if (options.token !== undefined && !bearerMatches(c.req.header('authorization'), options.token)) {
      c.header('WWW-Authenticate', 'Bearer realm="dispersy"');
      return errorResponse(c, 401, 'UNAUTHORIZED', 'this API needs the header Authorization: Bearer <token>');
    }
    await next();
    return undefined;
  });

  app.on('POST', '*', async (c, next) => {
    const type = c.req.header('content-type');
    if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) {
      return errorResponse(c, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as Content-Type: application/json');
    }
    await next();
    return undefined;
  });

  app.use('*', bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, 413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`),
  }));

  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    const { response, internal } = toErrorResponse(c, err);
    if (internal) options.log.error('http handler failed', { method: c.req.method, path: c.req.path, error: err, stack: err.stack });
    return response;
  });
  return app;
}

/**
 * Builds the node's API app: {@link guardedApp} with every route of the node daemon.
 * @param ctx the daemon state
 * @returns the app (serve it with ./server.ts, or call `app.request()` in tests)
 * @example `const app = createApiApp(ctx); const res = await app.request('/v1/node');`
 */
export function createApiApp(ctx: ApiContext): Hono {
  const app = guardedApp(ctx);
  registerNodeRoutes(app, ctx);
  registerMessageRoutes(app, ctx);
  registerPermissionRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  return app;
}
