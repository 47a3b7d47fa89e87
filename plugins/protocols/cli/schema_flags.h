// Command-line flags derived from a module's input schema, and the conversion of the text a user
// typed into the JSON value the module receives. Pure logic: no parser, no I/O.
#pragma once

#include <apflow/sdk/json.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apflow::plugins::cli {

enum class FlagKind { kString, kInteger, kNumber, kBoolean, kChoice, kJson, kAny };

struct FlagSpec {
  std::string property;  // the input property it sets
  std::string flag;      // without dashes: `task-id`
  FlagKind kind = FlagKind::kString;
  std::vector<std::string> choices{};  // kChoice: the enum values as typed on the command line
  std::vector<std::string>
      choice_json{};   // kChoice: the same values as JSON, to restore their type
  std::string help{};  // description, with `[required]` appended
  bool required = false;
};

// One flag per property of `input_schema` (an object schema), in property order. Properties that
// cannot be flags are skipped. Throws sdk::Error(CLI_FLAG_COLLISION) when two properties would
// share a flag (`--no-x` included).
std::vector<FlagSpec> flags_from_schema(const rapidjson::Value& input_schema);

// The JSON value of `text` given to `spec`'s flag, allocated in `allocator`. Throws
// sdk::Error(GENERAL_INVALID_INPUT) naming the flag when the text does not fit its type.
rapidjson::Value flag_value(const FlagSpec& spec, std::string_view text,
                            rapidjson::Document::AllocatorType& allocator);

// The value of an option such as --timeout MS: 0 when not given, else a positive integer.
// Throws sdk::Error(GENERAL_INVALID_INPUT) naming the option and its unit otherwise.
int64_t positive_option(const std::string& text, std::string_view option, std::string_view unit);

// The whole text as a base-10 integer, or nothing.
std::optional<int64_t> parse_integer(std::string_view text);

// `{a,b,c}`: the values a choice flag accepts.
std::string choice_list(const FlagSpec& spec);

// How an enum value is typed: a string as itself, anything else as compact JSON.
std::string choice_text(const rapidjson::Value& value);

}  // namespace apflow::plugins::cli
