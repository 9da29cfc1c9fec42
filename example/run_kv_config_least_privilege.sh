#!/usr/bin/env bash
# ctest: kv_config_reload run with a least-privilege token (issue 14) against `coconsul agent
# -dev` with ACLs on and default deny. An operator's token makes a policy that may read
# config/app/ and nothing else, and a token with it; the example reloads with that token alone,
# says when keys were left out, and stops with Consul's text for a token the agent does not know.
# usage: run_kv_config_least_privilege.sh PATH/TO/coconsul PATH/TO/kv_config_reload
set -u
source "$(dirname "$0")/dev_agent.sh"
cli=$1 example=$2

root=5d1c9a0e-7b3f-4e2a-9c8d-1f6e0a2b3c4d
cat >"$WORK/acl.json" <<JSON
{"acl": {"enabled": true, "default_policy": "deny", "tokens": {"initial_management": "$root"}}}
JSON
start_dev_agent "$cli" -config-file "$WORK/acl.json"
as_root() { CONSUL_HTTP_TOKEN=$root "$cli" "$@"; }

as_root acl policy create -name app-config -description "read the app's configuration" \
  -rules 'key_prefix "config/app/" { policy = "read" }' >/dev/null || fail "policy create"
secret=$(as_root acl token create -policy-name app-config -description "kv_config_reload" -format json |
  sed -n 's/.*"SecretID": *"\([^"]*\)".*/\1/p')
[ -n "$secret" ] || fail "token create gave no SecretID"
as_root kv put config/app/port 8080 >/dev/null || fail "kv put"
as_root kv put config/app/secret/db-password hunter2 >/dev/null || fail "kv put"
as_root acl policy update -name app-config \
  -rules 'key_prefix "config/app/" { policy = "read" }
key_prefix "config/app/secret/" { policy = "deny" }' >/dev/null || fail "policy update"

out=$WORK/least.out
CONSUL_HTTP_TOKEN=$secret "$example" --prefix config/app/ --reloads 1 >"$out" 2>&1 &
pid=$!
PIDS+=("$pid")
wait_for "$out" "configuration loaded"
grep -qF "port = 8080" "$out" || fail "the token's configuration lacks port = 8080"
grep -qF "hunter2" "$out" && fail "a key the policy denies was printed"
grep -qF "keys this token may not read are left out" "$out" || fail "no word that keys were left out"
as_root kv put config/app/port 9090 >/dev/null || fail "kv put"
wait_for "$out" "configuration reloaded #1"
wait_exit "$pid" kv_config_reload
grep -qF "port = 9090" "$out" || fail "the reload lacks port = 9090"

# The same token may not write, as its policy says.
CONSUL_HTTP_TOKEN=$secret "$cli" kv put config/app/port 1 >"$WORK/write.out" 2>&1 &&
  fail "the read-only token wrote a key"
grep -qF "lacks permission 'key:write' on \"config/app/port\"" "$WORK/write.out" || fail "the refused write lacks Consul's text"

# A token the agent does not know: refused at once with Consul's text, no retry loop.
CONSUL_HTTP_TOKEN=00000000-1111-4222-8333-444444444444 timeout 10 "$example" --prefix config/app/ >"$WORK/unknown.out" 2>&1
[ $? -eq 1 ] || fail "an unknown token did not stop the example with status 1"
grep -qF "was refused: ACL not found" "$WORK/unknown.out" || fail "the unknown token's failure lacks Consul's text"

stop_dev_agent
cat "$out"
echo "kv_config_reload with a least-privilege token: all checks passed"
