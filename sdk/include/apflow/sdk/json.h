// JSON helpers for plugin authors, on RapidJSON. Header-only; depends on RapidJSON only.
#pragma once

#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace apflow::sdk {

// An owning JSON value (a RapidJSON document with its own allocator).
using Json = rapidjson::Document;

// Parses text; throws std::invalid_argument naming the offset and reason when it is not JSON.
inline Json parse_json(std::string_view text) {
  Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    throw std::invalid_argument("invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) +
                                ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

// Compact JSON text of a value.
inline std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A new empty object document.
inline Json make_object() {
  Json doc;
  doc.SetObject();
  return doc;
}

// Sets obj[key] = value (replacing an existing member). Works for strings, numbers, bools and
// RapidJSON values (deep-copied into obj's allocator).
inline void set(Json& obj, std::string_view key, std::string_view value) {
  auto& alloc = obj.GetAllocator();
  rapidjson::Value v(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc);
  rapidjson::Value k(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc);
  obj.RemoveMember(k);
  obj.AddMember(k, v, alloc);
}
inline void set(Json& obj, std::string_view key, const char* value) {
  set(obj, key, std::string_view(value));
}
inline void set(Json& obj, std::string_view key, const rapidjson::Value& value) {
  auto& alloc = obj.GetAllocator();
  rapidjson::Value v(value, alloc);
  rapidjson::Value k(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc);
  obj.RemoveMember(k);
  obj.AddMember(k, v, alloc);
}
template <typename T>
requires(std::is_arithmetic_v<T>) inline void set(Json& obj, std::string_view key, T value) {
  rapidjson::Value v;
  if constexpr (std::is_same_v<T, bool>) {
    v.SetBool(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    v.SetDouble(static_cast<double>(value));
  } else if constexpr (std::is_signed_v<T>) {
    v.SetInt64(static_cast<int64_t>(value));
  } else {
    v.SetUint64(static_cast<uint64_t>(value));
  }
  set(obj, key, static_cast<const rapidjson::Value&>(v));
}

// Typed reads of an object member with a fallback when it is absent or of another type.
inline std::string get_string(const rapidjson::Value& obj, const char* key,
                              std::string fallback = {}) {
  if (!obj.IsObject()) return fallback;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return fallback;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
inline int64_t get_int(const rapidjson::Value& obj, const char* key, int64_t fallback = 0) {
  if (!obj.IsObject()) return fallback;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsInt64()) return fallback;
  return it->value.GetInt64();
}
inline double get_double(const rapidjson::Value& obj, const char* key, double fallback = 0) {
  if (!obj.IsObject()) return fallback;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsNumber()) return fallback;
  return it->value.GetDouble();
}
inline bool get_bool(const rapidjson::Value& obj, const char* key, bool fallback = false) {
  if (!obj.IsObject()) return fallback;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsBool()) return fallback;
  return it->value.GetBool();
}

}  // namespace apflow::sdk
