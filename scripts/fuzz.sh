#!/usr/bin/env bash
# Builds the fuzz/ targets as libFuzzer binaries (clang, ASan+UBSan) in build-fuzz/ and runs
# them (docs/fuzzing.md).
#   scripts/fuzz.sh [TARGET|all] [SECONDS]    every target for 60 s each by default, two at a time
# The growing corpus is build-fuzz/corpus/TARGET (the seeds in fuzz/corpus/TARGET are only read);
# a finding is written to build-fuzz/findings/ and the script exits 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-all}
seconds=${2:-60}
build=${COCONSUL_FUZZ_BUILD_DIR:-$here/build-fuzz}
# The targets are the ones fuzz/CMakeLists.txt names (its COCONSUL_FUZZ_TARGETS), so adding one
# is one line there.
read -r -a all <<<"$(sed -n 's/^set(COCONSUL_FUZZ_TARGETS \(.*\))$/\1/p' "$here/fuzz/CMakeLists.txt")"

if [ "$target" = all ]; then
  targets=("${all[@]}")
elif [[ " ${all[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  echo "fuzz.sh: unknown target '$target' (one of: ${all[*]}, all)" >&2
  exit 2
fi
# clang and its libFuzzer runtime from Debian, skipped when they are there.
"$here/scripts/install-deps.sh" --fuzz

export CCACHE_BASEDIR=$here
if [ ! -f "$build/CMakeCache.txt" ]; then
  # Only what the fuzzers link is built: no tests, examples or benchmarks. -O1 and line tables
  # only, as libFuzzer's docs advise: a fast build, and stacks that name file and line.
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
    -DCOCONSUL_FUZZ=ON -DCOCONSUL_BUILD_TESTS=OFF -DCOCONSUL_BUILD_EXAMPLES=OFF -DCOCONSUL_BUILD_BENCHMARKS=OFF
fi
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

# Two targets at a time on two cores (one libFuzzer process uses one core): each still fuzzes
# for its full SECONDS, and the phase takes half as long. COCONSUL_FUZZ_JOBS overrides.
parallel=${COCONSUL_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$build/findings"
fuzz_one() {  # fuzz_one TARGET: fuzzes it, then prints its one-line outcome; exits 1 on a finding
  local t=$1 corpus="$build/corpus/$1" log="$build/fuzz-$1.log"
  local seeds=("$here/fuzz/corpus/$t")
  [ "$t" = model_json ] && seeds+=("$here/test/data/samples")
  mkdir -p "$corpus"
  echo "fuzz.sh: $t for $seconds s (log: $log)"
  if "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
       -artifact_prefix="$build/findings/$t-" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    echo "fuzz.sh: $t: nothing found; $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions," \
         "corpus $(ls "$corpus" | wc -l) files"
  else
    echo "fuzz.sh: $t FOUND SOMETHING: see $log and $build/findings/" >&2
    grep -E 'ERROR|SUMMARY|runtime error|disagrees|depends on|abort' "$log" | head -5 >&2 || true
    return 1
  fi
}
pids=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  fuzz_one "$t" &
  pids+=($!)
done
# Each target's own exit status (bash keeps it for a job `wait -n` already reaped).
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
