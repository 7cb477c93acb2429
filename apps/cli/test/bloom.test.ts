import { describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const hex = (s: string): string => Buffer.from(s).toString('hex');

describe('dispersy bloom', () => {
  it('builds the spec §18.1 filter bit for bit (64 bits, k 4, prefix "a", hello + world)', async () => {
    const r = await cli(['bloom', '--bits', '64', '--functions', '4', '--prefix', '61', hex('hello'), hex('world')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bits: 64, functions: 4, prefix: '61', filter: '1008801000015004', items: 2 });
  });

  it('sizes from error rate and capacity like the original (0.25, 142 → 416 bits, k 3)', async () => {
    const r = await cli(['bloom', '--error-rate', '0.25', '--capacity', '142']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ bits: 416, functions: 3, prefix: '00' });
    expect(out.filter).toBe('00'.repeat(52));
  });

  it('builds the 10160-bit sync filter with the §18.1 bit positions', async () => {
    const r = await cli(['bloom', '--bits', '10160', '--functions', '7', '--prefix', '07', hex('packet-one'), hex('packet-two')]);
    expect(r.status).toBe(0);
    const bytes = Buffer.from(JSON.parse(r.stdout).filter, 'hex');
    const set: number[] = [];
    for (let p = 0; p < 10160; p++) if ((bytes[p >> 3]! >> (p & 7)) & 1) set.push(p);
    expect(set).toEqual([147, 1269, 3221, 3742, 4129, 4645, 6012, 6926, 7019, 7289, 7854, 8482, 8821, 10026]);
  });

  it.each([
    [['bloom'], 'either --bits'],
    [['bloom', '--bits', '64'], '--bits and --functions go together'],
    [['bloom', '--bits', '60', '--functions', '3'], 'multiple of 8'],
    [['bloom', '--bits', '64', '--functions', '0'], '--functions'],
    [['bloom', '--bits', '64', '--functions', '3', '--error-rate', '0.1'], 'either --bits'],
    [['bloom', '--error-rate', '1.5', '--capacity', '10'], '--error-rate'],
    [['bloom', '--error-rate', '0.1', '--capacity', 'many'], '--capacity'],
    [['bloom', '--bits', '64', '--functions', '3', 'xyz'], 'hex'],
    [['bloom', '--bits', '64', '--functions', '3', '--prefix', 'g0'], '--prefix'],
  ])('rejects %j with one line and exit status 2', async (argv, fragment) => {
    const r = await cli(argv);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(fragment);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
