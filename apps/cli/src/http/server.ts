/**
 * Serving the API app on node:http through `@hono/node-server`: binding (with a one-line error when the address
 * is taken or unavailable), the bound URL, and a close that also ends open keep-alive and event-stream
 * connections, so a stopping daemon never waits for a client.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { CliError } from '../io.ts';
import { formatHostPort, type HostPort } from '../node/addresses.ts';

/** A listening API server. */
export interface ApiServer {
  /** The bound address (the real port when 0 was asked). */
  readonly address: HostPort;
  /** `http://host:port`. */
  readonly url: string;
  /** Stops accepting, ends open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Binds the app.
 * @param app the Hono app
 * @param bind host and port (0 = a free port)
 * @returns the listening server
 * @throws CliError API_BIND_FAILED (exit status 1)
 * @example `const server = await listenApi(app, { host: '127.0.0.1', port: 0 }); console.log(server.url);`
 */
export async function listenApi(app: Hono, bind: HostPort): Promise<ApiServer> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: bind.host }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new CliError('API_BIND_FAILED', `cannot bind the HTTP API to ${formatHostPort(bind)} (${err.code ?? err.message})`, 1, { cause: err }));
    };
    server.once('error', onError);
    server.listen(bind.port, bind.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // Errors after bind (a client resetting mid-response) must not crash the daemon.
  server.on('clientError', (_err, socket) => socket.destroy());
  const info = server.address() as AddressInfo;
  const address = { host: bind.host, port: info.port };
  let closing: Promise<void> | undefined;
  return {
    address,
    url: `http://${formatHostPort(address)}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
