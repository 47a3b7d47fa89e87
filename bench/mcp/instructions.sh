#!/usr/bin/env bash
# Instructions per MCP tools/call (apflow_task_get over Streamable HTTP with keep-alive), counted
# by callgrind: unlike the rate or the CPU time, the count does not change with the machine's
# load, so it compares two builds on a shared machine. Counting starts after a warm-up and
# covers every thread of the server; wrk is not counted.
#   bench/mcp/instructions.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]   (defaults build/release 10 8)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build/release}" && pwd)"
seconds="${2:-10}"
connections="${3:-8}"
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
for _ in $(seq 600); do grep -q 'http://' "$tmp/apflow.out" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*/mcp' "$tmp/apflow.out" | head -n1)"
[[ -n "$url" ]] || { echo "apflow did not start" >&2; cat "$tmp/apflow.err" >&2; exit 1; }
rpc() {  # session body -> response headers and body
  curl -s -i "$url" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' ${1:+-H "Mcp-Session-Id: $1"} -d "$2"
}
sid="$(rpc "" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' |
  tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')"
rpc "$sid" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
rpc "$sid" '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"apflow_task_create_tree","arguments":{"tasks":[{"id":"bench","name":"bench","inputs":{"city":"Lima"}}]}}}' |
  grep -q '"isError":false' || { echo "creating the task failed" >&2; exit 1; }
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
