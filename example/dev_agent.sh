# Helpers for the example runners (sourced): a `coconsul agent -dev` process on an ephemeral
# port, and waiting for a program's output. Everything started is stopped on exit.

WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*"
  for f in "$WORK"/*.out; do echo "--- $(basename "$f")"; cat "$f"; done
  exit 1
}

# start_dev_agent CLI [FLAGS...]: starts the agent (with FLAGS after the usual ones) and exports
# CONSUL_HTTP_ADDR (what config::from_env reads).
start_dev_agent() {
  "$1" agent -dev -http-port 0 -dns-port 0 -node examples -log-level warn "${@:2}" >"$WORK/agent.out" 2>&1 &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  local addr
  for _ in $(seq 200); do
    addr=$(sed -n 's/.*HTTP address: *//p' "$WORK/agent.out" | head -n 1)
    if [ -n "$addr" ]; then
      export CONSUL_HTTP_ADDR="http://$addr"
      return 0
    fi
    kill -0 "$AGENT_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "the dev agent did not print its address"
}

# stop_dev_agent: SIGTERM, and the agent must exit cleanly.
stop_dev_agent() {
  kill -TERM "$AGENT_PID"
  wait "$AGENT_PID" || fail "the dev agent exited with $? after SIGTERM"
}

# wait_for FILE TEXT [SECONDS]: waits until FILE contains TEXT (a fixed string).
wait_for() {
  local deadline=$((SECONDS + ${3:-10}))
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no \"$2\" in $(basename "$1") within ${3:-10} s"
    sleep 0.02
  done
}

# wait_exit PID NAME [SECONDS]: waits until PID exits, and requires exit status 0.
wait_exit() {
  local deadline=$((SECONDS + ${3:-10}))
  while kill -0 "$1" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$2 did not exit within ${3:-10} s"
    sleep 0.02
  done
  wait "$1" || fail "$2 exited with status $?"
}

# kv_put KEY VALUE, kv_delete KEY, kv_raw KEY: the HTTP API directly, as another client would.
kv_put() { curl -sf -X PUT --data-binary "$2" "$CONSUL_HTTP_ADDR/v1/kv/$1" >/dev/null || fail "PUT $1"; }
kv_delete() { curl -sf -X DELETE "$CONSUL_HTTP_ADDR/v1/kv/$1" >/dev/null || fail "DELETE $1"; }
kv_raw() { curl -s "$CONSUL_HTTP_ADDR/v1/kv/$1?raw"; }
