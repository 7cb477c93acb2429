#!/usr/bin/env node
// The NAT lab driver: builds network namespaces joined by a bridge (the "public" segment, 10.77.0.0/16) with NAT
// routers made of nftables rules, runs one `dispersy node` per host behind them and a tracker (or a public node
// acting as introducer) on the public side, waits a bounded time, reads every node's candidates through its HTTP
// API and prints the PUNCTURE MATRIX. Everything it creates carries the prefix `dlab-<pid>-` and is removed on exit.
//
//   node tooling/natlab/natlab.mjs run   [options]   one bounded measurement, prints the matrix, cleans up
//   node tooling/natlab/natlab.mjs up    [options]   the same lab, left running: the matrix every 10 s until Ctrl-C
//   node tooling/natlab/natlab.mjs clean [--all]     removes leftovers of crashed runs (--all: of running ones too)
//   node tooling/natlab/natlab.mjs probe             prints {"ok":…,"reason":…}: can this machine run the lab?
//
// Exit status: 0 the lab ran (whatever the punctures did), 1 lab failure (a namespace, link, rule or node that did
// not come up or died, a host that never reached the introducer without --loss, namespaces left behind), 2 usage,
// 3 `--strict` and the matrix differs from NAT theory. Needs root, iproute2 (`ip netns`) and nftables (`tooling/natlab/setup` installs it).
//
// Safety: every address is inside the namespaces this script creates (10.77.0.0/16 public segment, 10.78.N.0/24
// LANs, 127.0.0.1 for the APIs). Nothing is created in the host's namespace: veths are created inside the lab's
// namespaces (`ip -n`), no namespace has a default route, nothing is NATed towards the host.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const CLI = join(REPO, 'apps/cli/bin/dispersy.js');
const CLI_MAIN = join(REPO, 'apps/cli/dist/main.js');

/** Every lab object's name starts with this, then the driver's pid. */
const LAB_PREFIX = 'dlab-';

const PUBLIC_NET = '10.77.0.0/16';
const INTRODUCER_IP = '10.77.0.1';
const INTRODUCER_PORT = 6421;
const NODE_PORT = 7000;
const API_PORT = 8000;

/** Host types, in matrix order: `short` names the hosts (pub1, fc1, …), `title` heads the matrix. */
const HOST_TYPES = {
  public: { short: 'pub', title: 'public' },
  'full-cone': { short: 'fc', title: 'full cone' },
  'address-restricted': { short: 'arc', title: 'addr-restricted' },
  'port-restricted': { short: 'prc', title: 'port-restricted' },
  symmetric: { short: 'sym', title: 'symmetric' },
};
const DEFAULT_TYPES = Object.keys(HOST_TYPES);

/**
 * NAT theory, per unordered pair of host types: can two hosts of these types become verified candidates of each
 * other when an introducer on the public side introduces them and asks for a puncture?
 * - a public host or a full cone accepts anything: yes with everyone;
 * - an address-restricted cone accepts any port of an IP it has sent to: its puncture opens it for the peer's IP,
 *   whatever port the peer's NAT then picks: yes with everyone, symmetric included;
 * - a port-restricted cone accepts only the exact IP:port it sent to: yes with cones (their mapping does not depend
 *   on the destination, so the puncture hits the right port); no with symmetric NATs (the symmetric side sends
 *   from a new port per destination, which the cone never opened, and the cone's packets go to the port the
 *   symmetric NAT opened only for the introducer);
 * - symmetric ↔ symmetric: no (each side's mapping towards the other is new and unknown; Dispersy does not even
 *   introduce two symmetric-NAT peers with different WAN IPs to each other).
 */
function expectedPuncture(a, b) {
  const open = new Set(['public', 'full-cone', 'address-restricted']);
  if (open.has(a) || open.has(b)) return true;
  return a === 'port-restricted' && b === 'port-restricted';
}

// ---------------------------------------------------------------------------------------------------------------
// small helpers

function log(text) {
  process.stderr.write(`natlab: ${text}\n`);
}

class LabError extends Error {}
class UsageError extends Error {}

/** Runs a command synchronously; throws a LabError with its stderr when it fails. */
function run(cmd, args, { input, allowFail = false } = {}) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) {
    if (allowFail) return { ok: false, stdout: '', stderr: String(r.error.message) };
    throw new LabError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    if (allowFail) return { ok: false, stdout: r.stdout, stderr: r.stderr };
    throw new LabError(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  }
  return { ok: true, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(cmd, args, timeoutMs) {
  return new Promise((resolvePromise) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      resolvePromise({ ok: !err, stdout, stderr: err && !stderr ? String(err.message) : stderr });
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function listNamespaces() {
  const r = run('ip', ['netns', 'list'], { allowFail: true });
  if (!r.ok) return [];
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n);
}

function namespacePids(ns) {
  const r = run('ip', ['netns', 'pids', ns], { allowFail: true });
  return r.ok ? r.stdout.split(/\s+/).filter((p) => /^\d+$/.test(p)).map(Number) : [];
}

function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Whether a lab owner is still running: the pid lives and runs this script. */
function ownerRunning(pid) {
  if (pid === process.pid) return true;
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('natlab');
  } catch {
    return false;
  }
}

/**
 * Removes every namespace of one prefix: kills the processes inside it (they are the lab's nodes), deletes the
 * nft table of a router, deletes the namespace (its veths and rules go with it).
 * @returns the namespaces removed
 */
function removeNamespaces(prefix) {
  const mine = listNamespaces().filter((n) => n.startsWith(prefix));
  for (const sig of ['SIGTERM', 'SIGKILL']) {
    let pids = mine.flatMap(namespacePids);
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 30 && pids.length > 0; i++) {
      sleepSync(100);
      pids = mine.flatMap(namespacePids);
    }
    if (pids.length === 0) break;
  }
  for (const ns of mine) {
    const table = tableName(prefix);
    if (table !== undefined) run('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'ip', table], { allowFail: true });
    run('ip', ['netns', 'del', ns], { allowFail: true });
  }
  return mine;
}

/** `dlab-1234-` → `dlab_1234` (nft table names take no hyphen). */
function tableName(prefix) {
  const m = /^dlab-(\d+)-$/.exec(prefix);
  return m ? `dlab_${m[1]}` : undefined;
}

/** Leftover prefixes: `dlab-<pid>-` namespaces whose owner no longer runs (or every one with `all`). */
function cleanLeftovers(all) {
  const prefixes = new Set();
  for (const ns of listNamespaces()) {
    const m = /^(dlab-(\d+)-)/.exec(ns);
    if (m && (all ? Number(m[2]) !== process.pid : !ownerRunning(Number(m[2])))) prefixes.add(m[1]);
  }
  const removed = [];
  for (const prefix of prefixes) removed.push(...removeNamespaces(prefix));
  // data directories of crashed runs
  for (const entry of readdirSync(tmpdir())) {
    const m = /^dlab-(\d+)-/.exec(entry);
    if (m && (all ? Number(m[1]) !== process.pid : !ownerRunning(Number(m[1])))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------------------------
// probe

/** Can this machine run the lab? Root, `ip netns` that can create a namespace, nft that can add a table in it. */
function probe() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: `not root (uid ${process.getuid()}); the NAT lab needs root for ip netns and nftables` };
  }
  if (!hasCommand('ip')) return { ok: false, reason: 'iproute2 (`ip`) is not installed' };
  const list = run('ip', ['netns', 'list'], { allowFail: true });
  if (!list.ok) return { ok: false, reason: `\`ip netns list\` failed: ${list.stderr.trim()}` };
  if (!hasCommand('nft')) return { ok: false, reason: 'nftables (`nft`) is not installed; run tooling/natlab/setup as root' };
  const ns = `${LAB_PREFIX}${process.pid}-probe`;
  try {
    const add = run('ip', ['netns', 'add', ns], { allowFail: true });
    if (!add.ok) return { ok: false, reason: `\`ip netns add\` failed: ${add.stderr.trim()}` };
    const veth = run('ip', ['-n', ns, 'link', 'add', `dl${process.pid}a`, 'type', 'veth', 'peer', 'name', `dl${process.pid}b`], { allowFail: true });
    if (!veth.ok) return { ok: false, reason: `cannot create a veth pair in a namespace: ${veth.stderr.trim()}` };
    const br = run('ip', ['-n', ns, 'link', 'add', `dl${process.pid}br`, 'type', 'bridge'], { allowFail: true });
    if (!br.ok) return { ok: false, reason: `cannot create a bridge in a namespace: ${br.stderr.trim()}` };
    const nft = run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], {
      allowFail: true,
      input: `table ip dlab_${process.pid} {\n chain p {\n  type nat hook postrouting priority srcnat;\n  masquerade random\n }\n}\n`,
    });
    if (!nft.ok) return { ok: false, reason: `nftables NAT does not work in a namespace: ${nft.stderr.trim()}` };
  } finally {
    run('ip', ['netns', 'del', ns], { allowFail: true });
  }
  if (!existsSync(CLI_MAIN)) return { ok: true, reason: null, cliBuilt: false };
  return { ok: true, reason: null, cliBuilt: true };
}

// ---------------------------------------------------------------------------------------------------------------
// options

const USAGE = `usage: natlab.mjs run|up [options]   |   natlab.mjs clean [--all]   |   natlab.mjs probe

  --types LIST          host types, comma-separated (default: ${DEFAULT_TYPES.join(',')})
  --per-type N          hosts of each type (default 2; 2 gives the same-type pairs)
  --introducer KIND     tracker (dispersy tracker), node (a public dispersy node) or auto (default: tracker when
                        the CLI has it, else node)
  --loss N              drop N % of the packets (0-100) on each NAT router, each direction, and on each public
                        host's interface, each direction (nftables numgen); the introducer has no loss
  --walk-interval S     mean seconds between two walker steps of a node (default 1)
  --jitter F            spread the hosts' walk intervals evenly over S·(1 ± F), shuffled (default 0.3; 0 = every
                        node S). Nodes started together with equal timers walk in lockstep: they reach the
                        introducer in the same order every round, and its round-robin then introduces the same
                        peers to the same requesters, so some pairs are never introduced
  --min-time S          wait at least this long (default 30)
  --max-time S          wait at most this long (default 180); run stops earlier, after --min-time, once every
                        puncture NAT theory expects has been seen
  --json FILE           write the result as JSON
  --keep DIR            copy the nodes' logs and data there before cleaning up
  --until PAIRS         stop early (after --min-time) once the pairs of these types (comma-separated TYPE:TYPE,
                        e.g. port-restricted:port-restricted) have punctured, instead of waiting for every pair
                        NAT theory expects to puncture
  --until-tried PAIRS   stop early only once the hosts of these type pairs (comma-separated TYPE:TYPE, e.g.
                        symmetric:symmetric) have at least been introduced to each other (either side holds the
                        other as a candidate), so that a failed puncture is the NAT's doing
  --strict              exit 3 when the matrix differs from NAT theory
  --quiet               only the matrix on stdout, no progress on stderr`;

/** `a:b,c:d` → the set of unordered type pairs `a|b`, `c|d` (sorted). */
function parseTypePairs(text, what) {
  const pairs = new Set();
  if (text === undefined) return pairs;
  for (const item of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const parts = item.split(':');
    if (parts.length !== 2 || !parts.every((t) => t in HOST_TYPES)) {
      throw new UsageError(`${what} takes TYPE:TYPE pairs (types: ${DEFAULT_TYPES.join(', ')}), got '${item}'`);
    }
    pairs.add(typePairKey(parts[0], parts[1]));
  }
  return pairs;
}

function typePairKey(a, b) {
  return [a, b].sort().join('|');
}

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      types: { type: 'string' },
      'per-type': { type: 'string' },
      introducer: { type: 'string' },
      loss: { type: 'string' },
      'walk-interval': { type: 'string' },
      jitter: { type: 'string' },
      'min-time': { type: 'string' },
      'max-time': { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'string' },
      strict: { type: 'boolean' },
      until: { type: 'string' },
      'until-tried': { type: 'string' },
      quiet: { type: 'boolean' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const num = (name, def, min, max) => {
    const text = values[name];
    if (text === undefined) return def;
    const n = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${text}'`);
    return n;
  };
  const types = values.types === undefined ? DEFAULT_TYPES : values.types.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of types) if (!(t in HOST_TYPES)) throw new UsageError(`unknown host type '${t}' (one of: ${DEFAULT_TYPES.join(', ')})`);
  const introducer = values.introducer ?? 'auto';
  if (!['tracker', 'node', 'auto'].includes(introducer)) throw new UsageError(`--introducer must be tracker, node or auto, got '${introducer}'`);
  const options = {
    command: positionals[0] ?? 'run',
    types: DEFAULT_TYPES.filter((t) => types.includes(t)),
    perType: num('per-type', 2, 1, 4),
    introducer,
    loss: num('loss', 0, 0, 100),
    walkInterval: num('walk-interval', 1, 0.1, 60),
    jitter: num('jitter', 0.3, 0, 0.9),
    minTime: num('min-time', 30, 0, 600),
    maxTime: num('max-time', 180, 1, 600),
    json: values.json,
    keep: values.keep,
    strict: values.strict === true,
    until: values.until === undefined ? undefined : parseTypePairs(values.until, '--until'),
    untilTried: parseTypePairs(values['until-tried'], '--until-tried'),
    quiet: values.quiet === true,
    all: values.all === true,
    help: values.help === true,
  };
  if (options.minTime > options.maxTime) throw new UsageError('--min-time is larger than --max-time');
  if (options.types.length * options.perType > 40) throw new UsageError('at most 40 hosts');
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// the lab

/** Whether the built CLI has `dispersy tracker`. */
function cliHasTracker() {
  const r = spawnSync(process.execPath, [CLI, 'tracker', '--help'], { encoding: 'utf8' });
  return r.status === 0 && /tracker/.test(r.stdout);
}

class Lab {
  constructor(options) {
    this.options = options;
    this.id = process.pid;
    this.prefix = `${LAB_PREFIX}${this.id}-`;
    this.table = tableName(this.prefix);
    this.namespaces = [];
    this.children = new Map(); // name → { child, exited }
    this.hosts = [];
    this.linkIndex = 0;
    this.tmp = mkdtempSync(join(tmpdir(), `${this.prefix}`));
    this.torn = false;
  }

  ns(name) {
    return `${this.prefix}${name}`;
  }

  /** Interface names: the lab prefix without the hyphens, at most 15 characters. */
  ifname(suffix) {
    const name = `dl${this.id}${suffix}`;
    if (name.length > 15) throw new LabError(`interface name too long: ${name}`);
    return name;
  }

  addNamespace(name) {
    const ns = this.ns(name);
    run('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** A veth from the switch's bridge into `ns`, named `<prefix>w` there, with a /32 public address. */
  attachToSwitch(ns, ip) {
    const swSide = this.ifname(`s${++this.linkIndex}`);
    const wan = this.ifname('w');
    run('ip', ['-n', this.switchNs, 'link', 'add', swSide, 'type', 'veth', 'peer', 'name', wan, 'netns', ns]);
    run('ip', ['-n', this.switchNs, 'link', 'set', swSide, 'master', this.bridge, 'up']);
    run('ip', ['-n', ns, 'addr', 'add', `${ip}/32`, 'dev', wan]);
    run('ip', ['-n', ns, 'link', 'set', wan, 'up']);
    // The public segment is "the Internet": every public address is its own /32 (so no host sees another public
    // host as "in my LAN"), reached on-link. No default route anywhere.
    run('ip', ['-n', ns, 'route', 'add', PUBLIC_NET, 'dev', wan]);
    return wan;
  }

  buildSwitch() {
    this.switchNs = this.addNamespace('sw');
    this.bridge = this.ifname('br');
    run('ip', ['-n', this.switchNs, 'link', 'add', this.bridge, 'type', 'bridge']);
    run('ip', ['-n', this.switchNs, 'link', 'set', this.bridge, 'up']);
  }

  lossRule() {
    return this.options.loss > 0 ? `    numgen random mod 100 < ${this.options.loss} drop\n` : '';
  }

  /** The router's nftables ruleset for one NAT kind. */
  routerRules(kind, wan, lan, hostIp) {
    const t = this.table;
    const restricted = kind === 'address-restricted';
    const inbound = kind === 'full-cone' || restricted;
    let rules = `table ip ${t} {\n`;
    if (restricted) {
      // the IPs this LAN has sent to (address-dependent filtering), forgotten after 60 s without traffic
      rules += `  set contacted {\n    type ipv4_addr\n    flags dynamic,timeout\n    timeout 60s\n  }\n`;
    }
    rules += `  chain lab_forward {\n    type filter hook forward priority filter; policy drop;\n`;
    rules += this.lossRule();
    rules += restricted
      ? `    iifname "${lan}" oifname "${wan}" update @contacted { ip daddr timeout 60s } accept\n`
      : `    iifname "${lan}" oifname "${wan}" accept\n`;
    rules += `    iifname "${wan}" oifname "${lan}" ct state established,related accept\n`;
    if (inbound) rules += `    iifname "${wan}" oifname "${lan}" ct status dnat accept\n`;
    rules += `  }\n`;
    if (inbound) {
      // Endpoint-independent filtering (full cone) or address-dependent (restricted cone): an unsolicited UDP
      // packet to the router goes to the LAN host, on the same port (masquerade keeps the host's port).
      rules += `  chain lab_prerouting {\n    type nat hook prerouting priority dstnat;\n`;
      rules += `    iifname "${wan}" ${restricted ? 'ip saddr @contacted ' : ''}meta l4proto udp dnat to ${hostIp}\n  }\n`;
    }
    rules += `  chain lab_postrouting {\n    type nat hook postrouting priority srcnat;\n`;
    rules += `    oifname "${wan}" masquerade${kind === 'symmetric' ? ' random' : ''}\n  }\n`;
    // Nothing is addressed to the router itself: unsolicited packets are dropped before conntrack confirms an entry
    // for them (an unconfirmed entry would otherwise block the port the next outgoing packet wants to keep).
    rules += `  chain lab_input {\n    type filter hook input priority filter; policy drop;\n    iifname "lo" accept\n  }\n`;
    rules += `}\n`;
    return rules;
  }

  /** Loss on a public host: N % of what comes in and goes out on its public interface. */
  publicHostRules(wan) {
    if (this.options.loss === 0) return undefined;
    const t = this.table;
    return `table ip ${t} {\n  chain lab_input {\n    type filter hook input priority filter;\n    iifname "${wan}" numgen random mod 100 < ${this.options.loss} drop\n  }\n`
      + `  chain lab_output {\n    type filter hook output priority filter;\n    oifname "${wan}" numgen random mod 100 < ${this.options.loss} drop\n  }\n}\n`;
  }

  buildTopology() {
    this.buildSwitch();
    this.introducerNs = this.addNamespace('intro');
    this.attachToSwitch(this.introducerNs, INTRODUCER_IP);
    let publicIndex = 0;
    let natIndex = 0;
    for (const type of this.options.types) {
      for (let i = 1; i <= this.options.perType; i++) {
        const name = `${HOST_TYPES[type].short}${i}`;
        const hostNs = this.addNamespace(`h-${name}`);
        if (type === 'public') {
          const ip = `10.77.0.${11 + publicIndex++}`;
          const wan = this.attachToSwitch(hostNs, ip);
          const rules = this.publicHostRules(wan);
          if (rules) run('ip', ['netns', 'exec', hostNs, 'nft', '-f', '-'], { input: rules });
          this.hosts.push({ name, type, ns: hostNs, ip, publicIp: ip });
          continue;
        }
        const k = ++natIndex;
        const routerNs = this.addNamespace(`r-${name}`);
        const wanIp = `10.77.${k}.1`;
        const wan = this.attachToSwitch(routerNs, wanIp);
        const lan = this.ifname('l');
        const eth = this.ifname('e');
        const hostIp = `10.78.${k}.2`;
        run('ip', ['-n', routerNs, 'link', 'add', lan, 'type', 'veth', 'peer', 'name', eth, 'netns', hostNs]);
        run('ip', ['-n', routerNs, 'addr', 'add', `10.78.${k}.1/24`, 'dev', lan]);
        run('ip', ['-n', routerNs, 'link', 'set', lan, 'up']);
        run('ip', ['-n', hostNs, 'addr', 'add', `${hostIp}/24`, 'dev', eth]);
        run('ip', ['-n', hostNs, 'link', 'set', eth, 'up']);
        // only the public segment is reachable from the LAN, through the router: no default route
        run('ip', ['-n', hostNs, 'route', 'add', PUBLIC_NET, 'via', `10.78.${k}.1`]);
        run('ip', ['netns', 'exec', routerNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
        run('ip', ['netns', 'exec', routerNs, 'nft', '-f', '-'], { input: this.routerRules(type, wan, lan, hostIp) });
        this.hosts.push({ name, type, ns: hostNs, routerNs, ip: hostIp, publicIp: wanIp });
      }
    }
  }

  /** Spawns the CLI in a namespace; resolves with the ready line. */
  spawnCli(name, ns, args) {
    const logFile = join(this.tmp, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, CLI, ...args], {
      cwd: this.tmp,
      stdio: ['ignore', 'pipe', fd],
    });
    closeSync(fd);
    const entry = { name, child, exited: false, code: null, logFile };
    this.children.set(name, entry);
    child.on('exit', (code, signal) => {
      entry.exited = true;
      entry.code = code ?? signal;
    });
    return new Promise((resolveReady, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new LabError(`${name} printed no ready line in 60 s (log: ${logFile})`)), 60_000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const json = JSON.parse(line);
            if (json && json.event === 'ready') {
              clearTimeout(timer);
              resolveReady(json);
            }
          } catch {
            // not JSON: ignore
          }
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
        reject(new LabError(`${name} exited (status ${code}) before it was ready: ${tail}`));
      });
    });
  }

  async startNodes() {
    const made = spawnSync(process.execPath, [CLI, 'create-community', '--out', join(this.tmp, 'master.key')], { encoding: 'utf8', cwd: this.tmp });
    if (made.status !== 0) throw new LabError(`dispersy create-community failed: ${made.stderr.trim()}`);
    const community = JSON.parse(made.stdout);
    this.cid = community.cid;
    const walk = String(this.options.walkInterval);
    // de-synchronise the hosts' walkers (see --jitter): evenly spread intervals, in random order
    const n = this.hosts.length;
    const spread = this.hosts.map((_, i) => {
      const f = n === 1 ? 0 : this.options.jitter * (2 * i / (n - 1) - 1);
      return Math.max(0.1, Math.round(this.options.walkInterval * (1 + f) * 100) / 100);
    });
    for (let i = spread.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [spread[i], spread[j]] = [spread[j], spread[i]];
    }
    this.hosts.forEach((h, i) => (h.walkInterval = spread[i]));
    const introducerAddress = `${INTRODUCER_IP}:${INTRODUCER_PORT}`;
    if (this.introducerKind === 'tracker') {
      this.introducerReady = await this.spawnCli('introducer', this.introducerNs, ['tracker', '--listen', introducerAddress]);
    } else {
      this.introducerReady = await this.spawnCli('introducer', this.introducerNs, [
        'node', '--data', join(this.tmp, 'introducer'), '--listen', introducerAddress, '--api', `127.0.0.1:${API_PORT}`,
        '--community', community.join, '--walk-interval', walk,
      ]);
    }
    await Promise.all(this.hosts.map(async (host) => {
      const ready = await this.spawnCli(host.name, host.ns, [
        'node', '--data', join(this.tmp, host.name), '--listen', `${host.ip}:${NODE_PORT}`, '--api', `127.0.0.1:${API_PORT}`,
        '--bootstrap', introducerAddress, '--community', community.join, '--walk-interval', String(host.walkInterval),
      ]);
      host.mid = ready.mid;
      host.udp = ready.udp;
    }));
  }

  /** GET on a node's API, from inside its namespace (the API binds the namespace's own loopback). */
  async api(host, path) {
    const url = `http://127.0.0.1:${API_PORT}${path}`;
    const r = this.curl
      ? await runAsync('ip', ['netns', 'exec', host.ns, 'curl', '-sS', '--max-time', '5', url], 8000)
      : await runAsync('ip', ['netns', 'exec', host.ns, process.execPath, '-e',
        `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { console.error(String(e)); process.exit(1); })`], 8000);
    if (!r.ok) return undefined;
    try {
      return JSON.parse(r.stdout);
    } catch {
      return undefined;
    }
  }

  /** Every host's view: for each other host, the best category seen so far and when it was first verified. */
  initObservations() {
    this.started = Date.now();
    this.obs = new Map();
    for (const a of this.hosts) {
      const row = new Map();
      for (const b of this.hosts) if (a !== b) row.set(b.name, { best: null, firstVerified: null, last: null });
      this.obs.set(a.name, row);
      a.reachedIntroducer = null;
    }
    this.mutualFirst = new Map();
  }

  async poll() {
    const now = (Date.now() - this.started) / 1000;
    const byMid = new Map(this.hosts.map((h) => [h.mid, h]));
    const byIp = new Map(this.hosts.map((h) => [h.publicIp, h]));
    const rank = { walk: 4, stumble: 4, intro: 2, discovered: 1 };
    const views = await Promise.all(this.hosts.map((h) => this.api(h, `/v1/communities/${this.cid}/candidates`)));
    this.hosts.forEach((a, i) => {
      const view = views[i];
      const row = this.obs.get(a.name);
      for (const cell of row.values()) cell.last = null;
      if (!view || !Array.isArray(view.candidates)) return;
      for (const c of view.candidates) {
        const ip = String(c.address).split(':')[0];
        if (c.address === `${INTRODUCER_IP}:${INTRODUCER_PORT}`) {
          if (c.category === 'walk' && a.reachedIntroducer === null) a.reachedIntroducer = now;
          continue;
        }
        const b = (c.mid && byMid.get(c.mid)) || byIp.get(ip);
        if (!b || b === a) continue;
        const cell = row.get(b.name);
        if (!(c.category in rank)) continue;
        if (cell.last === null || rank[c.category] > rank[cell.last]) cell.last = c.category;
        if (cell.best === null || rank[c.category] > rank[cell.best]) cell.best = c.category;
        if (rank[c.category] === 4 && cell.firstVerified === null) cell.firstVerified = now;
      }
    });
    for (const [a, b] of this.pairs()) {
      const key = `${a.name}|${b.name}`;
      if (this.mutualFirst.has(key)) continue;
      const ab = this.obs.get(a.name).get(b.name).last;
      const ba = this.obs.get(b.name).get(a.name).last;
      if (rank[ab] === 4 && rank[ba] === 4) this.mutualFirst.set(key, now);
    }
  }

  *pairs() {
    for (let i = 0; i < this.hosts.length; i++) for (let j = i + 1; j < this.hosts.length; j++) yield [this.hosts[i], this.hosts[j]];
  }

  checkChildren() {
    for (const entry of this.children.values()) {
      if (entry.exited) {
        const tail = readFileSync(entry.logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
        throw new LabError(`${entry.name} exited during the run (status ${entry.code}): ${tail}`);
      }
    }
  }

  stopConditionMet() {
    for (const [a, b] of this.pairs()) {
      const key = typePairKey(a.type, b.type);
      if (expectedPuncture(a.type, b.type)) {
        if (this.options.until !== undefined && !this.options.until.has(key)) continue;
        if (!this.mutualFirst.has(`${a.name}|${b.name}`)) return false;
      } else if (this.options.untilTried.has(key) && this.obs.get(a.name).get(b.name).best === null && this.obs.get(b.name).get(a.name).best === null) {
        return false;
      }
    }
    return this.hosts.every((h) => h.reachedIntroducer !== null);
  }

  async measure() {
    this.initObservations();
    const { minTime, maxTime } = this.options;
    let lastReport = 0;
    for (;;) {
      await sleep(2000);
      this.checkChildren();
      await this.poll();
      const elapsed = (Date.now() - this.started) / 1000;
      if (!this.options.quiet && elapsed - lastReport >= 10) {
        lastReport = elapsed;
        let expected = 0;
        for (const [a, b] of this.pairs()) if (expectedPuncture(a.type, b.type)) expected++;
        const seen = [...this.pairs()].filter(([a, b]) => this.mutualFirst.has(`${a.name}|${b.name}`)).length;
        log(`${Math.round(elapsed)} s: ${seen} pairs punctured (NAT theory expects ${expected})`);
      }
      if (this.options.command === 'up') {
        if (elapsed - (this.lastPrint ?? 0) >= 10) {
          this.lastPrint = elapsed;
          await this.readNodeInfo();
          process.stdout.write(`\n${this.report(elapsed).text}`);
        }
        continue;
      }
      if (elapsed >= minTime && this.stopConditionMet()) {
        this.stopReason = this.options.until === undefined
          ? 'every pair NAT theory expects to puncture has punctured'
          : `the --until pairs have punctured (${[...this.options.until].map((k) => k.replace('|', ':')).join(', ')}); other cells may not have had their time`;
        return elapsed;
      }
      if (elapsed >= maxTime) {
        this.stopReason = '--max-time reached';
        return elapsed;
      }
    }
  }

  async readNodeInfo() {
    const infos = await Promise.all(this.hosts.map((h) => this.api(h, '/v1/node')));
    this.hosts.forEach((h, i) => {
      const info = infos[i];
      h.lan = info?.lan ?? h.udp;
      h.wan = info?.wan ?? '?';
      h.connectionType = info?.connectionType ?? '?';
    });
  }

  /** The result: per-pair data, the type matrix, the text to print. */
  report(elapsed) {
    const types = this.options.types;
    const matrix = {};
    for (const t1 of types) {
      matrix[t1] = {};
      for (const t2 of types) matrix[t1][t2] = { punctured: 0, pairs: 0, expected: expectedPuncture(t1, t2) };
    }
    const pairs = [];
    for (const [a, b] of this.pairs()) {
      const key = `${a.name}|${b.name}`;
      const mutual = this.mutualFirst.has(key);
      const expected = expectedPuncture(a.type, b.type);
      pairs.push({
        a: a.name, b: b.name, typeA: a.type, typeB: b.type, mutual, expected,
        after: mutual ? this.mutualFirst.get(key) : null,
        aSeesB: this.obs.get(a.name).get(b.name).best, bSeesA: this.obs.get(b.name).get(a.name).best,
      });
      for (const [x, y] of a.type === b.type ? [[a.type, b.type]] : [[a.type, b.type], [b.type, a.type]]) {
        matrix[x][y].pairs++;
        if (mutual) matrix[x][y].punctured++;
      }
    }
    const cellText = (c) => {
      if (c.pairs === 0) return 'n/a';
      const measured = c.punctured === c.pairs ? 'yes' : c.punctured === 0 ? 'no' : `${c.punctured}/${c.pairs}`;
      const differs = c.expected ? c.punctured !== c.pairs : c.punctured !== 0;
      return `${measured}${differs ? ' !' : ''}`;
    };
    const w = 17;
    const pad = (s, n = w) => String(s).padEnd(n);
    let text = `PUNCTURE MATRIX after ${Math.round(elapsed)} s: do the two hosts end up as verified (walk/stumble) candidates of each other?\n`;
    if (this.stopReason !== undefined) text += `(stopped: ${this.stopReason})\n`;
    text += `(measured; "!" marks a cell that differs from NAT theory; the introducer is ${this.introducerKind === 'tracker' ? 'a dispersy tracker' : 'a public dispersy node'}`;
    text += `${this.options.loss > 0 ? `; loss ${this.options.loss} %` : ''})\n\n`;
    text += pad('') + types.map((t) => pad(HOST_TYPES[t].title)).join('') + '\n';
    for (const t1 of types) text += pad(HOST_TYPES[t1].title) + types.map((t2) => pad(cellText(matrix[t1][t2]))).join('') + '\n';
    text += `\nNAT theory:\n` + pad('') + types.map((t) => pad(HOST_TYPES[t].title)).join('') + '\n';
    for (const t1 of types) text += pad(HOST_TYPES[t1].title) + types.map((t2) => pad(expectedPuncture(t1, t2) ? 'yes' : 'no')).join('') + '\n';
    const letters = { walk: 'W', stumble: 'S', intro: 'i', discovered: 'd' };
    const names = this.hosts.map((h) => h.name);
    text += `\nper node (row: whose candidate table; column: the peer; best category seen: W walk, S stumble, i intro,\nd discovered, . never; the number is the second it first became walk/stumble)\n`;
    text += pad('', 6) + names.map((n) => pad(n, 7)).join('') + '\n';
    for (const a of this.hosts) {
      text += pad(a.name, 6);
      for (const b of this.hosts) {
        if (a === b) {
          text += pad('-', 7);
          continue;
        }
        const cell = this.obs.get(a.name).get(b.name);
        const mark = cell.best ? letters[cell.best] : '.';
        text += pad(cell.firstVerified !== null ? `${mark}${Math.round(cell.firstVerified)}` : mark, 7);
      }
      text += '\n';
    }
    text += `\nhosts:\n`;
    for (const h of this.hosts) {
      text += `  ${pad(h.name, 6)}${pad(HOST_TYPES[h.type].title)}lan ${pad(h.lan ?? h.udp, 17)} wan ${pad(h.wan ?? '?', 18)} ${pad(h.connectionType ?? '?', 14)}`;
      text += `walk ${pad(`${h.walkInterval} s`, 7)}`;
      text += `introducer ${h.reachedIntroducer === null ? 'NOT reached' : `reached after ${Math.round(h.reachedIntroducer)} s`}\n`;
    }
    const differences = pairs.filter((p) => p.mutual !== p.expected);
    text += differences.length === 0
      ? `\nevery pair as NAT theory expects (${pairs.filter((p) => p.mutual).length} of ${pairs.length} pairs punctured)\n`
      : `\n${differences.length} pair(s) differ from NAT theory: ${differences.map((p) => `${p.a}-${p.b} ${p.mutual ? 'punctured' : 'not punctured'}`).join(', ')}\n`;
    return { matrix, pairs, differences, text };
  }

  /** Stops the nodes cleanly (SIGTERM, then SIGKILL after 5 s). */
  async stopChildren() {
    const running = [...this.children.values()].filter((e) => !e.exited);
    for (const e of running) e.child.kill('SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && running.some((e) => !e.exited)) await sleep(100);
    for (const e of running) if (!e.exited) e.child.kill('SIGKILL');
  }

  keepArtifacts() {
    if (this.options.keep === undefined) return;
    const dest = resolve(this.options.keep);
    mkdirSync(dest, { recursive: true });
    cpSync(this.tmp, dest, { recursive: true });
    log(`logs and data copied to ${dest}`);
  }

  /** Synchronous teardown: safe in an exit handler. Kills what is left, deletes every namespace of this lab. */
  teardownSync() {
    if (this.torn) return;
    this.torn = true;
    // the nodes live in the lab's namespaces: SIGTERM, up to 3 s, SIGKILL; then the namespaces go
    removeNamespaces(this.prefix);
    for (const e of this.children.values()) {
      if (!e.exited && e.child.pid !== undefined && alive(e.child.pid)) {
        try {
          process.kill(e.child.pid, 'SIGKILL'); // an `ip netns exec` that had not entered its namespace yet
        } catch {
          // gone
        }
      }
    }
    rmSync(this.tmp, { recursive: true, force: true });
    const left = listNamespaces().filter((n) => n.startsWith(this.prefix));
    if (left.length > 0) log(`WARNING: namespaces left behind: ${left.join(' ')} (run: natlab.mjs clean)`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// main

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError || err?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      process.stderr.write(`natlab: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.command === 'probe') {
    process.stdout.write(`${JSON.stringify(probe())}\n`);
    return 0;
  }
  if (options.command === 'clean' || options.command === 'down') {
    const removed = cleanLeftovers(options.all);
    log(removed.length === 0 ? 'nothing to clean' : `removed ${removed.length} namespace(s): ${removed.join(' ')}`);
    return 0;
  }
  if (options.command !== 'run' && options.command !== 'up') {
    process.stderr.write(`natlab: unknown command '${options.command}'\n${USAGE}\n`);
    return 2;
  }
  const check = probe();
  if (!check.ok) {
    log(`cannot run: ${check.reason}`);
    return 1;
  }
  if (!check.cliBuilt) {
    log('the CLI is not built: run `pnpm turbo run build --filter=@dispersy/cli...` first');
    return 1;
  }
  const stale = cleanLeftovers(false);
  if (stale.length > 0) log(`removed ${stale.length} namespace(s) left by crashed runs`);

  const lab = new Lab(options);
  lab.introducerKind = options.introducer === 'auto' ? (cliHasTracker() ? 'tracker' : 'node') : options.introducer;
  if (lab.introducerKind === 'tracker' && !cliHasTracker()) {
    log('--introducer tracker: this CLI has no `dispersy tracker` command');
    return 1;
  }
  lab.curl = hasCommand('curl');
  const onSignal = (signal) => {
    log(`${signal}: cleaning up`);
    lab.teardownSync();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, onSignal);
  process.on('exit', () => lab.teardownSync());

  const began = Date.now();
  try {
    if (!options.quiet) log(`prefix ${lab.prefix}: building ${options.types.length * options.perType} hosts (${options.types.join(', ')}) and a ${lab.introducerKind} introducer`);
    lab.buildTopology();
    if (!options.quiet) log(`topology up (${lab.namespaces.length} namespaces); starting nodes`);
    await lab.startNodes();
    const span = options.command === 'up' ? 'until Ctrl-C' : `min ${options.minTime} s, max ${options.maxTime} s`;
    if (!options.quiet) log(`nodes ready after ${((Date.now() - began) / 1000).toFixed(1)} s; measuring (${span}, walk interval ${options.walkInterval} s ± ${Math.round(options.jitter * 100)} %)`);
    const elapsed = await lab.measure();
    await lab.readNodeInfo();
    const result = lab.report(elapsed);
    process.stdout.write(result.text);
    const unreached = lab.hosts.filter((h) => h.reachedIntroducer === null);
    // Without loss every host reaches the introducer within seconds, so one that never does is a broken lab. With
    // loss it is a possible outcome (a node tries a bootstrap tracker twice in its 57.5 s, then waits 300 s).
    const unreachedText = `never reached the introducer: ${unreached.map((h) => h.name).join(', ')}`;
    const failure = unreached.length > 0 && options.loss === 0 ? unreachedText : null;
    if (unreached.length > 0 && failure === null) log(`note: with ${options.loss} % loss, ${unreachedText}`);
    await lab.stopChildren();
    lab.keepArtifacts();
    lab.teardownSync();
    const leftovers = listNamespaces().filter((n) => n.startsWith(lab.prefix));
    if (options.json) {
      writeFileSync(options.json, `${JSON.stringify({
        prefix: lab.prefix, introducer: lab.introducerKind, loss: options.loss, walkInterval: options.walkInterval, jitter: options.jitter,
        measuredSeconds: Math.round(elapsed), stopReason: lab.stopReason, totalSeconds: Math.round((Date.now() - began) / 1000),
        hosts: lab.hosts.map(({ name, type, ip, publicIp, lan, wan, connectionType, walkInterval, reachedIntroducer, mid }) => ({ name, type, ip, publicIp, lan, wan, connectionType, walkInterval, reachedIntroducer, mid })),
        matrix: result.matrix, pairs: result.pairs, differences: result.differences.length, failure, leftovers,
      }, null, 2)}\n`);
    }
    if (!options.quiet) log(`done in ${Math.round((Date.now() - began) / 1000)} s; cleaned up`);
    if (failure) {
      log(`LAB FAILURE: ${failure}`);
      return 1;
    }
    if (leftovers.length > 0) return 1;
    return options.strict && result.differences.length > 0 ? 3 : 0;
  } catch (err) {
    log(`LAB FAILURE: ${err instanceof LabError ? err.message : (err?.stack ?? String(err))}`);
    if (options.keep !== undefined) lab.keepArtifacts();
    await lab.stopChildren().catch(() => undefined);
    lab.teardownSync();
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
