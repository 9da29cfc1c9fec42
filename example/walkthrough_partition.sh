# The walkthrough's partition scenario (sourced by run_walkthrough.sh): a replica behind a
# network partition, where packets are dropped and nothing is refused. Everything runs inside two
# network namespaces made here (root and `ip netns` needed) and joined by a veth pair: C holds an
# agent, the client and a healthy replica; R holds the replica that gets cut off. The cut is
# `tc netem loss 100%` where the kernel has netem, else a permanent neighbour entry with a MAC
# nobody has (R's end drops every frame: no RST, no ICMP). Sets part_* for the verdict, or
# part_skip with the reason it could not run.

part_c=cc-walk-c$$ part_r=cc-walk-r$$ part_vc=ccwc$$ part_vr=ccwr$$
part_c_addr=10.232.0.1 part_r_addr=10.232.0.2
part_netem=0 part_made=0

partition_cleanup() {
  [ $part_made = 1 ] || return 0
  ip netns del "$part_c" 2>/dev/null
  ip netns del "$part_r" 2>/dev/null
  part_made=0
}
trap 'cleanup; partition_cleanup' EXIT

# part_skip is empty when the scenario can run here.
part_skip=""
if [ "$(id -u)" != 0 ]; then
  part_skip="needs root and ip netns"
elif ! command -v ip >/dev/null || ! ip netns add "$part_c" 2>/dev/null; then
  part_skip="needs root and ip netns (ip netns add failed)"
else
  part_made=1
fi

# Programs are started as `ip netns exec NS PROGRAM ... &` (never through a shell function, whose
# subshell would be what $! names): ip execs the program, so $! is the program's own PID.

partition_links() {
  ip netns add "$part_r" &&
    ip -n "$part_c" link add "$part_vc" type veth peer name "$part_vr" netns "$part_r" &&
    ip -n "$part_c" addr add "$part_c_addr/24" dev "$part_vc" &&
    ip -n "$part_r" addr add "$part_r_addr/24" dev "$part_vr" &&
    ip -n "$part_c" link set lo up && ip -n "$part_r" link set lo up &&
    ip -n "$part_c" link set "$part_vc" up && ip -n "$part_r" link set "$part_vr" up
}

partition_cut() {
  if tc -n "$part_c" qdisc add dev "$part_vc" root netem loss 100% 2>/dev/null; then
    part_netem=1
    part_how="tc netem loss 100% on the link"
  else
    ip -n "$part_c" neigh replace "$part_r_addr" lladdr 02:00:00:00:de:ad dev "$part_vc" nud permanent ||
      fail "could not cut the link"
    part_how="no netem here: a neighbour entry with a MAC nobody has"
  fi
}

partition_heal() {
  if [ $part_netem = 1 ]; then
    tc -n "$part_c" qdisc del dev "$part_vc" root
  else
    ip -n "$part_c" neigh del "$part_r_addr" dev "$part_vc"
  fi
}

# partition_scenario: runs it; uses the walkthrough's cli, server, client, check_flags,
# agent_flags, client_timeout and the event helpers. The replicas ask for
# DeregisterCriticalServiceAfter 1m (Consul's minimum), so that the shortened reaper of --fast
# does not remove the cut-off replica while the link is down.
partition_scenario() {
  partition_links || fail "could not make the namespaces' veth pair"
  local main_events=$events main_addr=$CONSUL_HTTP_ADDR
  events=$WORK/partition-events.txt
  : >"$events"
  ip netns exec "$part_c" "$cli" agent -dev -client "$part_c_addr" -http-port 0 -dns-port 0 -node partition -log-level warn "${agent_flags[@]}" \
    >"$WORK/partition-agent.out" 2>&1 &
  local agent=$!
  PIDS+=("$agent")
  wait_for "$WORK/partition-agent.out" "HTTP address:" 10
  export CONSUL_HTTP_ADDR="http://$(sed -n 's/.*HTTP address: *//p' "$WORK/partition-agent.out" | head -n 1)"
  echo "== partition: namespaces $part_c (agent $CONSUL_HTTP_ADDR, client, serverNode_4) and $part_r (serverNode_3 at $part_r_addr), one veth pair"

  # serverNode_3 first, so that the client talks to it when the link is cut.
  ip netns exec "$part_r" "$server" --id serverNode_3 --address "$part_r_addr" --port 0 --check-port 0 "${check_flags[@]}" \
    --deregister-after 1m >"$WORK/serverNode_3.out" 2>&1 &
  local far=$!
  PIDS+=("$far")
  wait_for "$WORK/serverNode_3.out" "registered" 10
  ip netns exec "$part_c" "$client" --interval 100ms --timeout "$client_timeout" --events "$events" >"$WORK/partition-client.out" 2>&1 &
  local pclient=$!
  PIDS+=("$pclient")
  wait_event passing serverNode_3 20
  wait_for "$WORK/partition-client.out" "serverNode_3 echoed" 20
  ip netns exec "$part_c" "$server" --id serverNode_4 --address "$part_c_addr" --port 0 --check-port 0 "${check_flags[@]}" \
    --deregister-after 1m >"$WORK/serverNode_4.out" 2>&1 &
  local near=$!
  PIDS+=("$near")
  wait_event passing serverNode_4 20
  show "$WORK/partition-client.out" client
  local far_port
  far_port=$(sed -n "s/.*registered serverNode at $part_r_addr:\([0-9]*\).*/\1/p" "$WORK/serverNode_3.out")

  partition_cut
  local cut_at
  cut_at=$(example_now)
  echo "== the link to serverNode_3 is cut ($part_how): packets are dropped, nothing is refused"
  # A connect must neither succeed nor fail: killed by `timeout` (124) after 2 s.
  (ip netns exec "$part_c" timeout 2 bash -c "exec 3<>/dev/tcp/$part_r_addr/$far_port" 2>/dev/null; echo $? >"$WORK/probe.rc") &
  local probe=$!
  wait_event ejected serverNode_3 10 "$cut_at"
  wait_event left_passing serverNode_3 $(( max_hung_critical / 1000 + 5 )) "$cut_at"
  wait "$probe"
  part_probe=$(cat "$WORK/probe.rc")
  show "$WORK/partition-client.out" client

  partition_heal
  local healed_at
  healed_at=$(example_now)
  echo "== the link is healed"
  wait_event passing serverNode_3 $(( max_part_back / 1000 + 5 )) "$healed_at"
  show "$WORK/partition-client.out" client

  part_eject=$(( $(event_ms ejected serverNode_3 "$cut_at") - cut_at ))
  part_critical=$(( $(event_ms left_passing serverNode_3 "$cut_at") - cut_at ))
  part_back=$(( $(event_ms passing serverNode_3 "$healed_at") - healed_at ))
  kill -INT "$pclient"
  wait "$pclient" || fail "the partition's client exited with status $? after SIGINT"
  kill -TERM "$far" "$near"
  wait "$far" "$near"
  kill -TERM "$agent"
  wait "$agent" || fail "the partition's agent exited with $? after SIGTERM"
  local numbers
  numbers=$(sed -n 's/.* echoed: Hello World, 0*\([0-9][0-9]*\)$/\1/p' "$WORK/partition-client.out")
  part_count=$(echo "$numbers" | wc -l)
  [ "$numbers" = "$(seq 1 "$part_count")" ] || fail "the partition's echoed messages are not 1..$part_count in order"
  events=$main_events
  export CONSUL_HTTP_ADDR=$main_addr
  partition_cleanup
}
