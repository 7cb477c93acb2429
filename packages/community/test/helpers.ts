import { onTestFinished } from 'vitest';
import { createDebugEnvironment, type DebugEnvironment, type DebugEnvironmentOptions } from '../src/testing/index.ts';

/**
 * A DebugCommunity environment stopped (and checked for leftover timers) when the test finishes.
 * @param options environment options
 * @returns the environment
 */
export async function environment(options: DebugEnvironmentOptions = {}): Promise<DebugEnvironment> {
  const env = await createDebugEnvironment(options);
  onTestFinished(async () => {
    await env.stop();
    if (env.clock.pending !== 0) throw new Error(`${env.clock.pending} timers left after stop()`);
  });
  return env;
}

/** @returns 0..n-1 */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** @returns the text of a debug message */
export function text(message: { payload: unknown }): string {
  return new TextDecoder().decode((message.payload as { text: Uint8Array }).text);
}
