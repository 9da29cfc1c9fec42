#!/usr/bin/env bash
# ctest: two leader_election candidates against a `coconsul agent -dev` process. alpha leads
# one short term and exits; beta, waiting meanwhile, takes over, loses leadership when the key
# is deleted, wins it back, and steps down cleanly on SIGTERM.
# usage: run_leader_election.sh PATH/TO/coconsul PATH/TO/leader_election
set -u
source "$(dirname "$0")/dev_agent.sh"
cli=$1 example=$2
key=service/leader_election/leader

"$example" --help | grep -q "^usage: leader_election" || fail "no usage line"
"$example" --term soon >/dev/null 2>&1 && fail "a bad --term was accepted"

start_dev_agent "$cli"

a=$WORK/alpha.out b=$WORK/beta.out
"$example" --name alpha --terms 1 --term 1.5 >"$a" 2>&1 &
alpha=$!
PIDS+=("$alpha")
wait_for "$a" "alpha: became leader (term 1)"

"$example" --name beta --terms 2 --duration 30 >"$b" 2>&1 &
beta=$!
PIDS+=("$beta")
wait_for "$b" "beta: campaigning"
[ "$(kv_raw $key)" = alpha ] || fail "the key does not name alpha while alpha leads"
grep -qF "became leader" "$b" && fail "beta became leader while alpha led"

wait_exit "$alpha" "leader_election alpha"
grep -qF "alpha: stepped down after term 1" "$a" || fail "alpha did not step down"
wait_for "$b" "beta: became leader (term 1)" 5
[ "$(kv_raw $key)" = beta ] || fail "the key does not name beta after the takeover"

kv_delete $key
wait_for "$b" "beta: lost leadership: key deleted"
wait_for "$b" "beta: became leader (term 2)"

kill -TERM "$beta"
wait_exit "$beta" "leader_election beta"
grep -qF "beta: stepped down after term 2" "$b" || fail "beta did not step down on SIGTERM"
[ "$(curl -s "$CONSUL_HTTP_ADDR/v1/session/list" | tr -d ' \n')" = "[]" ] || fail "a session was left behind"

stop_dev_agent
cat "$a" "$b"
echo "leader_election: all checks passed"
