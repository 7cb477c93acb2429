/**
 * Small shared pieces of Dispersy for TypeScript: the error base class, and the injected collaborators every layer
 * shares — {@link Clock}, {@link Random} and the {@link Endpoint} transport contract.
 *
 * @example
 * ```ts
 * import { DispersyError } from '@dispersy/interfaces';
 * try { decode(bytes); } catch (err) { if (DispersyError.is(err)) console.log(err.code); }
 * ```
 * @packageDocumentation
 */
export { DispersyError, type DispersyErrorOptions } from './errors.ts';
export { ManualClock, systemClock, type Clock, type Timer } from './clock.ts';
export { createSeededRandom, systemRandom, type Random } from './random.ts';
export {
  formatAddress,
  NO_ADDRESS,
  sameAddress,
  type Address,
  type Endpoint,
  type EndpointCounters,
  type PacketHandler,
  type PacketSource,
} from './endpoint.ts';
