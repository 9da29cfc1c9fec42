#!/usr/bin/env bash
# ctest: kv_config_reload against a `coconsul agent -dev` process. Writes keys as another
# client would and checks that each change is printed once, and that a write that changes
# nothing under the prefix is not a reload.
# usage: run_kv_config_reload.sh PATH/TO/coconsul PATH/TO/kv_config_reload
set -u
source "$(dirname "$0")/dev_agent.sh"
cli=$1 example=$2

"$example" --help | grep -q "^usage: kv_config_reload" || fail "no usage line"
"$example" --reloads many >/dev/null 2>&1 && fail "a bad --reloads was accepted"

start_dev_agent "$cli"
kv_put config/app/port 8080
kv_put config/app/db postgres://db-1/app

out=$WORK/reload.out
"$example" --prefix config/app/ --reloads 2 >"$out" 2>&1 &
pid=$!
PIDS+=("$pid")
wait_for "$out" "configuration loaded"
grep -qF "port = 8080" "$out" || fail "the initial configuration lacks port = 8080"

kv_put config/app/port 9090
wait_for "$out" "configuration reloaded #1"
kv_put config/app/db postgres://db-1/app    # the same value: a no-op write, no index moves
kv_put config/other/x 1                      # outside the prefix
kv_put config/app/feature on
wait_for "$out" "configuration reloaded #2"
wait_exit "$pid" kv_config_reload

reload1=$(sed -n '/reloaded #1/,/reloaded #2/p' "$out")
reload2=$(sed -n '/reloaded #2/,$p' "$out")
grep -qF "port = 9090" <<<"$reload1" || fail "reload #1 lacks port = 9090"
grep -qF "feature" <<<"$reload1" && fail "reload #1 already has the later key"
grep -qF "feature = on" <<<"$reload2" || fail "reload #2 lacks feature = on"
grep -qF "db = postgres://db-1/app" <<<"$reload2" || fail "reload #2 lost db"
grep -qF "other" "$out" && fail "a key outside the prefix was printed"
[ "$(grep -c "reloaded" "$out")" -eq 2 ] || fail "expected exactly 2 reloads"

stop_dev_agent
cat "$out"
echo "kv_config_reload: all checks passed"
