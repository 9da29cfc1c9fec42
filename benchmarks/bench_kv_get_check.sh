#!/usr/bin/env bash
# ctest: bench_kv_get runs at a small size and its last line has the agreed shape.
# usage: bench_kv_get_check.sh PATH/TO/bench_kv_get
set -u
out=$("$1" --requests 200 --connections 2) || { echo "$out"; echo "FAILED: bench_kv_get exited with $?"; exit 1; }
echo "$out"
last=$(tail -n 1 <<<"$out")
if ! grep -Eq '^kv_get: coconsul_rps=[1-9][0-9]* raw_beast_rps=[1-9][0-9]* ratio=[0-9]+\.[0-9]+$' <<<"$last"; then
  echo "FAILED: the last line is not 'kv_get: coconsul_rps=<n> raw_beast_rps=<n> ratio=<coconsul/raw>': $last"
  exit 1
fi
"$1" --requests none >/dev/null 2>&1 && { echo "FAILED: a bad --requests was accepted"; exit 1; }
echo "bench_kv_get: output shape ok"
