-- wrk script for bench/mcp/run.sh: keep-alive POSTs of one MCP tools/call in an open session.
--   wrk ... -s tools_call.lua URL -- SESSION_ID TOOL_NAME TASK_ID
-- Counts answers that are not a successful tool result, and prints one summary line.
local request_text
local failures = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local body = string.format(
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"%s","arguments":{"task_id":"%s"}}}',
    args[2], args[3])
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["Mcp-Session-Id"] = args[1],
    ["MCP-Protocol-Version"] = "2025-11-25",
  }
  request_text = wrk.format("POST", nil, headers, body)
end

function request()
  return request_text
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"isError":false', 1, true) then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("failures") or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT calls_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f calls=%d failed=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout))
end
