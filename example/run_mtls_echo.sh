#!/usr/bin/env bash
# ctest: mtls_echo against a `coconsul agent -dev` process. Checks that both replicas verify
# each other, that a leaf of another service is refused for its SPIFFE ID, and that after each
# of two root rotations (`coconsul connect ca set-config`) the renewed leaf is what new
# connections present while the connection opened at the start keeps echoing.
# usage: run_mtls_echo.sh PATH/TO/coconsul PATH/TO/mtls_echo
set -u
source "$(dirname "$0")/dev_agent.sh"
cli=$1 example=$2

"$example" --help | grep -q "^usage: mtls_echo" || fail "no usage line"
"$example" --renewals many >/dev/null 2>&1 && fail "a bad --renewals was accepted"

start_dev_agent "$cli"
out=$WORK/mtls.out
"$example" --service echo --renewals 2 >"$out" 2>&1 &
pid=$!
PIDS+=("$pid")
wait_for "$out" "ready: waiting for the agent to renew the leaf"

uri=$(sed -n 's/^leaf for echo: \(spiffe:[^ ]*\) serial .*/\1/p' "$out")
[[ "$uri" =~ ^spiffe://[0-9a-f-]+\.consul/ns/default/dc/dc1/svc/echo$ ]] || fail "the leaf's SPIFFE ID is \"$uri\""
grep -qF "a -> b: peer $uri (serial" "$out" || fail "a did not verify b as $uri"
grep -qF 'echo "b: hello from a"' "$out" || fail "b did not echo for a"
grep -qF "b -> a: peer $uri (serial" "$out" || fail "b did not verify a as $uri"
grep -qF "refused a peer: ${uri}-intruder is not $uri" "$out" || fail "the intruder's SPIFFE ID was not refused"
grep -q "intruder -> a: .*refused" "$out" || fail "the intruder got through"

rotate() {  # rotate KEY_TYPE BITS: a new key type is a new root; the agent renews every leaf
  printf '{"Provider": "consul", "Config": {"PrivateKeyType": "%s", "PrivateKeyBits": %s}}' "$1" "$2" >"$WORK/ca.json"
  "$cli" connect ca set-config -config-file "$WORK/ca.json" | grep -qx "Configuration updated!" || fail "set-config $1"
}
rotate rsa 2048
wait_for "$out" "renewal 1 checked"
rotate ec 256
wait_for "$out" "renewal 2 checked"
wait_exit "$pid" mtls_echo

for n in 1 2; do
  serial=$(sed -n "s/^renewal $n: leaf serial \([0-9a-f:]*\) .*/\1/p" "$out")
  [ -n "$serial" ] || fail "renewal $n printed no serial"
  grep -qF "a -> b (new connection): peer $uri (serial $serial)" "$out" || fail "renewal $n: the new connection's peer is not the renewed leaf"
  grep -qF "a -> b (open since the start): peer $uri" "$out" || fail "renewal $n: the open connection was dropped"
  grep -qF "echo \"b: still here $n\"" "$out" || fail "renewal $n: the open connection did not echo"
done
grep -q "^roots: 3 trusted" "$out" || fail "the roots watch did not follow the rotations"
grep -qF "renewal 2 checked: new connections present the new leaf, the open one carries on, its signer is among the 3 trusted roots" "$out" || fail "renewal 2 did not end with the new root trusted"

stop_dev_agent
cat "$out"
echo "mtls_echo: all checks passed"
