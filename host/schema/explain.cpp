#include "schema/explain.h"

#include <array>

#include "schema/json_util.h"
#include "schema/keywords.h"

namespace apflow::schema::detail {
namespace {

struct Entry {
  std::string_view keyword;
  KeywordCheck check;
};

// RapidJSON reports a tuple overflow as "items"; both names lead to the same check.
constexpr std::array<Entry, 25> kKeywords = {{
    {"type", check_type},
    {"enum", check_enum},
    {"minimum", check_minimum},
    {"maximum", check_maximum},
    {"multipleOf", check_multiple_of},
    {"minLength", check_min_length},
    {"maxLength", check_max_length},
    {"pattern", check_pattern},
    {"format", check_format},
    {"minItems", check_min_items},
    {"maxItems", check_max_items},
    {"uniqueItems", check_unique_items},
    {"items", check_additional_items},
    {"additionalItems", check_additional_items},
    {"required", check_required},
    {"additionalProperties", check_additional_properties},
    {"minProperties", check_min_properties},
    {"maxProperties", check_max_properties},
    {"dependencies", check_dependencies},
    {"allOf", check_all_of},
    {"anyOf", check_any_of},
    {"oneOf", check_one_of},
    {"not", check_not},
    {"exclusiveMinimum", check_minimum},
    {"exclusiveMaximum", check_maximum},
}};

// Checked on the value itself, before its members or items.
constexpr std::array<KeywordCheck, 14> kBeforeChildren = {check_enum,
                                                          check_minimum,
                                                          check_maximum,
                                                          check_multiple_of,
                                                          check_min_length,
                                                          check_max_length,
                                                          check_pattern,
                                                          check_format,
                                                          check_min_items,
                                                          check_max_items,
                                                          check_unique_items,
                                                          check_additional_items,
                                                          check_additional_properties,
                                                          check_min_properties};

// Checked after the members, as RapidJSON does when an object ends.
constexpr std::array<KeywordCheck, 7> kAfterChildren = {
    check_required, check_max_properties, check_dependencies, check_all_of,
    check_any_of,   check_one_of,         check_not};

constexpr int kMaxDepth = 256;

std::optional<Violation> check_children(const Context& context, const rapidjson::Value& schema,
                                        const rapidjson::Value& value, const std::string& pointer,
                                        CheckMode mode) {
  if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      const auto* item = item_schema(context, schema, i);
      if (item == nullptr) continue;
      auto found =
          check_value(context, *item, value[i], join_pointer(pointer, std::to_string(i)), mode);
      if (found) return found;
    }
  } else if (value.IsObject()) {
    for (const auto& entry : value.GetObject()) {
      std::string_view name(entry.name.GetString(), entry.name.GetStringLength());
      for (const auto* child : member_schemas(context, schema, name)) {
        auto found = check_value(context, *child, entry.value, join_pointer(pointer, name), mode);
        if (found) return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

const rapidjson::Value& deref(const Context& context, const rapidjson::Value& schema) {
  const rapidjson::Value* current = &schema;
  for (int hops = 0; hops < 32; ++hops) {
    const auto* ref = member(*current, "$ref");
    if (ref == nullptr || !ref->IsString()) break;
    const auto* target = resolve_ref(context.root, {ref->GetString(), ref->GetStringLength()});
    if (target == nullptr) break;
    current = target;
  }
  return *current;
}

std::optional<Violation> check_keyword(const Context& context, std::string_view keyword,
                                       const rapidjson::Value& schema,
                                       const rapidjson::Value& value, const std::string& pointer) {
  for (const auto& entry : kKeywords) {
    if (entry.keyword == keyword)
      return entry.check(context, deref(context, schema), value, pointer);
  }
  return std::nullopt;
}

Violation explain(const Context& context, std::string_view keyword, const rapidjson::Value& schema,
                  const rapidjson::Value& value, const std::string& pointer) {
  if (auto found = check_keyword(context, keyword, schema, value, pointer)) return *found;
  // Our reading of the keyword disagrees with RapidJSON's; still say which rule failed.
  return Violation{
      pointer, std::string(keyword),
      "does not satisfy '" + std::string(keyword) + "' (got " + describe_actual(value) + ")"};
}

std::optional<Violation> check_value(const Context& context, const rapidjson::Value& schema,
                                     const rapidjson::Value& value, const std::string& pointer,
                                     CheckMode mode) {
  // A schema that refers back to itself without descending (allOf: [{$ref: "#"}]) would recurse
  // forever; fail closed rather than accept what was not checked.
  struct DepthGuard {
    explicit DepthGuard(const Context& context) : context(context) { ++context.depth; }
    ~DepthGuard() { --context.depth; }
    const Context& context;
  } guard(context);
  if (context.depth > kMaxDepth) {
    return Violation{pointer, "depth",
                     "nested too deeply to validate (more than " + std::to_string(kMaxDepth) +
                         " levels of schema)"};
  }
  const auto& resolved = deref(context, schema);
  if (!resolved.IsObject()) return std::nullopt;
  if (mode == CheckMode::kFormatOnly) {
    if (auto found = check_format(context, resolved, value, pointer)) return found;
    if (auto found = check_children(context, resolved, value, pointer, mode)) return found;
    const auto* all = member(resolved, "allOf");
    if (all == nullptr || !all->IsArray()) return std::nullopt;
    for (const auto& branch : all->GetArray()) {
      if (auto found = check_value(context, branch, value, pointer, mode)) return found;
    }
    return std::nullopt;
  }
  // A value of the wrong type makes every other keyword meaningless.
  if (auto found = check_type(context, resolved, value, pointer)) return found;
  for (auto check : kBeforeChildren) {
    if (auto found = check(context, resolved, value, pointer)) return found;
  }
  if (auto found = check_children(context, resolved, value, pointer, mode)) return found;
  for (auto check : kAfterChildren) {
    if (auto found = check(context, resolved, value, pointer)) return found;
  }
  return std::nullopt;
}

std::vector<const rapidjson::Value*> member_schemas(const Context& context,
                                                    const rapidjson::Value& schema,
                                                    std::string_view name) {
  const auto& resolved = deref(context, schema);
  std::vector<const rapidjson::Value*> found;
  rapidjson::Value key(rapidjson::StringRef(name.data(), name.size()));
  if (const auto* properties = member(resolved, "properties");
      properties && properties->IsObject()) {
    auto entry = properties->FindMember(key);
    if (entry != properties->MemberEnd()) found.push_back(&entry->value);
  }
  if (const auto* patterns = member(resolved, "patternProperties");
      patterns && patterns->IsObject()) {
    for (const auto& entry : patterns->GetObject()) {
      std::string_view pattern(entry.name.GetString(), entry.name.GetStringLength());
      if (context.patterns.search(pattern, name)) found.push_back(&entry.value);
    }
  }
  const auto* additional = member(resolved, "additionalProperties");
  if (found.empty() && additional != nullptr && additional->IsObject()) found.push_back(additional);
  return found;
}

const rapidjson::Value* item_schema(const Context& context, const rapidjson::Value& schema,
                                    rapidjson::SizeType index) {
  const auto& resolved = deref(context, schema);
  const auto* items = member(resolved, "items");
  if (items == nullptr) return nullptr;
  if (items->IsObject()) return items;
  if (!items->IsArray()) return nullptr;
  if (index < items->Size()) return &(*items)[index];
  const auto* additional = member(resolved, "additionalItems");
  return additional != nullptr && additional->IsObject() ? additional : nullptr;
}

}  // namespace apflow::schema::detail
