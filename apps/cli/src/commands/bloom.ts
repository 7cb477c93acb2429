/**
 * `dispersy bloom`: builds a Dispersy Bloom filter and prints `{ bits, functions, prefix, filter }` (filter as hex
 * bytes in wire order). Two forms: `--bits M --functions K` (explicit size and hash count) or
 * `--error-rate P --capacity N` (sized like the original's capacity constructor); `--prefix HH` in both.
 */
import { BloomError, BloomFilter } from '@dispersy/bloom';
import { CliError, formatJson, parseHex, type CliIo } from '../io.ts';

/** Options of the bloom command (strings as typed by the user). */
export interface BloomOptions {
  readonly bits?: string;
  readonly functions?: string;
  readonly errorRate?: string;
  readonly capacity?: string;
  readonly prefix?: string;
}

function integer(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new CliError('BAD_OPTION', `${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return Number(text);
}

function rate(text: string): number {
  const p = Number(text);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text) || !(p > 0 && p < 1)) {
    throw new CliError('BAD_OPTION', `--error-rate must be a number strictly between 0 and 1, got '${text}'`);
  }
  return p;
}

/**
 * Builds the filter the options describe and adds the items.
 * @param options parsed options
 * @param items items as hex
 * @returns the filter
 * @throws CliError for contradictory or malformed options
 */
export function buildFilter(options: BloomOptions, items: readonly string[]): BloomFilter {
  const explicit = options.bits !== undefined || options.functions !== undefined;
  const sized = options.errorRate !== undefined || options.capacity !== undefined;
  if (explicit === sized) {
    throw new CliError('BAD_OPTION', 'give either --bits and --functions, or --error-rate and --capacity');
  }
  const prefix = parseHex(options.prefix ?? '00', '--prefix');
  if (prefix.length > 255) throw new CliError('BAD_OPTION', '--prefix must be at most 255 bytes');
  let filter: BloomFilter;
  try {
    if (explicit) {
      if (options.bits === undefined || options.functions === undefined) {
        throw new CliError('BAD_OPTION', '--bits and --functions go together');
      }
      const bits = integer(options.bits, '--bits', 8, 2 ** 32);
      if (bits % 8 !== 0) throw new CliError('BAD_OPTION', `--bits must be a multiple of 8, got ${bits}`);
      const functions = integer(options.functions, '--functions', 1, 255);
      filter = BloomFilter.fromBytes(new Uint8Array(bits / 8), functions, prefix);
    } else {
      if (options.errorRate === undefined || options.capacity === undefined) {
        throw new CliError('BAD_OPTION', '--error-rate and --capacity go together');
      }
      filter = BloomFilter.fromCapacity(rate(options.errorRate), integer(options.capacity, '--capacity', 1, 2 ** 31), prefix);
    }
  } catch (err) {
    if (err instanceof BloomError) throw new CliError(err.code, err.message, 2, { cause: err });
    throw err;
  }
  items.forEach((item, i) => filter.add(parseHex(item, `item ${i + 1}`)));
  return filter;
}

/**
 * Runs `dispersy bloom`.
 * @param items items as hex
 * @param options parsed options
 * @param io output sinks
 */
export function bloom(items: readonly string[], options: BloomOptions, io: CliIo): void {
  const filter = buildFilter(options, items);
  io.stdout(
    formatJson({
      bits: filter.bits,
      functions: filter.functions,
      prefix: filter.prefix,
      capacity: filter.capacity,
      items: items.length,
      filter: filter.toBytes(),
    }),
  );
}
