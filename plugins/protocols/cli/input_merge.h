// The input object a module command sends: a JSON object read from stdin (`--input -`) with the
// flags the user typed laid over it.
#pragma once

#include <apflow/sdk/json.h>

#include <cstddef>
#include <istream>

namespace apflow::plugins::cli {

// apcore-cli's limit for `--input -`.
constexpr size_t kMaxInputBytes = 10 * 1024 * 1024;

// Reads one JSON object from `in`, refusing more than `limit` bytes. Throws
// sdk::Error(GENERAL_INVALID_INPUT) saying what is wrong with it.
sdk::Json read_input_object(std::istream& in, size_t limit = kMaxInputBytes);

// `base` with every member of `flags` set over it: a flag wins over the same key from stdin.
sdk::Json merge_inputs(sdk::Json base, const rapidjson::Value& flags);

}  // namespace apflow::plugins::cli
