/**
 * The `dispersy` command line as a library: `run(argv, io)` executes one invocation and returns its exit status.
 *
 * @example
 * ```ts
 * import { run } from '@dispersy/cli';
 * const status = await run(['bloom', '--bits', '64', '--functions', '4', '--prefix', '61', '68656c6c6f']);
 * ```
 * @packageDocumentation
 */
export { CLI_VERSION, run } from './cli.ts';
export { CliError, EXIT_USAGE, formatJson, parseHex, toJsonValue, type CliIo } from './io.ts';
export { describePacket, type DecodeCommandOptions } from './commands/decode.ts';
export { buildFilter, type BloomOptions } from './commands/bloom.ts';
export { DEFAULT_KEY_FILE, type KeygenOptions } from './commands/keygen.ts';
