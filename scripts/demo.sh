#!/usr/bin/env bash
# The walkthrough end to end, at Consul's real timings (about two minutes once built):
# an embedded `coconsul agent -dev` (or the agent CONSUL_HTTP_ADDR names), two echo replicas
# registered with an HTTP check, the client echoing through a balancer, a replica killed, and
# the table of how long each party took to notice. Exits 0 when every step behaved as
# Consul's rules predict, 1 otherwise. The scenario itself: example/run_walkthrough.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ccache keys on paths relative to here, so every clone of the project shares one cache.
export CCACHE_BASEDIR="$here"

"$here/scripts/install-deps.sh"
build="${COCONSUL_BUILD_DIR:-$here/build}"
start=$(date +%s)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target coconsul_cli echo_server echo_client
echo "demo: built in $(( $(date +%s) - start )) s"
echo
exec bash "$here/example/run_walkthrough.sh" "$build/src/coconsul" "$build/example/echo_server" "$build/example/echo_client"
