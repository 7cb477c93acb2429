/**
 * The security levels of spec §3.1 and their constants.
 *
 * The original accepted any OpenSSL curve name as a level; we support exactly the five named levels (a DER key on
 * any other curve, e.g. prime256v1, is rejected with `UNSUPPORTED_CURVE`), because every peer of the original uses
 * one of them and the {@link SecurityLevel} type is a closed union that other packages switch on.
 */
import type { SecurityLevel } from './types.ts';

/** Constants of one security level. */
export interface SecurityLevelInfo {
  /** The level name. */
  readonly level: SecurityLevel;
  /** The curve: an OpenSSL curve name for the EC levels, `curve25519` (X25519 box + Ed25519 signatures) otherwise. */
  readonly curve: 'curve25519' | 'sect163k1' | 'sect233k1' | 'sect409k1' | 'sect571r1';
  /** Dotted object identifier of the named curve (EC levels), `undefined` for curve25519. */
  readonly oid: string | undefined;
  /** Bits of the curve's field (EC levels; 255 for curve25519). */
  readonly fieldBits: number;
  /** Signature length in bytes: 64 for Ed25519, 2 · ceil(fieldBits / 8) for ECDSA r‖s (spec §3.3). */
  readonly signatureLength: number;
  /** Length of the public key binary: 74 (`LibNaCLPK:` form) or the DER SubjectPublicKeyInfo length. */
  readonly publicKeyLength: number;
  /** Length of the private key binary as the original and OpenSSL write it (`LibNaCLSK:` form, or SEC1 DER). */
  readonly privateKeyLength: number;
}

const INFO: Readonly<Record<SecurityLevel, SecurityLevelInfo>> = {
  curve25519: {
    level: 'curve25519',
    curve: 'curve25519',
    oid: undefined,
    fieldBits: 255,
    signatureLength: 64,
    publicKeyLength: 74,
    privateKeyLength: 74,
  },
  'very-low': {
    level: 'very-low',
    curve: 'sect163k1',
    oid: '1.3.132.0.1',
    fieldBits: 163,
    signatureLength: 42,
    publicKeyLength: 66,
    privateKeyLength: 85,
  },
  low: {
    level: 'low',
    curve: 'sect233k1',
    oid: '1.3.132.0.26',
    fieldBits: 233,
    signatureLength: 60,
    publicKeyLength: 84,
    privateKeyLength: 111,
  },
  medium: {
    level: 'medium',
    curve: 'sect409k1',
    oid: '1.3.132.0.36',
    fieldBits: 409,
    signatureLength: 104,
    publicKeyLength: 128,
    privateKeyLength: 178,
  },
  high: {
    level: 'high',
    curve: 'sect571r1',
    oid: '1.3.132.0.39',
    fieldBits: 571,
    signatureLength: 144,
    publicKeyLength: 170,
    privateKeyLength: 241,
  },
};

/** Every supported level, from the default (`curve25519`) through the EC levels by increasing strength. */
export const SECURITY_LEVELS: readonly SecurityLevel[] = Object.freeze([
  'curve25519',
  'very-low',
  'low',
  'medium',
  'high',
]);

/** The default level for new keys: `curve25519` (architecture.md, "Wire compatibility"). */
export const DEFAULT_SECURITY_LEVEL: SecurityLevel = 'curve25519';

/**
 * Whether `value` names a supported security level. Never throws; use it to validate user input (a CLI flag).
 * @param value any value
 * @returns true for `curve25519`, `very-low`, `low`, `medium`, `high`
 * @example
 * ```ts
 * isSecurityLevel('low'); // true
 * isSecurityLevel('prime256v1'); // false
 * ```
 */
export function isSecurityLevel(value: unknown): value is SecurityLevel {
  return typeof value === 'string' && Object.hasOwn(INFO, value);
}

/**
 * The constants of a security level.
 * @param level a level name
 * @returns its curve, OID, field bits, signature length and key lengths
 * @throws TypeError when `level` is not a string
 * @throws RangeError when `level` is not a supported level
 * @example
 * ```ts
 * securityLevelInfo('medium').signatureLength; // 104
 * ```
 */
export function securityLevelInfo(level: SecurityLevel): SecurityLevelInfo {
  assertLevel('level', level);
  return INFO[level];
}

/**
 * Throws unless `value` is a supported level name (a programmer error, so a built-in error).
 * @param name parameter name for the message
 * @param value the argument
 */
export function assertLevel(name: string, value: unknown): asserts value is SecurityLevel {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a security level name, got ${typeof value}`);
  if (!isSecurityLevel(value)) {
    throw new RangeError(`${name} must be one of ${SECURITY_LEVELS.join(', ')}; got '${value.slice(0, 40)}'`);
  }
}

/** Per EC level: the level info, keyed by the DER content bytes (hex) of the curve's OID. Internal. */
export const EC_LEVEL_BY_OID_HEX: ReadonlyMap<string, SecurityLevelInfo> = new Map(
  SECURITY_LEVELS.filter((level) => level !== 'curve25519').map((level) => {
    const info = INFO[level];
    return [oidToHex(info.oid ?? ''), info] as const;
  }),
);

/**
 * DER content bytes (hex) of a dotted OID. Used once at load to build {@link EC_LEVEL_BY_OID_HEX}.
 * @param dotted e.g. `1.3.132.0.26`
 * @returns the hex of the encoded arcs, e.g. `2b8104001a`
 */
export function oidToHex(dotted: string): string {
  const arcs = dotted.split('.').map(Number);
  const first = arcs[0] ?? 0;
  const second = arcs[1] ?? 0;
  const out: number[] = [first * 40 + second];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128))
      groups.unshift((rest & 0x7f) | 0x80);
    out.push(...groups);
  }
  return out.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Bytes of one half (r or s) of an ECDSA signature at an EC level: ceil(field bits / 8) (spec §3.3).
 * @param info the level constants
 * @returns the half length in bytes
 */
export function halfLength(info: SecurityLevelInfo): number {
  return Math.ceil(info.fieldBits / 8);
}
