#include "common/inputs.h"

#include <apflow/sdk/error.h>

#include <charconv>
#include <cstdlib>

namespace apflow::plugins::common {

std::vector<std::string> string_list(const rapidjson::Value& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.IsObject()) return out;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return out;
  if (it->value.IsString()) {
    if (it->value.GetStringLength() > 0) out.emplace_back(it->value.GetString());
    return out;
  }
  if (it->value.IsArray()) {
    for (const auto& item : it->value.GetArray()) {
      if (!item.IsString()) {
        throw sdk::Error("GENERAL_INVALID_INPUT",
                         std::string("'") + key + "' must be a string or a list of strings");
      }
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  }
  throw sdk::Error("GENERAL_INVALID_INPUT",
                   std::string("'") + key + "' must be a string or a list of strings");
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  constexpr double kMaxMs = 1e12;
  const double ms = seconds * 1000;
  if (!(ms > 0)) return std::chrono::milliseconds(0);  // also NaN
  return std::chrono::milliseconds(static_cast<int64_t>(ms < kMaxMs ? ms : kMaxMs));
}

std::optional<std::string> scalar_text(const rapidjson::Value& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  if (value.IsBool()) return value.GetBool() ? "true" : "false";
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  if (value.IsUint64()) return std::to_string(value.GetUint64());
  if (value.IsNumber()) return sdk::to_json(value);
  return std::nullopt;
}

std::optional<std::string> setting(const rapidjson::Value& inputs, const rapidjson::Value& config,
                                   const char* key, const char* env) {
  for (const rapidjson::Value* source : {&inputs, &config}) {
    if (!source->IsObject()) continue;
    auto it = source->FindMember(key);
    if (it == source->MemberEnd()) continue;
    auto text = scalar_text(it->value);
    if (text && !text->empty()) return text;
  }
  if (env != nullptr && *env != '\0') {
    const char* value = std::getenv(env);
    if (value != nullptr && *value != '\0') return std::string(value);
  }
  return std::nullopt;
}

bool parse_bool(const std::string& text, const std::string& what) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw sdk::Error("GENERAL_INVALID_INPUT", what + " is '" + text + "'; use true or false");
}

int64_t parse_int(const std::string& text, const std::string& what) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw sdk::Error("GENERAL_INVALID_INPUT", what + " is '" + text + "'; use a whole number");
  }
  return value;
}

std::chrono::milliseconds seconds_setting(const rapidjson::Value& config, const char* key,
                                          std::chrono::milliseconds fallback) {
  const double value = sdk::get_double(config, key, static_cast<double>(fallback.count()) / 1000);
  return seconds_to_ms(value);
}

}  // namespace apflow::plugins::common
