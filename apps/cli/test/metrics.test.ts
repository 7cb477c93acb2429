import { describe, expect, it } from 'vitest';
import { Statistics } from '@dispersy/community';
import { createLogger, formatLogLine, formatPrometheus, statisticsFamilies } from '../src/index.ts';

describe('formatPrometheus', () => {
  it('writes HELP, TYPE and samples with escaped label values', () => {
    const text = formatPrometheus([
      { name: 'up', help: 'Whether it runs.\nSecond line \\ backslash.', type: 'gauge', samples: [{ labels: {}, value: 1 }] },
      {
        name: 'dispersy_drops_total',
        help: 'Drops.',
        type: 'counter',
        samples: [{ labels: { stage: 'packet', reason: 'a"b\\c\nd' }, value: 3 }, { labels: { stage: 'x', reason: 'y' }, value: Number.NaN }],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP up Whether it runs.\\nSecond line \\\\ backslash.',
        '# TYPE up gauge',
        'up 1',
        '# HELP dispersy_drops_total Drops.',
        '# TYPE dispersy_drops_total counter',
        'dispersy_drops_total{stage="packet",reason="a\\"b\\\\c\\nd"} 3',
        'dispersy_drops_total{stage="x",reason="y"} NaN',
        '',
      ].join('\n'),
    );
    expect(formatPrometheus([])).toBe('');
  });

  it('refuses invalid metric and label names (bugs, not data)', () => {
    expect(() => formatPrometheus([{ name: '1bad', help: '', type: 'gauge', samples: [] }])).toThrow(TypeError);
    expect(() => formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }])).toThrow(TypeError);
  });

  it('groups the runtime statistics into counter families, known families always present', () => {
    const stats = new Statistics();
    stats.packetIn('dispersy-identity', 120);
    stats.packetIn('dispersy-identity', 100);
    stats.drop('packet', 'BAD_SIGNATURE');
    const families = statisticsFamilies(stats.samples());
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get('dispersy_packets_total')?.samples).toEqual([{ labels: { direction: 'in', message: 'dispersy-identity' }, value: 2 }]);
    expect(byName.get('dispersy_bytes_total')?.samples).toEqual([{ labels: { direction: 'in', message: 'dispersy-identity' }, value: 220 }]);
    expect(byName.get('dispersy_drops_total')?.samples).toEqual([{ labels: { stage: 'packet', reason: 'BAD_SIGNATURE' }, value: 1 }]);
    expect(byName.get('dispersy_messages_created_total')?.samples).toEqual([]);
    expect(families.every((f) => f.type === 'counter' && f.help.length > 0)).toBe(true);
    expect(new Set(families.map((f) => f.name)).size).toBe(families.length);
  });
});

describe('logger', () => {
  it('writes one JSON line per call at or above the level, with fields (bytes as hex, errors by code)', () => {
    const lines: string[] = [];
    const log = createLogger('info', (line) => void lines.push(line));
    log.debug('hidden');
    log.info('node started', { mid: new Uint8Array([0xab, 0xcd]), n: 1, level: 'not overridable' });
    log.error('failed', { error: Object.assign(new Error('boom'), { code: 'E_BOOM' }) });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const first = JSON.parse(lines[0] as string);
    expect(first).toEqual({ time: expect.any(String), level: 'info', msg: 'node started', mid: 'abcd', n: 1 });
    expect(JSON.parse(lines[1] as string).error).toEqual({ name: 'Error', code: 'E_BOOM', message: 'boom' });
    const silent: string[] = [];
    createLogger('silent', (line) => void silent.push(line)).error('nothing');
    expect(silent).toEqual([]);
  });

  it('survives unserialisable fields', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(JSON.parse(formatLogLine('warn', 'odd', { cyclic }))).toMatchObject({ msg: 'odd', fieldsError: 'unserialisable fields' });
  });
});
