// Reading executor inputs and settings: the shapes several executors accept.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace apflow::plugins::common {

// obj[key] as a list: a string gives one item, an array of strings its items, absent gives {}.
// Throws sdk::Error(GENERAL_INVALID_INPUT) naming `key` for any other shape.
std::vector<std::string> string_list(const rapidjson::Value& obj, const char* key);

// A setting's value: the first of inputs[key], config[key], the environment variable `env`
// (when not empty) that is present and not empty.
std::optional<std::string> setting(const rapidjson::Value& inputs, const rapidjson::Value& config,
                                   const char* key, const char* env);

// A string obj[key] as a bool or integer ("true"/"1"/"yes", "false"/"0"/"no"); JSON bools and
// numbers are taken as they are. Throws sdk::Error(GENERAL_INVALID_INPUT) naming `what`.
bool parse_bool(const std::string& text, const std::string& what);
int64_t parse_int(const std::string& text, const std::string& what);

// Seconds (as JSON gives them) to milliseconds, clamped to [0, ~31 years] so that no input can
// overflow the conversion.
std::chrono::milliseconds seconds_to_ms(double seconds);

// config[key] in seconds as milliseconds (through seconds_to_ms), or fallback when absent.
std::chrono::milliseconds seconds_setting(const rapidjson::Value& config, const char* key,
                                          std::chrono::milliseconds fallback);

// A JSON scalar as text (strings as-is, numbers and bools printed); nullopt for other types.
std::optional<std::string> scalar_text(const rapidjson::Value& value);

}  // namespace apflow::plugins::common
