#!/usr/bin/env bash
# ctest: README.md's quick start against a `coconsul agent -dev` process (CONSUL_HTTP_ADDR, as
# the README says). It must print the greeting it wrote with a real index, then the address of
# a "web" instance registered behind its back, and keep watching.
# usage: run_readme_quick_start.sh PATH/TO/coconsul PATH/TO/readme_quick_start
set -u
source "$(dirname "$0")/../../example/dev_agent.sh"
cli=$1 program=$2

start_dev_agent "$cli"
out=$WORK/quick_start.out
# The program never exits and prints with "\n": line-buffer its stdout so each line is seen.
# stdbuf works by preloading a library, which a sanitized build's ASan would refuse to follow
# in the load order; that library only sets stdout's buffering, so ASan may let it go first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
stdbuf -oL "$program" >"$out" 2>&1 &
pid=$!
PIDS+=("$pid")

wait_for "$out" "hello (index "
grep -qE '^hello \(index [1-9][0-9]*\)$' "$out" || fail "the greeting line is not \"hello (index N)\" with N > 0"
grep -q ":" "$out" && fail "an endpoint was printed before any \"web\" instance existed"

curl -sf -X PUT --data '{"ID":"web-1","Name":"web","Address":"127.0.0.1","Port":8080}' \
  "$CONSUL_HTTP_ADDR/v1/agent/service/register" >/dev/null || fail "registering web-1"
wait_for "$out" "127.0.0.1:8080"
kill -0 "$pid" 2>/dev/null || fail "the quick start exited instead of watching"

kill -TERM "$pid"
wait "$pid" 2>/dev/null
stop_dev_agent
cat "$out"
echo "readme_quick_start: all checks passed"
