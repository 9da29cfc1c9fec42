#!/usr/bin/env bash
# Installs what coconsul needs to build, test and demo, from Debian's archive (and, for the
# third-party client checks, npm's registry into a project-local folder). Skips what is there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-test1.81-dev
  libssl-dev openssl curl
  libre2-dev
  libldns-dev bind9-dnsutils
  python3-consul2 nodejs npm
  chromium fonts-liberation python3-websocket
  lld
)
# --fuzz: clang and its libFuzzer runtime, for scripts/fuzz.sh (docs/fuzzing.md).
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from elsewhere on the machine (a node on PATH is enough).
  case "$p" in
    nodejs|npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm's `consul` client, for the wire-format checks against the dev agent: project-local.
npm_dir="$here/test/thirdparty/node"
if [ -f "$npm_dir/package.json" ] && [ ! -d "$npm_dir/node_modules/consul" ]; then
  echo "install-deps: npm install in $npm_dir"
  (cd "$npm_dir" && npm install --no-audit --no-fund --silent) || echo "install-deps: npm install failed; the node client test will report it"
fi
exit 0
