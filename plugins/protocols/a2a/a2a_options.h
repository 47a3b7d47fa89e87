// The flags of `apflow serve`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/http_config.h"

namespace apflow::plugins::a2a {

struct A2aOptions {
  protocols::HttpConfig http;
  bool explorer = false;  // serve the explorer page at /explorer
};

// Parses args (args[0] is "serve"). Returns nothing after printing help (exit 0); throws
// std::invalid_argument with the usage problem otherwise.
std::optional<A2aOptions> parse_options(const std::vector<std::string>& args);

}  // namespace apflow::plugins::a2a
