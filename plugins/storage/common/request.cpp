#include "storage/common/request.h"

#include <algorithm>
#include <unordered_set>

#include "storage/common/errors.h"

namespace apflow::plugins::storage {

Request::Request(std::string_view text, Keys allowed)
    : pool_(buffer_, sizeof buffer_), doc_(&pool_) {
  doc_.Parse(text.data(), text.size());
  if (doc_.HasParseError()) {
    throw_invalid("the request is not valid JSON (offset " + std::to_string(doc_.GetErrorOffset()) +
                  "): " + rapidjson::GetParseError_En(doc_.GetParseError()));
  }
  if (!doc_.IsObject()) throw_invalid("the request must be a JSON object");
  check_keys(doc_, allowed, "");
}

void check_keys(const JsonValue& object, Keys allowed, const std::string& where) {
  for (const auto& m : object.GetObject()) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw_invalid("unknown field '" + field_path(where, key) + "'");
    }
  }
}

std::string field_path(const std::string& where, std::string_view key) {
  if (where.empty()) return std::string(key);
  return where + "." + std::string(key);
}

const JsonValue* member(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string need_string(const JsonValue& object, const char* key, const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr) throw_invalid("field '" + field_path(where, key) + "' is required");
  if (!v->IsString()) throw_invalid("field '" + field_path(where, key) + "' must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::string> opt_string(const JsonValue& object, const char* key,
                                      const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsString()) {
    throw_invalid("field '" + field_path(where, key) + "' must be a string or null");
  }
  return std::string(v->GetString(), v->GetStringLength());
}

int64_t opt_int(const JsonValue& object, const char* key, int64_t fallback, int64_t min,
                const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr) return fallback;
  if (!v->IsInt64() || v->GetInt64() < min) {
    throw_invalid("field '" + field_path(where, key) +
                  "' must be an integer >= " + std::to_string(min));
  }
  return v->GetInt64();
}

bool opt_bool(const JsonValue& object, const char* key, bool fallback, const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr) return fallback;
  if (!v->IsBool()) throw_invalid("field '" + field_path(where, key) + "' must be a boolean");
  return v->GetBool();
}

std::vector<std::string> strings(const JsonValue& object, const char* key, bool required,
                                 const std::string& where) {
  const JsonValue* v = array(object, key, required, where);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) {
      throw_invalid("field '" + field_path(where, key) + "' must be an array of strings");
    }
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

const JsonValue* array(const JsonValue& object, const char* key, bool required,
                       const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr) {
    if (required) throw_invalid("field '" + field_path(where, key) + "' is required");
    return nullptr;
  }
  if (!v->IsArray()) throw_invalid("field '" + field_path(where, key) + "' must be an array");
  return v;
}

std::optional<std::vector<std::string>> one_or_many(const JsonValue& object, const char* key,
                                                    const std::string& where) {
  const JsonValue* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->IsString()) return std::vector<std::string>{std::string(v->GetString())};
  if (!v->IsArray()) {
    throw_invalid("field '" + field_path(where, key) + "' must be a string or an array");
  }
  return strings(object, key, true, where);
}

std::string to_text(const JsonValue& value) {
  return sdk::to_json(value);
}

std::string to_json_array(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const auto& item : items)
    w.String(item.data(), static_cast<rapidjson::SizeType>(item.size()));
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> distinct(std::vector<std::string> items) {
  std::unordered_set<std::string> seen;
  std::erase_if(items, [&seen](const std::string& item) { return !seen.insert(item).second; });
  return items;
}

}  // namespace apflow::plugins::storage
