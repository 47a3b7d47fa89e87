#!/usr/bin/env bash
# Instructions per MCP tools/call (apflow_task_get over Streamable HTTP with keep-alive), counted
# by callgrind: unlike the rate or the CPU time, the count does not change with the machine's
# load, so it compares two builds on a shared machine. Counting starts after a warm-up and
# covers every thread of the server; wrk is not counted.
#   bench/mcp/instructions.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]   (defaults build/release 10 8)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
bench_args 10 8 "$@"
for tool in wrk valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
tmp="$(mktemp -d)"
pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; sleep 1; rm -rf "$tmp"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" "$build/bin/apflow" \
  --db "$tmp/bench.db" --log-level warn mcp --transport streamable-http --port 0 \
  >"$tmp/apflow.out" 2>"$tmp/apflow.err" &
pid=$!
url="$(wait_for "$tmp/apflow.out" 'http://[^ ]*/mcp')"
sid="$(open_session "$url")"
create_bench_task "$url" "$sid"
load() {  # seconds
  wrk -t1 -c"$connections" -d"$1s" -s "$here/tools_call.lua" "$url" -- "$sid" apflow_task_get bench
}
load 3 >/dev/null  # warm-up
callgrind_control -z "$pid" >/dev/null
result="$(load "$seconds" | grep '^RESULT' | cut -d' ' -f2-)"
callgrind_control -d "$pid" >/dev/null
sleep 1
calls="$(echo "$result" | grep -o 'calls=[0-9]*' | cut -d= -f2)"
instructions="$(awk '/^summary:/{print $2; exit}' "$tmp"/callgrind.out.1)"
echo "$result"
echo "instructions_per_call=$((instructions / (calls > 0 ? calls : 1))) (callgrind, $calls calls)"
