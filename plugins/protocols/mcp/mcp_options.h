// The flags of `apflow mcp`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/http_config.h"
#include "mcp/mcp_session.h"

namespace apflow::plugins::mcp {

struct McpOptions {
  enum class Transport { kStdio, kStreamableHttp } transport = Transport::kStdio;
  protocols::HttpConfig http;
  std::vector<std::string> allowed_origins;
  McpSettings settings;
  bool explorer = false;  // serve the explorer page at /explorer (HTTP only)
};

// Parses args (args[0] is "mcp"). Returns nothing after printing help (exit 0); throws
// std::invalid_argument with the usage problem otherwise.
std::optional<McpOptions> parse_options(const std::vector<std::string>& args);

}  // namespace apflow::plugins::mcp
