#include "schema/object_shape.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace apflow::schema::detail {
namespace {

std::string_view text(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// Whether `s` has at least `count` code points: bytes that do not continue a UTF-8 sequence.
// Counted so only in valid UTF-8; for the rest a shortfall merely defers to the full validation.
bool has_code_points(std::string_view s, uint64_t count) {
  uint64_t seen = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++seen >= count) return true;
  }
  return false;
}

// Keywords that constrain nothing an instance can break.
bool is_annotation(std::string_view key) {
  return key == "description" || key == "title" || key == "$schema" || key == "examples" ||
         key == "default";
}

}  // namespace

std::optional<ObjectShape> ObjectShape::of(const rapidjson::Value& schema) {
  if (!schema.IsObject()) return std::nullopt;
  ObjectShape shape;
  bool is_object = false;
  const rapidjson::Value* required = nullptr;
  for (const auto& member : schema.GetObject()) {
    const std::string_view key = text(member.name);
    const auto& value = member.value;
    if (key == "type" && value.IsString() && text(value) == "object") {
      is_object = true;
    } else if (key == "additionalProperties" && value.IsBool()) {
      shape.closed_ = !value.GetBool();
    } else if (key == "required" && value.IsArray()) {
      required = &value;
    } else if (key == "properties" && value.IsObject()) {
      for (const auto& property : value.GetObject()) {
        if (!property.value.IsObject()) return std::nullopt;
        const std::string_view name = text(property.name);
        if (std::any_of(shape.properties_.begin(), shape.properties_.end(),
                        [&](const Property& p) { return p.name == name; })) {
          return std::nullopt;  // a name declared twice: left to the full validator
        }
        Property entry{std::string(name)};
        for (const auto& keyword : property.value.GetObject()) {
          const std::string_view word = text(keyword.name);
          if (is_annotation(word)) continue;
          if (word == "minLength" && keyword.value.IsUint64()) {
            entry.min_length = keyword.value.GetUint64();
            continue;
          }
          if (word != "type" || !keyword.value.IsString()) return std::nullopt;
          static const std::pair<std::string_view, Type> kTypes[] = {
              {"string", Type::kString},   {"integer", Type::kInteger}, {"number", Type::kNumber},
              {"boolean", Type::kBoolean}, {"object", Type::kObject},   {"array", Type::kArray},
              {"null", Type::kNull}};
          auto known = std::find_if(std::begin(kTypes), std::end(kTypes),
                                    [&](const auto& t) { return t.first == text(keyword.value); });
          if (known == std::end(kTypes)) return std::nullopt;
          entry.type = known->second;
        }
        shape.properties_.push_back(std::move(entry));
      }
    } else if (!is_annotation(key)) {
      return std::nullopt;
    }
  }
  if (!is_object || shape.properties_.size() > 64) return std::nullopt;
  if (required != nullptr) {
    for (const auto& name : required->GetArray()) {
      if (!name.IsString()) return std::nullopt;
      auto it = std::find_if(shape.properties_.begin(), shape.properties_.end(),
                             [&](const Property& p) { return p.name == text(name); });
      // A required name without a property schema: left to the full validator.
      if (it == shape.properties_.end()) return std::nullopt;
      it->required = true;
    }
  }
  return shape;
}

bool ObjectShape::matches(const Property& property, const rapidjson::Value& value) {
  if (property.min_length > 0 && value.IsString() &&
      !has_code_points(text(value), property.min_length)) {
    return false;
  }
  switch (property.type) {
    case Type::kAny:
      return true;
    case Type::kString:
      return value.IsString();
    case Type::kInteger:  // only what is an integer under any reading; 1.0 is left to RapidJSON
      return value.IsInt64() || value.IsUint64();
    case Type::kNumber:
      return value.IsNumber();
    case Type::kBoolean:
      return value.IsBool();
    case Type::kObject:
      return value.IsObject();
    case Type::kArray:
      return value.IsArray();
    case Type::kNull:
      return value.IsNull();
  }
  return false;
}

bool ObjectShape::admits(const rapidjson::Value& instance) const {
  if (!instance.IsObject()) return false;
  uint64_t seen = 0;  // bit i: properties_[i] was given
  // Every member, not a lookup per property: a name given twice is checked each time.
  for (const auto& member : instance.GetObject()) {
    const std::string_view name = text(member.name);
    auto it = std::find_if(properties_.begin(), properties_.end(),
                           [&](const Property& p) { return p.name == name; });
    if (it == properties_.end()) {
      if (closed_) return false;
      continue;
    }
    if (!matches(*it, member.value)) return false;
    seen |= uint64_t{1} << (it - properties_.begin());
  }
  for (size_t i = 0; i < properties_.size(); ++i) {
    if (properties_[i].required && (seen & (uint64_t{1} << i)) == 0) return false;
  }
  return true;
}

}  // namespace apflow::schema::detail
