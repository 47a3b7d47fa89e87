#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (the fuzz preset: clang, ASan + UBSan) and runs
# each for a bounded time, starting from its committed seed corpus.
#   scripts/fuzz.sh [SECONDS]    seconds per target (default 30)
# A crash, leak, timeout or sanitizer report fails the run; its reproducer stays in
# build/fuzz/crashes/<target>/ (replay: build/fuzz/bin/<target> <file>). New inputs the
# fuzzer finds go to build/fuzz/corpus/<target>/, never into the committed seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
targets=(fuzz_jsonrpc fuzz_mcp_session fuzz_a2a fuzz_http_request)

echo "== fuzz: build" >&2
cmake --preset fuzz >/dev/null
log=build/fuzz-build.log
if ! cmake --build --preset fuzz >"$log" 2>&1; then
  grep -v '^\[' "$log" | tail -n 80 >&2
  echo "fuzz build failed; full log: $log" >&2
  exit 1
fi

status=0
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  crashes="build/fuzz/crashes/$target"
  mkdir -p "$work" "$crashes"
  echo "== fuzz: $target for ${seconds}s" >&2
  if ! ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=tests/fuzz/ubsan.supp \
    "build/fuzz/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$target" \
    >"build/fuzz/$target.log" 2>&1; then
    tail -n 60 "build/fuzz/$target.log" >&2
    echo "fuzz: $target failed; reproducer in $crashes/ (replay: build/fuzz/bin/$target FILE)" >&2
    status=1
  fi
done
exit "$status"
