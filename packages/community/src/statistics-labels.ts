/**
 * Label handling of `Statistics` (statistics.ts): label values are sanitised and every labelled family keeps a
 * bounded number of distinct values, because some labels (drop reasons) carry remote-influenced text and an
 * unbounded label set would let a peer grow our memory and a metrics backend's series count at will.
 */

/** The label value that absorbs every value past the cardinality cap. */
export const OTHER_LABEL = 'other';
/** Default cap of distinct label values per labelled family (not counting {@link OTHER_LABEL}). */
export const DEFAULT_MAX_LABELS = 256;
/** Longer label values are truncated to this many characters. */
export const MAX_LABEL_LENGTH = 64;

/** A total plus its per-label break-down. */
export interface LabelledSnapshot {
  total: number;
  byLabel: Record<string, number>;
}

/**
 * Makes a label value safe and short: characters outside `[A-Za-z0-9_.:/ -]` become `_`, the result is cut to
 * {@link MAX_LABEL_LENGTH}, and the empty string becomes `unknown`.
 *
 * @param value any string (possibly remote-influenced)
 * @returns the sanitised label value
 * @example sanitizeLabel('bad\nreason') // 'bad_reason'
 */
export function sanitizeLabel(value: string): string {
  const cleaned = String(value)
    .slice(0, MAX_LABEL_LENGTH)
    .replace(/[^A-Za-z0-9_.:/ -]/g, '_');
  return cleaned.length === 0 ? 'unknown' : cleaned;
}

/**
 * A map of counters with a cap on distinct keys; keys past the cap go to a fallback key. Internal to the package
 * (used by `Statistics`); not part of the public surface.
 *
 * @example
 * ```ts
 * const c = new CappedCounter(2);
 * c.add('a', 1, OTHER_LABEL); c.add('b', 1, OTHER_LABEL); c.add('c', 1, OTHER_LABEL); // 'c' counts under 'other'
 * ```
 */
export class CappedCounter {
  readonly #counts = new Map<string, number>();
  readonly #max: number;
  #distinct = 0;
  #total = 0;

  /** @param max distinct keys kept (the fallback key does not count) */
  constructor(max: number) {
    this.#max = max;
  }

  /** Adds `n` under `key` (or under `fallback` when the cap is reached); returns whether it was folded. */
  add(key: string, n: number, fallback: string): boolean {
    let target = key;
    if (!this.#counts.has(key) && key !== fallback) {
      if (this.#distinct >= this.#max) target = fallback;
      else this.#distinct++;
    }
    this.#counts.set(target, (this.#counts.get(target) ?? 0) + n);
    this.#total += n;
    return target !== key;
  }

  /** Sum of every increment, folded or not. */
  get total(): number {
    return this.#total;
  }

  /** @returns the counters, in first-seen order */
  entries(): IterableIterator<[string, number]> {
    return this.#counts.entries();
  }

  /** @returns a plain-JSON copy (own keys only, so `__proto__` stays data) */
  snapshot(): LabelledSnapshot {
    return { total: this.#total, byLabel: Object.fromEntries(this.#counts) };
  }
}
