#include "engine/module_input.h"

#include <algorithm>

#include "core/error.h"

namespace apflow::engine {

using rapidjson::Value;

std::string required_id(const Value& input) {
  auto it = input.FindMember("task_id");
  if (it == input.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
    throw Error(codes::kGeneralInvalidInput, "'task_id' is required");
  }
  return it->value.GetString();
}

int64_t bounded(const Value& input, const char* key, int64_t fallback, int64_t low, int64_t high) {
  auto it = input.FindMember(key);
  if (it == input.MemberEnd() || !it->value.IsInt64()) return fallback;
  return std::clamp<int64_t>(it->value.GetInt64(), low, high);
}

Value pick(const Value& row, std::initializer_list<const char*> keys,
           rapidjson::Document::AllocatorType& a) {
  Value out(rapidjson::kObjectType);
  for (const char* key : keys) {
    auto it = row.FindMember(key);
    out.AddMember(Value(key, a), it == row.MemberEnd() ? Value() : Value(it->value, a), a);
  }
  return out;
}

}  // namespace apflow::engine
