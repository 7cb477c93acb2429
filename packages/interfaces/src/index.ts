/**
 * Small shared pieces of Dispersy for TypeScript: the error base class every package's domain errors extend.
 *
 * @example
 * ```ts
 * import { DispersyError } from '@dispersy/interfaces';
 * try { decode(bytes); } catch (err) { if (DispersyError.is(err)) console.log(err.code); }
 * ```
 * @packageDocumentation
 */
export { DispersyError, type DispersyErrorOptions } from './errors.ts';
