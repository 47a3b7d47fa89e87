// Small readers of a module's input and shapers of its output, shared by the engine's
// operations.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace apflow::engine {

// input.task_id; throws Error(GENERAL_INVALID_INPUT) "'task_id' is required".
std::string required_id(const rapidjson::Value& input);

// input[key] clamped to [low, high], or `fallback` when absent.
int64_t bounded(const rapidjson::Value& input, const char* key, int64_t fallback, int64_t low,
                int64_t high);

// A row reduced to the listed fields (absent ones as null).
rapidjson::Value pick(const rapidjson::Value& row, std::initializer_list<const char*> keys,
                      rapidjson::Document::AllocatorType& allocator);

}  // namespace apflow::engine
