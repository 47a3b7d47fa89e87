#!/usr/bin/env bash
# Installs the Debian packages apflow needs, only those missing; silent when all are present.
#   scripts/install-deps.sh build   what building and running apflow needs
#   scripts/install-deps.sh test    also what the test suite needs
set -euo pipefail

build_packages=(
  g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev rapidjson-dev libyaml-cpp-dev libspdlog-dev libcli11-dev
  libsoci-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev libmimalloc-dev
)
# clang and its libFuzzer runtime (libclang-rt-14-dev on Debian 12) build tests/fuzz.
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev clang-format python3 python3-aiosmtpd openssl
  clang libclang-rt-14-dev
)
# The MCP/A2A e2e tests drive apflow with the official Node clients. A Node that did not come
# from Debian (e.g. NodeSource, which bundles npm) is used as it is: Debian's npm would conflict.
node_packages=(nodejs npm)
# The explorer's e2e test drives Debian's Chromium headless (with playwright-core).
browser_packages=(chromium)

wanted=("${build_packages[@]}")
case "${1:-build}" in
  build) ;;
  test)
    wanted+=("${test_packages[@]}")
    wanted+=("${browser_packages[@]}")
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
      wanted+=("${node_packages[@]}")
    fi
    ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
