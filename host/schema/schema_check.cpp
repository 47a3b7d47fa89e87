#include "schema/schema_check.h"

#include <array>

#include "core/error.h"
#include "schema/json_util.h"

namespace apflow::schema::detail {

std::optional<std::string> Patterns::add(const std::string& pattern) {
  if (regexes_.count(pattern) > 0) return std::nullopt;
  try {
    regexes_.emplace(pattern, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error& error) {
    return std::string(error.what());
  }
  return std::nullopt;
}

bool Patterns::search(std::string_view pattern, std::string_view text) const {
  auto found = regexes_.find(pattern);
  // Every pattern was registered at compile time; an unknown one cannot restrict anything.
  if (found == regexes_.end()) return true;
  return std::regex_search(text.begin(), text.end(), found->second);
}

namespace {

constexpr std::array<std::string_view, 7> kTypeNames = {"array",  "boolean", "integer", "null",
                                                        "number", "object",  "string"};

class Checker {
 public:
  explicit Checker(const rapidjson::Value& root) : root_(root) {}

  SchemaFacts run() {
    if (!root_.IsObject()) fail("", "a schema must be a JSON object, got " + type_name(root_));
    node(root_, "");
    return std::move(facts_);
  }

 private:
  [[noreturn]] void fail(const std::string& pointer, const std::string& problem) const {
    std::string where = pointer.empty() ? "the root" : "'" + pointer + "'";
    throw Error(codes::kSchemaParseError, "invalid schema at " + where + ": " + problem);
  }

  void node(const rapidjson::Value& schema, const std::string& pointer) {
    if (!schema.IsObject())
      fail(pointer, "a schema must be a JSON object, got " + type_name(schema));
    if (auto ref = schema.FindMember("$ref"); ref != schema.MemberEnd()) {
      check_ref(ref->value, join_pointer(pointer, "$ref"));
      return;  // draft-04: keywords beside $ref are ignored
    }
    check_type(schema, pointer);
    check_values(schema, pointer);
    check_regexes(schema, pointer);
    subschemas(schema, pointer);
  }

  void check_ref(const rapidjson::Value& ref, const std::string& pointer) const {
    if (!ref.IsString()) fail(pointer, "$ref must be a string");
    std::string_view text(ref.GetString(), ref.GetStringLength());
    if (text.empty() || text.front() != '#') {
      fail(pointer, "$ref '" + std::string(text) +
                        "' is not supported: only references into the same schema ('#/...')");
    }
    if (resolve_ref(root_, text) == nullptr) {
      fail(pointer, "$ref '" + std::string(text) + "' points to nothing in this schema");
    }
  }

  void check_type(const rapidjson::Value& schema, const std::string& pointer) const {
    auto type = schema.FindMember("type");
    if (type == schema.MemberEnd()) return;
    auto known = [](const rapidjson::Value& name) {
      if (!name.IsString()) return false;
      for (auto candidate : kTypeNames) {
        if (candidate == name.GetString()) return true;
      }
      return false;
    };
    bool ok =
        type->value.IsString() ? known(type->value) : type->value.IsArray() && !type->value.Empty();
    if (type->value.IsArray()) {
      for (const auto& item : type->value.GetArray()) ok = ok && known(item);
    }
    if (!ok) {
      fail(pointer,
           "'type' must be one of array, boolean, integer, null, number, object, "
           "string (or an array of them), got " +
               render(type->value));
    }
  }

  void check_values(const rapidjson::Value& schema, const std::string& pointer) {
    for (const char* key :
         {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}) {
      auto member = schema.FindMember(key);
      if (member != schema.MemberEnd() && !member->value.IsUint()) {
        fail(pointer, std::string("'") + key + "' must be a non-negative integer, got " +
                          render(member->value));
      }
    }
    for (const char* key : {"minimum", "maximum", "multipleOf"}) {
      auto member = schema.FindMember(key);
      if (member != schema.MemberEnd() && !member->value.IsNumber()) {
        fail(pointer, std::string("'") + key + "' must be a number, got " + render(member->value));
      }
    }
    if (auto member = schema.FindMember("required"); member != schema.MemberEnd()) {
      bool ok = member->value.IsArray();
      if (ok) {
        for (const auto& item : member->value.GetArray()) ok = ok && item.IsString();
      }
      if (!ok) fail(pointer, "'required' must be an array of property names");
    }
    if (auto member = schema.FindMember("enum"); member != schema.MemberEnd()) {
      if (!member->value.IsArray() || member->value.Empty()) {
        fail(pointer, "'enum' must be a non-empty array");
      }
    }
    if (auto member = schema.FindMember("format"); member != schema.MemberEnd()) {
      if (!member->value.IsString()) fail(pointer, "'format' must be a string");
      facts_.has_format = true;
    }
  }

  void add_pattern(const std::string& pattern, const std::string& pointer) {
    if (auto error = facts_.patterns.add(pattern)) {
      fail(pointer, "pattern '" + pattern + "' is not a valid ECMAScript regex: " + *error);
    }
  }

  void check_regexes(const rapidjson::Value& schema, const std::string& pointer) {
    if (auto member = schema.FindMember("pattern"); member != schema.MemberEnd()) {
      if (!member->value.IsString()) fail(pointer, "'pattern' must be a string");
      add_pattern(member->value.GetString(), pointer);
    }
    if (auto member = schema.FindMember("patternProperties"); member != schema.MemberEnd()) {
      facts_.has_pattern_properties = true;
      if (member->value.IsObject()) {
        for (const auto& entry : member->value.GetObject()) {
          add_pattern(entry.name.GetString(), join_pointer(pointer, "patternProperties"));
        }
      }
    }
  }

  void schema_map(const rapidjson::Value& schema, const char* key, const std::string& pointer) {
    auto member = schema.FindMember(key);
    if (member == schema.MemberEnd()) return;
    std::string here = join_pointer(pointer, key);
    if (!member->value.IsObject()) fail(here, std::string("'") + key + "' must be an object");
    for (const auto& entry : member->value.GetObject()) {
      std::string name(entry.name.GetString(), entry.name.GetStringLength());
      bool name_list = std::string_view(key) == "dependencies" && entry.value.IsArray();
      if (!name_list) node(entry.value, join_pointer(here, name));
    }
  }

  void schema_list(const rapidjson::Value& schema, const char* key, const std::string& pointer) {
    auto member = schema.FindMember(key);
    if (member == schema.MemberEnd()) return;
    std::string here = join_pointer(pointer, key);
    bool may_be_empty = std::string_view(key) == "items";
    if (!member->value.IsArray() || (member->value.Empty() && !may_be_empty)) {
      fail(here, std::string("'") + key + "' must be a non-empty array of schemas");
    }
    for (rapidjson::SizeType i = 0; i < member->value.Size(); ++i) {
      node(member->value[i], join_pointer(here, std::to_string(i)));
    }
  }

  void schema_or_bool(const rapidjson::Value& schema, const char* key, const std::string& pointer) {
    auto member = schema.FindMember(key);
    if (member != schema.MemberEnd() && !member->value.IsBool()) {
      node(member->value, join_pointer(pointer, key));
    }
  }

  void subschemas(const rapidjson::Value& schema, const std::string& pointer) {
    for (const char* key : {"properties", "patternProperties", "definitions", "dependencies"}) {
      schema_map(schema, key, pointer);
    }
    for (const char* key : {"allOf", "anyOf", "oneOf"}) schema_list(schema, key, pointer);
    for (const char* key : {"additionalProperties", "additionalItems"}) {
      schema_or_bool(schema, key, pointer);
    }
    if (auto member = schema.FindMember("not"); member != schema.MemberEnd()) {
      node(member->value, join_pointer(pointer, "not"));
    }
    if (auto member = schema.FindMember("items"); member != schema.MemberEnd()) {
      if (member->value.IsArray()) {
        schema_list(schema, "items", pointer);
      } else {
        node(member->value, join_pointer(pointer, "items"));
      }
    }
  }

  const rapidjson::Value& root_;
  SchemaFacts facts_;
};

}  // namespace

SchemaFacts check_schema(const rapidjson::Value& root) {
  return Checker(root).run();
}

}  // namespace apflow::schema::detail
