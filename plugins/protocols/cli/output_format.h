// How a module's output is shown: JSON for programs, Key/Value rows for people.
#pragma once

#include <apflow/sdk/json.h>

#include <string>
#include <string_view>

namespace apflow::plugins::cli {

enum class Format { kJson, kTable };

// `json` or `table`; an empty text picks table for a terminal and JSON for a pipe. Throws
// sdk::Error(GENERAL_INVALID_INPUT) for anything else.
Format parse_format(std::string_view text, bool to_terminal);

// Indented by two spaces, without a trailing newline.
std::string pretty_json(const rapidjson::Value& value);

// A string as itself, anything else as compact JSON.
std::string plain_text(const rapidjson::Value& value);

// Key/Value rows of an object (nested values as compact JSON), ending in a newline.
std::string table_text(const rapidjson::Value& object);

}  // namespace apflow::plugins::cli
