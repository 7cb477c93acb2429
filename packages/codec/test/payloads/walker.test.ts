/** Walker payloads (spec §2.5): every decode check of the introduction-request/-response and puncture layouts. */
import { describe, expect, test } from 'vitest';
import { NO_ADDRESS, type IntroductionRequestPayload, type IntroductionResponsePayload } from '../../src/index.ts';
import { KEYS } from '../arbitraries.ts';
import { be, craft, debugConversion, decodeError } from '../helpers.ts';

const conversion = debugConversion(2);
const signer = KEYS[0]!;
const ADDR = [127, 0, 0, 1, ...be(17001, 2)];

/** Raw introduction-request payload bytes. */
function request(flags: number, sync?: { low?: number | bigint; high?: number | bigint; modulo?: number; offset?: number; k?: number; m?: number; prefix?: number; bloom?: number }): Uint8Array {
  const out = [...ADDR, ...ADDR, ...ADDR, flags, ...be(4242, 2)];
  if (sync !== undefined) {
    const m = sync.m ?? 16;
    out.push(...be(sync.low ?? 1, 8), ...be(sync.high ?? 0, 8), ...be(sync.modulo ?? 1, 2), ...be(sync.offset ?? 0, 2));
    out.push(sync.k ?? 3, ...be(m, 2), sync.prefix ?? 0x78);
    out.push(...new Array<number>(sync.bloom ?? Math.floor(m / 8)).fill(0xa5));
  }
  return Uint8Array.from(out);
}

const decodeRequest = (payload: Uint8Array): IntroductionRequestPayload =>
  conversion.decode(craft(conversion, 'dispersy-introduction-request', payload, { signer, globalTime: 5 })).payload as IntroductionRequestPayload;
const requestError = (payload: Uint8Array): string =>
  decodeError(() => conversion.decode(craft(conversion, 'dispersy-introduction-request', payload, { signer, globalTime: 5 }))).code;

describe('introduction-request decode', () => {
  test('a minimal request (21 bytes) without sync', () => {
    const p = decodeRequest(request(0x01));
    expect(p).toEqual({
      destinationAddress: { host: '127.0.0.1', port: 17001 },
      sourceLanAddress: { host: '127.0.0.1', port: 17001 },
      sourceWanAddress: { host: '127.0.0.1', port: 17001 },
      advice: true,
      connectionType: 'unknown',
      identifier: 4242,
      sync: undefined,
    });
  });

  test.each([
    [0x00, 'unknown'],
    [0x80, 'public'],
    [0xc0, 'symmetric-NAT'],
  ])('connection type bits 0x%s decode as %s', (bits, type) => {
    expect(decodeRequest(request(bits)).connectionType).toBe(type);
  });

  test('connection type 0x40 is invalid', () => {
    expect(requestError(request(0x40))).toBe('INVALID_FIELD');
    expect(requestError(request(0x41))).toBe('INVALID_FIELD');
  });

  test('unused flag bits 2–5 are ignored', () => {
    const p = decodeRequest(request(0x3c));
    expect(p.advice).toBe(false);
    expect(p.sync).toBeUndefined();
  });

  test('a request with sync', () => {
    const p = decodeRequest(request(0x03, { low: 5, high: 10, modulo: 3, offset: 2, k: 7, m: 24, prefix: 0x32 }));
    expect(p.sync).toEqual({ timeLow: 5, timeHigh: 10, modulo: 3, offset: 2, bloom: { functions: 7, prefix: 0x32, bytes: new Uint8Array(3).fill(0xa5) } });
  });

  test('time_high 0 means "up to the responder\'s global time" and is valid', () => {
    expect(decodeRequest(request(0x02, { low: 9, high: 0 })).sync?.timeHigh).toBe(0);
  });

  test.each([
    ['time_low 0', { low: 0 }, 'INVALID_FIELD'],
    ['time_high below time_low', { low: 10, high: 9 }, 'INVALID_FIELD'],
    ['modulo 0', { modulo: 0 }, 'INVALID_FIELD'],
    ['offset == modulo', { modulo: 4, offset: 4 }, 'INVALID_FIELD'],
    ['offset > modulo', { modulo: 4, offset: 9 }, 'INVALID_FIELD'],
    ['no hash functions (k = 0)', { k: 0 }, 'INVALID_FIELD'],
    ['bloom size 0 bits', { m: 0, bloom: 0 }, 'INVALID_FIELD'],
    ['bloom size not a multiple of 8', { m: 12, bloom: 1 }, 'INVALID_FIELD'],
    ['fewer bloom bytes than m/8', { m: 32, bloom: 3 }, 'TRUNCATED'],
    ['more bloom bytes than m/8', { m: 32, bloom: 5 }, 'TRAILING_BYTES'],
    ['time_low above 2^53 − 1', { low: 2n ** 60n }, 'UNSAFE_INTEGER'],
  ] as const)('rejects %s', (_name, sync, code) => {
    expect(requestError(request(0x02, sync))).toBe(code);
  });

  test('a truncated sync section is TRUNCATED', () => {
    expect(requestError(request(0x02, {}).subarray(0, 30))).toBe('TRUNCATED');
  });

  test('fewer than 21 bytes is TRUNCATED, bytes after a sync-less request are TRAILING_BYTES', () => {
    expect(requestError(request(0x00).subarray(0, 20))).toBe('TRUNCATED');
    expect(requestError(Uint8Array.from([...request(0x00), 0]))).toBe('TRAILING_BYTES');
  });
});

describe('introduction-request encode', () => {
  const base: IntroductionRequestPayload = {
    destinationAddress: NO_ADDRESS,
    sourceLanAddress: NO_ADDRESS,
    sourceWanAddress: NO_ADDRESS,
    advice: true,
    connectionType: 'public',
    identifier: 1,
  };
  const sync = { timeLow: 1, timeHigh: 0, modulo: 1, offset: 0, bloom: { functions: 1, prefix: 0, bytes: new Uint8Array(1) } };
  const encode = (payload: unknown): Uint8Array => conversion.encode('dispersy-introduction-request', { signer, globalTime: 1, payload });

  test('sizes: 21 bytes without sync, 45 + m/8 with', () => {
    const plain = conversion.decode(encode(base));
    expect(plain.signatureOffset - plain.payloadOffset).toBe(21);
    const synced = conversion.decode(encode({ ...base, sync: { ...sync, bloom: { ...sync.bloom, bytes: new Uint8Array(1270) } } }));
    expect(synced.signatureOffset - synced.payloadOffset).toBe(21 + 24 + 1270);
  });

  test.each([
    ['timeLow 0', { timeLow: 0 }],
    ['timeHigh < timeLow', { timeLow: 5, timeHigh: 4 }],
    ['modulo 0', { modulo: 0 }],
    ['offset ≥ modulo', { modulo: 2, offset: 2 }],
    ['no functions', { bloom: { functions: 0, prefix: 0, bytes: new Uint8Array(1) } }],
    ['an empty filter', { bloom: { functions: 1, prefix: 0, bytes: new Uint8Array(0) } }],
    ['a filter over 65535 bits', { bloom: { functions: 1, prefix: 0, bytes: new Uint8Array(8192) } }],
    ['a prefix over 255', { bloom: { functions: 1, prefix: 256, bytes: new Uint8Array(1) } }],
  ])('refuses %s with a RangeError', (_name, patch) => {
    expect(() => encode({ ...base, sync: { ...sync, ...patch } })).toThrow(RangeError);
  });

  test('refuses wrong field types with a TypeError', () => {
    expect(() => encode({ ...base, advice: 1 })).toThrow(TypeError);
    expect(() => encode({ ...base, connectionType: 'nat' })).toThrow(TypeError);
    expect(() => encode({ ...base, destinationAddress: '1.2.3.4:5' })).toThrow(TypeError);
    expect(() => encode({ ...base, identifier: 1.5 })).toThrow(TypeError);
    expect(() => encode({ ...base, identifier: 65536 })).toThrow(RangeError);
  });
});

describe('introduction-response', () => {
  const response = (flags: number, extra: number[] = []): Uint8Array =>
    Uint8Array.from([...ADDR, ...ADDR, ...ADDR, ...new Array<number>(12).fill(0), flags, ...be(7, 2), ...extra]);
  const decode = (payload: Uint8Array): IntroductionResponsePayload =>
    conversion.decode(craft(conversion, 'dispersy-introduction-response', payload, { signer, globalTime: 3 })).payload as IntroductionResponsePayload;
  const error = (payload: Uint8Array): string =>
    decodeError(() => conversion.decode(craft(conversion, 'dispersy-introduction-response', payload, { signer, globalTime: 3 }))).code;

  test('33 bytes; 0.0.0.0:0 means nobody introduced; bit 0x04 is the tunnel flag', () => {
    const p = decode(response(0x84));
    expect(p.lanIntroductionAddress).toEqual(NO_ADDRESS);
    expect(p.wanIntroductionAddress).toEqual(NO_ADDRESS);
    expect(p.tunnel).toBe(true);
    expect(p.connectionType).toBe('public');
    expect(p.identifier).toBe(7);
  });

  test('advice/sync bits are ignored', () => {
    expect(decode(response(0x03)).tunnel).toBe(false);
  });

  test('connection type 0x40 is invalid', () => {
    expect(error(response(0x40))).toBe('INVALID_FIELD');
  });

  test('32 bytes is TRUNCATED, 34 is TRAILING_BYTES', () => {
    expect(error(response(0).subarray(0, 32))).toBe('TRUNCATED');
    expect(error(response(0, [1]))).toBe('TRAILING_BYTES');
  });
});

describe.each(['dispersy-puncture-request', 'dispersy-puncture'])('%s', (name) => {
  const input = name === 'dispersy-puncture' ? { signer, globalTime: 2 } : { globalTime: 2 };
  const payload = Uint8Array.from([...ADDR, 10, 0, 0, 1, 0, 80, 0, 9]);

  test('decodes its 14 bytes', () => {
    const p = conversion.decode(craft(conversion, name, payload, input)).payload as Record<string, unknown>;
    expect(Object.values(p)).toEqual([{ host: '127.0.0.1', port: 17001 }, { host: '10.0.0.1', port: 80 }, 9]);
  });

  test('13 bytes is TRUNCATED, 15 is TRAILING_BYTES', () => {
    expect(decodeError(() => conversion.decode(craft(conversion, name, payload.subarray(0, 13), input))).code).toBe('TRUNCATED');
    expect(decodeError(() => conversion.decode(craft(conversion, name, Uint8Array.from([...payload, 0]), input))).code).toBe('TRAILING_BYTES');
  });
});
