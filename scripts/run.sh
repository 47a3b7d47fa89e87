#!/usr/bin/env bash
# The README's first command: installs what is missing, builds apflow (release) and runs its
# main job on the embedded defaults. Extra arguments go to `apflow` instead of the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true  # reuse objects from other checkouts
mkdir -p build
log=build/release-build.log
if ! { cmake --preset release -DAPFLOW_BUILD_TESTS=OFF -DAPFLOW_BUILD_BENCH=OFF &&
       cmake --build --preset release; } >"$log" 2>&1; then
  grep -v '^\[' "$log" | tail -n 60 >&2
  echo "build failed; full log: $log" >&2
  exit 1
fi
if [[ $# -gt 0 ]]; then
  exec build/release/bin/apflow "$@"
fi
# The main job: run the fan-out/fan-in example tree on the default SQLite database and show
# every task's result.
exec build/release/bin/apflow run config/examples/fan_out_fan_in.yaml --format table
