#!/usr/bin/env bash
# The walkthrough end to end. For now (the walkthrough issue is still open) it builds the
# coconsul command-line tool and shows its help.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ccache keys on paths relative to here, so every clone of the project shares one cache.
export CCACHE_BASEDIR="$here"

"$here/scripts/install-deps.sh"
build="${COCONSUL_BUILD_DIR:-$here/build}"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target coconsul_cli
"$build/src/coconsul" --help
