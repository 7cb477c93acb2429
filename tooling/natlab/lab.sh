#!/usr/bin/env bash
# The NAT lab: network namespaces, nftables NAT routers, one `dispersy node` per host, the puncture matrix.
#   tooling/natlab/lab.sh run [options]   one bounded measurement (prints the matrix; cleans up on exit)
#   tooling/natlab/lab.sh up [options]    the lab left running, the matrix every 10 s, Ctrl-C cleans up
#   tooling/natlab/lab.sh down [--all]    removes namespaces left by crashed runs (only `dlab-<pid>-*` names)
#   tooling/natlab/lab.sh probe           can this machine run it? (root, ip netns, nftables)
# Options: tooling/natlab/lab.sh --help. Needs root; `tooling/natlab/setup` installs nftables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# exec: the driver itself receives INT/TERM/HUP and removes everything it made before exiting.
exec node "$here/natlab.mjs" "$@"
