// The README's runnable example (house style P12): examples/chat.ts runs here over the MemoryNetwork on virtual
// time, and the README shows that file verbatim.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { main } from '../examples/chat.ts';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('examples', () => {
  test('examples/chat.ts: bob receives the chat and the announce; his own announce is rejected by alice', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines).toEqual(['bob received chat: hello', 'bob received announce: welcome', 'alice rejected 1 announce']);
  });

  test('README.md shows examples/chat.ts verbatim', () => {
    const readme = read('../README.md');
    const marker = '<!-- examples/chat.ts -->\n```ts\n';
    const start = readme.indexOf(marker);
    expect(start).toBeGreaterThan(0);
    const body = readme.slice(start + marker.length, readme.indexOf('```\n', start + marker.length));
    expect(body).toBe(read('../examples/chat.ts'));
    expect(body.split('\n').length - 1).toBeLessThan(40);
  });
});
