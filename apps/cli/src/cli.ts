/**
 * The `dispersy` command line: parses arguments with commander and dispatches to the commands. `run()` never
 * calls `process.exit`; it returns the exit status, so tests run it in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { SECURITY_LEVELS } from '@dispersy/crypto';
import { DEFAULT_TRACKER_MAX_COMMUNITIES } from '@dispersy/community';
import { DispersyError } from '@dispersy/interfaces';
import { bloom, type BloomOptions } from './commands/bloom.ts';
import { decode, type DecodeCommandOptions } from './commands/decode.ts';
import { DEFAULT_KEY_FILE, keygen, type KeygenOptions } from './commands/keygen.ts';
import { COMMUNITY_KINDS, createCommunityCommand, DEFAULT_MASTER_KEY_FILE, type CreateCommunityOptions } from './commands/create-community.ts';
import { nodeCommand } from './commands/node.ts';
import { showcase } from './commands/showcase.ts';
import { TRACKER_HELP, trackerCommand } from './commands/tracker.ts';
import { CliError, EXIT_USAGE, type CliIo } from './io.ts';
import { API_TOKEN_ENV, DEFAULT_API, DEFAULT_DATA_DIR, DEFAULT_LISTEN, DEFAULT_WALK_INTERVAL, type NodeCommandOptions } from './node/config.ts';
import { LOG_LEVELS } from './node/logger.ts';
import { DEFAULT_TRACKER_KEY_LEVEL, DEFAULT_TRACKER_LISTEN, type TrackerCommandOptions } from './tracker/config.ts';
import { CLI_VERSION } from './version.ts';

export { CLI_VERSION } from './version.ts';

const NODE_EXAMPLE = `
Examples:
  dispersy create-community --out master.key
  dispersy node --data ./a --listen 127.0.0.1:7001 --api 127.0.0.1:8001 --community debug-master:master.key
  dispersy node --data ./b --listen 127.0.0.1:7002 --bootstrap 127.0.0.1:7001 --community debug:<master public key hex>

Community specs:
  debug:<master public key hex>   the DebugCommunity, joined by its master's public key
  <cid hex>                       the DebugCommunity, joined by cid (the master key is fetched from peers)
  bare:<cid hex>[@<version>]      only the built-in messages, community version 1..254 (default 1)
  debug-master:<key file>         the DebugCommunity of this master private key; this node is its founder

Prints {"event":"ready",...} on stdout when ready; logs JSON lines on stderr; SIGINT/SIGTERM stop it cleanly.
The API token can also come from $${API_TOKEN_ENV}.`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function buildProgram(io: CliIo): Command {
  const program = new Command('dispersy')
    .description('Dispersy for TypeScript: keys, packets, Bloom filters, a node daemon with an HTTP API, and a bootstrap tracker')
    .version(CLI_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('keygen')
    .description('make a key pair: prints { level, publicKey, mid, keyFile } as JSON; the private key goes only to the file (mode 0600)')
    .addOption(new Option('--level <level>', 'security level').choices(SECURITY_LEVELS).default('curve25519'))
    .option('--out <file>', 'where to write the private key', DEFAULT_KEY_FILE)
    .option('--force', 'replace an existing key file', false)
    .addHelpText('after', '\nExample:\n  dispersy keygen --level curve25519 --out alice.key')
    .action((options: KeygenOptions) => keygen(options, io));

  program
    .command('decode')
    .description('decode one packet (dispersy-* messages and the debug community 101–119) and print every field as JSON')
    .argument('<hex>', "the packet as hex, or '-' to read it from standard input")
    .option('--community-version <n>', 'decode with this community version (default: the packet header byte)')
    .option('--key <hex>', 'a member public key, for members encoded by sha1 id (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExit status 2 on bad input, with the DecodeError code on stderr.\nExample:\n  dispersy decode --key 4c69624e61434c504b3a... 0001bab0f1...',
    )
    .action((hex: string, options: DecodeCommandOptions) => decode(hex, options, io));

  program
    .command('bloom')
    .description('build a Dispersy Bloom filter and print { bits, functions, prefix, filter } (filter as wire-order hex)')
    .argument('[items...]', 'items to add, as hex')
    .option('--bits <m>', 'filter size in bits (a multiple of 8)')
    .option('--functions <k>', 'number of hash functions')
    .option('--error-rate <p>', 'target false-positive rate (with --capacity)')
    .option('--capacity <n>', 'number of items the filter is sized for (with --error-rate)')
    .option('--prefix <hex>', 'salt prepended to every item before hashing', '00')
    .addHelpText('after', '\nExamples:\n  dispersy bloom --bits 64 --functions 4 --prefix 61 68656c6c6f\n  dispersy bloom --error-rate 0.01 --capacity 1000')
    .action((items: string[], options: BloomOptions) => bloom(items, options, io));

  program
    .command('node')
    .description('run a node: UDP peer, SQLite store, HTTP API (JSON, Server-Sent Events, Prometheus metrics)')
    .option('--data <dir>', 'data directory: database and key file, created on first run', DEFAULT_DATA_DIR)
    .option('--listen <host:port>', 'UDP address (IPv4; port 0 picks a free one)', DEFAULT_LISTEN)
    .option('--api <host:port>', 'HTTP API address (loopback unless told otherwise; port 0 picks a free one)', DEFAULT_API)
    .option('--api-token <token>', `bearer token the API demands (or $${API_TOKEN_ENV})`)
    .option('--bootstrap <host:port,...>', 'bootstrap trackers, inserted as discovered candidates every 300 s (repeatable)', collect)
    .option('--bootstrap-file <file>', "bootstrap trackers, one 'host port' or 'host:port' per line, # comments")
    .option('--community <spec>', 'a community to join (repeatable; see below)', collect)
    .option('--walk-interval <seconds>', 'seconds between two walker steps of each community', String(DEFAULT_WALK_INTERVAL))
    .option('--key-level <level>', `security level of the node key created on first run (${SECURITY_LEVELS.join(', ')})`)
    .addOption(new Option('--log-level <level>', 'least severe level logged').choices(LOG_LEVELS).default('info'))
    .addHelpText('after', NODE_EXAMPLE)
    .action((options: NodeCommandOptions) => nodeCommand(options, io));

  program
    .command('tracker')
    .description('run a bootstrap tracker: answers introduction-requests of any community, stores nothing, bounded state')
    .option('--listen <host:port>', 'UDP address (IPv4; port 0 picks a free one)', DEFAULT_TRACKER_LISTEN)
    .option('--api <host:port>', 'serve the read-only status API here (none by default; port 0 picks a free one)')
    .option('--api-token <token>', `bearer token the API demands (or $${API_TOKEN_ENV})`)
    .addOption(new Option('--key-level <level>', 'security level of the key made at every start').choices(SECURITY_LEVELS).default(DEFAULT_TRACKER_KEY_LEVEL))
    .option('--max-communities <n>', 'most communities served at once; the least recently used is dropped', String(DEFAULT_TRACKER_MAX_COMMUNITIES))
    .addOption(new Option('--log-level <level>', 'least severe level logged').choices(LOG_LEVELS).default('info'))
    .addHelpText('after', TRACKER_HELP)
    .action((options: TrackerCommandOptions) => trackerCommand(options, io));

  program
    .command('create-community')
    .description('make a community master key: prints { masterPublicKey, cid, join, found } as JSON; the private key goes only to the file (mode 0600)')
    .addOption(new Option('--kind <kind>', 'community kind').choices(COMMUNITY_KINDS).default('debug'))
    .addOption(new Option('--level <level>', 'security level of the master key').choices(SECURITY_LEVELS).default('curve25519'))
    .option('--out <file>', 'where to write the master private key', DEFAULT_MASTER_KEY_FILE)
    .option('--force', 'replace an existing key file', false)
    .addHelpText('after', '\nExample:\n  dispersy create-community --out master.key')
    .action((options: CreateCommunityOptions) => createCommunityCommand(options, io));

  program
    .command('showcase')
    .description('an offline tour: keys, a signed packet encoded and decoded, a forgery rejected, Bloom-filter sync')
    .action(() => showcase(io));

  return program;
}

function defaultIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/**
 * Runs the CLI.
 * @param argv the arguments after the program name (e.g. `['decode', '00ff...']`)
 * @param io output sinks (process streams by default)
 * @returns the exit status: 0 on success, 2 for usage errors and bad input, 1 for other failures
 * @example `process.exitCode = await run(process.argv.slice(2))`
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const sinks: CliIo = { ...defaultIo(), ...io };
  const program = buildProgram(sinks);
  const command = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : '';
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version output end with exit code 0; commander has already printed usage errors.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const prefix = command ? `dispersy ${command}` : 'dispersy';
    if (err instanceof CliError) {
      sinks.stderr(`${prefix}: error ${err.code}: ${err.message}\n`);
      return err.exitCode;
    }
    if (DispersyError.is(err)) {
      sinks.stderr(`${prefix}: error ${err.code}: ${err.message}\n`);
      return 1;
    }
    sinks.stderr(`${prefix}: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
