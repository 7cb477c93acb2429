import { Worker } from 'node:worker_threads';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { VerifyPoolError } from '../src/errors.ts';
import { generateKeyPair, privateKeyFromBytes, verifySignature } from '../src/keys.ts';
import { SECURITY_LEVELS } from '../src/levels.ts';
import type { PublicKey } from '../src/types.ts';
import {
  createVerifyPool,
  createVerifyPoolWithSource,
  packBatch,
  type VerifyItem,
  type VerifyPool,
} from '../src/verify-pool.ts';
import { VERIFY_WORKER_SOURCE } from '../src/verify-worker-source.ts';
import { identityKeyForgery, identityRSignature, naclSecretFromSeed, nonCanonicalS } from './helpers/ed25519-edge.ts';
import { flipBit, hex, ORIGINAL_KEYS } from './helpers/vectors.ts';

const pools: VerifyPool[] = [];

function pool(...args: Parameters<typeof createVerifyPool>): VerifyPool {
  const created = createVerifyPool(...args);
  pools.push(created);
  return created;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Valid, tampered, wrong-length and unparseable items at every level, plus the original vectors. */
function mixedBatch(): VerifyItem[] {
  const items: VerifyItem[] = [];
  const keys = SECURITY_LEVELS.flatMap((level) => [generateKeyPair(level), generateKeyPair(level)]);
  keys.forEach((key, k) => {
    for (let i = 0; i < 3; i++) {
      const data = Uint8Array.of(k, i, 42);
      const signature = key.sign(data);
      const other = keys[(k + 1) % keys.length] as (typeof keys)[number];
      items.push(
        { publicKey: key.publicKey.bytes, data, signature },
        { publicKey: key.publicKey, data, signature }, // a parsed key
        { publicKey: key.publicKey.bytes, data, signature: flipBit(signature, i * 7) },
        { publicKey: key.publicKey.bytes, data: flipBit(data, 1), signature },
        { publicKey: key.publicKey.bytes, data, signature: signature.subarray(1) },
        { publicKey: key.publicKey.bytes, data, signature: Uint8Array.of(...signature, 0) },
        { publicKey: key.publicKey.bytes, data, signature: new Uint8Array(signature.length) },
        { publicKey: other.publicKey.bytes, data, signature },
        { publicKey: key.bytes, data, signature }, // a private key is not a public key
        { publicKey: key.publicKey.bytes.subarray(0, -1), data, signature },
      );
    }
  });
  for (const v of ORIGINAL_KEYS) {
    const publicKey = hex(v.public_key);
    const message = hex(v.message);
    items.push(
      { publicKey, data: message, signature: hex(v.signature) },
      { publicKey, data: message, signature: hex(v.flipped_signature) },
    );
  }
  const garbage = [new Uint8Array(0), new Uint8Array(74), new TextEncoder().encode('LibNaCLXX:'), hex('3003020100')];
  for (const publicKey of garbage) items.push({ publicKey, data: Uint8Array.of(1), signature: new Uint8Array(64) });
  // An EC key whose point is not on the curve: right header, wrong point.
  const offCurve = new Uint8Array(keys[2]?.publicKey.bytes ?? []);
  offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] as number) ^ 1;
  items.push({ publicKey: offCurve, data: Uint8Array.of(1), signature: new Uint8Array(42) });
  // Ed25519 signatures OpenSSL accepts and libsodium (so the single-thread API) rejects.
  const forgery = identityKeyForgery();
  items.push({ publicKey: forgery.publicKey, data: Uint8Array.of(1), signature: forgery.signature });
  const seed = new Uint8Array(32).fill(3);
  const owner = privateKeyFromBytes(naclSecretFromSeed(seed));
  const message = Uint8Array.of(4, 5);
  items.push(
    {
      publicKey: owner.publicKey,
      data: message,
      signature: identityRSignature(seed, owner.publicKey.bytes.subarray(42), message),
    },
    { publicKey: owner.publicKey, data: message, signature: nonCanonicalS(owner.sign(message)) },
    { publicKey: owner.publicKey, data: message, signature: owner.sign(message) },
  );
  return items;
}

function singleThread(items: readonly VerifyItem[]): boolean[] {
  return items.map((item) => verifySignature(item.publicKey, item.data, item.signature));
}

describe('createVerifyPool', () => {
  it('gives the single-thread results on a mixed batch at every level, split across workers', async () => {
    const items = mixedBatch();
    const expected = singleThread(items);
    expect(expected.filter(Boolean).length).toBeGreaterThan(30);
    expect(expected.filter((x) => !x).length).toBeGreaterThan(100);
    const verifier = pool({ size: 2, minItemsPerWorker: 8 });
    expect(verifier.size).toBe(2);
    expect(await verifier.verifyBatch(items)).toEqual(expected);
    // Again: now from the workers' key caches.
    expect(await verifier.verifyBatch(items)).toEqual(expected);
  });

  it('keeps order across many concurrent batches', async () => {
    const key = generateKeyPair();
    const verifier = pool({ size: 2, minItemsPerWorker: 1 });
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 20 + b }, (_, i) => {
        const data = Uint8Array.of(b, i);
        const signature = key.sign(data);
        return {
          publicKey: key.publicKey.bytes,
          data,
          signature: (i + b) % 3 === 0 ? flipBit(signature, 9) : signature,
        };
      }),
    );
    const results = await Promise.all(batches.map((batch) => verifier.verifyBatch(batch)));
    results.forEach((result, b) => expect(result).toEqual(singleThread(batches[b] ?? [])));
  });

  it('answers an empty batch without the workers', async () => {
    expect(await pool({ size: 1 }).verifyBatch([])).toEqual([]);
  });

  it('refs workers only while they have work, so an idle pool never holds the process open', async () => {
    const ref = vi.spyOn(Worker.prototype, 'ref');
    const unref = vi.spyOn(Worker.prototype, 'unref');
    const verifier = pool({ size: 2, minItemsPerWorker: 1 });
    const key = generateKeyPair();
    const data = Uint8Array.of(1);
    const pending = verifier.verifyBatch([
      { publicKey: key.publicKey, data, signature: key.sign(data) },
      { publicKey: key.publicKey, data, signature: key.sign(data) },
    ]);
    expect(ref).toHaveBeenCalledTimes(2);
    expect(await pending).toEqual([true, true]);
    const last = new Map<unknown, string>();
    const calls = [
      ...ref.mock.contexts.map((w, i) => [w, 'ref', ref.mock.invocationCallOrder[i] ?? 0] as const),
      ...unref.mock.contexts.map((w, i) => [w, 'unref', unref.mock.invocationCallOrder[i] ?? 0] as const),
    ].sort((a, b) => a[2] - b[2]);
    for (const [worker, call] of calls) last.set(worker, call);
    expect(last.size).toBe(2);
    expect([...last.values()]).toEqual(['unref', 'unref']);
  });

  it('rejects batches after close, and pending batches when closed, with POOL_CLOSED', async () => {
    const verifier = pool({ size: 1 });
    const key = generateKeyPair('high');
    const items = Array.from({ length: 40 }, (_, i) => {
      const data = Uint8Array.of(i);
      return { publicKey: key.publicKey, data, signature: key.sign(data) };
    });
    const pending = verifier.verifyBatch(items);
    const closing = verifier.close();
    await expect(pending).rejects.toMatchObject({ name: 'VerifyPoolError', code: 'POOL_CLOSED' });
    await closing;
    await verifier.close(); // idempotent
    const after = await verifier.verifyBatch(items).catch((err: unknown) => err);
    expect(VerifyPoolError.is(after)).toBe(true);
    expect(after).toMatchObject({ code: 'POOL_CLOSED' });
  });

  it('rejects with WORKER_CRASHED when a worker dies, and recovers for the next batch', async () => {
    // The real worker, except that a batch of exactly 13 items kills it.
    const crashing = `
      const threads = require('node:worker_threads');
      const on = threads.parentPort.on.bind(threads.parentPort);
      threads.parentPort.on = (event, listener) =>
        on(event, (message) => (message.count === 13 ? process.exit(7) : listener(message)));
      ${VERIFY_WORKER_SOURCE}`;
    const verifier = createVerifyPoolWithSource(crashing, { size: 1 });
    pools.push(verifier);
    const key = generateKeyPair();
    const item = (i: number): VerifyItem => {
      const data = Uint8Array.of(i);
      return { publicKey: key.publicKey, data, signature: key.sign(data) };
    };
    const error = await verifier
      .verifyBatch(Array.from({ length: 13 }, (_, i) => item(i)))
      .catch((err: unknown) => err);
    expect(VerifyPoolError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'WORKER_CRASHED' });
    expect(await verifier.verifyBatch([item(1), item(2)])).toEqual([true, true]);
  });

  it('rejects with WORKER_CRASHED when the worker code throws', async () => {
    const verifier = createVerifyPoolWithSource(
      "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });",
      { size: 1 },
    );
    pools.push(verifier);
    const key = generateKeyPair();
    await expect(
      verifier.verifyBatch([{ publicKey: key.publicKey, data: Uint8Array.of(), signature: key.sign(Uint8Array.of()) }]),
    ).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
  });

  it('rejects with the abort reason when the signal fires', async () => {
    const verifier = pool({ size: 1 });
    const key = generateKeyPair('high');
    const items = Array.from({ length: 50 }, (_, i) => ({
      publicKey: key.publicKey,
      data: Uint8Array.of(i),
      signature: new Uint8Array(144),
    }));
    const controller = new AbortController();
    const pending = verifier.verifyBatch(items, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(verifier.verifyBatch(items, { signal: controller.signal })).rejects.toThrow('stop');
    // The pool still works afterwards.
    expect(await verifier.verifyBatch(items.slice(0, 2))).toEqual([false, false]);
  });

  it('rejects bad items with a TypeError naming the field', async () => {
    const verifier = pool({ size: 1 });
    const ok = { publicKey: new Uint8Array(74), data: new Uint8Array(1), signature: new Uint8Array(64) };
    await expect(verifier.verifyBatch('nope' as never)).rejects.toThrow(TypeError);
    await expect(verifier.verifyBatch([ok, null] as never)).rejects.toThrow('items[1]');
    await expect(verifier.verifyBatch([{ ...ok, data: 'x' }] as never)).rejects.toThrow('items[0].data');
    await expect(verifier.verifyBatch([{ ...ok, signature: [1] }] as never)).rejects.toThrow('items[0].signature');
    await expect(verifier.verifyBatch([{ ...ok, publicKey: {} }] as never)).rejects.toThrow('items[0].publicKey');
    await expect(verifier.verifyBatch([ok], { signal: {} } as never)).rejects.toThrow(TypeError);
  });

  it('rejects bad options synchronously', () => {
    expect(() => createVerifyPool({ size: 0 })).toThrow(RangeError);
    expect(() => createVerifyPool({ size: 1.5 })).toThrow(RangeError);
    expect(() => createVerifyPool({ size: '2' as never })).toThrow(TypeError);
    expect(() => createVerifyPool({ minItemsPerWorker: 0 })).toThrow(RangeError);
    expect(() => createVerifyPool({ keyCacheSize: -1 })).toThrow(RangeError);
    expect(() => createVerifyPool(null as never)).toThrow(TypeError);
  });
});

describe('packBatch', () => {
  it('lays out a table of offsets, then the bytes, storing a repeated key once', () => {
    const publicKey = Uint8Array.of(9, 9, 9);
    const items: VerifyItem[] = [
      { publicKey, data: Uint8Array.of(1), signature: Uint8Array.of(2, 2) },
      { publicKey, data: Uint8Array.of(3, 3, 3), signature: Uint8Array.of(4) },
    ];
    const buffer = packBatch(items, 0, 2);
    const table = [...new Uint32Array(buffer, 0, 12)];
    expect(table).toEqual([48, 3, 51, 1, 52, 2, 48, 3, 54, 3, 57, 1]);
    expect([...new Uint8Array(buffer, 48)]).toEqual([9, 9, 9, 1, 2, 2, 3, 3, 3, 4]);
  });

  it('packs a slice of the items', () => {
    const key = generateKeyPair().publicKey as PublicKey;
    const items: VerifyItem[] = [0, 1, 2].map((i) => ({
      publicKey: key,
      data: Uint8Array.of(i),
      signature: Uint8Array.of(i),
    }));
    const buffer = packBatch(items, 1, 3);
    expect(buffer.byteLength).toBe(2 * 24 + 74 + 2 + 2);
  });
});
