// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. stdout carries protocol messages
// only (logs go to stderr); the server ends on EOF or a stop request.
#pragma once

#include <atomic>

#include "mcp/mcp_session.h"

namespace apflow::plugins::mcp {

// Serves one session until stdin ends or `stop` turns true; returns the exit code.
int serve_stdio(const McpContext& context, const std::atomic<bool>& stop);

}  // namespace apflow::plugins::mcp
