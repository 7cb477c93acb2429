/**
 * Community-wide control payloads (spec §2.5, §6.2, §6.5): dispersy-destroy-community (id 244) and
 * dispersy-dynamic-settings (id 236).
 */
import { assertArray, assertInteger, assertObject, assertOneOf } from '../internal/assert.ts';
import type { EncodeContext, PayloadCodec } from '../payload.ts';
import { metaIdOf } from './missing.ts';

/** How a community is destroyed: `'soft-kill'` (byte `'s'`) or `'hard-kill'` (byte `'h'`; any other byte decodes as hard). */
export type DestroyDegree = 'soft-kill' | 'hard-kill';

/** dispersy-destroy-community's payload. */
export interface DestroyCommunityPayload {
  readonly degree: DestroyDegree;
}

const SOFT = 0x73; // 's'
const HARD = 0x68; // 'h'

/**
 * The destroy-community payload codec: one byte, `'s'` soft kill, anything else hard kill (`'h'` written).
 * @example `payload: { degree: 'hard-kill' }`
 */
export const destroyCommunityPayload: PayloadCodec<DestroyCommunityPayload> = {
  size(value) {
    assertObject(value, 'payload');
    assertOneOf(value.degree, 'degree', ['soft-kill', 'hard-kill']);
    return 1;
  },
  encode: (w, value) => w.u8(value.degree === 'soft-kill' ? SOFT : HARD),
  decode: (r) => ({ degree: r.u8('degree') === SOFT ? 'soft-kill' : 'hard-kill' }),
};

/** One resolution-policy switch: from the next global time on, `meta` uses its policy number `index`. */
export interface DynamicSetting {
  /** A meta-message with DynamicResolution (travels as its id byte). */
  readonly meta: string;
  /** Index into that meta's `resolution.policies`. */
  readonly index: number;
}

/** dispersy-dynamic-settings' payload: at least one setting. */
export interface DynamicSettingsPayload {
  readonly settings: readonly DynamicSetting[];
}

const RESOLUTION_TYPE = 0x72; // 'r'

function targetOf(ctx: EncodeContext, setting: DynamicSetting, what: string): number {
  const id = metaIdOf(ctx, setting.meta, `${what}.meta`);
  const meta = ctx.conversion.metaById(id);
  if (meta?.resolution.kind !== 'dynamic') throw new RangeError(`${what}.meta: ${setting.meta} has no DynamicResolution`);
  assertInteger(setting.index, `${what}.index`, 0, meta.resolution.policies.length - 1);
  return id;
}

/**
 * The dynamic-settings payload codec: ≥ 1 records of message id (1), policy type (1, must be `'r'`), policy index
 * (uint8). Decode checks: at least one record (`INVALID_FIELD`); records are whole (`TRUNCATED`); the message id is
 * defined (`UNKNOWN_MESSAGE`); type `'r'`, the target meta uses DynamicResolution and the index is below its
 * number of policies (`INVALID_FIELD`).
 * @example `payload: { settings: [{ meta: 'dynamic-resolution-text', index: 1 }] }`
 */
export const dynamicSettingsPayload: PayloadCodec<DynamicSettingsPayload> = {
  size(value, ctx) {
    assertObject(value, 'payload');
    assertArray(value.settings, 'settings');
    if (value.settings.length === 0) throw new RangeError('settings must not be empty');
    value.settings.forEach((s, i) => {
      assertObject(s, `settings[${i}]`);
      targetOf(ctx, s as unknown as DynamicSetting, `settings[${i}]`);
    });
    return 3 * value.settings.length;
  },
  encode(w, value, ctx) {
    for (const s of value.settings) {
      w.u8(targetOf(ctx, s, 'setting'));
      w.u8(RESOLUTION_TYPE);
      w.u8(s.index);
    }
  },
  decode(r, ctx) {
    if (r.remaining() === 0) return r.fail('INVALID_FIELD', 'dynamic-settings needs at least one record');
    const settings: DynamicSetting[] = [];
    while (r.remaining() > 0) {
      r.need(3, 'dynamic setting');
      const at = r.pos;
      const id = r.u8('message id');
      const type = r.u8('policy type');
      const index = r.u8('policy index');
      const meta = ctx.conversion.metaById(id);
      r.pos = at;
      if (meta === undefined) return r.fail('UNKNOWN_MESSAGE', `dynamic setting for undefined message id ${id}`);
      if (type !== RESOLUTION_TYPE) return r.fail('INVALID_FIELD', `policy type must be 'r', got 0x${type.toString(16)}`);
      if (meta.resolution.kind !== 'dynamic') return r.fail('INVALID_FIELD', `${meta.name} has no DynamicResolution`);
      if (index >= meta.resolution.policies.length) {
        return r.fail('INVALID_FIELD', `policy index ${index} is not below ${meta.name}'s ${meta.resolution.policies.length} policies`);
      }
      r.pos = at + 3;
      settings.push({ meta: meta.name, index });
    }
    return { settings };
  },
};
