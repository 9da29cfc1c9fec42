#!/usr/bin/env bash
# ctest: the game gateway over echo replicas while replicas die, restart and join.
#   run_gateway.sh PATH/TO/coconsul PATH/TO/echo_server PATH/TO/gateway
# Three replicas serve; the gateway plays 12 players through them. serverNode_2 is killed with
# kill -9, then restarted (new ports, same ID); serverNode_4 joins. The gateway must lose no
# message, and both the restarted and the new replica must serve again.
set -u
source "$(dirname "$0")/dev_agent.sh"
cli=$1 server=$2 gateway=$3

"$gateway" --help | grep -q "^usage: gateway" || fail "no usage line"
"$gateway" --load-interval soon >/dev/null 2>&1 && fail "a bad --load-interval was accepted"

"$cli" agent -dev -http-port 0 -dns-port 0 -node gateway -log-level warn \
       -check-reap-interval 200ms -check-deregister-min 1s -check-min-interval 10ms >"$WORK/agent.out" 2>&1 &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
wait_for "$WORK/agent.out" "HTTP address:" 10
export CONSUL_HTTP_ADDR="http://$(sed -n 's/.*HTTP address: *//p' "$WORK/agent.out" | head -n 1)"

declare -A pid
start_replica() {
  "$server" --id "serverNode_$1" --port 0 --check-port 0 --check-interval 100ms --check-timeout 100ms \
            --deregister-after 1s >>"$WORK/serverNode_$1.out" 2>&1 &
  pid[$1]=$!
  PIDS+=("$!")
}
for n in 1 2 3; do start_replica $n; done
for n in 1 2 3; do wait_for "$WORK/serverNode_$n.out" "registered" 10; done

out=$WORK/gateway.out
"$gateway" --port 0 --load 12 --load-interval 20ms --session-messages 10 --timeout 1s --cooldown 2s \
           --duration 12s >"$out" 2>&1 &
gw=$!
PIDS+=("$gw")
# Every replica serves before anything is killed.
for n in 1 2 3; do wait_for "$out" "serverNode_$n:" 10; done
sleep_until_report() { wait_for "$out" "t=$(printf '%3d' "$1")s" 20; }

sleep_until_report 3
{ kill -KILL "${pid[2]}"; wait "${pid[2]}"; } 2>/dev/null  # braces: bash's "Killed" report too
echo "killed serverNode_2 after t=3s"
sleep_until_report 5
start_replica 2
echo "restarted serverNode_2 after t=5s"
sleep_until_report 7
start_replica 4
echo "started serverNode_4 after t=7s"

wait_exit "$gw" gateway 30
cat "$out"
# The last two seconds' report lines: both the restarted and the new replica served in them.
tail_reports=$(grep '^t=' "$out" | tail -n 2)
echo "$tail_reports" | grep -qE 'serverNode_2: +[1-9]' || fail "the restarted serverNode_2 served nothing at the end"
echo "$tail_reports" | grep -qE 'serverNode_4: +[1-9]' || fail "the new serverNode_4 served nothing at the end"
grep -q ', 0 lost$' "$out" || fail "the gateway lost messages"
# The players' sessions run in step (they start together and have the same length), so the kill
# lands either inside sessions, whose next exchange fails over, or between them, when the new
# sessions' connects are refused and the balancer moves them before their first exchange.
summary=$(grep '^gateway: .* lost$' "$out")
failovers=$(echo "$summary" | sed -nE 's/.*; ([0-9]+) failovers.*/\1/p')
refused=$(echo "$summary" | sed -nE 's/.* ([0-9]+) refused connects.*/\1/p')
[ -n "$failovers" ] && [ -n "$refused" ] || fail "no summary line with failovers and refused connects"
[ $((failovers + refused)) -ge 1 ] || fail "the gateway never noticed that serverNode_2 was killed (no failover, no refused connect)"

for n in 1 2 3 4; do kill -TERM "${pid[$n]}"; done
for n in 1 2 3 4; do wait_exit "${pid[$n]}" "serverNode_$n" 10; done
stop_dev_agent
echo "gateway: all checks passed"
