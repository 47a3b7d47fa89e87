#!/usr/bin/env bash
# Side by side: tools/call of a read-only tool over MCP Streamable HTTP with keep-alive, against
# `apflow mcp` (apflow_task_get on a stored task) and the official TypeScript MCP SDK's server
# (ts_server.mjs, an equivalent tool), driven by wrk (tools_call.lua); then the resident memory
# of an idle `apflow serve` with every built-in plugin. Results go in docs/performance.md.
#   bench/mcp/run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [WRK_THREADS]
#   defaults: build/release 10 32 1
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/common.sh"
bench_args 10 32 "$@"
wrk_threads="${4:-1}"
clients="$root/tests/clients"
command -v wrk >/dev/null || { echo "wrk is not installed (Debian package wrk)" >&2; exit 1; }
[[ -x "$clients/.node/bin/node" ]] && export PATH="$clients/.node/bin:$PATH"
[[ -d "$clients/node_modules/@modelcontextprotocol/sdk" ]] ||
  { echo "run scripts/install-node-clients.sh first" >&2; exit 1; }

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

cpu_ticks() {  # pid -> user + system CPU time in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# Besides the rate and latencies, the server's CPU time per call: the load of the machine
# changes it much less than it changes the rate.
measure() {  # name url session tool pid
  local name=$1 url=$2 sid=$3 tool=$4 pid=$5 before result calls
  wrk -t"$wrk_threads" -c"$connections" -d2s -s "$here/tools_call.lua" "$url" -- "$sid" "$tool" bench \
    >/dev/null  # warm-up
  before="$(cpu_ticks "$pid")"
  result="$(wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" -s "$here/tools_call.lua" \
    "$url" -- "$sid" "$tool" bench | grep '^RESULT' | cut -d' ' -f2-)"
  calls="$(echo "$result" | grep -o 'calls=[0-9]*' | cut -d= -f2)"
  echo "$name: $result cpu_us_per_call=$((($(cpu_ticks "$pid") - before) * 1000000 / $(getconf CLK_TCK) / (calls > 0 ? calls : 1)))"
}

echo "connections=$connections seconds=$seconds wrk_threads=$wrk_threads cores=$(nproc)"
"$build/bin/apflow" --db "$tmp/bench.db" --log-level warn mcp --transport streamable-http \
  --port 0 >"$tmp/apflow.out" 2>"$tmp/apflow.err" &
pids+=($!)
url="$(wait_for "$tmp/apflow.out" 'http://[^ ]*/mcp')"
sid="$(open_session "$url")"
create_bench_task "$url" "$sid"
measure "apflow (C++)" "$url" "$sid" apflow_task_get "${pids[0]}"
kill "${pids[0]}"

# The script must resolve the SDK from tests/clients/node_modules.
cp "$here/ts_server.mjs" "$tmp/" && ln -s "$clients/node_modules" "$tmp/node_modules"
node "$tmp/ts_server.mjs" 0 >"$tmp/ts.out" 2>&1 &
pids+=($!)
port="$(wait_for "$tmp/ts.out" 'listening [0-9]*' | cut -d' ' -f2)"
ts_url="http://127.0.0.1:$port/mcp"
measure "TypeScript SDK $(node -p 'require("'"$clients"'/node_modules/@modelcontextprotocol/sdk/package.json").version') (Node $(node --version))" \
  "$ts_url" "$(open_session "$ts_url")" task_get "${pids[1]}"
kill "${pids[1]}"

# Idle `apflow serve` with every built-in plugin (the default plugin directory).
"$build/bin/apflow" --db "$tmp/serve.db" serve --port 0 >"$tmp/serve.out" 2>&1 &
pids+=($!)
wait_for "$tmp/serve.out" 'http://[^ ]*' >/dev/null
sleep 2
echo "idle apflow serve: $(awk '/VmRSS|VmHWM/{printf "%s %s kB  ", $1, $2}' "/proc/${pids[2]}/status")"
