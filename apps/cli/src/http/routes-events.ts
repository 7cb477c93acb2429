/**
 * `GET /v1/events[?events=message,undo,…]`: Server-Sent Events. The stream opens with a `ready` event (the
 * subscription is active from then on), then carries `candidate`, `message`, `undo`, `sync` and `drop` events
 * (JSON data, increasing `id`), and a `: keepalive` comment every 15 s. A client that reads too slowly overflows
 * its bounded queue: it gets an `overflow` event if the connection still takes one, and is disconnected. At most
 * {@link MAX_EVENT_CLIENTS} streams are open at once (429 TOO_MANY_EVENT_CLIENTS beyond).
 */
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { HttpBindings } from '@hono/node-server';
import { NODE_EVENT_NAMES, type NodeEventName } from '../node/events.ts';
import type { ApiContext } from './context.ts';
import { ApiError, badRequest } from './errors.ts';

/** Milliseconds between two keep-alive comments. */
export const KEEPALIVE_MS = 15_000;
/** Event streams open at once. */
export const MAX_EVENT_CLIENTS = 64;

function eventFilter(query: string | undefined): ReadonlySet<NodeEventName> | undefined {
  if (query === undefined || query === '') return undefined;
  const names = query.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(NODE_EVENT_NAMES as readonly string[]).includes(name)) throw badRequest(`unknown event '${name}' (one of ${NODE_EVENT_NAMES.join(', ')})`);
  }
  return new Set(names as NodeEventName[]);
}

function disconnect(c: Context): void {
  // A slow client's pending writes may never complete: end the connection itself.
  const env = c.env as Partial<HttpBindings> | undefined;
  env?.incoming?.socket.destroy();
}

/**
 * Registers the event stream route.
 * @param app the Hono app
 * @param ctx the API context
 */
export function registerEventRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/events', (c) => {
    const filter = eventFilter(c.req.query('events'));
    if (ctx.hub.subscribers >= MAX_EVENT_CLIENTS) throw new ApiError(429, 'TOO_MANY_EVENT_CLIENTS', `at most ${MAX_EVENT_CLIENTS} event streams at once`);
    const subscription = ctx.hub.subscribe(filter);
    ctx.log.debug('event client connected', { subscribers: ctx.hub.subscribers });
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => subscription.close());
      subscription.onEnd((reason) => {
        // The loop below reports an overflow itself unless it is stuck writing to the slow client.
        if (reason === 'overflow') setTimeout(() => disconnect(c), 1000).unref();
      });
      const keepalive = setInterval(() => void stream.write(': keepalive\n\n').catch(() => subscription.close()), KEEPALIVE_MS);
      keepalive.unref();
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ events: filter === undefined ? NODE_EVENT_NAMES : [...filter] }) });
        for (;;) {
          const next = await subscription.next();
          if (next.done) {
            if (next.reason === 'overflow') {
              ctx.log.warn('event client dropped: it reads too slowly', { droppedSubscribers: ctx.hub.droppedSubscribers });
              const data = JSON.stringify({ error: { code: 'SLOW_CLIENT', message: 'the event queue overflowed; reconnect and catch up with GET /messages' } });
              await Promise.race([stream.writeSSE({ event: 'overflow', data }), new Promise((resolve) => setTimeout(resolve, 100).unref())]);
              disconnect(c);
            }
            break;
          }
          await stream.writeSSE({ id: String(next.event.id), event: next.event.event, data: JSON.stringify(next.event.data) });
        }
      } finally {
        clearInterval(keepalive);
        subscription.close();
        ctx.log.debug('event client disconnected', { subscribers: ctx.hub.subscribers });
      }
    });
  });
}
