// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. stdout carries protocol messages
// only (logs go to stderr); the server ends on EOF or a stop request.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "mcp/mcp_session.h"

namespace apflow::plugins::mcp {

// Answers one message (or batch) of the session: answers and related notifications go to
// write, at once or later from any thread. Also what the fuzz target feeds.
void handle_message(McpSession& session, std::string_view text,
                    const std::function<void(std::string)>& write);

// Serves one session until stdin ends or `stop` turns true; returns the exit code.
int serve_stdio(const McpContext& context, const std::atomic<bool>& stop);

}  // namespace apflow::plugins::mcp
