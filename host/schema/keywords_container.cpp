#include "schema/json_util.h"
#include "schema/keywords.h"

namespace apflow::schema::detail {
namespace {

Violation make(const std::string& pointer, const char* keyword, std::string message) {
  return Violation{pointer, keyword, std::move(message)};
}

std::string name_of(const rapidjson::Value& name) {
  return std::string(name.GetString(), name.GetStringLength());
}

bool has_member(const rapidjson::Value& object, const rapidjson::Value& name) {
  return object.FindMember(name) != object.MemberEnd();
}

// Where an unknown property is reported, the names and patterns that would have been accepted.
std::string allowed_names(const rapidjson::Value& schema) {
  std::vector<std::string> names;
  if (const auto* properties = member(schema, "properties"); properties && properties->IsObject()) {
    for (const auto& entry : properties->GetObject()) names.push_back(name_of(entry.name));
  }
  std::vector<std::string> patterns;
  if (const auto* map = member(schema, "patternProperties"); map && map->IsObject()) {
    for (const auto& entry : map->GetObject()) patterns.push_back(name_of(entry.name));
  }
  if (names.empty() && patterns.empty()) return "no properties are allowed here";
  std::string text = "allowed: " + join(names);
  if (!patterns.empty()) {
    text += (names.empty() ? "names matching " : ", or names matching ") + join(patterns, " or ");
  }
  return text;
}

}  // namespace

std::optional<Violation> check_min_items(const Context&, const rapidjson::Value& schema,
                                         const rapidjson::Value& value,
                                         const std::string& pointer) {
  const auto* limit = member(schema, "minItems");
  if (limit == nullptr || !limit->IsUint() || !value.IsArray()) return std::nullopt;
  if (value.Size() >= limit->GetUint()) return std::nullopt;
  return make(pointer, "minItems",
              "must have at least " + plural(limit->GetUint(), "item") + ", got " +
                  std::to_string(value.Size()));
}

std::optional<Violation> check_max_items(const Context&, const rapidjson::Value& schema,
                                         const rapidjson::Value& value,
                                         const std::string& pointer) {
  const auto* limit = member(schema, "maxItems");
  if (limit == nullptr || !limit->IsUint() || !value.IsArray()) return std::nullopt;
  if (value.Size() <= limit->GetUint()) return std::nullopt;
  return make(pointer, "maxItems",
              "must have at most " + plural(limit->GetUint(), "item") + ", got " +
                  std::to_string(value.Size()));
}

std::optional<Violation> check_unique_items(const Context&, const rapidjson::Value& schema,
                                            const rapidjson::Value& value,
                                            const std::string& pointer) {
  const auto* unique = member(schema, "uniqueItems");
  if (unique == nullptr || !unique->IsTrue() || !value.IsArray()) return std::nullopt;
  for (rapidjson::SizeType i = 1; i < value.Size(); ++i) {
    for (rapidjson::SizeType j = 0; j < i; ++j) {
      if (value[i] != value[j]) continue;
      return make(join_pointer(pointer, std::to_string(i)), "uniqueItems",
                  "items must be unique, but item " + std::to_string(i) + " repeats item " +
                      std::to_string(j) + " (" + render(value[i]) + ")");
    }
  }
  return std::nullopt;
}

std::optional<Violation> check_additional_items(const Context&, const rapidjson::Value& schema,
                                                const rapidjson::Value& value,
                                                const std::string& pointer) {
  const auto* items = member(schema, "items");
  const auto* additional = member(schema, "additionalItems");
  if (items == nullptr || !items->IsArray() || additional == nullptr || !additional->IsFalse() ||
      !value.IsArray() || value.Size() <= items->Size()) {
    return std::nullopt;
  }
  return make(join_pointer(pointer, std::to_string(items->Size())), "additionalItems",
              "unexpected item: at most " + plural(items->Size(), "item") + " allowed, got " +
                  std::to_string(value.Size()));
}

std::optional<Violation> check_required(const Context&, const rapidjson::Value& schema,
                                        const rapidjson::Value& value, const std::string& pointer) {
  const auto* required = member(schema, "required");
  if (required == nullptr || !required->IsArray() || !value.IsObject()) return std::nullopt;
  for (const auto& name : required->GetArray()) {
    if (!name.IsString() || has_member(value, name)) continue;
    return make(join_pointer(pointer, name_of(name)), "required",
                "missing required property '" + name_of(name) + "'");
  }
  return std::nullopt;
}

std::optional<Violation> check_additional_properties(const Context& context,
                                                     const rapidjson::Value& schema,
                                                     const rapidjson::Value& value,
                                                     const std::string& pointer) {
  const auto* additional = member(schema, "additionalProperties");
  if (additional == nullptr || !additional->IsFalse() || !value.IsObject()) return std::nullopt;
  const auto* properties = member(schema, "properties");
  const auto* patterns = member(schema, "patternProperties");
  for (const auto& entry : value.GetObject()) {
    if (properties != nullptr && properties->IsObject() && has_member(*properties, entry.name)) {
      continue;
    }
    bool matched = false;
    if (patterns != nullptr && patterns->IsObject()) {
      for (const auto& pattern : patterns->GetObject()) {
        matched = matched || context.patterns.search(name_of(pattern.name), name_of(entry.name));
      }
    }
    if (matched) continue;
    return make(join_pointer(pointer, name_of(entry.name)), "additionalProperties",
                "unknown property '" + name_of(entry.name) + "' (" + allowed_names(schema) + ")");
  }
  return std::nullopt;
}

std::optional<Violation> check_min_properties(const Context&, const rapidjson::Value& schema,
                                              const rapidjson::Value& value,
                                              const std::string& pointer) {
  const auto* limit = member(schema, "minProperties");
  if (limit == nullptr || !limit->IsUint() || !value.IsObject()) return std::nullopt;
  if (value.MemberCount() >= limit->GetUint()) return std::nullopt;
  return make(pointer, "minProperties",
              "must have at least " + plural(limit->GetUint(), "property") + ", got " +
                  std::to_string(value.MemberCount()));
}

std::optional<Violation> check_max_properties(const Context&, const rapidjson::Value& schema,
                                              const rapidjson::Value& value,
                                              const std::string& pointer) {
  const auto* limit = member(schema, "maxProperties");
  if (limit == nullptr || !limit->IsUint() || !value.IsObject()) return std::nullopt;
  if (value.MemberCount() <= limit->GetUint()) return std::nullopt;
  return make(pointer, "maxProperties",
              "must have at most " + plural(limit->GetUint(), "property") + ", got " +
                  std::to_string(value.MemberCount()));
}

std::optional<Violation> check_dependencies(const Context& context, const rapidjson::Value& schema,
                                            const rapidjson::Value& value,
                                            const std::string& pointer) {
  const auto* dependencies = member(schema, "dependencies");
  if (dependencies == nullptr || !dependencies->IsObject() || !value.IsObject()) {
    return std::nullopt;
  }
  for (const auto& dependency : dependencies->GetObject()) {
    if (!has_member(value, dependency.name)) continue;
    if (dependency.value.IsObject()) {
      auto inner = check_value(context, dependency.value, value, pointer, CheckMode::kAll);
      if (inner) return inner;
      continue;
    }
    if (!dependency.value.IsArray()) continue;
    for (const auto& needed : dependency.value.GetArray()) {
      if (!needed.IsString() || has_member(value, needed)) continue;
      return make(join_pointer(pointer, name_of(needed)), "dependencies",
                  "property '" + name_of(needed) + "' is required when '" +
                      name_of(dependency.name) + "' is present");
    }
  }
  return std::nullopt;
}

}  // namespace apflow::schema::detail
