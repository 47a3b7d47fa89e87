# Sourced by run.sh and instructions.sh: their arguments, and talking to an MCP server over
# Streamable HTTP. Expects `here` (this folder) to be set.

# bench_args DEFAULT_SECONDS DEFAULT_CONNECTIONS [BUILD_DIR] [SECONDS] [CONNECTIONS]
# sets root, build, seconds and connections.
bench_args() {
  root="$(cd "$here/../.." && pwd)"
  build="$(cd "${3:-$root/build/release}" && pwd)"
  seconds="${4:-$1}"
  connections="${5:-$2}"
}

# Waits (up to 60 s: a server under valgrind starts slowly) for a line matching $2 in file $1
# and prints the match.
wait_for() {
  for _ in $(seq 600); do
    if grep -qo "$2" "$1" 2>/dev/null; then grep -o "$2" "$1" | head -n1; return; fi
    sleep 0.1
  done
  echo "no start-up line in $1" >&2; cat "$1" >&2; exit 1
}

post() {  # url session body -> response headers and body
  curl -s -i "$1" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' ${2:+-H "Mcp-Session-Id: $2"} -d "$3"
}

open_session() {  # url -> session id
  local sid
  sid="$(post "$1" "" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' |
    tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id"{print $2}')"
  post "$1" "$sid" '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
  echo "$sid"
}

create_bench_task() {  # url session: the task "bench" that apflow_task_get reads
  post "$1" "$2" '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"apflow_task_create_tree","arguments":{"tasks":[{"id":"bench","name":"bench","inputs":{"city":"Lima"}}]}}}' |
    grep -q '"isError":false' || { echo "creating the task failed" >&2; exit 1; }
}
