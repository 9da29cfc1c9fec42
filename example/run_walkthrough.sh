#!/usr/bin/env bash
# The walkthrough scenario end to end, with a verdict.
#   run_walkthrough.sh [--fast] [--ttl D] PATH/TO/coconsul PATH/TO/echo_server PATH/TO/echo_client
#
# Two echo replicas (serverNode_1, serverNode_2) register with an HTTP check; the client finds
# them through watch_service and echoes numbered messages. The replica the client talks to is
# frozen with kill -STOP (nothing answers, no RST: the client's request deadline ejects it, the
# check's Timeout turns it critical) and thawed; then the one it talks to next is killed with
# kill -9; the client fails over at once. The script waits for the two ways Consul reports the
# death (the check turns critical: the replica leaves the passing instances; the reaper
# deregisters it) and stops the other replica gracefully (it deregisters itself). As root with
# ip netns, it then cuts a replica off behind a partition (walkthrough_partition.sh). It prints
# the timings against what Consul's rules and the client's deadlines predict, and exits 1 if any
# is off.
#
# Default: Consul's real timings (check every 5s, DeregisterCriticalServiceAfter 30s, the
# reaper's 1 minute minimum and 30 s period): about two minutes. --fast: the same scenario with
# the agent's reaper shortened (ctest). --ttl D: the replicas use a TTL check of D that their
# service host heartbeats, instead of the HTTP check (D written Nms or Ns). The agent is an embedded `coconsul agent -dev`, unless
# CONSUL_HTTP_ADDR names one (a real Consul agent on this machine: its checks must reach
# 127.0.0.1).
set -u
usage="usage: run_walkthrough.sh [--fast] [--ttl D] PATH/TO/coconsul PATH/TO/echo_server PATH/TO/echo_client"
fast=0 ttl=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=1; shift ;;
    --ttl) ttl=${2:-}; shift 2 || { echo "$usage" >&2; exit 2; } ;;
    --*) echo "$usage" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 3 ]; then
  echo "$usage" >&2
  exit 2
fi
# ms_of D: a duration written Nms or Ns, in milliseconds.
ms_of() {
  case "$1" in
    *ms) echo "${1%ms}" ;;
    *s) echo $(( ${1%s} * 1000 )) ;;
    *) echo "run_walkthrough.sh: --ttl $1: write it as Nms or Ns" >&2; exit 2 ;;
  esac
}
source "$(dirname "$0")/dev_agent.sh"
source "$(dirname "$0")/walkthrough_partition.sh"
cli=$1 server=$2 client=$3
# The client's request deadline and connect timeout: a hung or cut-off replica is ejected by it.
# --fast: 500ms, so that the frozen replica is thawed before the shortened reaper (1 s after
# critical) removes it.
client_timeout=1s client_timeout_ms=1000
[ $fast = 1 ] && client_timeout=500ms client_timeout_ms=500

if [ $fast = 1 ]; then
  agent_flags=(-check-reap-interval 200ms -check-deregister-min 1s -check-min-interval 10ms)
  interval=200ms timeout=150ms deregister_after=1s
  # Deadlines (ms after the kill) for what Consul's rules predict, with room for a loaded machine.
  max_eject=1000 max_critical=2000 min_dereg=1000 max_dereg=4000
  # From the check turning critical: more than the timeout, at most one reaper period more.
  # Both ends are seen through watches whose latencies differ by a few ms: 100 ms of slack below.
  min_reap=900 max_reap=3000 reap_text="1-1.2 s"
  rule="1s, reaper every 200ms"
else
  agent_flags=()
  interval=5s timeout=3s deregister_after=30s
  max_eject=1000 max_critical=10000 min_dereg=60000 max_dereg=100000
  min_reap=60000 max_reap=92000 reap_text="60-90 s"
  rule="30s, Consul's reaper"
fi

# The replicas' health check: Consul's HTTP check (the walkthrough's), or with --ttl a TTL check
# the service host heartbeats, which the agent marks critical one TTL after the last heartbeat.
if [ -n "$ttl" ]; then
  ttl_ms=$(ms_of "$ttl") || exit 2
  check_flags=(--ttl "$ttl")
  check_text="TTL check of $ttl heartbeated by the service host"
  check_short="TTL $ttl"
  max_critical=$((ttl_ms + 2000))
else
  check_flags=(--check-interval "$interval" --check-timeout "$timeout")
  check_text="HTTP check every $interval, timeout $timeout"
  check_short="check every $interval"
fi

# A hung (SIGSTOP) or cut-off replica, in ms: the client gives up on the message in flight when
# its request deadline passes (one sent up to a pacing interval before the freeze ends sooner).
# The HTTP check gives up after its Timeout (at most one interval after the freeze, plus the
# Timeout; the walkthrough's 3 s Timeout, not Consul's default 10 s, keeps this short) and
# passes again at its next run; a TTL check turns critical one TTL after the last heartbeat
# (sent every TTL/3) and passes with the next heartbeat.
min_hung_eject=$((client_timeout_ms - 200)) max_hung_eject=$((client_timeout_ms + 1000))
if [ -n "$ttl" ]; then
  min_hung_critical=$((ttl_ms * 2 / 3 - 200)) max_hung_critical=$((ttl_ms + 2000))
  max_hung_back=$((ttl_ms / 3 + 2000))
  hung_check_text="TTL $ttl"
else
  interval_ms=$(ms_of "$interval") timeout_ms=$(ms_of "$timeout")
  min_hung_critical=$((timeout_ms - 200)) max_hung_critical=$((interval_ms + timeout_ms + 2000))
  max_hung_back=$((interval_ms + 2000))
  hung_check_text="check timeout $timeout"
fi
[ "$min_hung_critical" -ge 0 ] || min_hung_critical=0
# After a partition heals, the heartbeats of a TTL check wait for TCP's retransmission.
max_part_back=$max_hung_back
[ -n "$ttl" ] && max_part_back=$((max_hung_back + 5000))

# --- 1. the agent ---------------------------------------------------------------------------
if [ -n "${CONSUL_HTTP_ADDR:-}" ]; then
  echo "== agent: $CONSUL_HTTP_ADDR (from CONSUL_HTTP_ADDR)"
  external=1
else
  "$cli" agent -dev -http-port 0 -dns-port 0 -node walkthrough -log-level warn "${agent_flags[@]}" >"$WORK/agent.out" 2>&1 &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  for _ in $(seq 200); do
    addr=$(sed -n 's/.*HTTP address: *//p' "$WORK/agent.out" | head -n 1)
    [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "${addr:-}" ] || fail "the dev agent did not print its address"
  export CONSUL_HTTP_ADDR="http://$addr"
  timings="${agent_flags[*]}"
  [ -n "$timings" ] || timings="with Consul's default timings"
  echo "== agent: coconsul agent -dev at $CONSUL_HTTP_ADDR $timings"
  external=0
fi
ui_base=$CONSUL_HTTP_ADDR
case "$ui_base" in *://*) ;; *) ui_base="http://$ui_base" ;; esac
echo "== web UI: ${ui_base%/}/ui/ (services, instances and checks, live while this runs)"

# show FILE LABEL: prints the lines FILE gained since the last call, labelled. A run of more
# than four echoes from one replica is shown as its first two, a count, and its last.
declare -A shown
show() {
  local from=$(( ${shown[$1]:-0} + 1 )) total
  total=$(wc -l <"$1")
  [ "$total" -ge "$from" ] && sed -n "${from},${total}p" "$1" | awk -v label="$2" '
    function flush() {
      if (n > 4) { print "   " label " | " run[1]; print "   " label " | " run[2]
                   print "   " label " |   ... " (n - 3) " more echoes ..."; print "   " label " | " run[n] }
      else for (i = 1; i <= n; i++) print "   " label " | " run[i]
      n = 0
    }
    / echoed: / { who = $1; if (n > 0 && who != run_who) flush(); run[++n] = $0; run_who = who; next }
    { flush(); print "   " label " | " $0 }
    END { flush() }'
  shown[$1]=$total
}

# event_ms EVENT ID [FROM_MS]: the time of the first such event (at FROM_MS or later) in the
# client's events file (empty if none).
events=$WORK/events.txt
: >"$events"
event_ms() { awk -v e="$1" -v id="$2" -v from="${3:-0}" '$2 == e && $3 == id && $1 >= from { print $1; exit }' "$events"; }
# wait_event EVENT ID SECONDS [FROM_MS]
wait_event() {
  local began=$SECONDS deadline=$((SECONDS + $3)) next_note=$((SECONDS + 15))
  until [ -n "$(event_ms "$1" "$2" "${4:-0}")" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the client saw no \"$1 $2\" within $3 s"
    if [ "$SECONDS" -ge "$next_note" ]; then
      echo "   ... still waiting after $((SECONDS - began)) s"
      next_note=$((SECONDS + 15))
    fi
    sleep 0.02
  done
}
example_now() { date +%s%3N; }

# --- 2. two replicas --------------------------------------------------------------------------
declare -A server_pid
for n in 1 2; do
  id=serverNode_$n
  "$server" --id $id --port 0 --check-port 0 "${check_flags[@]}" \
            --deregister-after $deregister_after >"$WORK/$id.out" 2>&1 &
  server_pid[$id]=$!
  PIDS+=("$!")
done
for n in 1 2; do wait_for "$WORK/serverNode_$n.out" "registered" 10; done
echo "== two replicas of serverNode registered ($check_text, DeregisterCriticalServiceAfter $deregister_after)"
for n in 1 2; do show "$WORK/serverNode_$n.out" "serverNode_$n"; done

# --- 3. the client --------------------------------------------------------------------------
"$client" --interval 100ms --timeout "$client_timeout" --events "$events" >"$WORK/client.out" 2>&1 &
client_pid=$!
PIDS+=("$client_pid")
echo "== the client finds serverNode through watch_service (once their checks pass) and echoes"
for n in 1 2; do wait_event passing serverNode_$n $(( fast ? 10 : 20 )); done
echo "   both replicas pass their checks"
wait_for "$WORK/client.out" "echoed: Hello World, 010" 10
show "$WORK/client.out" client
victim=$(awk '$2 == "connected" { id = $3 } END { print id }' "$events")
[ -n "$victim" ] || fail "the client did not say which replica it is connected to"

# --- 4. SIGSTOP: a hung replica -----------------------------------------------------------------
# Frozen, its sockets stay open: the kernel still completes connects and takes the bytes, and
# nothing answers, neither the echo nor the health endpoint. No RST ever comes; only deadlines
# notice: the client's request deadline (its lease's, --timeout 1s) and the check's Timeout.
frozen=$victim
echo "== kill -STOP $frozen (the replica the client is talking to): its sockets stay open, nothing answers"
frozen_at=$(example_now)
kill -STOP "${server_pid[$frozen]}"
wait_event ejected "$frozen" 10 "$frozen_at"
wait_event left_passing "$frozen" $(( max_hung_critical / 1000 + 5 )) "$frozen_at"
show "$WORK/client.out" client
echo "== kill -CONT $frozen: it answers again; its next check passes"
thawed_at=$(example_now)
kill -CONT "${server_pid[$frozen]}"
wait_event passing "$frozen" $(( max_hung_back / 1000 + 5 )) "$thawed_at"
show "$WORK/client.out" client
hung_eject=$(( $(event_ms ejected "$frozen" "$frozen_at") - frozen_at ))
hung_critical=$(( $(event_ms left_passing "$frozen" "$frozen_at") - frozen_at ))
hung_back=$(( $(event_ms passing "$frozen" "$thawed_at") - thawed_at ))
# The freeze and the thaw took two of the client's watch queries in quick succession, which its
# token bucket (burst 2, one more per 500 ms) allows only so often: give the bucket a second to
# fill again (nothing to await: it is the client's own pacing), so that the kill -9 rows below
# measure Consul, not that pacing (a kill right away shows its check up to 500 ms late).
sleep 1
# The kill -9 below goes to the replica the client failed over to.
victim=$(awk '$2 == "connected" { id = $3 } END { print id }' "$events")
[ "$victim" != "$frozen" ] || fail "the client is still connected to $frozen after its ejection"
survivor=$frozen

# --- 5. kill -9 ------------------------------------------------------------------------------
echo "== kill -9 $victim (the replica the client is talking to): no deregistration, Consul must notice"
killed_at=$(example_now)
# In braces, so that bash's own "Killed" report goes to /dev/null too.
{ kill -KILL "${server_pid[$victim]}"; wait "${server_pid[$victim]}"; } 2>/dev/null
wait_event ejected "$victim" 10
wait_for "$WORK/client.out" "$survivor echoed" 10
show "$WORK/client.out" client
wait_event left_passing "$victim" $(( max_critical / 1000 + 5 ))
show "$WORK/client.out" client
echo "== waiting for the agent to deregister $victim (predicted: $((min_dereg / 1000)) to $((max_dereg / 1000)) s after the kill)"
wait_event deregistered "$victim" $(( max_dereg / 1000 + 10 ))
show "$WORK/client.out" client

# --- 6. a graceful stop ----------------------------------------------------------------------
echo "== SIGTERM $survivor: the service host deregisters it on the way out"
stopped_at=$(example_now)
kill -TERM "${server_pid[$survivor]}"
wait_event deregistered "$survivor" 10
wait "${server_pid[$survivor]}" || fail "$survivor exited with status $? after SIGTERM"
show "$WORK/$survivor.out" "$survivor"
wait_for "$WORK/client.out" "no live serverNode instance" 10
kill -INT "$client_pid"
wait "$client_pid" || fail "the client exited with status $? after SIGINT"
show "$WORK/client.out" client

# --- 7. a partitioned replica (root with ip netns only) ----------------------------------------
if [ $external = 1 ] && [ -z "$part_skip" ]; then part_skip="not with an external agent (it runs its own, inside a namespace)"; fi
if [ -z "$part_skip" ]; then
  partition_scenario
else
  echo "== partition: skipped: $part_skip"
fi

# --- 8. the verdict --------------------------------------------------------------------------
# Every message was echoed once, in order: 001, 002, ... with no gap and no repeat.
numbers=$(sed -n 's/.* echoed: Hello World, 0*\([0-9][0-9]*\)$/\1/p' "$WORK/client.out")
count=$(echo "$numbers" | wc -l)
expected=$(seq 1 "$count")
[ "$numbers" = "$expected" ] || fail "the echoed messages are not 1..$count in order"
lost=0

ms() { echo $(( $(event_ms "$1" "$2") - $3 )); }
eject=$(ms ejected "$victim" "$killed_at")
critical=$(ms left_passing "$victim" "$killed_at")
dereg=$(ms deregistered "$victim" "$killed_at")
graceful=$(ms deregistered "$survivor" "$stopped_at")

verdict=0
seconds() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
span() { awk -v lo="$1" -v hi="$2" 'BEGIN { printf "%g-%g s", lo / 1000, hi / 1000 }'; }
upto() { awk -v ms="$1" 'BEGIN { printf "< %g s", int((ms + 99) / 100) / 10 }'; }
row() {  # row TEXT MEASURED_MS LOW_MS HIGH_MS EXPECTED_TEXT
  local ok=ok
  if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then ok=UNEXPECTED; verdict=1; fi
  printf "  %-66s %8s s   %-14s %s\n" "$1" "$(seconds "$2")" "$5" "$ok"
}
echo
printf "%-68s %10s   %s\n" "After SIGSTOP of $frozen (sockets open, nothing answers):" measured expected
row "the client stopped using it (request deadline $client_timeout)" "$hung_eject" "$min_hung_eject" "$max_hung_eject" "$(span "$min_hung_eject" "$max_hung_eject")"
row "it left the passing instances ($hung_check_text, health watch)" "$hung_critical" "$min_hung_critical" "$max_hung_critical" "$(span "$min_hung_critical" "$max_hung_critical")"
row "back in the passing instances after SIGCONT" "$hung_back" 0 "$max_hung_back" "$(upto "$max_hung_back")"
printf "  %-66s %8d     %-14s %s\n" "messages lost (the unanswered one re-sent to the other)" 0 "0" ok
echo "After kill -9 of $victim:"
row "the client stopped using it (balancer ejection)" "$eject" 0 "$max_eject" "< $((max_eject / 1000)) s"
row "it left the passing instances ($check_short, health watch)" "$critical" 0 "$max_critical" "< $((max_critical / 1000)) s"
row "the agent deregistered it (after $rule)" "$dereg" "$min_dereg" "$max_dereg" "$((min_dereg / 1000))-$((max_dereg / 1000)) s"
row "  of which after its check turned critical" "$((dereg - critical))" "$min_reap" "$max_reap" "$reap_text"
echo "After SIGTERM of $survivor:"
row "deregistered by its service host" "$graceful" 0 1000 "< 1 s"
printf "  %-66s %8d     %-14s %s\n" "messages lost ($count echoed, in order)" "$lost" "0" ok
if [ -z "$part_skip" ]; then
  echo "After partitioning serverNode_3 ($part_how):"
  row "the client stopped using it (request deadline $client_timeout)" "$part_eject" "$min_hung_eject" "$max_hung_eject" "$(span "$min_hung_eject" "$max_hung_eject")"
  probe_ok=ok
  [ "$part_probe" = 124 ] || { probe_ok=UNEXPECTED; verdict=1; }
  printf "  %-66s %10s   %-14s %s\n" "a connect to it neither succeeds nor is refused (timeout 2 s)" \
         "$([ "$part_probe" = 124 ] && echo "timed out" || echo "rc $part_probe")" "timed out" "$probe_ok"
  row "it left the passing instances ($hung_check_text, health watch)" "$part_critical" "$min_hung_critical" "$max_hung_critical" "$(span "$min_hung_critical" "$max_hung_critical")"
  row "back in the passing instances after the link healed" "$part_back" 0 "$max_part_back" "$(upto "$max_part_back")"
  printf "  %-66s %8d     %-14s %s\n" "messages lost ($part_count echoed, in order)" 0 "0" ok
else
  echo "After partitioning a replica: skipped: $part_skip"
fi
echo
echo "Why 30 s became 60 to 90 s: Consul raises DeregisterCriticalServiceAfter to at least 1 minute"
echo "and its reaper runs every 30 s, so a dead service is removed 60-90 s after its check turns"
echo "critical (plus up to one check interval before that). Do not wait for it: watch the passing"
echo "instances and eject locally, as the balancer did in $(seconds "$eject") s."
if [ $external = 0 ] && [ $fast = 1 ]; then
  echo "(--fast: the agent's reaper was shortened; scripts/demo.sh runs Consul's real timings.)"
fi

if [ $external = 0 ]; then stop_dev_agent; fi
if [ $verdict != 0 ]; then
  echo "walkthrough: a timing was outside what Consul's rules predict (see UNEXPECTED above)"
  exit 1
fi
echo "walkthrough: every step behaved as expected"
