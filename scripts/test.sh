#!/usr/bin/env bash
# The README's second command: installs what the tests need, then builds and runs every test —
# formatting, the debug build's unit, integration and ABI tests, the same under
# AddressSanitizer + UndefinedBehaviorSanitizer, then the libFuzzer targets for 30 s each.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the debug build only (no sanitizer build, no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

scripts/install-deps.sh test
scripts/install-node-clients.sh
scripts/check-format.sh

# Let ccache reuse objects compiled in another checkout of this project (CI clones afresh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

run_suite() {
  local preset=$1
  echo "== $preset: build" >&2
  cmake --preset "$preset" >/dev/null
  local log="build/$preset-build.log"
  if ! cmake --build --preset "$preset" >"$log" 2>&1; then
    grep -v '^\[' "$log" | tail -n 80 >&2
    echo "build failed ($preset); full log: $log" >&2
    return 1
  fi
  echo "== $preset: tests" >&2
  ctest --preset "$preset" -j2 --timeout 600
}

run_suite dev
if [[ $quick -eq 0 ]]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite asan
  scripts/fuzz.sh 30
fi
