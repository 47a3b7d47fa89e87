// apflow.yaml as JSON: YAML typing rules made explicit, ${VAR} expansion, and the line of every
// value so errors can name it. Internal to host/config.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace apflow::config::detail {

using Vars = std::map<std::string, std::string>;

struct YamlDocument {
  rapidjson::Document json;          // null when the file holds no document
  std::map<std::string, int> lines;  // JSON pointer -> 1-based line of its key (or item)
};

// Throws apflow::Error(codes::kConfigInvalid) with a message starting "<label>:<line>: " (plus
// ":<column>" for YAML syntax errors).
YamlDocument parse_config_yaml(const std::string& text, const std::string& label, const Vars& vars);

// The value of an environment override: YAML without ${} expansion, so "5000" is an integer and
// "[a, b]" a list. Returns the parse error text on failure.
std::optional<std::string> parse_yaml_value(const std::string& text, rapidjson::Value& out,
                                            rapidjson::Document::AllocatorType& allocator);

// A plain (unquoted) scalar: null (empty, ~, null), true/false, a decimal integer, a float, or
// else a string.
rapidjson::Value typed_scalar(const std::string& text,
                              rapidjson::Document::AllocatorType& allocator);

}  // namespace apflow::config::detail
