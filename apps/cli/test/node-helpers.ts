import { join } from 'node:path';
import { afterEach } from 'vitest';
import { generateKeyPair, saveKeyFileSync, type PrivateKey } from '@dispersy/crypto';
import { createLogger, resolveNodeConfig, startNode, type NodeCommandOptions, type RunningNode } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/** A daemon started in this process, with its captured log lines. */
export interface TestNode {
  readonly running: RunningNode;
  readonly dataDir: string;
  readonly api: string;
  readonly logs: string[];
}

const started: RunningNode[] = [];
afterEach(async () => {
  for (const running of started.splice(0).reverse()) await running.stop();
});

/** A fresh community master key, and a key file holding it (mode 0600). */
export function masterKey(dir = tempDir()): { key: PrivateKey; file: string; publicHex: string; cid: string } {
  const key = generateKeyPair();
  const file = join(dir, 'master.key');
  saveKeyFileSync(file, key);
  return { key, file, publicHex: Buffer.from(key.publicKey.bytes).toString('hex'), cid: Buffer.from(key.publicKey.mid).toString('hex') };
}

/**
 * Starts a daemon on 127.0.0.1 with ephemeral UDP and HTTP ports and a temporary data directory; stopped after the
 * test.
 */
export async function startTestNode(options: NodeCommandOptions = {}): Promise<TestNode> {
  const dataDir = options.data ?? tempDir();
  const logs: string[] = [];
  const config = resolveNodeConfig({ listen: '127.0.0.1:0', api: '127.0.0.1:0', logLevel: 'debug', ...options, data: dataDir }, dataDir);
  const running = await startNode(config, createLogger(config.logLevel, (line) => void logs.push(line)));
  started.push(running);
  return { running, dataDir, api: running.ready.api, logs };
}

/** The answer of one API call. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields freely
  readonly body: any;
  readonly text: string;
}

/** Calls the API; a plain object body is sent as JSON. */
export async function call(node: TestNode | string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
  const base = typeof node === 'string' ? node : node.api;
  const headers: Record<string, string> = { ...(init.body !== undefined && typeof init.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Posts a text message; returns the 201 body. */
export async function post(node: TestNode, cid: string, text: string, meta = 'full-sync-text'): Promise<ApiAnswer> {
  return call(node, `/v1/communities/${cid}/messages`, { body: { meta, payload: { text } } });
}

/** Polls `check` every 100 ms until it returns a value, or fails after `ms` with `describe()`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields freely
  readonly data: any;
}

/** An open event stream: `next(name)` waits for the next event of that name. */
export interface SseStream {
  next(name: string, ms?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens `GET /v1/events` and parses the stream. Resolves once the `ready` event arrived. */
export async function openEvents(node: TestNode, query = ''): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(`${node.api}/v1/events${query}`, { signal: controller.signal });
  if (response.status !== 200 || response.body === null) throw new Error(`events: status ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
          }
          if (!fields.has('data')) continue;
          events.push({ event: fields.get('event') ?? 'message', id: fields.get('id'), data: JSON.parse(fields.get('data') as string) });
          waiting?.();
        }
      }
    } catch {
      // aborted
    }
  })();
  const stream: SseStream = {
    async next(name, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const index = events.findIndex((e) => e.event === name);
        if (index >= 0) return events.splice(index, 1)[0] as SseEvent;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no '${name}' event within ${ms} ms (got: ${events.map((e) => e.event).join(', ')})`);
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, left);
        });
      }
    },
    close: () => controller.abort(),
  };
  await stream.next('ready');
  return stream;
}
